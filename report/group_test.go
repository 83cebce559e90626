package report

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/verify"
)

// extraReport is a modules table checked against a whole system: one
// module listed and found, n files found that it does not list, in 100
// directories (a dpkg table checked against /).
func extraReport(n int) *Report {
	r := fixedReport()
	t := verify.Table{Kind: "modules", Line: 30, Root: "/", Closed: true, Columns: []string{"md5"}}
	t.Items = append(t.Items, verify.Item{Name: "usr/bin/kesl", Line: 31, Status: verify.OK, Size: 10, ActualSize: size(10),
		Expected: digests("kesl", "md5"), Actual: digests("kesl", "md5")})
	for i := range n {
		t.Items = append(t.Items, verify.Item{Name: fmt.Sprintf("usr/share/doc/pkg-%03d/file-%05d", i%100, i),
			Status: verify.Extra, Failure: true, Size: -1, ActualSize: size(int64(i)), Actual: digests(fmt.Sprint(i), "md5")})
	}
	slices.SortFunc(t.Items, func(a, b verify.Item) int { return strings.Compare(a.Name, b.Name) })
	t = count(t)
	r.Result.Tables = []verify.Table{t}
	r.Result.Reasons = []verify.Message{{Code: verify.CodeTableFailed, Table: "modules", Line: 30,
		Counts: map[verify.Status]int{verify.Extra: n}, Text: "[modules] table (line 30): EXTRA files"}}
	r.Result.Warnings = r.Result.Warnings[:2]
	r.Result.Scope = verify.Scope{Checked: []formular.Kind{formular.KindModules}}
	return r
}

func TestFoldedStatuses(t *testing.T) {
	items := func(spec map[verify.Status]int) *verify.Table {
		var tb verify.Table
		for _, s := range verify.Statuses {
			for i := range spec[s] {
				tb.Items = append(tb.Items, verify.Item{Name: fmt.Sprintf("d/%s-%d", s, i), Status: s})
			}
		}
		return &tb
	}
	for _, c := range []struct {
		name string
		spec map[verify.Status]int
		want []verify.Status
	}{
		{"none", nil, nil},
		{"at the threshold", map[verify.Status]int{verify.Extra: GroupOver, verify.Missing: GroupOver}, nil},
		{"extra past it", map[verify.Status]int{verify.Extra: GroupOver + 1, verify.Missing: 3}, []verify.Status{verify.Extra}},
		{"both past it", map[verify.Status]int{verify.Extra: 100, verify.Missing: 60}, []verify.Status{verify.Missing, verify.Extra}},
		{"modified past it", map[verify.Status]int{verify.Modified: 500, verify.OK: 1000}, []verify.Status{verify.Modified}},
		{"ok never", map[verify.Status]int{verify.OK: 100000}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := foldedStatuses(items(c.spec))
			var gs []verify.Status
			for _, s := range verify.Statuses {
				if got[s] {
					gs = append(gs, s)
				}
			}
			if !slices.Equal(gs, c.want) {
				t.Errorf("folded %v, want %v", gs, c.want)
			}
		})
	}
}

func TestItemGroups(t *testing.T) {
	table := func(names ...string) *verify.Table {
		tb := &verify.Table{}
		for _, n := range names {
			status, name, _ := strings.Cut(n, " ")
			tb.Items = append(tb.Items, verify.Item{Name: name, Status: verify.Status(status)})
		}
		return tb
	}
	extraMissing := map[verify.Status]bool{verify.Extra: true, verify.Missing: true}
	// By status in the order of groupable, then by directory in the
	// order each first appears, whatever the order of the items.
	for _, c := range []struct {
		name   string
		tb     *verify.Table
		folded map[verify.Status]bool
		want   []itemGroup
	}{
		{"extra and missing", table("EXTRA top", "EXTRA a/1", "EXTRA a/2", "EXTRA b/1", "EXTRA a/3", "EXTRA a/b/1",
			"MISSING a/gone", "OK a/ok", "EXTRA a/4"), extraMissing, []itemGroup{
			{verify.Extra, "", []int{0}},
			{verify.Extra, "a", []int{1, 2, 4, 8}},
			{verify.Extra, "b", []int{3}},
			{verify.Extra, "a/b", []int{5}},
			{verify.Missing, "a", []int{6}},
		}},
		// OK folded too (a list of objects past ListOver), and MISSING's
		// item first: the statuses keep their order.
		{"missing first, ok folded", table("MISSING a/gone", "EXTRA a/1", "EXTRA a/2", "EXTRA b/1", "EXTRA a/3", "EXTRA a/b/1",
			"EXTRA top", "OK a/ok", "EXTRA a/4"), map[verify.Status]bool{verify.Extra: true, verify.Missing: true, verify.OK: true}, []itemGroup{
			{verify.Extra, "a", []int{1, 2, 4, 8}},
			{verify.Extra, "b", []int{3}},
			{verify.Extra, "a/b", []int{5}},
			{verify.Extra, "", []int{6}},
			{verify.Missing, "a", []int{0}},
			{verify.OK, "a", []int{7}},
		}},
	} {
		if got := itemGroups(c.tb, c.folded); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s: groups\n%v\nwant\n%v", c.name, got, c.want)
		}
	}
	tb := table("EXTRA top", "EXTRA a/1", "EXTRA a/2", "EXTRA b/1", "EXTRA a/3", "EXTRA a/b/1", "MISSING a/gone")
	l := langOf(LangEn)
	for _, c := range []struct {
		g    itemGroup
		want string
	}{
		{itemGroup{verify.Extra, "a", []int{1, 2, 4}}, "3 items: 1, 2, 3"},
		{itemGroup{verify.Extra, "a", []int{1, 2, 4, 6}}, "4 items: 1, 2, 3, …"},
		{itemGroup{verify.Extra, "", []int{0}}, "1 items: top"},
	} {
		if got := l.groupText(tb, &c.g); got != c.want {
			t.Errorf("groupText %v = %q, want %q", c.g, got, c.want)
		}
	}
	if got := l.dirLabel(""); got != "(top level)" {
		t.Errorf("dirLabel of the root = %q", got)
	}
}

// Past GroupOver, the renderings list EXTRA files by directory and keep
// them all in the counts; the summary leaves the list of objects out.
func TestRenderingsGroupExtra(t *testing.T) {
	r := extraReport(20_000)
	for _, lang := range []string{LangEn, LangRu} {
		var text, html, sum bytes.Buffer
		if err := WriteText(&text, r, TextOptions{Lang: lang, Verbose: true}); err != nil {
			t.Fatal(err)
		}
		if err := WriteHTMLOptions(&html, r, HTMLOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if err := WriteHTMLOptions(&sum, r, HTMLOptions{Lang: lang, Summary: true}); err != nil {
			t.Fatal(err)
		}
		for name, b := range map[string]*bytes.Buffer{"text": &text, "html": &html, "summary": &sum} {
			if strings.Contains(b.String(), "file-09917") {
				t.Errorf("%s %s lists an EXTRA file one by one", lang, name)
			}
			if !strings.Contains(b.String(), "usr/share/doc/pkg-017/") {
				t.Errorf("%s %s lacks a directory's group", lang, name)
			}
			if b.Len() > 256<<10 {
				t.Errorf("%s %s is %d bytes for 100 directories", lang, name, b.Len())
			}
		}
		if !strings.Contains(text.String(), "usr/bin/kesl") {
			t.Errorf("%s: -v no longer lists the OK module", lang)
		}
		// 20,000 objects are past ListOver: the act lists them by
		// directory, the OK module's directory among them.
		note := map[string]string{LangEn: "listed by directory and status", LangRu: "перечислены по каталогам и статусам"}[lang]
		if strings.Contains(sum.String(), note) || !strings.Contains(html.String(), note) || !strings.Contains(html.String(), "usr/bin/") {
			t.Errorf("%s: the summary must leave out the list of objects, the act keep it", lang)
		}
		if !strings.Contains(html.String(), "20\u00a0000") {
			t.Errorf("%s: the HTML does not count all 20 000 EXTRA files", lang)
		}
	}
}

// Directory and file names in a folded group, and in a list of objects
// given by directory, come from the checked system: grouping must show
// them in display form like every other name, in text and in HTML, and
// never let a planted name start markup or drive the terminal.
func TestGroupsShowHostileNames(t *testing.T) {
	r := fixedReport()
	tb := verify.Table{Kind: "modules", Line: 30, Root: "/", Closed: true, Columns: []string{"md5"}}
	dirs := []string{"evil\x1b[2J<script>alert(1)</script>", "rlo\u202etxt.exe", "bad\xffbyte"}
	for i := range 3 * (GroupOver + 1) {
		tb.Items = append(tb.Items, verify.Item{
			Name:   fmt.Sprintf("%s/f\x07%03d<b>", dirs[i%3], i),
			Status: verify.Extra, Failure: true, Size: -1, ActualSize: size(1), Actual: digests(fmt.Sprint(i), "md5"),
		})
	}
	for i := range ListOver {
		tb.Items = append(tb.Items, verify.Item{Name: fmt.Sprintf("%s/ok-%05d", dirs[i%3], i), Status: verify.OK,
			Size: 1, ActualSize: size(1), Expected: digests("ok", "md5"), Actual: digests("ok", "md5")})
	}
	slices.SortFunc(tb.Items, func(a, b verify.Item) int { return strings.Compare(a.Name, b.Name) })
	tb = count(tb)
	r.Result.Tables = []verify.Table{tb}
	r.Result.Reasons = []verify.Message{{Code: verify.CodeTableFailed, Table: "modules", Line: 30,
		Counts: map[verify.Status]int{verify.Extra: len(tb.Items) - ListOver}, Text: "[modules] table (line 30): EXTRA files"}}
	r.Result.Scope = verify.Scope{Checked: []formular.Kind{formular.KindModules}}
	if folded := listFolded(&r.Result.Tables[0], foldedStatuses(&r.Result.Tables[0])); !folded[verify.OK] || !folded[verify.Extra] {
		t.Fatalf("the fixture does not fold: %v", folded)
	}
	for _, lang := range []string{LangEn, LangRu} {
		var text, page bytes.Buffer
		if err := WriteText(&text, r, TextOptions{Lang: lang, Verbose: true}); err != nil {
			t.Fatal(err)
		}
		if err := WriteHTML(&page, r, lang); err != nil {
			t.Fatal(err)
		}
		for what, out := range map[string]string{"text": text.String(), "html": page.String()} {
			if strings.ContainsAny(out, "\x1b\x07\u202e") || strings.Contains(out, "\xff") {
				t.Errorf("%s %s shows a raw control, bidi or invalid byte of a name", lang, what)
			}
			if !strings.Contains(out, `\x1b[2J`) || !strings.Contains(out, `\u202e`) || !strings.Contains(out, `\xff`) {
				t.Errorf("%s %s lacks the display form of the hostile directories", lang, what)
			}
		}
		if strings.Contains(page.String(), "<script>") || strings.Contains(page.String(), "<b>") {
			t.Errorf("%s html: a name started markup", lang)
		}
	}
}

// A report's allowed values are read back as a constraint for the Russian
// renderings; values planted in a saved report stay in display form and
// start no markup, whatever the constraint's shape.
func TestRussianConstraintShowsHostileValues(t *testing.T) {
	for _, allowed := range []string{
		"in {\x1b[2J, <script>x</script>}",
		"= \u202eexe",
		"!= \x1b]0;title\x07<b>",
		"matches /^\u202e<b>\\x1b$/",
	} {
		r := fixedReport()
		tb := verify.Table{Kind: "parameters", Line: 40, Source: "s.ini", Format: "ini"}
		tb.Items = []verify.Item{{Name: "Scan.Mode", Line: 41, Status: verify.Violated, Failure: true,
			Allowed: allowed, Value: "x", HasValue: true}}
		tb = count(tb)
		r.Result.Tables = []verify.Table{tb}
		r.Result.Reasons = []verify.Message{{Code: verify.CodeTableFailed, Table: "parameters", Line: 40,
			Counts: map[verify.Status]int{verify.Violated: 1}, Text: "[parameters] table (line 40): VIOLATED"}}
		r.Result.Scope = verify.Scope{Checked: []formular.Kind{formular.KindParameters}}
		var text, page bytes.Buffer
		if err := WriteText(&text, r, TextOptions{Lang: LangRu, Verbose: true}); err != nil {
			t.Fatal(err)
		}
		if err := WriteHTML(&page, r, LangRu); err != nil {
			t.Fatal(err)
		}
		for what, out := range map[string]string{"text": text.String(), "html": page.String()} {
			if strings.ContainsAny(out, "\x1b\x07\u202e") || strings.Contains(out, "\xff") {
				t.Errorf("%q: the %s shows a raw control, bidi or invalid byte", allowed, what)
			}
		}
		if _, err := formular.ParseConstraint(allowed); err != nil {
			t.Fatalf("%q: not a constraint, so not read back: %v", allowed, err)
		}
		if strings.Contains(page.String(), "<script>") || strings.Contains(page.String(), "<b>") {
			t.Errorf("%q: the html lets an allowed value start markup", allowed)
		}
	}
}
