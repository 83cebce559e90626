package main

import (
	"bytes"
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/internal/fleettest"
)

// syncBuffer is a buffer a server goroutine writes while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func plantedStore(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "fleet.db")
	st, err := fleet.Open(context.Background(), db, fleet.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	at := time.Now().Add(-time.Hour).Round(time.Second)
	for _, h := range []fleettest.Host{{ID: "db-1", Name: "db-1", At: at}, {ID: "web-1", Name: "web-1", At: at, Broken: true}} {
		if _, err := st.Ingest(context.Background(), h.ID+".json", fleettest.Report(t, h)); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

// fleet serve listens where it is told, says where, serves the store, and
// ends without error when its context is cancelled (the signal).
func TestFleetServe(t *testing.T) {
	db := plantedStore(t)
	for _, c := range []struct {
		listen  string
		exposed bool
	}{{"127.0.0.1:0", false}, {"0.0.0.0:0", true}} {
		var stderr syncBuffer
		cl := &cli{stdout: &bytes.Buffer{}, stderr: &stderr}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- runFleetServe(ctx, cl, &fleetServeOpts{storeFlags: storeFlags{db: db}, listen: c.listen, period: "7d", warnBefore: "90d", lang: "en"}, nil)
		}()
		var addr string
		for deadline := time.Now().Add(10 * time.Second); addr == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if m := regexp.MustCompile(`on http://\S*:(\d+)/`).FindStringSubmatch(stderr.String()); m != nil {
				addr = "127.0.0.1:" + m[1]
			}
		}
		if addr == "" {
			cancel()
			t.Fatalf("%s: fleet serve does not say where it listens:\n%s", c.listen, stderr.String())
		}
		res, err := http.Get("http://" + addr + "/hosts?state=nothold")
		if err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		body.ReadFrom(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(body.String(), "web-1") || strings.Contains(body.String(), ">db-1<") {
			t.Errorf("%s: GET /hosts?state=nothold: %d\n%s", c.listen, res.StatusCode, body.String())
		}
		if warned := strings.Contains(stderr.String(), "which other machines can reach"); warned != c.exposed {
			t.Errorf("%s: warned of exposure: %v, want %v\n%s", c.listen, warned, c.exposed, stderr.String())
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("%s: %v", c.listen, err)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: fleet serve does not stop when cancelled", c.listen)
		}
	}
}

func TestRedactErr(t *testing.T) {
	dsn := "postgres://sverka:s3cret@db.example/fleet"
	if p := dsnPassword(dsn); p != "s3cret" {
		t.Errorf("dsnPassword = %q", p)
	}
	for _, d := range []string{"postgresql://sverka@db.example/fleet", "/var/lib/sverka/fleet.db", "file:s3cret.db"} {
		if p := dsnPassword(d); p != "" {
			t.Errorf("dsnPassword(%q) = %q, want none", d, p)
		}
	}
	err := redactErr(errorString("connect postgres://sverka:s3cret@db.example: refused"), dsn)
	if strings.Contains(err.Error(), "s3cret") || !strings.Contains(err.Error(), "xxxxx") {
		t.Errorf("the password reaches the message: %v", err)
	}
}

type errorString string

func (e errorString) Error() string { return string(e) }
