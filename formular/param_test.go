package formular

import (
	"strings"
	"testing"
)

// param parses one parameter row of an ini table.
func param(t *testing.T, row string) Param {
	t.Helper()
	f := mustParse(t, "sverka-formular 1\n[parameters format=ini]\n"+row+"\n")
	return f.Tables[0].Params[0]
}

func TestCheck(t *testing.T) {
	const absent = "\x00absent"
	cases := []struct {
		row    string
		actual string // absent: the key is not in the source
		ok     bool
		err    bool
	}{
		{"A = no", "no", true, false},
		{"A = no", "No", false, false},
		{"A = no", "no ", false, false},
		{"A = no", absent, false, false},
		{`A = ""`, "", true, false},
		{"A != 8", "9", true, false},
		{"A != 8", "8", false, false},
		{"A != 8", absent, false, false},
		{"A in {KLServers, SCServer}", "SCServer", true, false},
		{"A in {KLServers, SCServer}", "klservers", false, false},
		{`A in {"a, b", c}`, "a, b", true, false},
		{`A in {"a, b", c}`, "a", false, false},
		{"A not in {0, off}", "1", true, false},
		{"A not in {0, off}", "off", false, false},
		{"A not in {0, off}", absent, false, false},
		{"A range 1..16", "1", true, false},
		{"A range 1..16", "16", true, false},
		{"A range 1..16", "17", false, false},
		{"A range 1..16", "0", false, false},
		{"A range 1..16", " 8 ", true, false},
		{"A range 1..16", "eight", false, true},
		{"A range 1..16", "8.5", false, true},
		{"A range 1..16", absent, false, false},
		{"A range -5..5", "-5", true, false},
		{"A range -5..5", "-6", false, false},
		{"A range 64M..1G", "64M", true, false},
		{"A range 64M..1G", "67108864", true, false},
		{"A range 64M..1G", "67108863", false, false},
		{"A range 64M..1G", "65536K", true, false},
		{"A range 64M..1G", "64MB", true, false},
		{"A range 64M..1G", "64MiB", true, false},
		{"A range 64M..1G", "64m", true, false},
		{"A range 64M..1G", "1g", true, false},
		{"A range 64M..1G", "1025M", false, false},
		{"A range 64M..1G", "2T", false, false},
		{"A range 64M..1G", "lots", false, true},
		{"A range 64M..1G", "64X", false, true},
		{"A range 64M..1G", "99999999999T", false, true},
		{"A range 0..1K", "1024", true, false},
		{"A range 0..1K", "1025", false, false},
		{"A range 30s..5m", "30s", true, false},
		{"A range 30s..5m", "5m", true, false},
		{"A range 30s..5m", "1m30s", true, false},
		{"A range 30s..5m", "29999ms", false, false},
		{"A range 30s..5m", "5m1s", false, false},
		{"A range 30s..5m", "300", false, true},
		{"A range 30s..5m", "0", false, false},
		{"A range 30s..5m", "soon", false, true},
		{"A range 1h..2d", "2d", true, false},
		{"A range 1h..2d", "49h", false, false},
		{"A range 1h..2d", "90m", true, false},
		{"A range 500ms..1s", "750ms", true, false},
		{"A matches /[a-z]+/", "abc", true, false},
		{"A matches /[a-z]+/", "abc1", false, false},
		{"A matches /[a-z]+/", "xabc\n", false, false},
		{"A matches /a|b/", "ab", false, false},
		{"A matches /a|b/", "b", true, false},
		{`A matches /https:\/\/x\.ru\/.*/`, "https://x.ru/path", true, false},
		{`A matches /https:\/\/x\.ru\/.*/`, "http://x.ru/path", false, false},
		{"A matches /.*/", absent, false, false},
		{"A present", "", true, false},
		{"A present", absent, false, false},
		{"A absent", absent, true, false},
		{"A absent", "", false, false},
	}
	for _, c := range cases {
		p := param(t, c.row)
		present := c.actual != absent
		actual := c.actual
		if !present {
			actual = ""
		}
		ok, allowed, err := p.Check(actual, present)
		if ok != c.ok || (err != nil) != c.err {
			t.Errorf("%s with %q (present %v) = %v, %v; want %v, error %v", c.row, actual, present, ok, err, c.ok, c.err)
		}
		if want := strings.TrimPrefix(c.row, "A "); allowed != want {
			t.Errorf("%s: allowed %q, want %q", c.row, allowed, want)
		}
	}
}

func TestParamRows(t *testing.T) {
	cases := []struct {
		row  string
		want Param
		// canonical spelling, if the row is not
		canon string
	}{
		{row: "A = no", want: Param{Key: "A", Op: OpEq, Values: []string{"no"}}},
		{row: "A   =   no   #   why not  ", want: Param{Key: "A", Op: OpEq, Values: []string{"no"}, Note: "why not"}, canon: "A = no  # why not"},
		{row: "A in {a,b ,  c}", want: Param{Key: "A", Op: OpIn, Values: []string{"a", "b", "c"}}, canon: "A in {a, b, c}"},
		{row: "A not in {a}", want: Param{Key: "A", Op: OpNotIn, Values: []string{"a"}}},
		{row: "A not  in {a}", want: Param{Key: "A", Op: OpNotIn, Values: []string{"a"}}, canon: "A not in {a}"},
		{row: `"a b" = "x\"y"`, want: Param{Key: "a b", Op: OpEq, Values: []string{`x"y`}}},
		{row: `A = "{braces}"`, want: Param{Key: "A", Op: OpEq, Values: []string{"{braces}"}}},
		{row: `A = "#hash"`, want: Param{Key: "A", Op: OpEq, Values: []string{"#hash"}}},
		{row: `A = "[x"`, want: Param{Key: "A", Op: OpEq, Values: []string{"[x"}}},
		{row: `A = "plain"`, want: Param{Key: "A", Op: OpEq, Values: []string{"plain"}}, canon: "A = plain"},
		{row: "A range 1..16 # 4.3", want: Param{Key: "A", Op: OpRange, Lo: "1", Hi: "16", Note: "4.3"}, canon: "A range 1..16  # 4.3"},
		{row: `A matches /a\/b #c/  # note`, want: Param{Key: "A", Op: OpMatches, Pattern: `a\/b #c`, Note: "note"}},
		{row: "A present  # #2", want: Param{Key: "A", Op: OpPresent, Note: "#2"}},
		{row: "A absent", want: Param{Key: "A", Op: OpAbsent}},
		{row: "/a/b@c\\d present", want: Param{Key: "/a/b@c\\d", Op: OpPresent}},
	}
	for _, c := range cases {
		p := param(t, c.row)
		p.Line = 0
		w := c.want
		if p.Key != w.Key || p.Op != w.Op || strings.Join(p.Values, "\x00") != strings.Join(w.Values, "\x00") ||
			p.Lo != w.Lo || p.Hi != w.Hi || p.Pattern != w.Pattern || p.Note != w.Note {
			t.Errorf("%q parsed as %+v, want %+v", c.row, p, w)
		}
		canon := c.canon
		if canon == "" {
			canon = c.row
		}
		line, err := paramLine(p)
		if err != nil || line != canon {
			t.Errorf("%q written as %q (%v), want %q", c.row, line, err, canon)
		}
	}
}
