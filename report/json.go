package report

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

// The wire types below are the JSON document of docs/report.md, field for
// field and in its order, and the only place its members are spelled: the
// writer encodes them, the reader decodes them, and a member without
// omitempty is one the document requires (readCheck). They are kept apart
// from the Go model so that the document changes only with its schema
// version.
//
// They are encoded by github.com/go-json-experiment/json, the module that
// mirrors encoding/json/v2, but for the items, which the writer
// (json_write.go) appends itself in the same bytes; and decoded from its
// tokenizer (jsontext), which rejects duplicate names, bounds nesting and
// says where in a document an error lies, which encoding/json does not.
// The reader and the item writer learn the members from the same tags
// (json_fields.go), so that they are spelt here alone.

type jsonHead struct {
	Schema   string        `json:"schema"`
	Tool     jsonTool      `json:"tool"`
	Run      jsonRun       `json:"run"`
	Formular jsonFormular  `json:"formular"`
	Sources  jsonSources   `json:"sources"`
	Verdict  string        `json:"verdict"`
	Scope    *jsonScope    `json:"scope,omitempty"` // nil in version 1
	Reasons  []jsonMessage `json:"reasons"`
	Warnings []jsonMessage `json:"warnings"`
}

// jsonScope is what the verdict covers (verify.Scope).
type jsonScope struct {
	Checked    []string      `json:"checked"`
	NotChecked []jsonMessage `json:"not_checked,omitempty"`
	Uncovered  []jsonMessage `json:"uncovered,omitempty"`
	Required   []string      `json:"required,omitempty"`
}

// jsonMessage is a reason or a warning: its code and arguments for
// renderings in any language, and verify's English sentence.
type jsonMessage struct {
	Code    string            `json:"code"`
	Table   string            `json:"table,omitempty"`
	Line    int               `json:"line,omitzero"`
	Counts  jsonCounts        `json:"counts,omitempty"`
	Args    map[string]string `json:"args,omitempty"`
	ArgsB64 map[string]string `json:"args_b64,omitempty"`
	Text    string            `json:"text"`
	TextB64 string            `json:"text_b64,omitempty"`
}

// jsonReport is the whole document.
type jsonReport struct {
	jsonHead `json:",inline"`
	Tables   []jsonTable `json:"tables"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	SHA256  string `json:"sha256,omitempty"` // unknown only when the check could not be made
}

type jsonRun struct {
	Start     string  `json:"start"`
	End       string  `json:"end"`
	Duration  float64 `json:"duration_seconds"`
	CheckDate string  `json:"check_date"`
	// HostID is required from version 2 on (checkHead): version 1 has none.
	HostID    string   `json:"host_id,omitempty"`
	Host      string   `json:"host"`
	Groups    []string `json:"groups,omitempty"`
	OS        string   `json:"os"`
	OSVersion string   `json:"os_version"`
	Arch      string   `json:"arch"`
	User      string   `json:"user"`
	Args      []string `json:"args"`
	ArgsB64   []string `json:"args_b64,omitempty"`
}

type jsonField struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type jsonSignature struct {
	KeyID string `json:"key_id"`
	// TrustedComment is a display form from version 2 on, with the raw
	// bytes in TrustedCommentB64 when they differ; version 1 wrote it raw.
	TrustedComment    string `json:"trusted_comment"`
	TrustedCommentB64 string `json:"trusted_comment_b64,omitempty"`
	Verified          bool   `json:"verified"`
}

type jsonFormular struct {
	Path      string         `json:"path"`
	PathB64   string         `json:"path_b64,omitempty"`
	SHA256    string         `json:"sha256,omitempty"` // unknown only when the check could not be made
	Header    []jsonField    `json:"header"`
	Signature *jsonSignature `json:"signature,omitempty"`
}

type jsonPath struct {
	Path    string `json:"path"`
	PathB64 string `json:"path_b64,omitempty"`
}

type jsonImplanted struct {
	Present  bool   `json:"present"`
	OK       bool   `json:"ok"`
	Expected string `json:"expected,omitempty"`
	Computed string `json:"computed,omitempty"`
	NotRead  bool   `json:"not_read,omitzero"`
}

type jsonMedia struct {
	Path         string         `json:"path"`
	PathB64      string         `json:"path_b64,omitempty"`
	Kind         string         `json:"kind"`
	Size         int64          `json:"size"`
	Digests      []jsonDigest   `json:"digests"`
	ImplantedMD5 *jsonImplanted `json:"implanted_md5,omitempty"`
}

// jsonDigest is a verify.Digest.
type jsonDigest struct {
	Alg string `json:"alg"`
	Hex string `json:"hex"`
}

type jsonVar struct {
	Name    string `json:"name"`
	Path    string `json:"path"`
	PathB64 string `json:"path_b64,omitempty"`
}

type jsonInstalled struct {
	Root    string    `json:"root"`
	RootB64 string    `json:"root_b64,omitempty"`
	Vars    []jsonVar `json:"vars"`
}

type jsonSources struct {
	Media     *jsonMedia     `json:"media,omitempty"`
	Installed *jsonInstalled `json:"installed,omitempty"`
	Settings  []jsonPath     `json:"settings"`
}

type jsonTableHead struct {
	Kind      string     `json:"kind"`
	Line      int        `json:"line"`
	Root      string     `json:"root,omitempty"`
	RootB64   string     `json:"root_b64,omitempty"`
	Source    string     `json:"source,omitempty"`
	SourceB64 string     `json:"source_b64,omitempty"`
	Format    string     `json:"format,omitempty"`
	Columns   []string   `json:"columns,omitempty"`
	Closed    bool       `json:"closed,omitzero"`
	Weak      []string   `json:"weak,omitempty"`
	Counts    jsonCounts `json:"counts"`
}

type jsonTable struct {
	jsonTableHead `json:",inline"`
	// Items are the model's: each is read into a jsonItem and converted
	// as it is read, and written from one (json_write.go), so that a
	// large report is held once.
	Items itemList `json:"items"`
}

// itemList is a table's items as read: an item that is what a check
// makes of a row found as listed is kept as that row (rows), the others
// as items; without rows (a column sverka does not know), every item.
type itemList struct {
	rows  *verify.RowsBuilder
	items []verify.Item
}

// into gives t the items.
func (l *itemList) into(t *verify.Table) {
	if l.rows != nil {
		l.rows.Table(t)
		return
	}
	t.Items = l.items
}

// room is how many items the list holds room for.
func (l *itemList) room() int {
	if l.rows != nil {
		return l.rows.Cap()
	}
	return cap(l.items)
}

// kept are the items not kept as rows.
func (l *itemList) kept() []verify.Item {
	if l.rows != nil {
		return l.rows.Items()
	}
	return l.items
}

type jsonItem struct {
	Name       string        `json:"name"`
	NameB64    string        `json:"name_b64,omitempty"`
	Line       int           `json:"line,omitzero"`
	Status     verify.Status `json:"status"`
	Failure    bool          `json:"failure"`
	Size       int64         `json:"size,omitzero"`
	ActualSize *int64        `json:"actual_size,omitempty"`
	Expected   []jsonDigest  `json:"expected,omitempty"`
	Actual     []jsonDigest  `json:"actual,omitempty"`
	Differs    []string      `json:"differs,omitempty"`
	Other      string        `json:"other,omitempty"`
	OtherB64   string        `json:"other_b64,omitempty"`
	Mode       string        `json:"mode,omitempty"`
	ActualMode string        `json:"actual_mode,omitempty"`
	Allowed    string        `json:"allowed,omitempty"`
	Value      string        `json:"value,omitempty"`
	ValueB64   string        `json:"value_b64,omitempty"`
	HasValue   bool          `json:"has_value,omitzero"`
	Note       string        `json:"note,omitempty"`
	Detail     string        `json:"detail,omitempty"`
	DetailB64  string        `json:"detail_b64,omitempty"`
	DetailCode string        `json:"detail_code,omitempty"`
	// DetailArgs are display forms; DetailArgsB64 holds the raw bytes of
	// those that differ from theirs.
	DetailArgs    map[string]string `json:"detail_args,omitempty"`
	DetailArgsB64 map[string]string `json:"detail_args_b64,omitempty"`
	Hint          string            `json:"hint,omitempty"`
	HintCode      string            `json:"hint_code,omitempty"`
	HintArgs      map[string]string `json:"hint_args,omitempty"`
}

// jsonCounts writes the statuses in report order rather than alphabetically.
type jsonCounts map[verify.Status]int

func (c jsonCounts) MarshalJSONTo(enc *jsontext.Encoder) error {
	keys := make([]verify.Status, 0, len(c))
	for k := range c {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := statusRank(keys[i]), statusRank(keys[j])
		if a != b {
			return a < b
		}
		return keys[i] < keys[j]
	})
	if err := enc.WriteToken(jsontext.BeginObject); err != nil {
		return err
	}
	for _, k := range keys {
		if err := enc.WriteToken(jsontext.String(string(k))); err != nil {
			return err
		}
		if err := enc.WriteToken(jsontext.Int(int64(c[k]))); err != nil {
			return err
		}
	}
	return enc.WriteToken(jsontext.EndObject)
}

// statusRank orders statuses as verify.Statuses does, unknown ones last.
func statusRank(s verify.Status) int {
	if i := slices.Index(verify.Statuses, s); i >= 0 {
		return i
	}
	return len(verify.Statuses)
}

const (
	timeLayout = time.RFC3339Nano
	dateLayout = time.DateOnly
)

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func headOf(r *Report) jsonHead {
	h := jsonHead{
		Schema: r.Schema,
		Tool:   jsonTool{Name: r.Tool.Name, Version: r.Tool.Version, SHA256: r.Tool.SHA256},
		Run: jsonRun{
			Start:     r.Run.Start.Format(timeLayout),
			End:       r.Run.End.Format(timeLayout),
			Duration:  r.Run.Duration().Seconds(),
			CheckDate: r.Run.CheckDate.Format(dateLayout),
			Host:      r.Run.Host,
			OS:        r.Run.OS,
			OSVersion: r.Run.OSVersion,
			Arch:      r.Run.Arch,
			User:      r.Run.User,
			Args:      make([]string, len(r.Run.Args)),
		},
		Formular: jsonFormular{SHA256: r.Formular.SHA256, Header: make([]jsonField, len(r.Formular.Header))},
		Sources:  jsonSources{Settings: make([]jsonPath, len(r.Sources.Settings))},
		Verdict:  string(r.Result.Verdict),
		Reasons:  messagesOf(r.Result.Reasons),
		Warnings: messagesOf(shownWarnings(r)),
	}
	if h.Schema == "" {
		h.Schema = Schema
	}
	if r.HasScope() {
		h.Scope = scopeOf(&r.Result.Scope)
		// Version 1 names the host by its hostname alone.
		h.Run.HostID, h.Run.Groups = r.Run.HostID, r.Run.Groups
	}
	raw := false
	for i, a := range r.Run.Args {
		h.Run.Args[i] = safetext.Display(a)
		raw = raw || !safetext.Clean(a)
	}
	if raw {
		// One raw arg makes all of them travel raw: the two lists stay
		// parallel and a reader needs no per-element rule.
		for _, a := range r.Run.Args {
			h.Run.ArgsB64 = append(h.Run.ArgsB64, base64.StdEncoding.EncodeToString([]byte(a)))
		}
	}
	h.Formular.Path, h.Formular.PathB64 = encodeText(r.Formular.Path)
	for i, f := range r.Formular.Header {
		h.Formular.Header[i] = jsonField(f)
	}
	if s := r.Formular.Signature; s != nil {
		h.Formular.Signature = &jsonSignature{KeyID: s.KeyID, TrustedComment: s.TrustedComment, Verified: s.Verified}
		if r.HasScope() {
			h.Formular.Signature.TrustedComment, h.Formular.Signature.TrustedCommentB64 = encodeText(s.TrustedComment)
		}
	}
	if m := r.Sources.Media; m != nil {
		jm := &jsonMedia{Kind: m.Kind, Size: m.Size, Digests: digestsOf(nil, m.Digests)}
		jm.Path, jm.PathB64 = encodeText(m.Path)
		if im := m.ImplantedMD5; im != nil {
			jm.ImplantedMD5 = &jsonImplanted{Present: im.Present, OK: im.OK, Expected: im.Expected, Computed: im.Computed, NotRead: im.NotRead}
		}
		h.Sources.Media = jm
	}
	if in := r.Sources.Installed; in != nil {
		ji := &jsonInstalled{Vars: make([]jsonVar, len(in.Vars))}
		ji.Root, ji.RootB64 = encodeText(in.Root)
		for i, v := range in.Vars {
			ji.Vars[i].Name = v.Name
			ji.Vars[i].Path, ji.Vars[i].PathB64 = encodeText(v.Path)
		}
		h.Sources.Installed = ji
	}
	for i, s := range r.Sources.Settings {
		h.Sources.Settings[i].Path, h.Sources.Settings[i].PathB64 = encodeText(s)
	}
	return h
}

func tableHeadOf(t *verify.Table) jsonTableHead {
	h := jsonTableHead{
		Kind: string(t.Kind), Line: t.Line, Format: t.Format,
		Columns: t.Columns, Closed: t.Closed, Weak: t.Weak,
		Counts: jsonCounts(t.Counts),
	}
	if h.Counts == nil {
		h.Counts = jsonCounts{}
	}
	h.Root, h.RootB64 = encodeText(t.Root)
	h.Source, h.SourceB64 = encodeText(t.Source)
	return h
}

// itemOf fills j with the wire form of it, reusing j's lists of digests.
func itemOf(it *verify.Item, j *jsonItem) {
	*j = jsonItem{
		Line: it.Line, Status: it.Status, Failure: it.Failure,
		Size: it.Size, ActualSize: it.ActualSize,
		Expected: digestsOf(j.Expected[:0], it.Expected),
		Actual:   digestsOf(j.Actual[:0], it.Actual),
		Differs:  it.Differs,
		Mode:     it.Mode, ActualMode: it.ActualMode,
		Allowed: it.Allowed, HasValue: it.HasValue, Note: it.Note,
		DetailCode: string(it.DetailCode),
		Hint:       it.Hint, HintCode: string(it.HintCode), HintArgs: it.HintArgs,
	}
	j.Name, j.NameB64 = encodeText(it.Name)
	j.Other, j.OtherB64 = encodeText(it.Other)
	j.Value, j.ValueB64 = encodeText(it.Value)
	j.Detail, j.DetailB64 = encodeText(it.Detail)
	j.DetailArgs, j.DetailArgsB64 = encodeArgs(it.DetailArgs)
}

// digestsOf appends the wire form of ds to dst; never nil.
func digestsOf(dst []jsonDigest, ds []verify.Digest) []jsonDigest {
	if dst == nil {
		dst = make([]jsonDigest, 0, len(ds))
	}
	for _, d := range ds {
		dst = append(dst, jsonDigest(d))
	}
	return dst
}

// digestsFrom is the inverse of digestsOf; nil for none. An algorithm
// named before (in prior, or in shared) keeps its first string, so that
// the items of a large table share a few.
func digestsFrom(js []jsonDigest, prior []verify.Digest) []verify.Digest {
	if len(js) == 0 {
		return nil
	}
	ds := make([]verify.Digest, len(js))
	for i, j := range js {
		ds[i] = verify.Digest(j)
		// A digest computed as listed is one string, not two.
		if i < len(prior) && prior[i] == ds[i] {
			ds[i] = prior[i]
		}
	}
	return ds
}

// scopeOf gives the wire form of a verdict's scope.
func scopeOf(s *verify.Scope) *jsonScope {
	return &jsonScope{
		Checked:    kindStrings(nonNil(s.Checked)),
		NotChecked: messagesOf(s.NotChecked),
		Uncovered:  messagesOf(s.Uncovered),
		Required:   kindStrings(s.Required),
	}
}

// splitNotChecked parts the warnings of a version 1 report into the
// tables not checked and the others, each in its order.
func splitNotChecked(ws []verify.Message) (notChecked, others []verify.Message) {
	for _, m := range ws {
		if m.Code == verify.CodeTableNotChecked {
			notChecked = append(notChecked, m)
		} else {
			others = append(others, m)
		}
	}
	return notChecked, others
}

// messagesOf gives the wire form of reasons or warnings; never nil.
func messagesOf(ms []verify.Message) []jsonMessage {
	out := make([]jsonMessage, len(ms))
	for i := range ms {
		m := &ms[i]
		out[i] = jsonMessage{Code: string(m.Code), Table: string(m.Table), Line: m.Line, Counts: jsonCounts(m.Counts)}
		out[i].Args, out[i].ArgsB64 = encodeArgs(m.Args)
		out[i].Text, out[i].TextB64 = encodeText(m.Text)
	}
	return out
}

// encodeArgs is encodeText for every value of a message's arguments: the
// display forms, and the raw bytes of those that are not clean.
func encodeArgs(args map[string]string) (display, raw map[string]string) {
	if len(args) == 0 {
		return nil, nil
	}
	display = make(map[string]string, len(args))
	for k, v := range args {
		d, r := encodeText(v)
		display[k] = d
		if r != "" {
			if raw == nil {
				raw = map[string]string{}
			}
			raw[k] = r
		}
	}
	return display, raw
}

// decodeArgs is the inverse of encodeArgs.
func decodeArgs(field string, display, raw map[string]string) (map[string]string, error) {
	for k := range raw {
		if _, ok := display[k]; !ok {
			return nil, fmt.Errorf("%s_b64 has %q, %s has not", field, k, field)
		}
	}
	if len(display) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(display))
	for k, d := range display {
		v, err := decodeText(field+"."+k, d, raw[k])
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// message is the inverse of messagesOf for one message.
func (j *jsonMessage) message(where string) (verify.Message, error) {
	m := verify.Message{Code: verify.Code(j.Code), Table: formular.Kind(j.Table), Line: j.Line}
	if len(j.Counts) > 0 {
		m.Counts = map[verify.Status]int(j.Counts)
	}
	var err error
	if m.Args, err = decodeArgs(where+".args", j.Args, j.ArgsB64); err != nil {
		return m, err
	}
	m.Text, err = decodeText(where+".text", j.Text, j.TextB64)
	return m, err
}

func messagesFrom(field string, js []jsonMessage) ([]verify.Message, error) {
	var out []verify.Message
	for i := range js {
		m, err := js[i].message(fmt.Sprintf("%s[%d]", field, i))
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// writeOptions give the bytes encoding/json's indenting encoder gives
// with HTML escaping off: two spaces a level, map keys sorted, U+2028 and
// U+2029 escaped for JavaScript's sake. <, > and &, which a report shows
// often (allowed values, notes), stay as they are.
var writeOptions = json.JoinOptions(
	jsontext.WithIndent("  "),
	jsontext.EscapeForJS(true),
	json.Deterministic(true),
)

func (j *jsonReport) report() (*Report, error) {
	r := &Report{
		Schema: j.Schema,
		Tool:   Tool{Name: j.Tool.Name, Version: j.Tool.Version, SHA256: j.Tool.SHA256},
		Run: Run{
			HostID: j.Run.HostID, Host: j.Run.Host, Groups: j.Run.Groups,
			OS: j.Run.OS, OSVersion: j.Run.OSVersion,
			Arch: j.Run.Arch, User: j.Run.User,
		},
		Formular: FormularInfo{SHA256: j.Formular.SHA256},
		Result: verify.Result{
			Verdict: verify.Verdict(j.Verdict),
			Tables:  make([]verify.Table, len(j.Tables)),
		},
	}
	var err error
	if r.Result.Reasons, err = messagesFrom("reasons", j.Reasons); err != nil {
		return nil, err
	}
	if r.Result.Warnings, err = messagesFrom("warnings", j.Warnings); err != nil {
		return nil, err
	}
	if j.Schema == SchemaV1 {
		// Version 1 named the host by its hostname alone.
		r.Run.HostID = j.Run.Host
		// Version 1 had no scope and listed the tables not checked among
		// the warnings; the model keeps them in the scope alone.
		r.Result.Scope.NotChecked, r.Result.Warnings = splitNotChecked(r.Result.Warnings)
	}
	if r.Run.Start, err = time.Parse(timeLayout, j.Run.Start); err != nil {
		return nil, fmt.Errorf("run.start: %w", err)
	}
	if r.Run.End, err = time.Parse(timeLayout, j.Run.End); err != nil {
		return nil, fmt.Errorf("run.end: %w", err)
	}
	if r.Run.CheckDate, err = time.Parse(dateLayout, j.Run.CheckDate); err != nil {
		return nil, fmt.Errorf("run.check_date: %w", err)
	}
	if j.Run.ArgsB64 != nil {
		if len(j.Run.ArgsB64) != len(j.Run.Args) {
			return nil, errors.New("run.args_b64 and run.args differ in length")
		}
		for i, b := range j.Run.ArgsB64 {
			a, err := decodeText(fmt.Sprintf("run.args[%d]", i), j.Run.Args[i], b)
			if err != nil {
				return nil, err
			}
			r.Run.Args = append(r.Run.Args, a)
		}
	} else {
		r.Run.Args = j.Run.Args
	}
	if r.Formular.Path, err = decodeText("formular.path", j.Formular.Path, j.Formular.PathB64); err != nil {
		return nil, err
	}
	for _, f := range j.Formular.Header {
		r.Formular.Header = append(r.Formular.Header, Field(f))
	}
	if s := j.Formular.Signature; s != nil {
		r.Formular.Signature = &Signature{KeyID: s.KeyID, TrustedComment: s.TrustedComment, Verified: s.Verified}
		if j.Schema != SchemaV1 {
			if r.Formular.Signature.TrustedComment, err = decodeText("formular.signature.trusted_comment", s.TrustedComment, s.TrustedCommentB64); err != nil {
				return nil, err
			}
		}
	}
	if sc := j.Scope; sc != nil {
		r.Result.Scope = verify.Scope{Checked: kinds(nonNil(sc.Checked)), Required: kinds(sc.Required)}
		if r.Result.Scope.NotChecked, err = messagesFrom("scope.not_checked", sc.NotChecked); err != nil {
			return nil, err
		}
		if r.Result.Scope.Uncovered, err = messagesFrom("scope.uncovered", sc.Uncovered); err != nil {
			return nil, err
		}
	}
	if m := j.Sources.Media; m != nil {
		rm := &Media{Kind: m.Kind, Size: m.Size, Digests: digestsFrom(m.Digests, nil)}
		if rm.Path, err = decodeText("sources.media.path", m.Path, m.PathB64); err != nil {
			return nil, err
		}
		if im := m.ImplantedMD5; im != nil {
			rm.ImplantedMD5 = &ImplantedMD5{Present: im.Present, OK: im.OK, Expected: im.Expected, Computed: im.Computed, NotRead: im.NotRead}
		}
		r.Sources.Media = rm
	}
	if in := j.Sources.Installed; in != nil {
		ri := &Installed{}
		if ri.Root, err = decodeText("sources.installed.root", in.Root, in.RootB64); err != nil {
			return nil, err
		}
		for i, v := range in.Vars {
			p, err := decodeText(fmt.Sprintf("sources.installed.vars[%d].path", i), v.Path, v.PathB64)
			if err != nil {
				return nil, err
			}
			ri.Vars = append(ri.Vars, Var{Name: v.Name, Path: p})
		}
		r.Sources.Installed = ri
	}
	for i, s := range j.Sources.Settings {
		p, err := decodeText(fmt.Sprintf("sources.settings[%d].path", i), s.Path, s.PathB64)
		if err != nil {
			return nil, err
		}
		r.Sources.Settings = append(r.Sources.Settings, p)
	}
	for ti := range j.Tables {
		jt := &j.Tables[ti]
		t := &r.Result.Tables[ti]
		*t = verify.Table{
			Kind: formular.Kind(jt.Kind), Line: jt.Line, Format: jt.Format, Columns: jt.Columns,
			Closed: jt.Closed, Weak: jt.Weak, Counts: map[verify.Status]int(jt.Counts),
		}
		jt.Items.into(t)
		where := fmt.Sprintf("tables[%d]", ti)
		if t.Root, err = decodeText(where+".root", jt.Root, jt.RootB64); err != nil {
			return nil, err
		}
		if t.Source, err = decodeText(where+".source", jt.Source, jt.SourceB64); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func (j *jsonItem) item(it *verify.Item, where itemWhere) error {
	*it = verify.Item{
		Line: j.Line, Status: j.Status, Failure: j.Failure,
		Size: j.Size, ActualSize: j.ActualSize,
		Differs: j.Differs,
		Mode:    j.Mode, ActualMode: j.ActualMode,
		Allowed: j.Allowed, HasValue: j.HasValue, Note: j.Note,
		DetailCode: verify.Code(j.DetailCode),
		Hint:       j.Hint, HintCode: verify.Code(j.HintCode), HintArgs: j.HintArgs,
	}
	it.Expected = digestsFrom(j.Expected, nil)
	it.Actual = digestsFrom(j.Actual, it.Expected)
	if len(it.HintArgs) == 0 {
		it.HintArgs = nil
	}
	// Most items carry no raw bytes: their place is spelt out only for
	// those that do.
	text := func(field, display, raw string) (string, error) {
		if raw == "" {
			return display, nil
		}
		return decodeText(where.String()+"."+field, display, raw)
	}
	var err error
	if it.Name, err = text("name", j.Name, j.NameB64); err != nil {
		return err
	}
	if it.Other, err = text("other", j.Other, j.OtherB64); err != nil {
		return err
	}
	if it.Value, err = text("value", j.Value, j.ValueB64); err != nil {
		return err
	}
	if it.Detail, err = text("detail", j.Detail, j.DetailB64); err != nil {
		return err
	}
	if j.DetailArgs != nil || j.DetailArgsB64 != nil {
		it.DetailArgs, err = decodeArgs(where.String()+".detail_args", j.DetailArgs, j.DetailArgsB64)
	}
	return err
}

// kindStrings and kinds convert table kinds to their wire form and back:
// the wire types hold plain strings, which the reader knows how to check.
func kindStrings(ks []formular.Kind) []string {
	if ks == nil {
		return nil
	}
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

func kinds(ss []string) []formular.Kind {
	if ss == nil {
		return nil
	}
	out := make([]formular.Kind, len(ss))
	for i, s := range ss {
		out[i] = formular.Kind(s)
	}
	return out
}
