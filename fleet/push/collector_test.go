package push

import (
	"bytes"
	"context"
	"errors"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/fleet/web"
	"github.com/sverka/sverka/internal/fleettest"
	"github.com/sverka/sverka/internal/pgtest"
)

// pg is the package's throwaway PostgreSQL server, started by the first
// test that needs it.
var pg pgtest.Shared

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// The hosts that push, and how many reports each sends.
var pushers = []string{"host-a", "host-b"}

const perHost = 500

var t0 = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// reports are real reports of the pushers, perHost each, every one a
// check of its own a minute after the last; made once for all tests.
var (
	reportsOnce sync.Once
	reports     map[string][][]byte
)

func fleetReports(t *testing.T) map[string][][]byte {
	t.Helper()
	reportsOnce.Do(func() {
		reports = map[string][][]byte{}
		for _, h := range pushers {
			for i := range perHost {
				reports[h] = append(reports[h], fleettest.Report(t, fleettest.Host{ID: h, Name: h, At: t0.Add(time.Duration(i) * time.Minute)}))
			}
		}
	})
	if reports == nil {
		t.Fatal("no reports")
	}
	return reports
}

// collector is a real collector (fleet serve --ingest's handler) on a
// listener of 127.0.0.1, over a store, with a token per pusher.
type collector struct {
	st     *fleet.Store
	srv    *httptest.Server
	tokens map[string]string
}

func startCollector(t *testing.T, dsn string, ln net.Listener) *collector {
	t.Helper()
	ctx := context.Background()
	st, err := fleet.Open(ctx, dsn, fleet.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	c := &collector{st: st, tokens: map[string]string{}}
	for _, h := range append(pushers, "host-c") {
		if c.tokens[h], _, err = st.AddToken(ctx, h, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	dash, err := web.New(st, web.Config{})
	if err != nil {
		t.Fatal(err)
	}
	c.srv = httptest.NewUnstartedServer(web.Collector(dash, web.NewIngest(st, web.IngestConfig{MaxReport: 1 << 20})))
	if ln != nil {
		c.srv.Listener.Close()
		c.srv.Listener = ln
	}
	c.srv.Start()
	t.Cleanup(c.srv.Close)
	return c
}

func (c *collector) client(t *testing.T, host string) *Client {
	t.Helper()
	cl, err := New(c.srv.URL, c.tokens[host], "")
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

func backends(t *testing.T) map[string]func(t *testing.T) string {
	return map[string]func(t *testing.T) string{
		"sqlite": func(t *testing.T) string { return filepath.Join(t.TempDir(), "fleet.db") },
		"postgres": func(t *testing.T) string {
			dsn, err := pg.Get(t).NewDatabase(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			return dsn
		},
	}
}

// Two hosts push 500 reports each at once: every one is stored, once,
// whatever the store; pushed again, nothing is doubled.
func TestConcurrentPushers(t *testing.T) {
	if testing.Short() {
		t.Skip("1000 pushes")
	}
	reps := fleetReports(t)
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			col := startCollector(t, dsn(t), nil)
			var wg sync.WaitGroup
			errs := make(chan error, len(pushers))
			ids := make([][]int64, len(pushers))
			start := time.Now()
			for i, h := range pushers {
				cl := col.client(t, h)
				spool := Spool{Dir: filepath.Join(t.TempDir(), "spool")}
				wg.Add(1)
				go func() {
					defer wg.Done()
					for _, r := range reps[h] {
						d, err := Deliver(ctx, cl, spool, r, time.Now())
						switch {
						case err != nil:
							errs <- err
							return
						case d.Sent == nil || !d.Sent.New:
							errs <- errors.New(h + ": a report not stored as new")
							return
						}
						ids[i] = append(ids[i], d.Sent.CheckID)
					}
				}()
			}
			wg.Wait()
			took := time.Since(start)
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			n := len(pushers) * perHost
			t.Logf("%s: %d reports pushed by %d hosts at once in %v: %.0f reports/s (GOMAXPROCS %d)",
				name, n, len(pushers), took.Round(time.Millisecond), float64(n)/took.Seconds(), runtime.GOMAXPROCS(0))

			seen := map[int64]bool{}
			for _, l := range ids {
				for _, id := range l {
					if seen[id] {
						t.Fatalf("check %d answered twice", id)
					}
					seen[id] = true
				}
			}
			checks, err := col.st.Checks(ctx, fleet.Filter{}, t0.Add(-time.Hour), t0.Add(perHost*time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if len(checks) != n {
				t.Fatalf("the store has %d checks, want %d", len(checks), n)
			}
			for _, h := range pushers {
				if hs, _ := col.st.History(ctx, h); len(hs) != perHost {
					t.Errorf("%s: %d checks, want %d", h, len(hs), perHost)
				}
			}

			// The same reports again: each answered "already stored".
			cl := col.client(t, "host-a")
			for _, r := range reps["host-a"][:20] {
				if s, err := cl.Send(ctx, r); err != nil || s.New || s.Status != "already stored" {
					t.Fatalf("pushed again: %+v, %v", s, err)
				}
			}
			if checks, _ := col.st.Checks(ctx, fleet.Filter{}, t0.Add(-time.Hour), t0.Add(perHost*time.Minute)); len(checks) != n {
				t.Errorf("after pushing again the store has %d checks, want %d", len(checks), n)
			}
		})
	}
}

// The collector refuses what a host must not push, and stores nothing
// of it: too large (413), no token (401), another host's report (403),
// a revoked token (401).
func TestCollectorRefuses(t *testing.T) {
	ctx := context.Background()
	rep := fleettest.Report(t, fleettest.Host{ID: "host-a", Name: "host-a", At: t0})
	for name, dsn := range backends(t) {
		t.Run(name, func(t *testing.T) {
			col := startCollector(t, dsn(t), nil)
			noToken, err := New(col.srv.URL, "", "")
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				what   string
				cl     *Client
				report []byte
				code   int
			}{
				{"oversize", col.client(t, "host-a"), append(bytes.Repeat([]byte(" "), 1<<20), rep...), 413},
				{"unauthenticated", noToken, rep, 401},
				{"another host's token", col.client(t, "host-b"), rep, 403},
			} {
				_, err := c.cl.Send(ctx, c.report)
				var rej *RejectedError
				if !errors.As(err, &rej) || rej.Status != c.code {
					t.Errorf("%s: %v, want refused with %d", c.what, err, c.code)
				}
			}
			cl := col.client(t, "host-a")
			if err := col.st.RevokeToken(ctx, "host-a"); err != nil {
				t.Fatal(err)
			}
			var rej *RejectedError
			if _, err := cl.Send(ctx, rep); !errors.As(err, &rej) || rej.Status != 401 {
				t.Errorf("revoked token: %v, want refused with 401", err)
			}
			if hs, _ := col.st.History(ctx, "host-a"); len(hs) != 0 {
				t.Errorf("%d checks stored from refused pushes", len(hs))
			}

			// Through Deliver, a refused report is set aside in
			// rejected/, not kept for the next run.
			spool := Spool{Dir: filepath.Join(t.TempDir(), "spool")}
			d, err := Deliver(ctx, cl, spool, rep, time.Now())
			if err != nil || len(d.Rejected) != 1 || d.Sent != nil || d.Spooled != "" {
				t.Fatalf("Deliver with a revoked token: %+v, %v", d, err)
			}
			if p, _ := spool.Pending(); len(p) != 0 {
				t.Errorf("a refused report waits in the spool: %v", p)
			}
			if data, err := os.ReadFile(d.Rejected[0].Path); err != nil || !bytes.Equal(data, rep) {
				t.Errorf("the refused report is not kept whole in %s: %v", d.Rejected[0].Path, err)
			}
		})
	}
}

// While the collector is down the reports wait in the spool; the next
// run, the collector up, sends them first, oldest first, then its own,
// and empties the spool.
func TestCollectorDown(t *testing.T) {
	ctx := context.Background()
	// An address nobody listens on: taken, then let go.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	tok := "not-yet-known"
	down, err := New("http://"+addr, tok, "")
	if err != nil {
		t.Fatal(err)
	}
	spool := Spool{Dir: filepath.Join(dir, "spool")}
	var reps [][]byte
	for i := range 4 {
		reps = append(reps, fleettest.Report(t, fleettest.Host{ID: "host-c", Name: "host-c", At: t0.Add(time.Duration(i) * time.Hour)}))
	}
	for i, r := range reps[:3] {
		d, err := Deliver(ctx, down, spool, r, t0.Add(time.Duration(i)*time.Second))
		var un *UnreachableError
		if err != nil || d.Spooled == "" || d.Unreachable == nil || !errors.As(d.Unreachable, &un) || d.Waiting != i+1 {
			t.Fatalf("push %d to a collector that is down: %+v, %v", i, d, err)
		}
	}
	// The collector comes up on that address.
	ln, err = net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("the address %s was taken meanwhile: %v", addr, err)
	}
	col := startCollector(t, filepath.Join(dir, "fleet.db"), ln)
	up := col.client(t, "host-c")
	d, err := Deliver(ctx, up, spool, reps[3], t0.Add(time.Hour))
	if err != nil || len(d.Flushed) != 3 || d.Sent == nil || d.Spooled != "" {
		t.Fatalf("the next run: %+v, %v", d, err)
	}
	for i, s := range d.Flushed {
		if i > 0 && s.CheckID <= d.Flushed[i-1].CheckID {
			t.Errorf("the spool was not sent oldest first: %+v", d.Flushed)
		}
	}
	if p, _ := spool.Pending(); len(p) != 0 {
		t.Errorf("the spool still holds %v", p)
	}
	hs, err := col.st.History(ctx, "host-c")
	if err != nil || len(hs) != 4 {
		t.Fatalf("host-c has %d checks, want 4 (%v)", len(hs), err)
	}
	for i, c := range hs { // newest first
		if want := t0.Add(time.Duration(3-i) * time.Hour); !c.Time.Equal(want) {
			t.Errorf("check %d at %v, want %v", i, c.Time, want)
		}
	}
}

// A 5xx keeps the report for later, as a collector down does.
func TestCollectorFailing(t *testing.T) {
	ctx := context.Background()
	col := startCollector(t, filepath.Join(t.TempDir(), "fleet.db"), nil)
	// The store closed under the collector: every push is a 500.
	col.st.Close()
	spool := Spool{Dir: filepath.Join(t.TempDir(), "spool")}
	rep := fleettest.Report(t, fleettest.Host{ID: "host-a", Name: "host-a", At: t0})
	d, err := Deliver(ctx, col.client(t, "host-a"), spool, rep, time.Now())
	if err != nil || d.Spooled == "" || d.Unreachable == nil || d.Unreachable.Status != 500 {
		t.Fatalf("a collector answering 500: %+v, %v", d, err)
	}
}
