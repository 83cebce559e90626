package report

import (
	"bytes"
	"io"
	"testing"
)

// TestTextColorOnlyEscapes: colour adds escape codes and nothing else,
// in every layout of the text rendering (header, counts, item columns).
func TestTextColorOnlyEscapes(t *testing.T) {
	for name, r := range map[string]*Report{"fixed": fixedReport(), "partial": partialReport(), "cannot": cannotReport()} {
		for _, lang := range []string{LangEn, LangRu} {
			opt := TextOptions{Lang: lang, Verbose: true}
			var plain, colored bytes.Buffer
			if err := WriteText(&plain, r, opt); err != nil {
				t.Fatal(err)
			}
			opt.Color = true
			if err := WriteText(&colored, r, opt); err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(colored.Bytes(), []byte("\x1b[")) {
				t.Errorf("%s %s: no escape codes with colour", name, lang)
			}
			if got := stripANSI(colored.String()); got != plain.String() {
				t.Errorf("%s %s: coloured text differs from plain text beyond the escape codes:\n%s",
					name, lang, firstDiff(plain.Bytes(), []byte(got)))
			}
		}
	}
}

// The terminal rendering of a 100,000-item report with every item listed
// (-v) and coloured: the most text it is asked to lay out.
func BenchmarkWriteText100k(b *testing.B) {
	r := bigReport(100_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteText(io.Discard, r, TextOptions{Lang: "ru", Color: true, Verbose: true}); err != nil {
			b.Fatal(err)
		}
	}
}
