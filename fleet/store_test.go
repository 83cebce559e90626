package fleet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
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
		// A report that comes late does not replace the host's latest.
		ingest(t, s, rep{host: "x", at: at(1, 5), verdict: Holds}, rep{host: "x", at: at(1), verdict: NotHold})
		hs, err = s.Status(ctx, Filter{HostID: "x"}, at(2), DefaultPeriod)
		if err != nil || len(hs) != 1 || hs[0].State != Holds || !hs[0].Last.Time.Equal(at(1, 5)) {
			t.Fatalf("late report: %+v %v", hs, err)
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

func TestIngestOnceAndRefused(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := newStore(t, b)
		data := makeReport(t, rep{host: "a", at: at(0), verdict: NotHold})
		in1, err := s.Ingest(ctx, "a.json", data)
		if err != nil || !in1.New || in1.HostID != "a" || in1.Verdict != NotHold {
			t.Fatalf("first ingest: %+v %v", in1, err)
		}
		in2, err := s.Ingest(ctx, "a.json", data)
		if err != nil || in2.New || in2.CheckID != in1.CheckID {
			t.Fatalf("second ingest: %+v %v", in2, err)
		}
		// A report edited to say HOLDS disagrees with its items.
		forged := bytes.Replace(data, []byte(`"verdict": "NOT HOLD"`), []byte(`"verdict": "HOLDS"`), 1)
		if bytes.Equal(forged, data) {
			t.Fatal("the test did not forge the verdict")
		}
		_, err = s.Ingest(ctx, "forged.json", forged)
		var re *RefusedError
		if !errors.As(err, &re) || !strings.Contains(err.Error(), "forged.json") {
			t.Fatalf("forged report: %v", err)
		}
		for _, bad := range [][]byte{nil, []byte("{}"), []byte("not json"), data[:len(data)/2]} {
			if _, err := s.Ingest(ctx, "bad.json", bad); !errors.As(err, &re) {
				t.Errorf("%.20q: %v, want refused", bad, err)
			}
		}
		cs, err := s.History(ctx, "a")
		if err != nil || len(cs) != 1 {
			t.Fatalf("history after refusals: %d checks, %v", len(cs), err)
		}
		ev, err := s.Evidence(ctx, in1.CheckID)
		if err != nil || !bytes.Equal(ev, data) {
			t.Fatalf("evidence differs from the report ingested (%v)", err)
		}
		fs, err := s.CheckFindings(ctx, in1.CheckID)
		if err != nil || len(fs) != 1 || fs[0].Name != "README.txt" || fs[0].Status != "MODIFIED" || !fs[0].Failure ||
			!strings.HasPrefix(fs[0].Expected, "sha256:63b32c0d") || !strings.HasPrefix(fs[0].Actual, "sha256:") {
			t.Fatalf("findings %+v %v", fs, err)
		}
		c := cs[0]
		if c.Product != "Демо-агент сверки" || c.Version != "1.0.0.42" || c.ValidUntil.Format(time.DateOnly) != "2099-12-31" ||
			c.Findings != 1 || c.Counts["MODIFIED"] != 1 || c.Counts["OK"] != 3 || len(c.Checked) != 1 || c.Checked[0] != "media" ||
			!c.Time.Equal(at(0)) || c.ReportSHA256 != sha256Hex(data) {
			t.Fatalf("check %+v", c)
		}
	})
}

func TestIngestVersion1(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		data, err := os.ReadFile(filepath.Join("..", "report", "testdata", "report-v1.json"))
		if err != nil {
			t.Fatal(err)
		}
		s := newStore(t, b)
		in, err := s.Ingest(context.Background(), "v1.json", data)
		if err != nil || in.HostID != "host-1" || in.Verdict != NotHold {
			t.Fatalf("%+v %v", in, err)
		}
		c, err := s.Check(context.Background(), in.CheckID)
		if err != nil || c.Hostname != "host-1" || len(c.Groups) != 0 || c.Certificate != "4068" {
			t.Fatalf("%+v %v", c, err)
		}
	})
}

// countingCtx is cancelled at the n-th time anything asks whether it is.
// database/sql asks from goroutines of its own too: the count is atomic,
// and the channel closed once.
type countingCtx struct {
	context.Context
	n     int64
	calls atomic.Int64
	done  chan struct{}
}

func (c *countingCtx) tick() {
	if c.calls.Add(1) == c.n {
		close(c.done)
	}
}

func (c *countingCtx) Done() <-chan struct{} { c.tick(); return c.done }

func (c *countingCtx) Err() error {
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}

// TestIngestCancelled cancels an ingest at every step it takes: the
// store holds the check whole, or nothing of it.
func TestIngestCancelled(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		s := newStore(t, b)
		data := makeReport(t, rep{host: "a", at: at(0), verdict: NotHold})
		for n := 1; ; n++ {
			ctx := &countingCtx{Context: context.Background(), n: int64(n), done: make(chan struct{})}
			in, err := s.Ingest(ctx, "a.json", data)
			var rows, findings, evidence int
			for _, q := range []struct {
				n *int
				q string
			}{{&rows, "SELECT COUNT(*) FROM checks"}, {&findings, "SELECT COUNT(*) FROM findings"}, {&evidence, "SELECT COUNT(*) FROM evidence"}} {
				if err := s.db.QueryRow(q.q).Scan(q.n); err != nil {
					t.Fatal(err)
				}
			}
			if err != nil {
				if rows+findings+evidence != 0 {
					t.Fatalf("cancelled at step %d (%v): %d checks, %d findings, %d evidence left", n, err, rows, findings, evidence)
				}
				continue
			}
			if !in.New || rows != 1 || findings != 1 || evidence != 1 {
				t.Fatalf("step %d: %+v: %d checks, %d findings, %d evidence", n, in, rows, findings, evidence)
			}
			if n < 3 {
				t.Fatalf("the ingest never looked at its context")
			}
			return
		}
	})
}

// IngestEach prepares reports at once but stores and reports them in
// their order: refused ones named, a repeat stored once, and a done that
// fails stops it with what was stored before whole.
func TestIngestEach(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := newStore(t, b)
		var reports [][]byte
		for i := range 12 {
			v := Holds
			if i%4 == 3 {
				v = NotHold
			}
			reports = append(reports, makeReport(t, rep{host: fmt.Sprintf("h%02d", i), at: at(i), verdict: v}))
		}
		reports[5] = []byte("not a report")
		reports[9] = reports[2] // the same report again
		var order []int
		var refused []int
		err := s.IngestEach(ctx, len(reports), 4,
			func(i int) (string, []byte, error) {
				if i == 7 {
					return "", nil, &RefusedError{Name: "r7", Err: errors.New("no signature")}
				}
				return fmt.Sprintf("r%d", i), reports[i], nil
			},
			func(i int, in Ingested, err error) error {
				order = append(order, i)
				var re *RefusedError
				switch {
				case errors.As(err, &re):
					refused = append(refused, i)
				case err != nil:
					return err
				case i == 9 && in.New:
					t.Errorf("report 9 repeats report 2 and was stored anew")
				}
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		if b.name == "postgres" {
			// The batch's commits skip the wait for the disk, each within
			// its own transaction only: any later commit on the store's
			// connections (a pushed report) waits as the server is set to.
			for range 3 {
				var source string
				err := s.db.QueryRowContext(ctx, `SELECT source FROM pg_settings
					WHERE name = 'synchronous_commit'`).Scan(&source)
				if err != nil || source == "session" {
					t.Fatalf("synchronous_commit after a batch set by %q (%v), want the server's setting", source, err)
				}
			}
		}
		if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}; !slices.Equal(order, want) {
			t.Errorf("done called in order %v, want %v", order, want)
		}
		if !slices.Equal(refused, []int{5, 7}) {
			t.Errorf("refused %v, want [5 7]", refused)
		}
		st, err := s.Status(ctx, Filter{}, at(12), DefaultPeriod)
		if err != nil || len(st) != 9 {
			t.Fatalf("%d hosts stored, want 9 (12 less a refused, a signature refused, a repeat): %v", len(st), err)
		}

		// A done that fails stops the ingest: nothing after it is stored.
		s2 := newStore(t, b)
		stop := errors.New("stop")
		err = s2.IngestEach(ctx, 4, 2,
			func(i int) (string, []byte, error) { return fmt.Sprintf("r%d", i), reports[i], nil },
			func(i int, in Ingested, err error) error {
				if i == 1 {
					return stop
				}
				return err
			})
		if !errors.Is(err, stop) {
			t.Fatalf("IngestEach = %v, want the error done returned", err)
		}
		if st, err := s2.Status(ctx, Filter{}, at(12), DefaultPeriod); err != nil || len(st) != 2 {
			t.Fatalf("%d hosts stored after the stop, want 2 (the first two): %v", len(st), err)
		}
	})
}
