package fleet

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// pts makes points of one host from verdict letters: H, N, C, one a day.
func pts(host, verdicts string, firstID int64) []point {
	var ps []point
	for i, v := range verdicts {
		p := point{host: host, id: firstID + int64(i), at: int64(i+1) * int64(24*time.Hour)}
		switch v {
		case 'H':
			p.verdict = Holds
		case 'N':
			p.verdict = NotHold
		case 'C':
			p.verdict = CannotCheck
		}
		ps = append(ps, p)
	}
	return ps
}

func spanText(sps []span) string {
	var parts []string
	for _, s := range sps {
		parts = append(parts, fmt.Sprintf("%s:%d>%d..%d>%d%v", s.host, s.lastHolds, s.first, s.lastNotHold, s.repaired, s.cannot))
	}
	return strings.Join(parts, " ")
}

func TestSpans(t *testing.T) {
	for _, tc := range []struct {
		verdicts, want string
	}{
		{"HHH", ""},
		{"N", "a:0>1..1>0[]"},
		{"HN", "a:1>2..2>0[]"},
		{"HNNH", "a:1>2..3>4[]"},
		{"HCCN", "a:1>4..4>0[2 3]"},            // CANNOT CHECK before the break is listed
		{"HNCH", "a:1>2..2>4[]"},               // and after it neither ends nor lists
		{"HCH", ""},                            // nor starts one
		{"HNHNN", "a:1>2..2>3[] a:3>4..5>0[]"}, // broken twice
		{"CN", "a:0>2..2>0[1]"},
	} {
		got := spanText(spans(pts("a", tc.verdicts, 1)))
		if got != tc.want {
			t.Errorf("%s: %s, want %s", tc.verdicts, got, tc.want)
		}
	}
	// Hosts do not run into each other.
	got := spanText(spans(append(pts("a", "HN", 1), pts("b", "HH", 3)...)))
	if got != "a:1>2..2>0[]" {
		t.Errorf("two hosts: %s", got)
	}
}

func TestPrunable(t *testing.T) {
	day := int64(24 * time.Hour)
	for _, tc := range []struct {
		verdicts string
		cutoff   int64 // in days
		want     []int64
	}{
		{"HHHHH", 10, []int64{2, 3, 4}},    // first and last kept
		{"HHHHH", 3, []int64{2, 3}},        // only before the cutoff
		{"HHHNNNNH", 10, []int64{2, 5, 6}}, // last HOLDS before the break, first and last NOT HOLD, the repair
		{"HHCCHH", 10, []int64{2, 4}},      // transitions to and from CANNOT CHECK
		{"NNNN", 10, []int64{2, 3}},
	} {
		got := prunable(pts("a", tc.verdicts, 1), tc.cutoff*day+1)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s before day %d: drops %v, want %v", tc.verdicts, tc.cutoff, got, tc.want)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"7d", 7 * 24 * time.Hour, ""},
		{"36h", 36 * time.Hour, ""},
		{"2w", 14 * 24 * time.Hour, ""},
		{" 90d ", 90 * 24 * time.Hour, ""},
		{"", 0, "expected a number and a unit"},
		{"d", 0, "expected a number and a unit"},
		{"30m", 30 * time.Minute, ""},
		{"77", 0, "expected a number and a unit"},
		{"7s", 0, "expected a number and a unit"},
		{"0d", 0, "at least 1m"},
		{"-1d", 0, "expected a number and a unit"},
		{"1.5d", 0, "whole number"},
		{"99999999999w", 0, "ten years"},
		{"40000w", 0, "ten years"},
	} {
		got, err := ParsePeriod(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: %v, %v; want error %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q: %v, %v; want %v", tc.in, got, err, tc.want)
		}
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"7d", "36h", "2w", "0d", "9999999999h", "1.5d", "дн"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParsePeriod(s)
		if err == nil && (d <= 0 || d > 100*366*24*time.Hour) {
			t.Fatalf("%q: %v", s, d)
		}
		if err != nil && !strings.Contains(err.Error(), "period") {
			t.Fatalf("%q: error does not say what: %v", s, err)
		}
	})
}

func TestSQLiteURI(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"fleet.db", "file:fleet.db"},
		{"/var/lib/sverka/fleet.db", "file:///var/lib/sverka/fleet.db"},
		{"a?b#c%d.db", "file:a%3Fb%23c%25d.db"},
	} {
		if got := sqliteURI(tc.in); got != tc.want {
			t.Errorf("%q: %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestCounts(t *testing.T) {
	m := map[string]int{"OK": 3, "MODIFIED": 1, "NOT HOLD": 2}
	// A status with a space would not read back: statuses have none.
	delete(m, "NOT HOLD")
	if s := countsText(m); s != "MODIFIED=1 OK=3" {
		t.Fatalf("%q", s)
	}
	if got := countsOf("MODIFIED=1 OK=3 junk =x"); len(got) != 2 || got["OK"] != 3 || got["MODIFIED"] != 1 {
		t.Fatalf("%v", got)
	}
}
