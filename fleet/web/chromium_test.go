package web

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromium runs headless Chromium with args on url and returns its
// standard output, or skips the test when Chromium is not installed.
func chromium(t *testing.T, dir string, args ...string) string {
	t.Helper()
	bin, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
		"--user-data-dir=" + filepath.Join(dir, "profile")}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v", args, err)
	}
	return string(out)
}

// The pages load in a real browser, show the numbers, and their rendered
// DOM points to no other origin. (Headless Chromium needs scripts on to
// dump or shoot a page; the pages carry none, and their policy forbids
// any: TestSecurityHeaders.) Screenshots of the
// fleet page and a host page are kept in $SVERKA_SCREENSHOTS when set.
func TestChromiumPages(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	p := plant(t)
	ts := httptest.NewServer(p.server(t, nil))
	defer ts.Close()
	dir := t.TempDir()
	shots := os.Getenv("SVERKA_SCREENSHOTS")
	if shots == "" {
		shots = dir
	}
	// A link or source is the server's own when it is relative to it.
	external := regexp.MustCompile(`(?i)(src|href|action|xlink:href)\s*=\s*"(https?:|//|[a-z][a-z0-9+.-]*:)[^"]*"`)
	for _, c := range []struct {
		path, shot string
		want       []string
	}{
		{"/?lang=ru", "fleet.png", []string{`id="n-holds">3<`, `id="n-nothold">1<`, `id="n-cannot">1<`, `id="n-overdue">1<`, `id="n-cert">1<`, "осталось 30 дн."}},
		{"/hosts/web-1?lang=ru", "host.png", []string{"История проверок", "НЕ ВЫПОЛНЕНО", "Нарушено с"}},
		{"/hosts?state=nothold&lang=en", "hosts.png", []string{"web-1", "NOT HOLD", "Broken since"}},
		{"/findings?lang=ru", "findings.png", []string{"bin/agent", "изменён"}},
	} {
		dom := chromium(t, dir, "--dump-dom", ts.URL+c.path)
		for _, w := range c.want {
			if !strings.Contains(dom, w) {
				t.Errorf("%s: the rendered page lacks %q", c.path, w)
			}
		}
		if m := external.FindString(dom); m != "" {
			t.Errorf("%s: the rendered page points elsewhere: %s", c.path, m)
		}
		shot := filepath.Join(shots, c.shot)
		chromium(t, dir, "--window-size=1280,1400", "--screenshot="+shot, ts.URL+c.path)
		if fi, err := os.Stat(shot); err != nil || fi.Size() < 10_000 {
			t.Errorf("%s: no screenshot (%v)", c.path, err)
		}
	}
}
