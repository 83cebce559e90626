package formular

import (
	"maps"
	"slices"
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

// TestCheckErrorCodes: a value Check cannot judge says why by code and
// arguments, with the English sentence unchanged.
func TestCheckErrorCodes(t *testing.T) {
	cases := []struct {
		row, actual string
		code        string
		text        string
	}{
		{"A range 1..16", "lots", CheckNotInteger, `value "lots": not an integer`},
		{"A range 1..16", " 1 2", CheckNotInteger, `value " 1 2": not an integer`},
		{"A range 1M..2G", "big", CheckNotSize, `value "big": not a size (bytes, or a number with K, M, G or T)`},
		{"A range 1M..2G", "5bib", CheckNotSize, `value "5bib": not a size`},
		{"A range 1M..2G", "99999999999T", CheckSizeTooLarge, `value "99999999999T": size too large`},
		{"A range 1s..1h", "soon", CheckNotDuration, `value "soon": not a duration (such as 30s, 5m, 1h30m)`},
		{"A range 1s..1h", "30", CheckDurationNoUnit, `value "30": a duration needs a unit (ms, s, m, h, d)`},
		{"A range 1s..1h", "99999999999d", CheckDurationTooLong, `value "99999999999d": duration too long`},
	}
	for _, c := range cases {
		ok, _, err := param(t, c.row).Check(c.actual, true)
		ce, isCheck := err.(*CheckError)
		if ok || !isCheck {
			t.Errorf("%s on %q: ok %v, error %v (%T), want a CheckError", c.row, c.actual, ok, err, err)
			continue
		}
		if ce.Code != c.code || ce.Args["value"] != c.actual || len(ce.Args) != 1 {
			t.Errorf("%s on %q: code %s args %v, want %s with the value", c.row, c.actual, ce.Code, ce.Args, c.code)
		}
		if err.Error() != c.text {
			t.Errorf("%s on %q: %q, want %q", c.row, c.actual, err.Error(), c.text)
		}
		if !slices.Contains(CheckCodes(), ce.Code) {
			t.Errorf("CheckCodes lacks %s", ce.Code)
		}
	}
	// Rows the parser would not accept, built by hand.
	for _, c := range []struct {
		p    Param
		code string
		args map[string]string
	}{
		{Param{Key: "A", Op: OpEq}, CheckNeedsOneValue, map[string]string{"op": OpEq}},
		{Param{Key: "A", Op: "~"}, CheckUnknownOperator, map[string]string{"op": "~"}},
		{Param{Key: "A", Op: OpMatches, Pattern: "("}, CheckBadPattern, map[string]string{"pattern": "("}},
		{Param{Key: "A", Op: OpRange, Lo: "9", Hi: "1"}, CheckBadRange, map[string]string{"lo": "9", "hi": "1"}},
	} {
		_, _, err := c.p.Check("x", true)
		ce, isCheck := err.(*CheckError)
		if !isCheck || ce.Code != c.code || !maps.Equal(ce.Args, c.args) {
			t.Errorf("%+v: %v, want code %s args %v", c.p, err, c.code, c.args)
		}
	}
}

func TestParseConstraint(t *testing.T) {
	for _, c := range []struct {
		in      string
		op      string
		values  []string
		lo, hi  string
		pattern string
		bad     bool
	}{
		{in: "= no", op: OpEq, values: []string{"no"}},
		{in: `!= ""`, op: OpNe, values: []string{""}},
		{in: "in {KLServers, SCServer}", op: OpIn, values: []string{"KLServers", "SCServer"}},
		{in: "not in {a}", op: OpNotIn, values: []string{"a"}},
		{in: "range 1..16", op: OpRange, lo: "1", hi: "16"},
		{in: "matches /x+/", op: OpMatches, pattern: "x+"},
		{in: "present", op: OpPresent},
		{in: "absent", op: OpAbsent},
		{in: "absent # why", bad: true},
		{in: "range 1", bad: true},
		{in: "", bad: true},
		{in: "frobs 3", bad: true},
	} {
		p, err := ParseConstraint(c.in)
		if c.bad {
			if err == nil {
				t.Errorf("%q: parsed as %+v, want an error", c.in, p)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if p.Op != c.op || !slices.Equal(p.Values, c.values) || p.Lo != c.lo || p.Hi != c.hi || p.Pattern != c.pattern {
			t.Errorf("%q: parsed as %+v", c.in, p)
		}
	}
}
