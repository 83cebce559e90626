package report

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

// A saved report is the attacker's ground until its signature is checked,
// and often it is not: a JSON edited to say HOLDS while its items say
// MODIFIED must not render as HOLDS. The verdict, its reasons, the counts
// and the failure flags are all functions of the items, the scope, the
// certificate dates and the check date; consistent computes them again,
// as verify does, and refuses a report that says otherwise. What cannot
// be computed from the report (the source of a parameters table that
// could not be read) can only make the verdict fail, never hold.

// errDisagrees marks the errors of consistent.
var errDisagrees = errors.New("the report disagrees with itself")

// disagreement is an error of consistent: what the report says against
// what its own content says.
type disagreement struct{ msg string }

func (d *disagreement) Error() string { return d.msg }
func (d *disagreement) Unwrap() error { return errDisagrees }

func disagree(format string, a ...any) error {
	return &disagreement{fmt.Sprintf(format, a...)}
}

// tableRef names a table as the errors of consistent do.
func tableRef(kind formular.Kind, line int) string {
	return fmt.Sprintf("%s table (line %d)", safetext.Display(string(kind)), line)
}

// countsText writes counts in status order, "1 MODIFIED, 2 MISSING";
// "none" when all are zero.
func countsText(c map[verify.Status]int) string {
	var parts []string
	for _, s := range allStatuses(c) {
		if n := c[s]; n != 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, safetext.Display(string(s))))
		}
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

// allStatuses is the statuses in report order, then any other key of the
// maps given.
func allStatuses(ms ...map[verify.Status]int) []verify.Status {
	out := slices.Clone(verify.Statuses)
	for _, m := range ms {
		for _, s := range slices.Sorted(maps.Keys(m)) {
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

func sameCounts(a, b map[verify.Status]int) bool {
	for _, s := range allStatuses(a, b) {
		if a[s] != b[s] {
			return false
		}
	}
	return true
}

// claim is a reason or warning the report's content calls for, and why.
type claim struct {
	msg  verify.Message // code, table, line, counts and args that matter
	from string         // what calls for it: "items", "certificate dates", …
	why  string         // what in it does
}

// consistent checks that the report's verdict, reasons, warnings that
// count, counts and failure flags are those its items, scope and dates
// give. The error names the first disagreement.
func consistent(r *Report) error {
	res := &r.Result
	if res.Verdict == verify.CannotCheck {
		// The schema holds it to one reason and no tables; there is
		// nothing else to agree with.
		return nil
	}
	var reasons, warns []claim
	for ti := range res.Tables {
		t := &res.Tables[ti]
		rs, ws, err := tableClaims(t)
		if err != nil {
			return err
		}
		reasons, warns = append(reasons, rs...), append(warns, ws...)
	}
	if len(res.Tables) == 0 {
		reasons = append(reasons, claim{msg: verify.Message{Code: verify.CodeNothingChecked}, from: "tables", why: "the report has no table"})
	}
	rs, ws := dateClaims(r)
	reasons, warns = append(reasons, rs...), append(warns, ws...)
	if m := r.Sources.Media; m != nil && m.ImplantedMD5 != nil && m.ImplantedMD5.NotRead {
		reasons = append(reasons, claim{msg: verify.Message{Code: verify.CodeImplantedMD5NotRead},
			from: "media", why: "the MD5 implanted in the image was not read"})
	} else if m != nil && m.ImplantedMD5 != nil && m.ImplantedMD5.Present && !m.ImplantedMD5.OK {
		reasons = append(reasons, claim{
			msg:  verify.Message{Code: verify.CodeImplantedMD5Mismatch, Args: map[string]string{"recorded": m.ImplantedMD5.Expected, "computed": m.ImplantedMD5.Computed}},
			from: "media", why: "the MD5 implanted in the image does not match"})
	}
	if r.HasScope() {
		rs, err := scopeClaims(r)
		if err != nil {
			return err
		}
		reasons = append(reasons, rs...)
	}

	if res.Verdict == verify.Holds && len(reasons) > 0 {
		c := reasons[0]
		return disagree("verdict HOLDS disagrees with its %s: %s", c.from, c.why)
	}
	if err := match("reason", res.Reasons, reasons, r); err != nil {
		return err
	}
	return match("warning", res.Warnings, warns, r)
}

// tableClaims checks a table's items and counts, and gives the reason
// and warnings they call for.
func tableClaims(t *verify.Table) (reasons, warns []claim, err error) {
	ref := tableRef(t.Kind, t.Line)
	counts := map[verify.Status]int{}
	failing := map[verify.Status]int{}
	nFiles, nLinks := 0, 0
	var listed map[string]bool // made when a link needs it
	// A row kept as found as listed is an OK item whose digests, size
	// and mode agree by its making (verify.RowsBuilder): it is counted,
	// not made again to be checked.
	if n := t.OKRows(); n > 0 {
		counts[verify.OK] += n
	}
	for i := range t.Items {
		it := t.Items[i]
		counts[it.Status]++
		if it.DetailCode == verify.DetailUnlistedSymlink && listed == nil {
			listed = listedContent(t)
		}
		if err := itemConsistent(t, &it, listed); err != nil {
			where := "item " + safetext.Display(it.Name)
			if it.Line > 0 {
				where += fmt.Sprintf(" (line %d)", it.Line)
			}
			return nil, nil, disagree("%s, %s: %v", ref, where, err)
		}
		switch {
		case it.Failure:
			failing[it.Status]++
		case it.Status == verify.Extra && it.DetailCode == verify.DetailUnlistedSymlink:
			nLinks++
		case it.Status == verify.Extra:
			nFiles++
		}
	}
	if !sameCounts(t.Counts, counts) {
		return nil, nil, disagree("%s: its counts say %s, its items have %s", ref, countsText(t.Counts), countsText(counts))
	}
	if len(failing) > 0 {
		reasons = append(reasons, claim{
			msg:  verify.Message{Code: verify.CodeTableFailed, Table: t.Kind, Line: t.Line, Counts: failing},
			from: "items", why: ref + " has " + countsText(failing)})
	}
	if nFiles > 0 {
		warns = append(warns, claim{
			msg:  verify.Message{Code: verify.CodeExtraFiles, Table: t.Kind, Line: t.Line, Counts: map[verify.Status]int{verify.Extra: nFiles}},
			from: "items", why: fmt.Sprintf("%s has %d unlisted files that are not failures", ref, nFiles)})
	}
	if nLinks > 0 {
		warns = append(warns, claim{
			msg:  verify.Message{Code: verify.CodeExtraLinks, Table: t.Kind, Line: t.Line, Counts: map[verify.Status]int{verify.Extra: nLinks}},
			from: "items", why: fmt.Sprintf("%s has %d unlisted symbolic links", ref, nLinks)})
	}
	if len(t.Weak) > 0 {
		warns = append(warns, claim{
			msg:  verify.Message{Code: verify.CodeWeakAlgorithm, Table: t.Kind, Line: t.Line, Args: map[string]string{"algorithms": strings.Join(t.Weak, ", ")}},
			from: "tables", why: ref + " relies on " + safetext.Display(strings.Join(t.Weak, ", "))})
	}
	return reasons, warns, nil
}

// itemConsistent checks that an item's failure flag follows from its
// status and table, and that an OK item has nothing that differs. listed
// holds the names of the table's listed rows.
func itemConsistent(t *verify.Table, it *verify.Item, listed map[string]bool) error {
	if it.Status == verify.Extra {
		// An unlisted entry is a failure in a table that lists all there
		// is: an image or boot table, a closed one. A link there is a
		// warning only where it leads to a listed file. The other way, a
		// warning made a failure, hides nothing and is let be.
		due := t.Kind == formular.KindImage || t.Kind == formular.KindBoot || t.Closed
		if it.DetailCode == verify.DetailUnlistedSymlink {
			if len(it.Actual) > 0 || it.ActualSize != nil {
				return errors.New("an unlisted symbolic link with the digests or size of a file")
			}
			due = due && !linksToListed(it.Name, it.DetailArgs["target"], listed)
		}
		if due && !it.Failure {
			closed := "a closed table"
			if !t.Closed {
				closed = "an " + safetext.Display(string(t.Kind)) + " table"
			}
			return fmt.Errorf("status %s in %s with failure false", safetext.Display(string(it.Status)), closed)
		}
		return nil
	}
	if it.Failure != (it.Status != verify.OK) {
		return fmt.Errorf("status %s with failure %v", safetext.Display(string(it.Status)), it.Failure)
	}
	if it.Status != verify.OK {
		return nil
	}
	if len(it.Differs) > 0 {
		return fmt.Errorf("OK, yet its %s differs", safetext.Display(strings.Join(it.Differs, ", ")))
	}
	if t.Kind == formular.KindParameters {
		return nil
	}
	if len(it.Actual) != len(it.Expected) {
		return fmt.Errorf("OK with %d digests listed and %d computed", len(it.Expected), len(it.Actual))
	}
	for _, e := range it.Expected {
		i := slices.IndexFunc(it.Actual, func(a verify.Digest) bool { return a.Alg == e.Alg })
		switch {
		case i < 0:
			return fmt.Errorf("OK without a computed %s digest", safetext.Display(e.Alg))
		case it.Actual[i].Hex != e.Hex:
			return fmt.Errorf("OK, yet its %s digests differ: listed %s, computed %s", safetext.Display(e.Alg), safetext.Display(e.Hex), safetext.Display(it.Actual[i].Hex))
		}
	}
	if it.Size >= 0 && it.ActualSize != nil && *it.ActualSize != it.Size {
		return fmt.Errorf("OK, yet its sizes differ: listed %d, found %d", it.Size, *it.ActualSize)
	}
	if it.Mode != "" && it.ActualMode != "" && it.Mode != it.ActualMode {
		return fmt.Errorf("OK, yet its modes differ: listed %s, found %s", safetext.Display(it.Mode), safetext.Display(it.ActualMode))
	}
	return nil
}

// listedContent gives the names, in lower case, of a table's listed rows
// and of the directories above them (verify.ListedDirs).
func listedContent(t *verify.Table) map[string]bool {
	var rows []string
	for _, it := range t.AllButDigests() {
		if it.Line > 0 {
			rows = append(rows, it.Name)
		}
	}
	listed := verify.ListedDirs(rows, strings.ToLower)
	for _, r := range rows {
		listed[strings.ToLower(r)] = true
	}
	return listed
}

// linksToListed says whether the link rel, with target, leads to listed
// content (verify.LinkTarget): a name in listed (listedContent). Letter
// case is let go, as a table that ignores it does: the leniency can only
// keep a warning a warning.
func linksToListed(rel, target string, listed map[string]bool) bool {
	p, ok := verify.LinkTarget(rel, target)
	return ok && listed[strings.ToLower(p)]
}

// dateClaims gives the reasons and warnings the certificate's dates call
// for on the check date, as verify judges them.
func dateClaims(r *Report) (reasons, warns []claim) {
	day := r.Run.CheckDate.Format(formular.DateLayout)
	cert := r.Formular.Get(formular.KeyCertificate)
	certArgs := func(until string) map[string]string {
		a := map[string]string{"until": until, "check_date": day}
		if cert != "" {
			a["certificate"] = cert
		}
		return a
	}
	lookup := func(key string) (string, bool) {
		for _, h := range r.Formular.Header {
			if h.Key == key {
				return h.Value, true
			}
		}
		return "", false
	}
	if v, ok := lookup(formular.KeyValidUntil); !ok {
		warns = append(warns, claim{msg: verify.Message{Code: verify.CodeNoValidUntil}, from: "formular header", why: "it states no valid-until"})
	} else if until, err := time.Parse(formular.DateLayout, v); err != nil {
		reasons = append(reasons, claim{msg: verify.Message{Code: verify.CodeValidUntilUnreadable, Args: map[string]string{"value": v}},
			from: "certificate dates", why: fmt.Sprintf("valid-until %q is not a date", safetext.Display(v))})
	} else if u := until.Format(formular.DateLayout); u < day {
		reasons = append(reasons, claim{msg: verify.Message{Code: verify.CodeCertificateExpired, Args: certArgs(u)},
			from: "certificate dates", why: fmt.Sprintf("valid-until %s is before the check date %s", u, day)})
	}
	if v, ok := lookup(formular.KeySupportUntil); ok {
		if until, err := time.Parse(formular.DateLayout, v); err != nil {
			warns = append(warns, claim{msg: verify.Message{Code: verify.CodeSupportUntilUnreadable, Args: map[string]string{"value": v}},
				from: "certificate dates", why: fmt.Sprintf("support-until %q is not a date", safetext.Display(v))})
		} else if u := until.Format(formular.DateLayout); u < day {
			warns = append(warns, claim{msg: verify.Message{Code: verify.CodeSupportEnded, Args: certArgs(u)},
				from: "certificate dates", why: fmt.Sprintf("support-until %s is before the check date %s", u, day)})
		}
	}
	return reasons, warns
}

// scopeClaims checks the scope against the tables and gives the reasons
// the required kinds call for.
func scopeClaims(r *Report) ([]claim, error) {
	sc := &r.Result.Scope
	var kinds []formular.Kind
	seen := map[formular.Kind]bool{}
	checked := map[string]bool{}
	for _, t := range r.Result.Tables {
		checked[tableRef(t.Kind, t.Line)] = true
		if !seen[t.Kind] {
			seen[t.Kind] = true
			kinds = append(kinds, t.Kind)
		}
	}
	if !slices.Equal(sc.Checked, kinds) {
		return nil, disagree("its scope says %s checked, its tables are of %s", kindsText(sc.Checked), kindsText(kinds))
	}
	for _, m := range sc.NotChecked {
		if ref := tableRef(m.Table, m.Line); checked[ref] {
			return nil, disagree("its scope says the %s was not checked, yet the report holds its items", ref)
		}
	}
	var reasons []claim
	for _, k := range sc.Required {
		if !seen[k] {
			reasons = append(reasons, claim{msg: verify.Message{Code: verify.CodeRequiredNotChecked, Args: map[string]string{"kind": string(k)}},
				from: "scope", why: safetext.Display(string(k)) + " is required and was not checked"})
		}
	}
	return reasons, nil
}

func kindsText(kinds []formular.Kind) string {
	if len(kinds) == 0 {
		return "nothing"
	}
	return safetext.Display(strings.Join(kindStrings(kinds), ", "))
}

// match checks the reasons (or warnings) a report gives against those
// its content calls for: each called for must be there, with the same
// counts and arguments; each there that its content can call for must
// be called for. Messages whose cause is not in the report (a settings
// source that could not be read) must name a table the report has.
func match(what string, got []verify.Message, want []claim, r *Report) error {
	used := make([]bool, len(got))
	for _, c := range want {
		i := -1
		for j := range got {
			m := &got[j]
			if !used[j] && m.Code == c.msg.Code && m.Table == c.msg.Table && m.Line == c.msg.Line &&
				(c.msg.Code != verify.CodeRequiredNotChecked || m.Args["kind"] == c.msg.Args["kind"]) {
				i = j
				break
			}
		}
		if i < 0 {
			if what == "reason" {
				return disagree("verdict %s disagrees with its %s: %s, and no reason says so", r.Result.Verdict, c.from, c.why)
			}
			return disagree("its warnings disagree with its %s: %s, and no warning says so", c.from, c.why)
		}
		used[i] = true
		m := &got[i]
		if c.msg.Counts != nil && !sameCounts(m.Counts, c.msg.Counts) {
			return disagree("%s %s of the %s says %s, its items have %s", what, m.Code, tableRef(m.Table, m.Line), countsText(m.Counts), countsText(c.msg.Counts))
		}
		for k, v := range c.msg.Args {
			if m.Args[k] != v {
				return disagree("%s %s says %s %q, its %s say %q", what, m.Code, safetext.Display(k), safetext.Display(m.Args[k]), c.from, safetext.Display(v))
			}
		}
	}
	tables := map[string]bool{}
	for _, t := range r.Result.Tables {
		tables[tableRef(t.Kind, t.Line)] = true
	}
	for i := range got {
		if used[i] {
			continue
		}
		m := &got[i]
		if slices.ContainsFunc(want, func(c claim) bool {
			return c.msg.Code == m.Code && c.msg.Table == m.Table && c.msg.Line == m.Line && c.msg.Args["kind"] == m.Args["kind"]
		}) {
			return disagree("%s %s is given twice", what, describeMessage(m))
		}
		switch m.Code {
		case verify.CodeSourceUnreadable, verify.CodeRegistryOffline:
			if !tables[tableRef(m.Table, m.Line)] {
				return disagree("%s %s names the %s, which the report does not hold", what, m.Code, tableRef(m.Table, m.Line))
			}
		case verify.CodeSettings, verify.CodeReadStopped:
			// What a settings reader or a device said: nothing in the
			// report repeats it, and it does not change the verdict.
		case verify.CodeTableFailed:
			return disagree("%s %s names the %s, which has no failing item", what, m.Code, tableRef(m.Table, m.Line))
		case verify.CodeExtraFiles, verify.CodeExtraLinks:
			return disagree("%s %s names the %s, whose items have no such unlisted entry", what, m.Code, tableRef(m.Table, m.Line))
		default:
			return disagree("%s %s is not called for by the report's %s", what, m.Code, sourceOf(m.Code))
		}
	}
	return nil
}

// describeMessage names a message by its code and, when it has one, its
// table.
func describeMessage(m *verify.Message) string {
	if m.Table == "" {
		return string(m.Code)
	}
	return string(m.Code) + " of the " + tableRef(m.Table, m.Line)
}

// sourceOf says what in a report calls for a message of code.
func sourceOf(code verify.Code) string {
	switch code {
	case verify.CodeCertificateExpired, verify.CodeValidUntilUnreadable, verify.CodeSupportEnded,
		verify.CodeSupportUntilUnreadable, verify.CodeNoValidUntil:
		return "certificate dates"
	case verify.CodeRequiredNotChecked:
		return "scope"
	case verify.CodeImplantedMD5Mismatch, verify.CodeImplantedMD5NotRead:
		return "media"
	case verify.CodeNothingChecked:
		return "tables"
	}
	return "content"
}
