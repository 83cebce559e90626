package report

import (
	"slices"
	"time"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/verify"
)

// Changes is what changed between two checks, A then B: the findings
// that came and went, the items whose status, digests or parameter values
// changed, the verdict and scope, and notes where the two reports are not
// two checks of one host against one formular in time order. A diff of
// reports that disagree on host or formular is still made: the notes say
// so plainly rather than the diff refusing.
//
// Tables are matched by kind and their place among the tables of that
// kind (the first modules table of A with the first of B), not by line,
// so that checks against two editions of a formular still compare;
// items by name within their table. Findings of a table only one report
// checked are not resolved nor new: the scope change says the table was
// checked, or no longer was. The items point into the reports given.
type Changes struct {
	A, B Checked
	// Notes are what makes the comparison other than it seems, in
	// NoteHost, NoteFormular, NoteOrder order.
	Notes []Note
	// Checked and Unchecked are the table kinds B checked that A did
	// not, and those A checked that B did not.
	Checked, Unchecked []formular.Kind
	// New are the items not OK in B that A had OK or did not list
	// (EXTRA included); Resolved, the items not OK in A that B has OK or
	// no longer lists.
	New, Resolved []ItemChange
	// Statuses are the items not OK in both, under another status in B.
	Statuses []ItemChange
	// Digests are the items MODIFIED in both whose actual digests differ.
	Digests []ItemChange
	// Values are the parameters whose actual value (or its absence)
	// changed, whatever their status: a parameter newly VIOLATED is
	// both new and of another value.
	Values []ItemChange
}

// Checked identifies one of the two checks.
type Checked struct {
	HostID, Host string
	Groups       []string
	// FormularID is the formular's formular-id header field; FormularSHA256
	// the digest of its bytes ("" in a CANNOT CHECK report that could not
	// read it).
	FormularID, FormularSHA256 string
	FormularPath               string
	Start                      time.Time
	Verdict                    verify.Verdict
	Scope                      []formular.Kind // the table kinds checked
}

// Note codes: what the writers say of a comparison that is not of one
// host and formular in time order.
const (
	NoteHost     = "different-host"     // the host ids differ
	NoteFormular = "different-formular" // the formulars' digests or ids differ
	NoteOrder    = "b-older"            // B started before A
)

// Note is one such remark; A and B say what each report has.
type Note struct {
	Code string
	A, B string
}

// ItemChange is one item as each report has it: A or B is nil where that
// report does not list the item. For Digests, Algs names the algorithms
// whose actual digests differ.
type ItemChange struct {
	Kind formular.Kind
	Name string
	A, B *verify.Item
	Algs []string
}

// HasChanges reports whether anything changed between the checks: the
// verdict, the scope or an item. The notes alone are not changes.
func (c *Changes) HasChanges() bool {
	return c.VerdictChanged() || len(c.Checked)+len(c.Unchecked)+len(c.New)+len(c.Resolved)+
		len(c.Statuses)+len(c.Digests)+len(c.Values) > 0
}

// VerdictChanged reports whether B's verdict is not A's.
func (c *Changes) VerdictChanged() bool { return c.A.Verdict != c.B.Verdict }

// Count is the number of changes: the entries of every list, and the
// verdict as one.
func (c *Changes) Count() int {
	n := len(c.Checked) + len(c.Unchecked) + len(c.New) + len(c.Resolved) + len(c.Statuses) + len(c.Digests) + len(c.Values)
	if c.VerdictChanged() {
		n++
	}
	return n
}

// Diff compares two checks, a before b.
func Diff(a, b *Report) Changes {
	c := Changes{A: checkedOf(a), B: checkedOf(b)}
	if c.A.HostID != c.B.HostID {
		c.Notes = append(c.Notes, Note{NoteHost, c.A.HostID, c.B.HostID})
	}
	if c.A.FormularSHA256 != c.B.FormularSHA256 || c.A.FormularID != c.B.FormularID {
		c.Notes = append(c.Notes, Note{NoteFormular, formularName(c.A), formularName(c.B)})
	}
	if c.B.Start.Before(c.A.Start) {
		c.Notes = append(c.Notes, Note{NoteOrder, c.A.Start.Format(timeLayout), c.B.Start.Format(timeLayout)})
	}
	for _, k := range c.B.Scope {
		if !slices.Contains(c.A.Scope, k) {
			c.Checked = append(c.Checked, k)
		}
	}
	for _, k := range c.A.Scope {
		if !slices.Contains(c.B.Scope, k) {
			c.Unchecked = append(c.Unchecked, k)
		}
	}
	at, bt := tablesByPlace(a), tablesByPlace(b)
	for _, place := range placesOf(a) {
		if tb, ok := bt[place]; ok {
			c.diffTable(at[place], tb)
		}
	}
	// Tables B checked and A did not: their findings are new.
	for _, place := range placesOf(b) {
		if _, ok := at[place]; ok {
			continue
		}
		tb := bt[place]
		for it := range tb.Findings() {
			c.New = append(c.New, ItemChange{Kind: tb.Kind, Name: it.Name, B: &it})
		}
	}
	return c
}

// formularName names a formular in a note: its id, else its digest, else
// its path.
func formularName(c Checked) string {
	switch {
	case c.FormularID != "":
		return c.FormularID
	case c.FormularSHA256 != "":
		return c.FormularSHA256
	}
	return c.FormularPath
}

func checkedOf(r *Report) Checked {
	return Checked{
		HostID: r.Run.HostID, Host: r.Run.Host, Groups: r.Run.Groups,
		FormularID: r.Formular.Get("formular-id"), FormularSHA256: r.Formular.SHA256,
		FormularPath: r.Formular.Path,
		Start:        r.Run.Start, Verdict: r.Result.Verdict,
		Scope: scopeKinds(r),
	}
}

// scopeKinds are the kinds a report checked: its scope's, or for a
// version 1 report (no scope) the kinds of its tables.
func scopeKinds(r *Report) []formular.Kind {
	if r.HasScope() {
		return r.Result.Scope.Checked
	}
	var ks []formular.Kind
	for _, t := range r.Result.Tables {
		if !slices.Contains(ks, t.Kind) {
			ks = append(ks, t.Kind)
		}
	}
	return ks
}

// tablePlace is a table's kind and its place among those of its kind.
type tablePlace struct {
	kind formular.Kind
	n    int
}

// placesOf lists a report's table places in its order.
func placesOf(r *Report) []tablePlace {
	seen := map[formular.Kind]int{}
	out := make([]tablePlace, len(r.Result.Tables))
	for i, t := range r.Result.Tables {
		out[i] = tablePlace{t.Kind, seen[t.Kind]}
		seen[t.Kind]++
	}
	return out
}

func tablesByPlace(r *Report) map[tablePlace]*verify.Table {
	m := map[tablePlace]*verify.Table{}
	for i, p := range placesOf(r) {
		m[p] = &r.Result.Tables[i]
	}
	return m
}

// itemKey names an item within its table: its name, and which of the
// items of that name it is (a table lists a name once, but a report is
// not trusted to).
type itemKey struct {
	name string
	n    int
}

func itemsByKey(t *verify.Table) (map[itemKey]*verify.Item, []itemKey) {
	m := make(map[itemKey]*verify.Item, t.Len())
	keys := make([]itemKey, t.Len())
	seen := map[string]int{}
	for i, it := range t.All() {
		k := itemKey{it.Name, seen[it.Name]}
		seen[it.Name]++
		m[k] = &it
		keys[i] = k
	}
	return m, keys
}

// diffTable compares a table both reports checked: A's items in A's
// order, then those only B lists, in B's.
func (c *Changes) diffTable(ta, tb *verify.Table) {
	am, akeys := itemsByKey(ta)
	bm, bkeys := itemsByKey(tb)
	for _, k := range akeys {
		ia, ib := am[k], bm[k]
		ch := ItemChange{Kind: ta.Kind, Name: k.name, A: ia, B: ib}
		switch {
		case ib == nil:
			if ia.Status != verify.OK {
				c.Resolved = append(c.Resolved, ch)
			}
			continue
		case ia.Status == verify.OK && ib.Status != verify.OK:
			c.New = append(c.New, ch)
		case ia.Status != verify.OK && ib.Status == verify.OK:
			c.Resolved = append(c.Resolved, ch)
		case ia.Status != ib.Status:
			c.Statuses = append(c.Statuses, ch)
		case ia.Status == verify.Modified:
			if algs := digestsDiffer(ia.Actual, ib.Actual); len(algs) > 0 {
				ch.Algs = algs
				c.Digests = append(c.Digests, ch)
			}
		}
		if ta.Kind == formular.KindParameters && (ia.HasValue != ib.HasValue || ia.Value != ib.Value) {
			c.Values = append(c.Values, ItemChange{Kind: ta.Kind, Name: k.name, A: ia, B: ib})
		}
	}
	for _, k := range bkeys {
		if _, ok := am[k]; ok {
			continue
		}
		if ib := bm[k]; ib.Status != verify.OK {
			c.New = append(c.New, ItemChange{Kind: tb.Kind, Name: k.name, B: ib})
		}
	}
}

// digestsDiffer names the algorithms whose digests differ between two
// lists of actual digests: those of one list only, and those of both
// with another value.
func digestsDiffer(a, b []verify.Digest) []string {
	var algs []string
	find := func(ds []verify.Digest, alg string) (string, bool) {
		for _, d := range ds {
			if d.Alg == alg {
				return d.Hex, true
			}
		}
		return "", false
	}
	for _, d := range a {
		if h, ok := find(b, d.Alg); !ok || h != d.Hex {
			algs = append(algs, d.Alg)
		}
	}
	for _, d := range b {
		if _, ok := find(a, d.Alg); !ok {
			algs = append(algs, d.Alg)
		}
	}
	return algs
}
