package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/internal/hostinfo"
	"github.com/sverka/sverka/internal/lazyre"
	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

// The checks below are those of the report schema that the wire types
// cannot make: enums, patterns, bounds, members that go together, and
// what each code's arguments are. The schema stays the specification for
// consumers; TestSchemaAgrees holds the two to the same documents.

var (
	reTime   = lazyre.New(`^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$`)
	reDate   = lazyre.New(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	reSHA256 = lazyre.New(`^[0-9a-f]{64}$`)
	reKeyID  = lazyre.New(`^[0-9A-F]{16}$`)
	reCode   = lazyre.New(`^([a-z0-9]+(-[a-z0-9]+)*|E[A-Z0-9]+)$`)
	reUCode  = lazyre.New(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	reErrArg = lazyre.New(`^error_[a-z][a-z_]*$`)
	reMsgArg = lazyre.New(`^message_[a-z][a-z_]*$`)
	reLines  = lazyre.New(`^[0-9]+(, [0-9]+)*$`)
	reRecs   = lazyre.New(`^[0-9]+(, [0-9]+)+$`)
)

func isHex(s string) bool {
	return len(s)%2 == 0 && checksum.IsLowerHex(s)
}

// kinds are the table kinds of each version.
var (
	kindsV2 = []string{"image", "boot", "media", "modules", "parameters"}
	kindsV1 = []string{"image", "media", "modules", "parameters"}
)

var statuses = []string{"OK", "MODIFIED", "MISSING", "RENAMED", "EXTRA", "UNREADABLE", "VIOLATED", "UNSET"}

var (
	reasonCodesV2  = []string{"table-failed", "nothing-checked", "certificate-expired", "valid-until-unreadable", "implanted-md5-mismatch", "source-unreadable", "registry-offline", "required-not-checked", "cannot-check", "implanted-md5-not-read"}
	reasonCodesV1  = reasonCodesV2[:7]
	warningCodesV2 = []string{"no-valid-until", "support-ended", "support-until-unreadable", "extra-files", "extra-links", "weak-algorithm", "settings", "read-stopped"}
	warningCodesV1 = append([]string{"table-not-checked"}, warningCodesV2...)
	detailCodesV1  = []string{"error", "not-read", "replaced-by-symlink", "replaced-by", "file-type", "unlisted-symlink", "unreadable-directory", "through-symlink", "not-on-image", "root-not-found", "read-from-device", "image-renamed", "image-name-differs", "image-unmatched", "registry-offline", "settings-line", "constraint-error"}
	detailCodesV2  = append(slices.Clone(detailCodesV1), "boot-image-unlisted", "boot-entry-changed", "ambiguous-name", "duplicate-reading", "duplicate-record", "tree-other-content", "tree-only", "tree-missing", "image-name-only", "alternate-stream", "not-read-longer")
)

// want says whether a message member must be there, must not, or may.
type want int

const (
	may want = iota
	must
	mustNot
)

// argRule is what a code's arguments must be.
type argRule struct {
	table, counts, args want
	tableIs             string   // the table's kind, when fixed
	required            []string // argument names the code needs
	names               []string // the names allowed, with errorNames and messageNames; nil: any
	errorNames          bool     // error_* names allowed
	messageNames        bool     // message_* names allowed
	values              map[string]func(string) bool
	countsExtraOnly     bool
}

var (
	isDigits  = digits
	isErrCode = lazyre.Match(reCode)
	isDateArg = lazyre.Match(reDate)
	isKindArg = func(s string) bool { return slices.Contains(kindsV2, s) }
	isTree    = func(s string) bool { return slices.Contains([]string{"rockridge", "joliet", "iso9660"}, s) }
	errValues = map[string]func(string) bool{"error_code": isErrCode, "error_line": isDigits}
)

func with(m map[string]func(string) bool, more map[string]func(string) bool) map[string]func(string) bool {
	out := map[string]func(string) bool{}
	for k, v := range m {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

// messageRules are the schema's conditions on reasons, warnings and the
// scope's messages, by code.
var messageRules = map[string]argRule{
	"table-failed": {table: must, counts: must, args: mustNot},
	"table-not-checked": {table: must, counts: mustNot, args: must, required: []string{"why"}, names: []string{"why"}, values: map[string]func(string) bool{"why": func(s string) bool {
		return slices.Contains([]string{"no-media", "media-is-directory", "no-installed", "no-settings", "no-registry"}, s)
	}}},
	"certificate-expired":      {table: mustNot, counts: mustNot, args: must, required: []string{"until", "check_date"}, names: []string{"until", "check_date", "certificate"}, values: map[string]func(string) bool{"until": isDateArg, "check_date": isDateArg}},
	"support-ended":            {table: mustNot, counts: mustNot, args: must, required: []string{"until", "check_date"}, names: []string{"until", "check_date", "certificate"}, values: map[string]func(string) bool{"until": isDateArg, "check_date": isDateArg}},
	"valid-until-unreadable":   {table: mustNot, counts: mustNot, args: must, required: []string{"error"}, names: []string{"error", "value"}},
	"support-until-unreadable": {table: mustNot, counts: mustNot, args: must, required: []string{"error"}, names: []string{"error", "value"}},
	"no-valid-until":           {table: mustNot, counts: mustNot, args: mustNot},
	"nothing-checked":          {table: mustNot, counts: mustNot, args: mustNot},
	"implanted-md5-not-read":   {table: mustNot, counts: mustNot, args: must, required: []string{"covers", "stored"}, names: []string{"covers", "stored"}, values: map[string]func(string) bool{"covers": isDigits, "stored": isDigits}},
	"implanted-md5-mismatch":   {table: mustNot, counts: mustNot, args: must, required: []string{"recorded", "computed"}, names: []string{"recorded", "computed"}, values: map[string]func(string) bool{"recorded": isHex, "computed": isHex}},
	"source-unreadable":        {table: must, tableIs: "parameters", counts: mustNot, args: must, required: []string{"source", "error"}, names: []string{"source", "error"}, errorNames: true, values: errValues},
	"registry-offline":         {table: must, tableIs: "parameters", counts: mustNot, args: must, required: []string{"source"}, names: []string{"source"}},
	"extra-files":              {table: must, counts: must, args: mustNot, countsExtraOnly: true},
	"extra-links":              {table: must, counts: must, args: mustNot, countsExtraOnly: true},
	"weak-algorithm":           {table: must, counts: mustNot, args: must, required: []string{"algorithms"}, names: []string{"algorithms"}, values: map[string]func(string) bool{"algorithms": func(s string) bool { return s != "" }}},
	"settings":                 {table: mustNot, counts: mustNot, args: must, required: []string{"file", "line", "message"}, names: []string{"file", "line", "message"}, messageNames: true, values: map[string]func(string) bool{"line": isDigits, "message_code": isErrCode}},
	"required-not-checked":     {table: mustNot, counts: mustNot, args: must, required: []string{"kind"}, names: []string{"kind"}, values: map[string]func(string) bool{"kind": isKindArg}},
	"cannot-check":             {table: mustNot, counts: mustNot, args: must, required: []string{"error"}, names: []string{"error"}, errorNames: true, values: errValues},
	"read-stopped":             {table: mustNot, counts: mustNot, args: must, required: []string{"media", "offset", "error"}, names: []string{"media", "offset", "error"}, errorNames: true, values: with(errValues, map[string]func(string) bool{"offset": isDigits})},
}

// detailRules are the schema's conditions on an item's detail_args, by
// detail_code; a code absent here takes any arguments.
var detailRules = map[string]argRule{
	"error":                {errorNames: true, names: []string{}, values: errValues},
	"not-read":             {args: mustNot},
	"not-read-longer":      {args: mustNot},
	"through-symlink":      {args: mustNot},
	"not-on-image":         {args: mustNot},
	"read-from-device":     {args: mustNot},
	"image-unmatched":      {args: mustNot},
	"registry-offline":     {args: mustNot},
	"replaced-by-symlink":  {args: must, required: []string{"target"}, names: []string{"target"}},
	"unlisted-symlink":     {args: must, required: []string{"target"}, names: []string{"target"}},
	"replaced-by":          {args: must, required: []string{"type"}, names: []string{"type"}, values: map[string]func(string) bool{"type": isFileType}},
	"file-type":            {args: must, required: []string{"type"}, names: []string{"type"}, values: map[string]func(string) bool{"type": isFileType}},
	"unreadable-directory": {args: must, required: []string{"directory", "error"}, names: []string{"directory", "error"}, errorNames: true, values: errValues},
	"root-not-found":       {args: must, required: []string{"root"}, names: []string{"root"}},
	"ambiguous-name":       {args: must, required: []string{"names"}, names: []string{"names"}},
	"alternate-stream":     {args: must, required: []string{"streams"}, names: []string{"streams"}},
	"image-renamed":        {args: must, required: []string{"name"}, names: []string{"name"}},
	"image-name-only":      {args: must, required: []string{"name", "expected"}, names: []string{"name", "expected"}},
	"image-name-differs":   {args: must, required: []string{"name", "expected"}, names: []string{"name", "expected", "error"}, errorNames: true, values: errValues},
	"boot-image-unlisted":  {args: must, required: []string{"offset", "size"}, names: []string{"offset", "size"}, values: map[string]func(string) bool{"offset": isDigits, "size": isDigits}},
	"boot-entry-changed":   {args: must, required: []string{"entry"}, names: []string{"entry"}},
	"settings-line":        {args: must, required: []string{"file", "line"}, names: []string{"file", "line"}, values: map[string]func(string) bool{"line": isDigits}},
	"duplicate-reading":    {args: must, required: []string{"file", "lines", "line"}, names: []string{"file", "lines", "count", "line"}, values: map[string]func(string) bool{"line": isDigits, "count": isDigits, "lines": lazyre.Match(reLines)}},
	"constraint-error":     {args: must, required: []string{"error"}, names: []string{"error", "file", "line"}, errorNames: true, values: with(errValues, map[string]func(string) bool{"line": isDigits})},
	"duplicate-record":     {args: must, required: []string{"tree", "name", "records"}, names: []string{"tree", "name", "records"}, values: map[string]func(string) bool{"tree": isTree, "records": lazyre.Match(reRecs)}},
	"tree-other-content":   {args: must, required: []string{"tree", "name", "record", "members_tree", "members_record"}, names: []string{"tree", "name", "record", "members_tree", "members_record"}, values: map[string]func(string) bool{"tree": isTree, "members_tree": isTree, "record": isDigits, "members_record": isDigits}},
	"tree-only":            {args: must, required: []string{"tree", "name", "record", "members_tree"}, names: []string{"tree", "name", "record", "members_tree"}, values: map[string]func(string) bool{"tree": isTree, "members_tree": isTree, "record": isDigits}},
	"tree-missing":         {args: must, required: []string{"tree", "record", "members_tree"}, names: []string{"tree", "record", "members_tree"}, values: map[string]func(string) bool{"tree": isTree, "members_tree": isTree, "record": isDigits}},
}

func isFileType(s string) bool {
	return slices.Contains([]string{"directory", "fifo", "socket", "device", "special", "symlink"}, s)
}

// checkArgs holds a message's or item's arguments to rule.
func checkArgs(where string, r argRule, args map[string]string) error {
	if r.args == mustNot && args != nil {
		return fmt.Errorf("%s: no arguments allowed", where)
	}
	if r.args == must && args == nil {
		return fmt.Errorf("%s: missing", where)
	}
	for _, k := range r.required {
		if _, ok := args[k]; !ok {
			return fmt.Errorf("%s: argument %q missing", where, k)
		}
	}
	for k, v := range args {
		if r.names != nil && !slices.Contains(r.names, k) &&
			!(r.errorNames && reErrArg().MatchString(k)) && !(r.messageNames && reMsgArg().MatchString(k)) {
			return fmt.Errorf("%s: argument %q not allowed", where, k)
		}
		if f := r.values[k]; f != nil && !f(v) {
			return fmt.Errorf("%s/%s: %q is not allowed", where, k, safetext.Display(v))
		}
	}
	return nil
}

// checkB64Map checks the raw bytes of arguments: base64, and only of
// arguments there are.
func checkB64Map(where string, raw, display map[string]string) error {
	if raw == nil {
		return nil
	}
	if display == nil {
		return fmt.Errorf("%s: without %s", where, strings.TrimSuffix(where[strings.LastIndexByte(where, '/')+1:], "_b64"))
	}
	for k, v := range raw {
		if !base64Of(v) {
			return fmt.Errorf("%s/%s: not base64", where, k)
		}
	}
	return nil
}

// badDigest says what is wrong in a list of digests, from the list's
// place ("0/hex: not hex"); "" when nothing is.
func badDigest(ds []jsonDigest) string {
	for i, d := range ds {
		if d.Alg == "" {
			return strconv.Itoa(i) + "/alg: empty"
		}
		if !isHex(d.Hex) {
			return strconv.Itoa(i) + "/hex: not hex"
		}
	}
	return ""
}

func checkCounts(where string, c jsonCounts, least int) error {
	for s, n := range c {
		if !slices.Contains(statuses, string(s)) {
			return fmt.Errorf("%s: %q is not a status", where, safetext.Display(string(s)))
		}
		if n < least {
			return fmt.Errorf("%s/%s: %d is below %d", where, s, n, least)
		}
	}
	return nil
}

// emptyAt is the index of the first empty string of ss, or -1.
func emptyAt(ss []string) int {
	return slices.Index(ss, "")
}

// itemWhere is where an item stands; its JSON pointer is spelt out only
// when an error needs it.
type itemWhere struct{ table, item int }

func (w itemWhere) String() string { return fmt.Sprintf("/tables/%d/items/%d", w.table, w.item) }

// checkItem holds an item to the schema's item definition (of version
// 2, which allows all version 1 does: checkHead holds a version 1
// report's items to its narrower codes).
func checkItem(j *jsonItem, where itemWhere) error {
	if j.Name == "" {
		return fmt.Errorf("%s/name: empty", where)
	}
	if j.NameB64 != "" && !base64Of(j.NameB64) {
		return fmt.Errorf("%s/name_b64: not base64", where)
	}
	if j.Line < 0 {
		return fmt.Errorf("%s/line: below 1", where)
	}
	if !slices.Contains(statuses, string(j.Status)) {
		return fmt.Errorf("%s/status: %q is not a status", where, safetext.Display(string(j.Status)))
	}
	switch j.Status {
	case verify.OK:
		if j.Failure {
			return fmt.Errorf("%s/failure: true for status OK", where)
		}
	case verify.Extra:
	default:
		if !j.Failure {
			return fmt.Errorf("%s/failure: false for status %s", where, j.Status)
		}
	}
	if j.Status == verify.Renamed && j.Other == "" {
		return fmt.Errorf("%s/other: missing for status RENAMED", where)
	}
	if j.Size < -1 {
		return fmt.Errorf("%s/size: below -1", where)
	}
	if j.ActualSize != nil && *j.ActualSize < 0 {
		return fmt.Errorf("%s/actual_size: below 0", where)
	}
	if bad := badDigest(j.Expected); bad != "" {
		return fmt.Errorf("%s/expected/%s", where, bad)
	}
	if bad := badDigest(j.Actual); bad != "" {
		return fmt.Errorf("%s/actual/%s", where, bad)
	}
	if i := emptyAt(j.Differs); i >= 0 {
		return fmt.Errorf("%s/differs/%d: empty", where, i)
	}
	for _, b := range [][2]string{{"other_b64", j.OtherB64}, {"value_b64", j.ValueB64}, {"detail_b64", j.DetailB64}} {
		if b[1] != "" && !base64Of(b[1]) {
			return fmt.Errorf("%s/%s: not base64", where, b[0])
		}
	}
	if j.DetailCode != "" {
		if !slices.Contains(detailCodesV2, j.DetailCode) {
			return fmt.Errorf("%s/detail_code: %q is not a detail code", where, safetext.Display(j.DetailCode))
		}
		if j.Detail == "" {
			return fmt.Errorf("%s/detail: missing beside detail_code", where)
		}
		if err := checkArgs(where.String()+"/detail_args", detailRules[j.DetailCode], j.DetailArgs); err != nil {
			return err
		}
	} else if j.DetailArgs != nil {
		return fmt.Errorf("%s/detail_args: without detail_code", where)
	}
	if j.DetailArgsB64 != nil {
		if err := checkB64Map(where.String()+"/detail_args_b64", j.DetailArgsB64, j.DetailArgs); err != nil {
			return err
		}
	}
	if j.HintCode != "" {
		if j.HintCode != "gost-reversed" {
			return fmt.Errorf("%s/hint_code: %q is not a hint code", where, safetext.Display(j.HintCode))
		}
		if j.Hint == "" {
			return fmt.Errorf("%s/hint: missing beside hint_code", where)
		}
		nonEmptyArg := func(s string) bool { return s != "" }
		if err := checkArgs(where.String()+"/hint_args", argRule{args: must, required: []string{"column", "should_be"}, names: []string{"column", "should_be"},
			values: map[string]func(string) bool{"column": nonEmptyArg, "should_be": nonEmptyArg}}, j.HintArgs); err != nil {
			return err
		}
	} else if j.HintArgs != nil {
		return fmt.Errorf("%s/hint_args: without hint_code", where)
	}
	return nil
}

// checkMessage holds a reason, warning or scope message to the schema's
// message definition; codes are the codes allowed where it stands (nil:
// an uncovered message's).
func checkMessage(m *jsonMessage, where string, codes, kinds []string) error {
	if codes != nil && !slices.Contains(codes, m.Code) {
		return fmt.Errorf("%s/code: %q is not allowed here", where, safetext.Display(m.Code))
	}
	if codes == nil && (!reUCode().MatchString(m.Code) || slices.Contains(reasonCodesV2, m.Code) || slices.Contains(warningCodesV1, m.Code)) {
		return fmt.Errorf("%s/code: %q is not allowed here", where, safetext.Display(m.Code))
	}
	if m.Table != "" && !slices.Contains(kinds, m.Table) {
		return fmt.Errorf("%s/table: %q is not a table kind", where, safetext.Display(m.Table))
	}
	if m.Line < 0 {
		return fmt.Errorf("%s/line: below 1", where)
	}
	if (m.Table != "") != (m.Line != 0) {
		return fmt.Errorf("%s: table and line go together", where)
	}
	if m.Counts != nil {
		if len(m.Counts) == 0 {
			return fmt.Errorf("%s/counts: empty", where)
		}
		if err := checkCounts(where+"/counts", m.Counts, 1); err != nil {
			return err
		}
	}
	if m.Text == "" {
		return fmt.Errorf("%s/text: empty", where)
	}
	if m.TextB64 != "" && !base64Of(m.TextB64) {
		return fmt.Errorf("%s/text_b64: not base64", where)
	}
	if err := checkB64Map(where+"/args_b64", m.ArgsB64, m.Args); err != nil {
		return err
	}
	r, ok := messageRules[m.Code]
	if !ok {
		return nil
	}
	for _, c := range []struct {
		name    string
		w       want
		present bool
	}{{"table", r.table, m.Table != ""}, {"counts", r.counts, m.Counts != nil}} {
		if c.w == must && !c.present {
			return fmt.Errorf("%s/%s: missing for code %s", where, c.name, m.Code)
		}
		if c.w == mustNot && c.present {
			return fmt.Errorf("%s/%s: not allowed for code %s", where, c.name, m.Code)
		}
	}
	if r.args == mustNot && m.ArgsB64 != nil {
		return fmt.Errorf("%s/args_b64: not allowed for code %s", where, m.Code)
	}
	if r.tableIs != "" && m.Table != r.tableIs {
		return fmt.Errorf("%s/table: must be %s for code %s", where, r.tableIs, m.Code)
	}
	if r.countsExtraOnly {
		for s := range m.Counts {
			if s != verify.Extra {
				return fmt.Errorf("%s/counts: only EXTRA for code %s", where, m.Code)
			}
		}
	}
	return checkArgs(where+"/args", r, m.Args)
}

// checkHead holds the document but its items (checked as they are read)
// to the schema of its version.
func checkHead(j *jsonReport) error {
	v1 := j.Schema == SchemaV1
	kinds, reasons, warns, details := kindsV2, reasonCodesV2, warningCodesV2, detailCodesV2
	if v1 {
		kinds, reasons, warns, details = kindsV1, reasonCodesV1, warningCodesV1, detailCodesV1
	}
	switch {
	case j.Schema != Schema && !v1:
		return fmt.Errorf("/schema: %q is not %s", safetext.Display(j.Schema), Schema)
	case j.Tool.Name != "sverka":
		return fmt.Errorf("/tool/name: %q is not sverka", safetext.Display(j.Tool.Name))
	case j.Tool.Version == "":
		return fmt.Errorf("/tool/version: empty")
	case j.Tool.SHA256 != "" && !reSHA256().MatchString(j.Tool.SHA256):
		return fmt.Errorf("/tool/sha256: not a SHA-256 digest")
	case !reTime().MatchString(j.Run.Start):
		return fmt.Errorf("/run/start: %q is not a time", safetext.Display(j.Run.Start))
	case !reTime().MatchString(j.Run.End):
		return fmt.Errorf("/run/end: %q is not a time", safetext.Display(j.Run.End))
	case j.Run.Duration < 0:
		return fmt.Errorf("/run/duration_seconds: below 0")
	case !reDate().MatchString(j.Run.CheckDate):
		return fmt.Errorf("/run/check_date: %q is not a date", safetext.Display(j.Run.CheckDate))
	case j.Run.OS == "":
		return fmt.Errorf("/run/os: empty")
	case j.Run.Arch == "":
		return fmt.Errorf("/run/arch: empty")
	case j.Formular.Path == "":
		return fmt.Errorf("/formular/path: empty")
	case j.Formular.SHA256 != "" && !reSHA256().MatchString(j.Formular.SHA256):
		return fmt.Errorf("/formular/sha256: not a SHA-256 digest")
	case !slices.Contains([]string{"HOLDS", "NOT HOLD", "CANNOT CHECK"}, j.Verdict) || v1 && j.Verdict == "CANNOT CHECK":
		return fmt.Errorf("/verdict: %q is not a verdict", safetext.Display(j.Verdict))
	case v1 && j.Scope != nil:
		return fmt.Errorf("/scope: not in %s", SchemaV1)
	case !v1 && j.Scope == nil:
		return fmt.Errorf("/scope: missing")
	case v1 && j.Run.HostID != "":
		return fmt.Errorf("/run/host_id: not in %s", SchemaV1)
	case v1 && j.Run.Groups != nil:
		return fmt.Errorf("/run/groups: not in %s", SchemaV1)
	case !v1 && j.Run.HostID == "":
		return fmt.Errorf("/run/host_id: missing")
	}
	if !v1 {
		if err := hostinfo.CheckName("/run/host_id", j.Run.HostID); err != nil {
			return err
		}
		if j.Run.Groups != nil && len(j.Run.Groups) == 0 {
			return fmt.Errorf("/run/groups: empty (left out when there is none)")
		}
		for i, g := range j.Run.Groups {
			if err := hostinfo.CheckName(fmt.Sprintf("/run/groups/%d", i), g); err != nil {
				return err
			}
			if slices.Contains(j.Run.Groups[:i], g) {
				return fmt.Errorf("/run/groups/%d: %q given twice", i, g)
			}
		}
	}
	for i, b := range j.Run.ArgsB64 {
		if !base64Of(b) {
			return fmt.Errorf("/run/args_b64/%d: not base64", i)
		}
	}
	if j.Formular.PathB64 != "" && !base64Of(j.Formular.PathB64) {
		return fmt.Errorf("/formular/path_b64: not base64")
	}
	for i, f := range j.Formular.Header {
		if f.Key == "" {
			return fmt.Errorf("/formular/header/%d/key: empty", i)
		}
	}
	if s := j.Formular.Signature; s != nil {
		if !reKeyID().MatchString(s.KeyID) {
			return fmt.Errorf("/formular/signature/key_id: %q is not a key id", safetext.Display(s.KeyID))
		}
		if s.TrustedCommentB64 != "" && (v1 || !base64Of(s.TrustedCommentB64)) {
			return fmt.Errorf("/formular/signature/trusted_comment_b64: not base64 of %s", Schema)
		}
	}
	if m := j.Sources.Media; m != nil {
		switch {
		case m.Path == "":
			return fmt.Errorf("/sources/media/path: empty")
		case m.PathB64 != "" && !base64Of(m.PathB64):
			return fmt.Errorf("/sources/media/path_b64: not base64")
		case !slices.Contains([]string{MediaDirectory, MediaImage, MediaDevice}, m.Kind):
			return fmt.Errorf("/sources/media/kind: %q is not a media kind", safetext.Display(m.Kind))
		case m.Size < 0:
			return fmt.Errorf("/sources/media/size: below 0")
		}
		if bad := badDigest(m.Digests); bad != "" {
			return fmt.Errorf("/sources/media/digests/%s", bad)
		}
		if im := m.ImplantedMD5; im != nil {
			switch {
			case !isHex(im.Expected) || !isHex(im.Computed):
				return fmt.Errorf("/sources/media/implanted_md5: not hex")
			case !im.Present && im.OK:
				return fmt.Errorf("/sources/media/implanted_md5/ok: true with none present")
			case im.NotRead && (!im.Present || im.OK || im.Computed != ""):
				return fmt.Errorf("/sources/media/implanted_md5/not_read: true, yet none is present, or it matches, or a sum was computed")
			}
		}
	}
	if in := j.Sources.Installed; in != nil {
		if in.RootB64 != "" && !base64Of(in.RootB64) {
			return fmt.Errorf("/sources/installed/root_b64: not base64")
		}
		for i, v := range in.Vars {
			if v.Name == "" {
				return fmt.Errorf("/sources/installed/vars/%d/name: empty", i)
			}
			if v.PathB64 != "" && !base64Of(v.PathB64) {
				return fmt.Errorf("/sources/installed/vars/%d/path_b64: not base64", i)
			}
		}
	}
	for i, p := range j.Sources.Settings {
		if p.Path == "" {
			return fmt.Errorf("/sources/settings/%d/path: empty", i)
		}
		if p.PathB64 != "" && !base64Of(p.PathB64) {
			return fmt.Errorf("/sources/settings/%d/path_b64: not base64", i)
		}
	}
	for i := range j.Reasons {
		if err := checkMessage(&j.Reasons[i], fmt.Sprintf("/reasons/%d", i), reasons, kinds); err != nil {
			return err
		}
	}
	for i := range j.Warnings {
		if err := checkMessage(&j.Warnings[i], fmt.Sprintf("/warnings/%d", i), warns, kinds); err != nil {
			return err
		}
	}
	if sc := j.Scope; sc != nil {
		for _, l := range []struct {
			name  string
			kinds []string
		}{{"checked", sc.Checked}, {"required", sc.Required}} {
			for i, k := range l.kinds {
				if !slices.Contains(kinds, k) {
					return fmt.Errorf("/scope/%s/%d: %q is not a table kind", l.name, i, safetext.Display(k))
				}
				if slices.Contains(l.kinds[:i], k) {
					return fmt.Errorf("/scope/%s/%d: %s given twice", l.name, i, k)
				}
			}
		}
		for i := range sc.NotChecked {
			if err := checkMessage(&sc.NotChecked[i], fmt.Sprintf("/scope/not_checked/%d", i), []string{"table-not-checked"}, kinds); err != nil {
				return err
			}
		}
		for i := range sc.Uncovered {
			if err := checkMessage(&sc.Uncovered[i], fmt.Sprintf("/scope/uncovered/%d", i), nil, kinds); err != nil {
				return err
			}
		}
	}
	switch j.Verdict {
	case "HOLDS":
		if len(j.Reasons) > 0 {
			return fmt.Errorf("/reasons: verdict HOLDS with reasons")
		}
	default:
		if len(j.Reasons) == 0 {
			return fmt.Errorf("/reasons: verdict %s without a reason", j.Verdict)
		}
	}
	if j.Verdict == "CANNOT CHECK" {
		switch {
		case len(j.Reasons) > 1 || j.Reasons[0].Code != "cannot-check":
			return fmt.Errorf("/reasons: verdict CANNOT CHECK takes one reason, cannot-check")
		case len(j.Tables) > 0:
			return fmt.Errorf("/tables: verdict CANNOT CHECK with tables")
		case len(j.Scope.Checked) > 0:
			return fmt.Errorf("/scope/checked: verdict CANNOT CHECK with kinds checked")
		}
	} else {
		switch {
		case j.Tool.SHA256 == "":
			return fmt.Errorf("/tool/sha256: missing")
		case j.Formular.SHA256 == "":
			return fmt.Errorf("/formular/sha256: missing")
		}
		for i, m := range j.Reasons {
			if m.Code == "cannot-check" {
				return fmt.Errorf("/reasons/%d/code: cannot-check with verdict %s", i, j.Verdict)
			}
		}
	}
	for ti := range j.Tables {
		t := &j.Tables[ti]
		where := fmt.Sprintf("/tables/%d", ti)
		switch {
		case !slices.Contains(kinds, t.Kind):
			return fmt.Errorf("%s/kind: %q is not a table kind", where, safetext.Display(t.Kind))
		case t.Line < 0:
			return fmt.Errorf("%s/line: below 0", where)
		case t.RootB64 != "" && !base64Of(t.RootB64):
			return fmt.Errorf("%s/root_b64: not base64", where)
		case t.SourceB64 != "" && !base64Of(t.SourceB64):
			return fmt.Errorf("%s/source_b64: not base64", where)
		}
		if i := emptyAt(t.Columns); i >= 0 {
			return fmt.Errorf("%s/columns/%d: empty", where, i)
		}
		if i := emptyAt(t.Weak); i >= 0 {
			return fmt.Errorf("%s/weak/%d: empty", where, i)
		}
		if err := checkCounts(where+"/counts", t.Counts, 0); err != nil {
			return err
		}
		if v1 {
			// An item kept as a row has no detail.
			for _, it := range t.Items.kept() {
				if c := string(it.DetailCode); c != "" && !slices.Contains(details, c) {
					return fmt.Errorf("%s/items: item %s (line %d): %q is not a detail code of %s", where, safetext.Display(it.Name), it.Line, safetext.Display(c), SchemaV1)
				}
			}
		}
	}
	return nil
}
