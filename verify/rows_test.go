package verify

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
)

// A row found exactly as listed keeps no item; every other row does, and
// every reader of the table (Len, At, All, the counts, expand) sees the
// same items the judging of each row makes.
func TestOKRowsKeepNoItem(t *testing.T) {
	col, err := checksum.ParseColumn("sha256")
	if err != nil {
		t.Fatal(err)
	}
	sum := func(s string) [][]byte { h := sha256.Sum256([]byte(s)); return [][]byte{h[:]} }
	tab := &formular.Table{Kind: formular.KindModules, Closed: true, HasMode: true, Columns: []checksum.Column{col}}
	type row struct {
		name string
		size int64
		mode uint32
		// what is found
		found  bool
		fmode  fs.FileMode
		body   string
		err    error
		itemed bool // the row keeps an item
		// asListed: read as listed, the result not kept (hashRows)
		asListed bool
	}
	rows := []row{
		{name: "a", size: 1, mode: 0o644, found: true, fmode: 0o644, body: "a"},
		{name: "b", size: 1, mode: 0o644, found: true, fmode: 0o644, body: "B", itemed: true},                    // content
		{name: "c", size: 1, mode: 0o644, itemed: true},                                                          // missing
		{name: "d", size: formular.UnknownSize, mode: 0o644, found: true, fmode: 0o644, body: "d", itemed: true}, // OK, size known from the read only
		{name: "e", size: 1, mode: 0o644, found: true, fmode: 0o600, body: "e", itemed: true},                    // mode
		{name: "f", size: 1, mode: 0o755, found: true, fmode: 0o755, body: "f"},
		{name: "g", size: 1, mode: 0o644, found: true, fmode: fs.ModeSymlink | 0o777, itemed: true}, // a link in its place
		{name: "h", size: 2, mode: 0o644, found: true, fmode: 0o644, body: "h", itemed: true},       // size
		{name: "i", size: 1, mode: 0o644, found: true, fmode: 0o644, err: errors.New("I/O error"), itemed: true},
		{name: "j", size: 1, mode: 0o4755, found: true, fmode: 0o755 | fs.ModeSetuid, body: "j", itemed: true}, // setuid bit only in the row
		{name: "ja", size: 1, mode: 0o644, found: true, fmode: 0o644, body: "ja", asListed: true},
		{name: "jb", size: 1, mode: 0o644, found: true, fmode: 0o600, body: "jb", asListed: true, itemed: true}, // mode
	}
	var seen []found
	for i, r := range rows {
		want := r.body
		if r.name == "b" {
			want = "b"
		}
		tab.Entries = append(tab.Entries, formular.Entry{Line: int32(10 + i), Path: r.name, Sums: formular.JoinSums(sum(want)), Size: r.size, Mode: r.mode})
		if !r.found {
			continue
		}
		f := found{rel: r.name, mode: r.fmode, size: 1, asListed: r.asListed}
		if r.fmode.IsRegular() && !r.asListed {
			f.res = &checksum.Result{Size: int64(len(r.body)), Sums: sum(r.body), Err: r.err}
			if r.name == "h" {
				f.res.Size = 1
			}
		} else {
			f.link = "elsewhere"
		}
		seen = append(seen, f)
	}
	seen = append(seen, found{rel: "k", mode: 0o644, size: 1, res: &checksum.Result{Size: 1, Sums: sum("k")}})

	m := newMatcher(tab, false)
	m.bind(seen, nil)
	items, at := m.judge(nil)
	out := newTable(tab)
	out.Items, out.at, out.rows = items, at, tab
	out.count()

	var wantAt []int
	for i, r := range rows {
		if r.itemed {
			wantAt = append(wantAt, i)
		}
	}
	if !reflect.DeepEqual(at, wantAt) {
		t.Fatalf("rows with items %v, want %v", at, wantAt)
	}
	if out.Len() != len(rows)+1 {
		t.Fatalf("Len %d, want %d", out.Len(), len(rows)+1)
	}
	// What judgeRow makes of each row, the whole item the table used to
	// keep, is what the table gives.
	var want []Item
	for i := range rows {
		var it Item
		m.judgeRow(&it, i, rowDigests(tab.Columns, tab.Entries[i].Sums), nil)
		it.Failure = it.Status != OK
		want = append(want, it)
	}
	want = append(want, Item{Name: "k", Status: Extra, Failure: true, ActualSize: ptr(int64(1)), Actual: digests(tab.Columns, sum("k"))})
	counts := map[Status]int{}
	for i, w := range want {
		counts[w.Status]++
		if got := out.At(i); !reflect.DeepEqual(got, w) {
			t.Errorf("At(%d) = %+v\nwant %+v", i, got, w)
		}
	}
	var got []Item
	for i, it := range out.All() {
		if i != len(got) {
			t.Fatalf("All yields index %d after %d items", i, len(got))
		}
		got = append(got, it)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("All:\n%+v\nwant\n%+v", got, want)
	}
	// AllButDigests: the same items, but an OK row's without digests;
	// an item kept whole keeps them, whatever its status.
	got = got[:0]
	for i, it := range out.AllButDigests() {
		if i != len(got) {
			t.Fatalf("AllButDigests yields index %d after %d items", i, len(got))
		}
		got = append(got, it)
	}
	brief := slices.Clone(want)
	for i := range brief {
		if i < len(rows) && !rows[i].itemed {
			brief[i].Expected, brief[i].Actual = nil, nil
		}
	}
	if !reflect.DeepEqual(got, brief) {
		t.Errorf("AllButDigests:\n%+v\nwant\n%+v", got, brief)
	}
	if brief[3].Expected == nil || brief[len(brief)-1].Actual == nil {
		t.Error("the items kept whole lost their digests in the test's own want")
	}
	if !reflect.DeepEqual(out.Counts, counts) {
		t.Errorf("counts %v, want %v", out.Counts, counts)
	}
	var findings []string
	for it := range out.Findings() {
		findings = append(findings, it.Name)
	}
	if w := []string{"b", "c", "e", "g", "h", "i", "j", "jb", "k"}; !reflect.DeepEqual(findings, w) {
		t.Errorf("findings %v, want %v", findings, w)
	}

	// An OK row given an item of its own to change keeps its place.
	c := out
	c.Items, c.at = append([]Item(nil), out.Items...), append([]int(nil), out.at...)
	it := c.rowItem(5)
	it.Status = Modified
	if c.At(5).Status != Modified || c.At(0).Status != OK || c.At(6).Name != "g" || c.Len() != out.Len() {
		t.Errorf("after rowItem(5): %v %v %v, Len %d", c.At(5).Status, c.At(0).Status, c.At(6).Name, c.Len())
	}

	// Expanded in place, where judge kept the room, and into new items
	// where it did not, alike.
	roomy := out
	roomy.Items, roomy.at = slices.Grow(slices.Clone(out.Items), out.Len()), slices.Clone(out.at)
	roomy.Expand()
	if roomy.rows != nil || !reflect.DeepEqual(roomy.Items, want) {
		t.Errorf("Expand in place: %+v", roomy.Items)
	}
	out.Items = slices.Clip(out.Items)
	out.Expand()
	if out.rows != nil || !reflect.DeepEqual(out.Items, want) {
		t.Errorf("Expand: %+v", out.Items)
	}
}

func ptr[T any](v T) *T { return &v }

// A reader's items come back from a RowsBuilder as they went in, item
// for item; only those okItem makes back exactly are kept as rows.
func TestRowsBuilderGivesBackItsItems(t *testing.T) {
	sha := func(s string) []Digest {
		h := sha256.Sum256([]byte(s))
		c, _ := checksum.ParseColumn("sha256")
		return []Digest{{Alg: "sha256", Hex: c.Encode(h[:])}}
	}
	ok := func(name string, line int, mode string) Item {
		d := sha(name)
		return Item{Name: name, Line: line, Status: OK, Size: 3, ActualSize: ptr(int64(3)), Expected: d, Actual: append([]Digest(nil), d...), Mode: mode, ActualMode: mode}
	}
	upper := ok("upper", 4, "0644")
	upper.Expected = []Digest{{Alg: "sha256", Hex: strings.ToUpper(upper.Expected[0].Hex)}}
	upper.Actual = upper.Expected
	emptyDiffers := ok("differs", 5, "0644")
	emptyDiffers.Differs = []string{}
	modified := ok("modified", 6, "0644")
	modified.Status, modified.Failure, modified.Actual, modified.Differs = Modified, true, sha("other"), []string{"sha256"}
	noMode := ok("nomode", 7, "") // the table's rows have a mode
	badMode := ok("badmode", 8, "644")
	// What a report's check of consistency refuses stays an item, for
	// it to refuse.
	sizeDiffers := ok("sizediffers", 8, "0644")
	sizeDiffers.ActualSize = ptr(int64(4))
	failing := ok("failing", 8, "0644")
	failing.Failure = true
	modeDiffers := ok("modediffers", 8, "0644")
	modeDiffers.ActualMode = "0600"
	// A row keeps its line in 32 bits: a line past them stays an item,
	// never a row whose line wrapped.
	farLine := ok("farline", 1<<31, "0644")
	items := []Item{
		ok("a", 1, "0644"), ok("b", 2, "0755"), ok("c", 3, "4755"),
		upper, emptyDiffers, modified, noMode, badMode, sizeDiffers, failing, modeDiffers,
		ok("d", 9, "0644"), farLine,
		{Name: "extra", Status: Extra, Failure: true, ActualSize: ptr(int64(1)), Actual: sha("x")},
		ok("after", 10, "0644"), // after the rows: kept as it is
	}
	b := NewRowsBuilder([]string{"sha256"})
	for _, it := range items {
		b.Add(it)
	}
	var tb Table
	b.Table(&tb)
	if tb.Len() != len(items) {
		t.Fatalf("Len %d, want %d", tb.Len(), len(items))
	}
	for i, it := range tb.All() {
		if !reflect.DeepEqual(it, items[i]) {
			t.Errorf("item %d:\n%+v\nwant\n%+v", i, it, items[i])
		}
		if at := tb.At(i); !reflect.DeepEqual(at, items[i]) {
			t.Errorf("At(%d):\n%+v\nwant\n%+v", i, at, items[i])
		}
	}
	var kept []string
	for _, it := range b.Items() {
		kept = append(kept, it.Name)
	}
	if w := []string{"upper", "differs", "modified", "nomode", "badmode", "sizediffers", "failing", "modediffers", "farline", "extra", "after"}; !reflect.DeepEqual(kept, w) {
		t.Errorf("kept as items %v, want %v", kept, w)
	}
	if n := tb.OKRows(); n != 4 {
		t.Errorf("%d rows kept as OK, want 4", n)
	}
	if NewRowsBuilder([]string{"sha256", "no-such-hash"}) != nil {
		t.Error("a builder for a column sverka does not know")
	}
}

// An item's mode is spelt as %04o spells it, which reports have always
// carried.
func TestModeText(t *testing.T) {
	for _, m := range []uint32{0, 1, 7, 8, 0o644, 0o777, 0o1000, 0o4755, 0o7777, 0o10000, 0o123456, 1 << 31} {
		if got, want := modeText(m), fmt.Sprintf("%04o", m); got != want {
			t.Errorf("modeText(%o) = %s, want %s", m, got, want)
		}
	}
}

// TestLargeFirst: in a table read in more than one stretch, the large
// rows go first, largest first, the rest in the table's order; of the
// rows a listing names, only those.
func TestLargeFirst(t *testing.T) {
	const mb = 1 << 20
	rows := []formular.Entry{{Size: 1}, {Size: 3 * mb}, {Size: 2}, {Size: 5 * mb}, {Size: formular.UnknownSize}, {Size: 3 * mb}, {Size: mb - 1}}
	for _, c := range []struct {
		idx  []int32
		want []int32
	}{
		{nil, []int32{3, 1, 5, 0, 2, 4, 6}},
		{[]int32{0, 1, 2, 6}, []int32{1, 0, 2, 6}},
		{[]int32{}, []int32{}},
	} {
		n := len(rows)
		if c.idx != nil {
			n = len(c.idx)
		}
		if got := largeFirst(rows, c.idx, n); !slices.Equal(got, c.want) {
			t.Errorf("largeFirst(%v) = %v, want %v", c.idx, got, c.want)
		}
	}
}

// A listed file found far longer than its row, not read, is MODIFIED by its
// size, with no digests to show and the detail saying why; its mode is
// still judged where the table lists modes.
func TestCompareFarLonger(t *testing.T) {
	col, err := checksum.ParseColumn("sha256")
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256([]byte("threads = 4\n"))
	e := formular.Entry{Path: "app.conf", Size: 12, Sums: h[:], Mode: 0o644}
	longer := checksum.Result{Err: &checksum.LongerError{Size: 1 << 40, Most: checksum.MostWorthReading(12)}}
	for _, tt := range []struct {
		hasMode    bool
		actualMode string
		differs    []string
	}{
		{false, "", []string{"size"}},
		{true, "0644", []string{"size"}},
		{true, "0755", []string{"size", "mode"}},
	} {
		tab := &formular.Table{Kind: formular.KindMedia, HasMode: tt.hasMode, Columns: []checksum.Column{col}}
		it := Item{Name: e.Path, Size: e.Size, Mode: "0644", ActualMode: tt.actualMode}
		compare(&it, tab, e, longer)
		if it.Status != Modified || !slices.Equal(it.Differs, tt.differs) || it.ActualSize == nil || *it.ActualSize != 1<<40 ||
			it.Actual != nil || it.DetailCode != DetailNotReadLonger {
			t.Errorf("mode column %v, %s found: %s %v size %v actual %v detail %s", tt.hasMode, tt.actualMode, it.Status, it.Differs, it.ActualSize, it.Actual, it.DetailCode)
		}
	}
}

// The most worth reading of one member is bounded by the largest row the
// tables list; a row of unknown size, or no row at all, leaves it
// unbounded (0), never bounded below a listed file.
func TestMostWorthReadingOfTables(t *testing.T) {
	rows := func(sizes ...int64) *formular.Table {
		tb := &formular.Table{Kind: formular.KindMedia}
		for _, s := range sizes {
			tb.Entries = append(tb.Entries, formular.Entry{Size: s})
		}
		return tb
	}
	for _, tt := range []struct {
		name   string
		tables []*formular.Table
		want   int64
	}{
		{"no table", nil, 0},
		{"a table of no rows", []*formular.Table{rows()}, 0},
		{"the largest of two tables", []*formular.Table{rows(10, 5<<20), rows(3 << 20)}, checksum.MostWorthReading(5 << 20)},
		{"only empty files", []*formular.Table{rows(0, 0)}, checksum.MostWorthReading(0)},
		{"a row of unknown size", []*formular.Table{rows(10, -1)}, 0},
	} {
		if got := mostWorthReading(tt.tables); got != tt.want {
			t.Errorf("%s: %d, want %d", tt.name, got, tt.want)
		}
	}
}
