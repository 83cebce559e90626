package act

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// printPDF prints an HTML act to PDF with headless Chromium, or skips the
// test when Chromium or poppler-utils are not installed.
func printPDF(t *testing.T, html []byte) string {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed")
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	dir := t.TempDir()
	in, out := filepath.Join(dir, "act.html"), filepath.Join(dir, "act.pdf")
	if err := os.WriteFile(in, html, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir="+filepath.Join(dir, "profile"), "--no-pdf-header-footer",
		"--print-to-pdf="+out, in)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chromium: %v\n%s", err, b)
	}
	return out
}

// The act prints on A4, every page numbered, the Russian text there
// (not replaced by boxes), wide digests within the page.
func TestPrintsOnA4(t *testing.T) {
	a := fixedAct()
	// Enough hosts for several pages.
	for i := range 120 {
		h := a.Hosts[i%4]
		h.HostID += "-" + strings.Repeat("x", i%7)
		a.Hosts = append(a.Hosts, h)
	}
	a.Totals = totals(a.Hosts)
	var b bytes.Buffer
	if err := WriteHTML(&b, a, "ru"); err != nil {
		t.Fatal(err)
	}
	pdf := printPDF(t, b.Bytes())
	info, err := exec.Command("pdfinfo", pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	if !strings.Contains(string(info), "(A4)") {
		t.Errorf("the act does not print on A4:\n%s", info)
	}
	if strings.Contains(string(info), "Pages:           1\n") {
		t.Errorf("125 hosts print on one page:\n%s", info)
	}
	// pdftotext -layout keeps a line that overflows the page wider than
	// the others; the text is compared with the lines joined.
	raw, err := exec.Command("pdftotext", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	text := strings.Join(strings.Fields(string(raw)), " ")
	for _, want := range []string{"Сводный протокол контроля целостности", "Период: с 1 ноября 2026 по 30 ноября 2026 включительно",
		"НЕ ВЫПОЛНЕНО", "Проверку провёл:", "Стр. 1 из", "старый-1"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed act lacks %q", want)
		}
	}
	// Nothing is cut at the right edge: the box of every word lies
	// within the A4 width (595 pt).
	bbox, err := exec.Command("pdftotext", "-bbox", pdf, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext -bbox: %v", err)
	}
	for _, line := range strings.Split(string(bbox), "\n") {
		i := strings.Index(line, `xMax="`)
		if i < 0 {
			continue
		}
		var x float64
		if _, err := fmtSscan(line[i+6:], &x); err == nil && x > 595 {
			t.Errorf("a word ends past the page's right edge: %s", line)
			break
		}
	}
}

func fmtSscan(s string, x *float64) (int, error) {
	end := strings.IndexByte(s, '"')
	if end < 0 {
		end = len(s)
	}
	return fmt.Sscan(s[:end], x)
}
