package fleet

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

// history is a small fleet: a broke after a CANNOT CHECK, b broke and was
// repaired, c never held, d holds, e held every day.
func history(t *testing.T, s *Store) map[string][]Ingested {
	ins := map[string][]Ingested{}
	for _, r := range []rep{
		{host: "a", at: at(0), verdict: Holds},
		{host: "a", at: at(1), verdict: CannotCheck},
		{host: "a", at: at(2), verdict: NotHold, tamper: "x"},
		{host: "a", at: at(3), verdict: NotHold, tamper: "x"},
		{host: "b", at: at(0), verdict: Holds},
		{host: "b", at: at(1), verdict: NotHold, tamper: "x"},
		{host: "b", at: at(2), verdict: Holds},
		{host: "c", at: at(3), verdict: NotHold, tamper: "x"},
		{host: "d", at: at(3), verdict: Holds},
		{host: "e", at: at(0), verdict: Holds},
		{host: "e", at: at(1), verdict: Holds},
		{host: "e", at: at(2), verdict: Holds},
		{host: "e", at: at(3), verdict: Holds},
	} {
		ins[r.host] = append(ins[r.host], ingest(t, s, r)...)
	}
	return ins
}

func hostsOf(ivs []Interval) []string {
	var hs []string
	for _, iv := range ivs {
		hs = append(hs, iv.HostID)
	}
	return hs
}

func TestAnswers(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := newStore(t, b)
		ins := history(t, s)
		now := at(3, 1)

		since, err := s.Since(ctx, Filter{})
		if err != nil || !slices.Equal(hostsOf(since), []string{"a", "c"}) {
			t.Fatalf("since: %v %v", hostsOf(since), err)
		}
		a := since[0]
		if a.LastHolds == nil || a.LastHolds.ID != ins["a"][0].CheckID || a.FirstNotHold.ID != ins["a"][2].CheckID ||
			len(a.CannotCheck) != 1 || a.CannotCheck[0].ID != ins["a"][1].CheckID || a.Repaired != nil {
			t.Fatalf("a's interval: %+v", a)
		}
		if c := since[1]; c.LastHolds != nil || !c.FirstNotHold.Time.Equal(at(3)) {
			t.Fatalf("c's interval: %+v", c)
		}

		ivs, err := s.Intervals(ctx, Filter{}, at(0), at(5))
		if err != nil || !slices.Equal(hostsOf(ivs), []string{"b", "a", "c"}) || ivs[0].Repaired == nil || !ivs[0].Repaired.Time.Equal(at(2)) {
			t.Fatalf("intervals: %v %v", hostsOf(ivs), err)
		}
		ivs, err = s.Intervals(ctx, Filter{}, at(2, 1), at(5))
		if err != nil || !slices.Equal(hostsOf(ivs), []string{"a", "c"}) {
			t.Fatalf("intervals after b's repair: %v %v", hostsOf(ivs), err)
		}

		st, err := s.Status(ctx, Filter{State: NotHold}, now, DefaultPeriod)
		if err != nil || len(st) != 2 || st[0].HostID != "a" || st[0].Broken == nil || st[1].HostID != "c" {
			t.Fatalf("status NOT HOLD: %+v %v", st, err)
		}
		st, err = s.Status(ctx, Filter{}, at(12), DefaultPeriod)
		if err != nil || len(st) != 5 || st[1].HostID != "b" || st[1].State != Overdue || st[1].Broken != nil {
			t.Fatalf("status late: %+v %v", st, err)
		}

		fc, err := s.Findings(ctx, Filter{})
		if err != nil || len(fc) != 1 || fc[0].Name != "README.txt" || fc[0].Hosts != 2 || fc[0].Actual == "" ||
			!slices.Equal(fc[0].HostIDs, []string{"a", "c"}) {
			t.Fatalf("findings: %+v %v", fc, err)
		}
		if fc, err := s.Findings(ctx, Filter{HostID: "b"}); err != nil || len(fc) != 0 {
			t.Fatalf("findings of b: %+v %v", fc, err)
		}
		if _, err := s.Findings(ctx, Filter{State: Overdue}); err == nil {
			t.Fatal("findings filtered by OVERDUE")
		}

		cs, err := s.Checks(ctx, Filter{}, at(1), at(2))
		if err != nil || len(cs) != 6 || !cs[0].Time.Equal(at(1)) || !cs[5].Time.Equal(at(2)) {
			t.Fatalf("checks: %d %v", len(cs), err)
		}
		hist, err := s.History(ctx, "a")
		if err != nil || len(hist) != 4 || hist[0].Verdict != NotHold || hist[3].Verdict != Holds {
			t.Fatalf("history: %+v %v", hist, err)
		}
		if _, err := s.History(ctx, "zz"); !errors.Is(err, ErrNotFound) {
			t.Fatalf("history of no host: %v", err)
		}

		days, err := s.Trend(ctx, Filter{}, at(0), at(3), DefaultPeriod)
		want := []Day{{Holds: 3}, {Holds: 1, NotHold: 1, CannotCheck: 1}, {Holds: 2, NotHold: 1}, {Holds: 3, NotHold: 2}}
		if err != nil || len(days) != len(want) {
			t.Fatalf("trend: %+v %v", days, err)
		}
		for i := range want {
			want[i].Date = time.Date(2026, 11, 2+i, 0, 0, 0, 0, time.UTC)
			if days[i] != want[i] {
				t.Errorf("trend day %d: %+v, want %+v", i, days[i], want[i])
			}
		}

		v, err := s.Values(ctx)
		if err != nil || !slices.Equal(v.Products, []string{"Демо-агент сверки"}) || len(v.Formulars) != 1 {
			t.Fatalf("values: %+v %v", v, err)
		}
	})
}

func TestPrune(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := newStore(t, b)
		ins := history(t, s)
		before, err := s.Since(ctx, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.Prune(ctx, 24*time.Hour, at(3, 1))
		// e's checks of days 1 and 2 repeat HOLDS; everything else is a
		// transition, a last check or an end of a broken interval.
		if err != nil || p.Checks != 2 || p.Evidence != 2 {
			t.Fatalf("pruned %+v %v", p, err)
		}
		for i, want := range []bool{true, false, false, true} {
			_, err := s.Evidence(ctx, ins["e"][i].CheckID)
			if (err == nil) != want {
				t.Errorf("e's check %d: evidence %v", i, err)
			}
		}
		after, err := s.Since(ctx, Filter{})
		if err != nil || len(after) != len(before) {
			t.Fatalf("since after prune: %v %v", hostsOf(after), err)
		}
		if got, want := ends(after), ends(before); !slices.Equal(got, want) {
			t.Errorf("since changed by prune: %v → %v", want, got)
		}
		if p, err := s.Prune(ctx, 24*time.Hour, at(3, 1)); err != nil || p != (Pruned{}) {
			t.Fatalf("pruned again: %+v %v", p, err)
		}
	})
}

// ends are intervals as host, last HOLDS and first NOT HOLD.
func ends(ivs []Interval) []string {
	var ss []string
	for _, iv := range ivs {
		last := int64(0)
		if iv.LastHolds != nil {
			last = iv.LastHolds.ID
		}
		ss = append(ss, fmt.Sprintf("%s:%d>%d", iv.HostID, last, iv.FirstNotHold.ID))
	}
	return ss
}
