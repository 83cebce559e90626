package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/internal/fleettest"
)

// push posts body to the collector h with token and returns the status
// and the JSON answer.
func push(t *testing.T, h http.Handler, token string, body []byte) (int, IngestAnswer) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, IngestPath, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	var a IngestAnswer
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatalf("answer %d is not JSON: %v\n%s", rec.Code, err, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	return rec.Code, a
}

// The endpoint takes a host's own reports once each, and refuses what is
// not: no token, an unknown or revoked one, another host's report, one
// too large, one that disagrees with itself.
func TestIngestEndpoint(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "fleet.db")
	st, err := fleet.Open(ctx, db, fleet.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	tokA, _, err := st.AddToken(ctx, "host-a", now)
	if err != nil {
		t.Fatal(err)
	}
	tokB, _, err := st.AddToken(ctx, "host-b", now)
	if err != nil {
		t.Fatal(err)
	}
	dash, err := New(st, Config{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	h := Collector(dash, NewIngest(st, IngestConfig{MaxReport: 1 << 20, Now: func() time.Time { return now }}))
	a := fleettest.Report(t, fleettest.Host{ID: "host-a", Name: "a", At: now.Add(-time.Hour)})

	code, ans := push(t, h, tokA, a)
	if code != http.StatusCreated || !ans.New || ans.CheckID == 0 || ans.HostID != "host-a" || ans.Verdict != "HOLDS" {
		t.Fatalf("a new report: %d %+v", code, ans)
	}
	if code, ans2 := push(t, h, tokA, a); code != http.StatusOK || ans2.New || ans2.Status != "already stored" || ans2.CheckID != ans.CheckID {
		t.Errorf("the same report again: %d %+v", code, ans2)
	}
	forged := bytes.Replace(a, []byte(`"verdict": "HOLDS"`), []byte(`"verdict": "NOT HOLD"`), 1)
	if bytes.Equal(forged, a) {
		t.Fatal("the report has no verdict to forge")
	}
	for _, c := range []struct {
		name, token string
		body        []byte
		code        int
		says        string
	}{
		{"no token", "", a, 401, "no bearer token"},
		{"unknown token", strings.Repeat("A", 43), a, 401, "unknown or revoked"},
		{"another host's token", tokB, a, 403, "of host host-a; this token is of host host-b"},
		{"too large", tokA, bytes.Repeat([]byte(" "), 1<<20+1), 413, "more than"},
		{"not a report", tokA, []byte(`{"schema":"x"}`), 422, "report refused"},
		{"edited", tokA, forged, 422, "verdict"},
	} {
		code, ans := push(t, h, c.token, c.body)
		if code != c.code || !strings.Contains(ans.Error, c.says) {
			t.Errorf("%s: %d %q, want %d saying %q", c.name, code, ans.Error, c.code, c.says)
		}
	}
	if err := st.RevokeToken(ctx, "host-a"); err != nil {
		t.Fatal(err)
	}
	if code, ans := push(t, h, tokA, a); code != 401 {
		t.Errorf("a revoked token: %d %+v", code, ans)
	}
	if hs, err := st.History(ctx, "host-a"); err != nil || len(hs) != 1 {
		t.Errorf("host-a has %d checks, want 1 (%v)", len(hs), err)
	}
	if hs, _ := st.History(ctx, "host-b"); len(hs) != 0 {
		t.Errorf("host-b has %d checks from refused pushes", len(hs))
	}

	// Only POST; the pages stay as they were.
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, IngestPath, nil))
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "POST" {
		t.Errorf("GET %s: %d", IngestPath, rec.Code)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/hosts", nil))
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "host-a") {
		t.Errorf("GET /hosts: %d", rec.Code)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/hosts", nil))
	if rec.Code == 200 {
		t.Errorf("POST /hosts: %d", rec.Code)
	}
}

// Without --ingest there is no endpoint: 404, and nothing stored.
func TestNoIngestEndpoint(t *testing.T) {
	p := plant(t)
	s := p.server(t, nil)
	h := Collector(s, nil)
	code, ans := push(t, h, "x", p.reports["db-1"])
	if code != http.StatusNotFound || !strings.Contains(ans.Error, "--ingest") {
		t.Errorf("POST without --ingest: %d %+v", code, ans)
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"64MiB": 64 << 20, "64M": 64 << 20, "64mb": 64 << 20, "512k": 512 << 10, "1048576": 1 << 20,
		"2GiB": 2 << 30, " 1 KiB ": 1 << 10, "10b": 10,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MiB", "0", "-5MiB", "64TiB", "1.5MiB", "64 MiBs", "99999999999999999999", "9999999999GiB"} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, got)
		}
	}
}

func FuzzParseSize(f *testing.F) {
	for _, s := range []string{"64MiB", "1", "9223372036854775807", "4611686018427387904k", "-1g"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseSize(s)
		if err == nil && n <= 0 {
			t.Errorf("ParseSize(%q) = %d without an error", s, n)
		}
	})
}
