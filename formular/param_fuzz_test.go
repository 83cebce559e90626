package formular

import (
	"errors"
	"reflect"
	"slices"
	"testing"
)

// FuzzParam: a parameters row parses or is refused, never panics; a parsed
// row is written as the canonical writer writes it and reads back the same;
// and Check judges any observed value as the constraint says, with an
// error only where a range cannot read the value.
func FuzzParam(f *testing.F) {
	for _, s := range []struct{ row, actual string }{
		{"Scan.ScanArchives = yes  # 4.2", "yes"},
		{`"HKLM\SOFTWARE\a b\v" != ""`, ""},
		{`k in {"", none, "a, b"}`, "a, b"},
		{`k not in {x}`, "y"},
		{"k range -5..5", "-6"},
		{"k range 0..64M", "64MiB"},
		{"k range 30s..5m", "1h30m"},
		{"k range 1d..2d", "2d"},
		{`k matches /a\/b|c+/`, "a/b"},
		{"k present", ""},
		{"k absent #x", ""},
		{"#k = a#b", "a#b"},
	} {
		f.Add(s.row, s.actual)
	}
	rangeCodes := []string{CheckNotInteger, CheckNotSize, CheckSizeTooLarge, CheckNotDuration, CheckDurationNoUnit, CheckDurationTooLong}
	f.Fuzz(func(t *testing.T, row, actual string) {
		p, err := parseParam(row)
		if err != nil {
			return
		}
		line, err := paramLine(p)
		if err != nil {
			// Only texts the formular cannot hold are refused.
			return
		}
		q, err := parseParam(line)
		if err != nil {
			t.Fatalf("row %q written as %q, which does not parse: %v", row, line, err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("row %q written as %q reads back as %+v, not %+v", row, line, q, p)
		}
		for _, present := range []bool{true, false} {
			ok, allowed, err := p.Check(actual, present)
			if allowed != p.Constraint() {
				t.Fatalf("allowed %q, want %q", allowed, p.Constraint())
			}
			var want bool
			switch p.Op {
			case OpPresent:
				want = present
			case OpAbsent:
				want = !present
			case OpEq:
				want = present && actual == p.Values[0]
			case OpNe:
				want = present && actual != p.Values[0]
			case OpIn:
				want = present && slices.Contains(p.Values, actual)
			case OpNotIn:
				want = present && !slices.Contains(p.Values, actual)
			default:
				want = ok && present
			}
			if ok != want {
				t.Fatalf("%q: Check(%q, %v) = %v, want %v", row, actual, present, ok, want)
			}
			if err != nil {
				var ce *CheckError
				if ok || p.Op != OpRange || !errors.As(err, &ce) || !slices.Contains(rangeCodes, ce.Code) {
					t.Fatalf("%q: Check(%q, %v) = %v with error %v", row, actual, present, ok, err)
				}
			}
		}
	})
}

// FuzzParseConstraint: a constraint parses or is refused, never panics;
// a parsed one is written by Constraint and reads back the same.
func FuzzParseConstraint(f *testing.F) {
	for _, s := range []string{"= yes", `!= ""`, `in {"", none, "a, b"}`, "not in {x}", "range -5..5",
		"range 0..64M", `matches /a\/b|c+/`, "present", "absent", "absent # x", "", "in {", "range 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseConstraint(s)
		if err != nil {
			return
		}
		c := p.Constraint()
		q, err := ParseConstraint(c)
		if err != nil {
			t.Fatalf("constraint %q written as %q, which does not parse: %v", s, c, err)
		}
		if !reflect.DeepEqual(p, q) {
			t.Fatalf("constraint %q written as %q reads back as %+v, not %+v", s, c, q, p)
		}
	})
}
