package report

import (
	"slices"
	"strings"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

// A verdict is said with what it covers, in one sentence: HOLDS for the
// media alone must not read as HOLDS for the whole product. The tables
// not checked are part of that sentence, grouped by why; what the checked
// media or host holds that the verdict does not cover is listed beside
// it, not among the warnings.

// singularKinds are the kinds whose Russian name is singular (образ,
// дистрибутив): a predicate agrees with them.
var singularKinds = map[formular.Kind]bool{formular.KindImage: true, formular.KindMedia: true}

// list joins words as the language does: "a, b and c".
func (l lang) list(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + l.t("list-and") + words[len(words)-1]
}

// kindOf is a table kind after "for" ("в части" in Russian: the genitive).
func (l lang) kindOf(k formular.Kind) string {
	if has("kind-of-" + string(k)) {
		return l.t("kind-of-" + string(k))
	}
	return safetext.Display(string(k))
}

// verdictText says the verdict with what it covers, in one sentence.
func (l lang) verdictText(r *Report) string {
	head, scope := l.verdictParts(r)
	if scope == "" {
		return head
	}
	return head + "; " + scope
}

// verdictParts says the verdict, and apart from it the part of its scope
// that needs saying (the tables not checked), so that a page can set the
// two on lines of their own.
func (l lang) verdictParts(r *Report) (head, scope string) {
	res := &r.Result
	switch res.Verdict {
	case verify.CannotCheck:
		for i := range res.Reasons {
			if m := &res.Reasons[i]; m.Code == verify.CodeCannotCheck {
				if e, ok := m.Args["error"]; ok {
					return l.f("cannot-because", l.errArg(m.Args, "error", e)), ""
				}
				return l.f("cannot-because", safetext.Display(m.Text)), ""
			}
		}
		return l.t("cannot"), ""
	case verify.Holds:
		if !r.HasScope() {
			return l.t("holds"), l.t("predates-scope")
		}
		of := make([]string, len(res.Scope.Checked))
		for i, k := range res.Scope.Checked {
			of[i] = l.kindOf(k)
		}
		nc := l.notChecked(r)
		if nc == "" {
			return l.f("holds-for", l.list(of)), ""
		}
		return l.f("holds-only", l.list(of)), nc
	}
	head = l.t("notholds")
	if !r.HasScope() {
		return head, l.t("predates-scope")
	}
	nc := l.notChecked(r)
	if nc == "" {
		return head, ""
	}
	checked := make([]string, len(res.Scope.Checked))
	for i, k := range res.Scope.Checked {
		checked[i] = l.kind(string(k))
	}
	if len(checked) == 0 {
		return head, l.t("checked-none") + "; " + nc
	}
	return head, l.f("checked-list", l.list(checked)) + "; " + nc
}

// notChecked says the tables not checked, grouped by why: "modules and
// parameters not checked: no --installed ROOT or --var given"; "" when
// every table was checked. A table is named by its line too when its kind
// alone would not say which one.
func (l lang) notChecked(r *Report) string {
	sc := &r.Result.Scope
	if len(sc.NotChecked) == 0 {
		return ""
	}
	ambiguous := map[formular.Kind]bool{}
	n := map[formular.Kind]int{}
	for _, m := range sc.NotChecked {
		n[m.Table]++
		if n[m.Table] > 1 || slices.Contains(sc.Checked, m.Table) {
			ambiguous[m.Table] = true
		}
	}
	type group struct {
		why   string
		names []string
		one   bool // one table of a kind whose name is singular
	}
	var groups []group
	var other []string
	for i := range sc.NotChecked {
		m := &sc.NotChecked[i]
		why := "why-" + m.Args["why"]
		if m.Code != verify.CodeTableNotChecked || !has(why) {
			other = append(other, l.message(m, l.status))
			continue
		}
		name := l.kind(safetext.Display(string(m.Table)))
		if ambiguous[m.Table] {
			name += " (" + l.f("table-line", m.Line) + ")"
		}
		gi := slices.IndexFunc(groups, func(g group) bool { return g.why == why })
		if gi < 0 {
			groups = append(groups, group{why: why, one: singularKinds[m.Table]})
			gi = len(groups) - 1
		} else {
			groups[gi].one = false
		}
		groups[gi].names = append(groups[gi].names, name)
	}
	var parts []string
	for _, g := range groups {
		id := "not-checked"
		if g.one {
			id = "not-checked-1"
		}
		parts = append(parts, l.f(id, l.list(g.names), l.t(g.why)))
	}
	return strings.Join(append(parts, other...), "; ")
}

// uncovered says each thing the verdict does not cover.
func (l lang) uncovered(r *Report, status func(verify.Status) string) []string {
	var out []string
	for i := range r.Result.Scope.Uncovered {
		out = append(out, l.message(&r.Result.Scope.Uncovered[i], status))
	}
	return out
}

// required says the kinds the verdict had to cover; "" when none.
func (l lang) required(r *Report) string {
	if len(r.Result.Scope.Required) == 0 {
		return ""
	}
	names := make([]string, len(r.Result.Scope.Required))
	for i, k := range r.Result.Scope.Required {
		names[i] = l.kind(safetext.Display(string(k)))
	}
	return l.f("required", l.list(names))
}

// shownWarnings are the warnings a rendering lists. A report with a
// scope says its tables not checked beside the verdict; one of version 1,
// which has none, lists them first among its warnings, as verify found
// them before the certificate's dates and the tables' extras.
func shownWarnings(r *Report) []verify.Message {
	if r.HasScope() || len(r.Result.Scope.NotChecked) == 0 {
		return r.Result.Warnings
	}
	return append(slices.Clone(r.Result.Scope.NotChecked), r.Result.Warnings...)
}

// reportSignature says what rendering a saved report checked of its own
// signature, as a label and a value; none for a report straight from a
// check.
func (l lang) reportSignature(s *Saved) (label, value string, ok bool) {
	switch {
	case s == nil:
		return "", "", false
	case s.KeyID != "":
		return l.t("report-key"), safetext.Display(s.KeyID), true
	case s.Signature != "":
		return l.t("report-signature"), l.t("report-sig-unchecked") + "; " + l.f("report-sig-beside", safetext.Display(s.Signature)), true
	}
	return l.t("report-signature"), l.t("report-sig-unchecked"), true
}

// evidence says which saved report a rendering was made from: its file,
// its SHA-256 and the key its signature was checked with, or that it was
// not; "" for a report straight from a check.
func (l lang) evidence(s *Saved) string {
	if s == nil || s.SHA256 == "" {
		return ""
	}
	e := l.f("evidence", safetext.Display(s.Path), safetext.Display(s.SHA256))
	if s.KeyID != "" {
		return e + "; " + l.f("evidence-key", safetext.Display(s.KeyID))
	}
	return e + "; " + l.t("evidence-unsigned")
}

// evidenceFooter is evidence, short enough for a page's footer.
func (l lang) evidenceFooter(s *Saved) string {
	if s == nil || s.SHA256 == "" {
		return ""
	}
	e := safetext.Display(s.Path) + " · SHA-256 " + safetext.Display(s.SHA256)
	if s.KeyID != "" {
		return e + " · " + l.f("evidence-key", safetext.Display(s.KeyID))
	}
	return e + " · " + l.t("evidence-unsigned")
}

// Saved says what rendering a saved report checked of it; a rendering
// straight from a check has none.
type Saved struct {
	// Path and SHA256 name the saved report's file and its digest, so
	// that a printed act can be tied to the evidence it was made from.
	Path, SHA256 string
	// KeyID is the key id of the verified signature over the report file;
	// "" when its signature was not checked.
	KeyID string
	// Signature names the report's .minisig file when one lies beside the
	// report and was not checked, so that the rendering can point to -p.
	Signature string
}

// signatureText says the formular's signature. In a saved report it is
// what the report claims, not something the rendering checked.
func signatureText(l lang, s *Signature, saved *Saved) string {
	var v string
	switch {
	case s == nil:
		v = l.t("sig-none")
	case s.Verified:
		v = l.f("signed-by", safetext.Display(s.KeyID), l.t("sig-verified"))
	default:
		v = l.f("signed-by", safetext.Display(s.KeyID), l.t("sig-bad"))
	}
	if saved != nil {
		v = l.f("sig-claimed", v)
	}
	return v
}
