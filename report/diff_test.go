package report

import (
	"bytes"
	"encoding/csv"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/golden"
	"github.com/sverka/sverka/verify"
)

var diffStart = time.Date(2026, 11, 23, 10, 0, 0, 0, msk)

// diffReport is a check of host at start of the tables given.
func diffReport(host string, start time.Time, tables ...verify.Table) *Report {
	r := &Report{Schema: Schema, Run: Run{HostID: host, Host: host, Start: start},
		Formular: FormularInfo{SHA256: hexOf("formular", 32), Header: []Field{{"formular-id", "F-1"}}},
		Result:   verify.Result{Verdict: verify.Holds, Tables: tables}}
	for _, t := range tables {
		if !slices.Contains(r.Result.Scope.Checked, t.Kind) {
			r.Result.Scope.Checked = append(r.Result.Scope.Checked, t.Kind)
		}
		for _, it := range t.Items {
			if it.Failure {
				r.Result.Verdict = verify.NotHolds
			}
		}
	}
	return r
}

func tbl(k formular.Kind, items ...verify.Item) verify.Table {
	return verify.Table{Kind: k, Items: items}
}

// file is a kit item of status s whose actual content is seed.
func file(name string, s verify.Status, seed string) verify.Item {
	it := verify.Item{Name: name, Status: s, Failure: s != verify.OK && s != verify.Extra,
		Expected: []verify.Digest{dg("sha256", name)}}
	switch s {
	case verify.OK:
		it.Actual = it.Expected
	case verify.Modified, verify.Extra:
		it.Actual = []verify.Digest{dg("sha256", seed)}
	}
	return it
}

func param(name string, s verify.Status, value string) verify.Item {
	it := verify.Item{Name: name, Status: s, Failure: s != verify.OK, Allowed: "range 1..8"}
	if value != "" {
		it.Value, it.HasValue = value, true
	}
	return it
}

// names lists "kind name" of each change, to compare with a want list.
func names(list []ItemChange) []string {
	var out []string
	for _, ch := range list {
		out = append(out, string(ch.Kind)+" "+ch.Name)
	}
	return out
}

func TestDiff(t *testing.T) {
	later := diffStart.Add(24 * time.Hour)
	type want struct {
		notes                                   []string
		checked, unchecked                      []formular.Kind
		verdict                                 bool
		newF, resolved, statuses, digests, vals []string
		algs                                    []string // of the first digest change
	}
	for _, c := range []struct {
		name string
		a, b *Report
		want want
	}{
		{"the same check", diffReport("h", diffStart, tbl("media", file("a", verify.OK, ""))),
			diffReport("h", later, tbl("media", file("a", verify.OK, ""))), want{}},
		{"a file tampered", diffReport("h", diffStart, tbl("media", file("a", verify.OK, ""), file("b", verify.OK, ""))),
			diffReport("h", later, tbl("media", file("a", verify.Modified, "x"), file("b", verify.OK, ""))),
			want{verdict: true, newF: []string{"media a"}}},
		{"a file restored, an extra one removed", diffReport("h", diffStart, tbl("media", file("a", verify.Missing, ""), file("z", verify.Extra, "z"))),
			diffReport("h", later, tbl("media", file("a", verify.OK, ""))),
			want{verdict: true, resolved: []string{"media a", "media z"}}},
		{"an extra file appears", diffReport("h", diffStart, tbl("media", file("a", verify.OK, ""))),
			diffReport("h", later, tbl("media", file("a", verify.OK, ""), file("new", verify.Extra, "n"))),
			want{newF: []string{"media new"}}},
		{"modified, then missing", diffReport("h", diffStart, tbl("media", file("a", verify.Modified, "x"))),
			diffReport("h", later, tbl("media", file("a", verify.Missing, ""))),
			want{statuses: []string{"media a"}}},
		{"modified twice, other content", diffReport("h", diffStart, tbl("media", file("a", verify.Modified, "x"))),
			diffReport("h", later, tbl("media", file("a", verify.Modified, "y"))),
			want{digests: []string{"media a"}, algs: []string{"sha256"}}},
		{"modified twice, same content", diffReport("h", diffStart, tbl("media", file("a", verify.Modified, "x"))),
			diffReport("h", later, tbl("media", file("a", verify.Modified, "x"))), want{}},
		{"a violated value changes", diffReport("h", diffStart, tbl("parameters", param("T", verify.Violated, "32"))),
			diffReport("h", later, tbl("parameters", param("T", verify.Violated, "64"))),
			want{vals: []string{"parameters T"}}},
		{"a value breaks the constraint", diffReport("h", diffStart, tbl("parameters", param("T", verify.OK, "4"))),
			diffReport("h", later, tbl("parameters", param("T", verify.Violated, "32"))),
			want{verdict: true, newF: []string{"parameters T"}, vals: []string{"parameters T"}}},
		{"a value is unset", diffReport("h", diffStart, tbl("parameters", param("T", verify.Violated, "32"))),
			diffReport("h", later, tbl("parameters", param("T", verify.Unset, ""))),
			want{statuses: []string{"parameters T"}, vals: []string{"parameters T"}}},
		{"a table no longer checked: its findings are not resolved",
			diffReport("h", diffStart, tbl("media", file("a", verify.OK, "")), tbl("parameters", param("T", verify.Violated, "32"))),
			diffReport("h", later, tbl("media", file("a", verify.OK, ""))),
			want{verdict: true, unchecked: []formular.Kind{"parameters"}}},
		{"a table checked now: its findings are new",
			diffReport("h", diffStart, tbl("media", file("a", verify.OK, ""))),
			diffReport("h", later, tbl("media", file("a", verify.OK, "")), tbl("parameters", param("T", verify.Violated, "32"), param("U", verify.OK, "1"))),
			want{verdict: true, checked: []formular.Kind{"parameters"}, newF: []string{"parameters T"}}},
		{"tables matched by place among their kind",
			diffReport("h", diffStart, tbl("modules", file("x", verify.OK, "")), tbl("modules", file("x", verify.OK, ""))),
			diffReport("h", later, tbl("modules", file("x", verify.OK, "")), tbl("modules", file("x", verify.Missing, ""))),
			want{verdict: true, newF: []string{"modules x"}}},
		{"a name listed twice is matched by its place among its namesakes",
			diffReport("h", diffStart, tbl("media", file("a", verify.OK, ""), file("a", verify.Missing, ""))),
			diffReport("h", later, tbl("media", file("a", verify.OK, ""), file("a", verify.OK, ""))),
			want{verdict: true, resolved: []string{"media a"}}},
		{"another host, nothing else", diffReport("h1", diffStart, tbl("media", file("a", verify.OK, ""))),
			diffReport("h2", later, tbl("media", file("a", verify.OK, ""))),
			want{notes: []string{NoteHost}}},
		{"B older than A, not swapped", diffReport("h", later, tbl("media", file("a", verify.OK, ""))),
			diffReport("h", diffStart, tbl("media", file("a", verify.Modified, "x"))),
			want{notes: []string{NoteOrder}, verdict: true, newF: []string{"media a"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ch := Diff(c.a, c.b)
			var notes []string
			for _, n := range ch.Notes {
				notes = append(notes, n.Code)
			}
			w := c.want
			for _, x := range []struct {
				what      string
				got, want []string
			}{
				{"notes", notes, w.notes},
				{"checked", kindStrings(ch.Checked), kindStrings(w.checked)},
				{"unchecked", kindStrings(ch.Unchecked), kindStrings(w.unchecked)},
				{"new", names(ch.New), w.newF},
				{"resolved", names(ch.Resolved), w.resolved},
				{"statuses", names(ch.Statuses), w.statuses},
				{"digests", names(ch.Digests), w.digests},
				{"values", names(ch.Values), w.vals},
			} {
				if !slices.Equal(x.got, x.want) {
					t.Errorf("%s: %q, want %q", x.what, x.got, x.want)
				}
			}
			if ch.VerdictChanged() != w.verdict {
				t.Errorf("verdict changed: %v, want %v", ch.VerdictChanged(), w.verdict)
			}
			if w.algs != nil && !slices.Equal(ch.Digests[0].Algs, w.algs) {
				t.Errorf("algorithms %q, want %q", ch.Digests[0].Algs, w.algs)
			}
			changed := w.verdict || len(w.checked)+len(w.unchecked)+len(w.newF)+len(w.resolved)+len(w.statuses)+len(w.digests)+len(w.vals) > 0
			if ch.HasChanges() != changed {
				t.Errorf("HasChanges = %v, want %v", ch.HasChanges(), changed)
			}
		})
	}
}

// The formular's digest or id differing is said; so is a CANNOT CHECK
// report against a check that was made.
func TestDiffFormularAndCannot(t *testing.T) {
	a := fixedReport()
	b := fixedReport()
	b.Formular.SHA256 = hexOf("other", 32)
	ch := Diff(a, b)
	if len(ch.Notes) != 1 || ch.Notes[0].Code != NoteFormular || ch.HasChanges() {
		t.Errorf("another formular: notes %+v, changes %v", ch.Notes, ch.HasChanges())
	}
	ch = Diff(a, cannotReport())
	if !ch.VerdictChanged() || len(ch.Unchecked) != 4 || len(ch.Resolved) != 0 {
		t.Errorf("against CANNOT CHECK: verdict changed %v, unchecked %v, resolved %d", ch.VerdictChanged(), ch.Unchecked, len(ch.Resolved))
	}
}

// changedReport is fixedReport a day later: a file modified again with
// other content, one restored, one newly modified, a parameter of
// another value, an extra module removed, and another host.
func changedReport() *Report {
	r := fixedReport()
	r.Run.Start = r.Run.Start.Add(24 * time.Hour)
	r.Run.End = r.Run.End.Add(24 * time.Hour)
	r.Run.HostID = "=cmd|' /C calc'!A0"
	media := &r.Result.Tables[1]
	for i := range media.Items {
		it := &media.Items[i]
		switch {
		case it.Name == "packages/kesl_12.1.0-1297_amd64.deb":
			it.Actual = digests("tampered again", "sha256", "gost12-256")
		case it.Status == verify.Missing:
			it.Status, it.Failure = verify.Unreadable, true
		case it.Status == verify.OK && it.Name == cyrillicName:
			it.Status, it.Failure = verify.Modified, true
			it.Actual = digests("x", "sha256", "gost12-256")
			it.Differs = []string{"sha256", "gost12-256"}
		}
	}
	params := &r.Result.Tables[3]
	for i := range params.Items {
		if it := &params.Items[i]; it.Status == verify.Violated {
			it.Value = "6,4\n\"x\""
		}
	}
	modules := &r.Result.Tables[2]
	modules.Items = slices.DeleteFunc(modules.Items, func(it verify.Item) bool { return it.Status == verify.Extra })
	return r
}

func TestDiffGolden(t *testing.T) {
	a, b := fixedReport(), changedReport()
	ch := Diff(a, b)
	opt := DiffOptions{A: "monday.json", B: "tuesday.json"}
	for _, c := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"diff_en.txt", func(w *bytes.Buffer) error { o := opt; o.Lang = LangEn; return WriteDiffText(w, &ch, o) }},
		{"diff_ru.txt", func(w *bytes.Buffer) error { o := opt; o.Lang = LangRu; return WriteDiffText(w, &ch, o) }},
		{"diff.json", func(w *bytes.Buffer) error { return WriteDiffJSON(w, &ch, opt) }},
		{"diff.csv", func(w *bytes.Buffer) error { return WriteDiffCSV(w, &ch) }},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := c.write(&b); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", c.name), b.Bytes())
		})
	}
}

// Everything the Russian diff says is in Russian but what comes from the
// reports.
func TestDiffRussian(t *testing.T) {
	a, b := fixedReport(), changedReport()
	ch := Diff(a, b)
	var out bytes.Buffer
	if err := WriteDiffText(&out, &ch, DiffOptions{Lang: LangRu, A: "a.json", B: "b.json"}); err != nil {
		t.Fatal(err)
	}
	values := append(append(reportValues(a), reportValues(b)...), "a.json", "b.json")
	if left := latinLeft(out.String(), values); len(left) > 0 {
		t.Errorf("Latin words in the Russian diff: %s\n%s", strings.Join(left, " "), out.String())
	}
}

// The CSV reads back as its rows, names with commas, quotes and newlines
// whole; a name a spreadsheet would run as a formula is defused.
func TestDiffCSV(t *testing.T) {
	ch := Diff(fixedReport(), changedReport())
	var out bytes.Buffer
	if err := WriteDiffCSV(&out, &ch); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasSuffix(out.Bytes(), []byte("\r\n")) {
		t.Error("lines do not end in CRLF")
	}
	rows, err := csv.NewReader(&out).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(rows[0], DiffCSVHeader) {
		t.Errorf("header %q", rows[0])
	}
	var sawValue, sawNote bool
	for _, r := range rows[1:] {
		if len(r) != len(DiffCSVHeader) {
			t.Fatalf("row %q", r)
		}
		if r[0] == "value" && r[2] == "Update.Threads" {
			sawValue = r[3] == "" && r[4] == "32" && r[5] == `6,4\n"x"`
		}
		if r[0] == "note-"+NoteHost {
			sawNote = r[5] == "'=cmd|' /C calc'!A0"
		}
	}
	if !sawValue {
		t.Errorf("no value row with the display form of 6,4\\n\"x\": %q", rows)
	}
	if !sawNote {
		t.Errorf("the formula host id is not defused: %q", rows)
	}
}
