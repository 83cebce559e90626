package fleet

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// day0 is when the test fleet's history begins.
var day0 = time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)

func at(days int, hours ...int) time.Time {
	t := day0.AddDate(0, 0, days)
	for _, h := range hours {
		t = t.Add(time.Duration(h) * time.Hour)
	}
	return t
}

// backend is a store the tests run against, and how to open more of it.
type backend struct {
	name string
	dsn  func(t *testing.T) string // a new, empty store
}

func sqliteBackend() backend {
	return backend{"sqlite", func(t *testing.T) string { return filepath.Join(t.TempDir(), "fleet.db") }}
}

// eachBackend runs f against SQLite and PostgreSQL.
func eachBackend(t *testing.T, f func(t *testing.T, b backend)) {
	for _, b := range backends(t) {
		t.Run(b.name, func(t *testing.T) { f(t, b) })
	}
}

// newStore opens a new store of b, closed at the end of the test.
func newStore(t *testing.T, b backend) *Store {
	t.Helper()
	s, err := Open(context.Background(), b.dsn(t), Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func ingest(t *testing.T, s *Store, rs ...rep) []Ingested {
	t.Helper()
	var ins []Ingested
	for _, r := range rs {
		in, err := s.Ingest(context.Background(), r.host, makeReport(t, r))
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in)
	}
	return ins
}

func TestIngestStatus(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := newStore(t, b)
		ingest(t, s,
			rep{host: "a", groups: []string{"msk"}, at: at(0), verdict: Holds},
			rep{host: "a", groups: []string{"msk"}, at: at(1), verdict: NotHold},
			rep{host: "b", groups: []string{"spb"}, at: at(0), verdict: Holds},
			rep{host: "c", at: at(-20), verdict: Holds},
		)
		hs, err := s.Status(ctx, Filter{}, at(2), DefaultPeriod)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, h := range hs {
			got[h.HostID] = h.State
		}
		want := map[string]string{"a": NotHold, "b": Holds, "c": Overdue}
		if len(got) != len(want) || got["a"] != want["a"] || got["b"] != want["b"] || got["c"] != want["c"] {
			t.Fatalf("status %v, want %v", got, want)
		}
		if hs[0].Broken == nil || hs[0].Broken.LastHolds == nil || !hs[0].Broken.LastHolds.Time.Equal(at(0)) || !hs[0].Broken.FirstNotHold.Time.Equal(at(1)) {
			t.Fatalf("a broken %+v", hs[0].Broken)
		}
		if !reportsCarryGroups(t) {
			return
		}
		hs, err = s.Status(ctx, Filter{Groups: []string{"spb"}}, at(2), DefaultPeriod)
		if err != nil || len(hs) != 1 || hs[0].HostID != "b" {
			t.Fatalf("group spb: %v %v", hs, err)
		}
	})
}
