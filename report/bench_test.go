package report

import (
	"io"
	"testing"
)

// The renderings of a 100,000-item report: each must stay well under two
// seconds.
func BenchmarkWriteJSON100k(b *testing.B) {
	r := bigReport(100_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteJSON(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteHTML100k(b *testing.B) {
	r := bigReport(100_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteHTML(io.Discard, r, "ru"); err != nil {
			b.Fatal(err)
		}
	}
}
