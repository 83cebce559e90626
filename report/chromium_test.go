package report

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// printPDF prints an HTML report to PDF with headless Chromium, or skips
// the test when Chromium or pdftotext is not installed.
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
	in := filepath.Join(dir, "report.html")
	out := filepath.Join(dir, "report.pdf")
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

func pdfText(t *testing.T, pdf string, page int) string {
	t.Helper()
	var args []string
	if page > 0 {
		args = append(args, "-f", strconv.Itoa(page), "-l", strconv.Itoa(page))
	}
	b, err := exec.Command("pdftotext", append(args, pdf, "-")...).Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(b)
}

func pdfPages(t *testing.T, pdf string) int {
	t.Helper()
	b, err := exec.Command("pdfinfo", pdf).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "Pages:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err == nil {
				return n
			}
		}
	}
	t.Fatalf("pdfinfo gives no page count:\n%s", b)
	return 0
}

func TestHTMLPrints(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteHTML(&b, fixedReport(), lang); err != nil {
				t.Fatal(err)
			}
			pdf := printPDF(t, b.Bytes())
			// A cell wraps a long name: compare with the lines joined.
			text := strings.Join(strings.Fields(pdfText(t, pdf, 0)), " ")
			title := map[string]string{"ru": "Протокол контроля целостности", "en": "Integrity check report"}[lang]
			verdict := map[string]string{"ru": "НЕ ВЫПОЛНЕНО", "en": "NOT HOLD"}[lang]
			for _, want := range []string{title, verdict, "Kaspersky Endpoint Security для Linux",
				"Руководство администратора.pdf", "Update.Threads"} {
				if !strings.Contains(text, want) {
					t.Errorf("the printed report lacks %q", want)
				}
			}
			n := pdfPages(t, pdf)
			page := map[string]string{"ru": "Стр. %d из %d", "en": "Page %d of %d"}[lang]
			for p := 1; p <= n; p++ {
				if want := fmt.Sprintf(page, p, n); !strings.Contains(pdfText(t, pdf, p), want) {
					t.Errorf("page %d is not numbered %q", p, want)
				}
			}
		})
	}
}

// A large kit prints to a sane number of pages, every page of the item
// list under its table header.
func TestHTMLPrintsLargeReport(t *testing.T) {
	if testing.Short() {
		t.Skip("prints 5,000 items")
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, bigReport(5000), "ru"); err != nil {
		t.Fatal(err)
	}
	pdf := printPDF(t, b.Bytes())
	n := pdfPages(t, pdf)
	if n < 50 || n > 400 {
		t.Fatalf("5,000 items print on %d pages", n)
	}
	listed := 0
	for p := 1; p <= n; p++ {
		text := pdfText(t, pdf, p)
		if !strings.Contains(text, "Файл-") {
			continue // not a page of the item list
		}
		listed++
		for _, h := range []string{"Имя", "Размер", "sha256", "gost12-256", "Статус"} {
			if !strings.Contains(text, h) {
				t.Errorf("page %d lists items without the header %q", p, h)
				break
			}
		}
	}
	if listed < n-3 {
		t.Errorf("only %d of %d pages list items", listed, n)
	}
	t.Logf("5,000 items: %d pages", n)
}

// A modules table checked against a whole system finds 20,000 files it
// does not list: the act still prints, on a few pages, its EXTRA files
// listed by directory.
func TestHTMLPrintsManyExtra(t *testing.T) {
	if testing.Short() {
		t.Skip("prints a 20,000-item report")
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, extraReport(20_000), "ru"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	pdf := printPDF(t, b.Bytes())
	n := pdfPages(t, pdf)
	if n > 40 {
		t.Errorf("20,000 EXTRA files in 100 directories print on %d pages", n)
	}
	text := strings.Join(strings.Fields(pdfText(t, pdf, 0)), " ")
	for _, want := range []string{"usr/share/doc/pkg-099/", "объектов: 200", "НЕ ВЫПОЛНЕНО"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed act lacks %q", want)
		}
	}
	t.Logf("20,000 EXTRA: %d bytes of HTML, %d pages, printed in %v", b.Len(), n, time.Since(start))
}

// Past ListOver items, the list of objects gives each directory's items by
// status: an act of 40,000 files prints, on a few pages, and says where
// each item is.
func TestHTMLPrintsManyObjects(t *testing.T) {
	if testing.Short() {
		t.Skip("prints a 40,000-item report")
	}
	var b bytes.Buffer
	if err := WriteHTML(&b, bigReport(40_000), "ru"); err != nil {
		t.Fatal(err)
	}
	if b.Len() > 1<<20 {
		t.Errorf("40,000 items make %d bytes of HTML", b.Len())
	}
	start := time.Now()
	pdf := printPDF(t, b.Bytes())
	n := pdfPages(t, pdf)
	if n > 60 {
		t.Errorf("40,000 items print on %d pages", n)
	}
	text := strings.Join(strings.Fields(pdfText(t, pdf, 0)), " ")
	for _, want := range []string{"перечислены по каталогам и статусам", "в протоколе JSON указан каждый"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed act lacks %q", want)
		}
	}
	t.Logf("40,000 items: %d bytes of HTML, %d pages, printed in %v", b.Len(), n, time.Since(start))
}

// An act rendered from a saved report names its SHA-256 and the signer's
// key on the first page and in the footer of every printed page.
func TestHTMLPrintsEvidenceOnEveryPage(t *testing.T) {
	sum := strings.Repeat("3f9a", 16)
	for _, lang := range []string{"ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			var b bytes.Buffer
			saved := &Saved{Path: "check.json", SHA256: sum, KeyID: "E7620F1842B4E81F"}
			if err := WriteHTMLOptions(&b, bigReport(400), HTMLOptions{Lang: lang, Saved: saved}); err != nil {
				t.Fatal(err)
			}
			pdf := printPDF(t, b.Bytes())
			n := pdfPages(t, pdf)
			if n < 3 {
				t.Fatalf("%d pages: too few to show a footer repeats", n)
			}
			key := map[string]string{"ru": "подписан ключом E7620F1842B4E81F", "en": "signed by key E7620F1842B4E81F"}[lang]
			for p := 1; p <= n; p++ {
				// A footer wraps: compare with the lines joined.
				text := strings.Join(strings.Fields(pdfText(t, pdf, p)), " ")
				if !strings.Contains(text, sum) || !strings.Contains(text, key) {
					t.Errorf("page %d of %d lacks the report's SHA-256 or key:\n%s", p, n, text)
				}
			}
			// The footer sits in the margin: every item still prints.
			all := pdfText(t, pdf, 0)
			for _, name := range []string{"Файл-000000.dat", "Файл-000199.dat", "Файл-000399.dat"} {
				if !strings.Contains(all, name) {
					t.Errorf("the printed act lacks %s", name)
				}
			}
			if c := strings.Count(all, sum); c < n+1 {
				t.Errorf("the SHA-256 is printed %d times on %d pages: not on the first page and in every footer", c, n)
			}
		})
	}
}
