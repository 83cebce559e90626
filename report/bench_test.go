package report

import (
	"bytes"
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

// Reading a saved 100,000-item report back, schema validation included:
// the larger part of 'sverka report render'.
func BenchmarkReadJSON100k(b *testing.B) {
	var data bytes.Buffer
	if err := WriteJSON(&data, bigReport(100_000)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(data.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadJSON(data.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
}

// The check of a 100,000-item report against its own items: a small part
// of reading it.
func BenchmarkConsistent100k(b *testing.B) {
	r := bigReport(100_000)
	b.ReportAllocs()
	for b.Loop() {
		if err := consistent(r); err != nil {
			b.Fatal(err)
		}
	}
}

// Reading from a stream whose length is not known beforehand (a pipe,
// or a file read through a hasher that checks its signature).
func BenchmarkReadStream100k(b *testing.B) {
	var data bytes.Buffer
	if err := WriteJSON(&data, bigReport(100_000)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(data.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(struct{ io.Reader }{bytes.NewReader(data.Bytes())}); err != nil {
			b.Fatal(err)
		}
	}
}
