package push

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestParseToken(t *testing.T) {
	for in, want := range map[string]string{
		"abc-DEF_123\n":                "abc-DEF_123",
		"abc\r\n":                      "abc",
		"YWJj+/==":                     "YWJj+/==",
		"tok\n\n":                      "tok",
		strings.Repeat("A", 43) + "\n": strings.Repeat("A", 43),
	} {
		if got, err := parseToken("t", []byte(in)); err != nil || got != want {
			t.Errorf("parseToken(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "\n", "a b", "tok\nX-Evil: 1", "tok\x00", "токен", " tok"} {
		if got, err := parseToken("t", []byte(in)); err == nil {
			t.Errorf("parseToken(%q) = %q, want an error", in, got)
		}
	}
}

func FuzzParseToken(f *testing.F) {
	for _, s := range []string{"abc\n", "a b", "tok\r\nX: y", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tok, err := parseToken("t", data)
		if err != nil {
			return
		}
		if tok == "" || strings.ContainsAny(tok, " \t\r\n:") {
			t.Errorf("parseToken(%q) = %q", data, tok)
		}
	})
}

// A token file others may read is refused, naming it; one only its
// owner reads is taken.
func TestReadToken(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "host.token")
	if err := os.WriteFile(p, []byte("secret-token\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if tok, err := ReadToken(p); err != nil || tok != "secret-token" {
		t.Fatalf("ReadToken = %q, %v", tok, err)
	}
	if runtime.GOOS != "windows" {
		for _, mode := range []os.FileMode{0o640, 0o604, 0o620} {
			os.Chmod(p, mode)
			if _, err := ReadToken(p); err == nil || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "chmod 600") {
				t.Errorf("mode %04o: %v", mode, err)
			}
		}
	}
	if _, err := ReadToken(filepath.Join(dir, "none")); err == nil || !strings.Contains(err.Error(), "none") {
		t.Errorf("a missing file: %v", err)
	}
	if _, err := ReadToken(dir); err == nil {
		t.Error("a directory taken for a token file")
	}
}

func TestNewURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://collector.example":            "https://collector.example" + Path,
		"https://collector.example:8443/":      "https://collector.example:8443" + Path,
		"https://c.example/sverka/api/reports": "https://c.example/sverka/api/reports",
		"http://127.0.0.1:8080":                "http://127.0.0.1:8080" + Path,
		"http://localhost:8080":                "http://localhost:8080" + Path,
		"http://[::1]:8080":                    "http://[::1]:8080" + Path,
	} {
		c, err := New(in, "t", "")
		if err != nil || c.URL() != want {
			t.Errorf("New(%q): %v, %v; want %s", in, c, err, want)
			continue
		}
	}
	for in, says := range map[string]string{
		"http://collector.example": "in the clear",
		"http://10.0.0.1:8080":     "in the clear",
		"ftp://collector.example":  "https://",
		"collector.example":        "https://",
		"https://u:p@c.example":    "https://",
		"https://c.example/?a=b":   "https://",
	} {
		if _, err := New(in, "t", ""); err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("New(%q): %v, want an error saying %q", in, err, says)
		}
	}
	ca := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(ca, []byte("not a certificate"), 0o644)
	if _, err := New("https://c.example", "t", ca); err == nil || !strings.Contains(err.Error(), "--ca "+ca) {
		t.Errorf("a CA file without a certificate: %v", err)
	}
}

// Send tells a report taken from one refused (not to be sent again) and
// from a collector that could not take it (to be sent again).
func TestSendAnswers(t *testing.T) {
	var auth atomic.Value
	code := atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth.Store(r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		c := int(code.Load())
		w.WriteHeader(c)
		switch {
		case c < 300:
			fmt.Fprint(w, `{"check_id":7,"host_id":"h","verdict":"HOLDS","new":true,"status":"stored"}`)
		case c == 302:
		default:
			fmt.Fprintf(w, `{"error":"reason \u001b[31m %d"}`, c)
		}
	}))
	defer srv.Close()
	c, err := New(srv.URL, "tok", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, cc := range []struct {
		code int
		want string // sent, rejected or unreachable
	}{{201, "sent"}, {200, "sent"}, {401, "rejected"}, {403, "rejected"}, {413, "rejected"}, {422, "rejected"}, {302, "rejected"},
		{500, "unreachable"}, {503, "unreachable"}, {429, "unreachable"}, {408, "unreachable"}} {
		code.Store(int32(cc.code))
		sent, err := c.Send(context.Background(), []byte("{}"))
		var rej *RejectedError
		var un *UnreachableError
		got := "sent"
		switch {
		case errors.As(err, &rej):
			got = "rejected"
			if rej.Status != cc.code || (cc.code != 302 && !strings.Contains(rej.Error(), `reason \x1b[31m`)) {
				t.Errorf("%d: %v", cc.code, err)
			}
		case errors.As(err, &un):
			got = "unreachable"
		case err != nil:
			got = err.Error()
		case sent.CheckID != 7:
			t.Errorf("%d: %+v", cc.code, sent)
		}
		if got != cc.want {
			t.Errorf("%d: %s, want %s", cc.code, got, cc.want)
		}
	}
	if a, _ := auth.Load().(string); a != "Bearer tok" {
		t.Errorf("Authorization: %q", a)
	}
	// A 200 that is not a collector's answer is not taken for one.
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "<html>portal</html>") }))
	defer plain.Close()
	c2, _ := New(plain.URL, "tok", "")
	var un *UnreachableError
	if _, err := c2.Send(context.Background(), []byte("{}")); !errors.As(err, &un) {
		t.Errorf("a 200 without a check: %v", err)
	}
}

// The spool gives its reports oldest first, ignores files being written
// and other names.
func TestSpoolOrder(t *testing.T) {
	s := Spool{Dir: filepath.Join(t.TempDir(), "spool")}
	if p, err := s.Pending(); err != nil || len(p) != 0 {
		t.Fatalf("a spool not made yet: %v, %v", p, err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var want []string
	for i, at := range []time.Time{t0, t0.Add(time.Second), t0.Add(10 * time.Hour), t0.Add(1000 * time.Hour)} {
		p, err := s.Put([]byte(fmt.Sprintf(`{"n":%d}`, i)), at)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, p)
		if fi, _ := os.Stat(p); runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v", p, fi.Mode().Perm())
		}
	}
	os.WriteFile(filepath.Join(s.Dir, ".x.json.tmp-1"), nil, 0o600)
	os.WriteFile(filepath.Join(s.Dir, "notes.txt"), nil, 0o600)
	got, err := s.Pending()
	if err != nil || strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("Pending = %v, %v\nwant %v", got, err, want)
	}
}
