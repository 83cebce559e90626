package main

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
)

// gcPercent reads the collector's setting without changing it.
func gcPercent() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

// TestParsedTunesLargeFilesOnly: a kit's list or table is parsed at the
// collector's setting, a large file (or standard input, whose size is
// not known) at the tighter one, restored after.
func TestParsedTunesLargeFilesOnly(t *testing.T) {
	t.Setenv("GOGC", "")
	dir := t.TempDir()
	small := filepath.Join(dir, "SHA256SUMS")
	if err := os.WriteFile(small, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	large := filepath.Join(dir, "big.formular")
	f, err := os.Create(large)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(bigParse); err != nil { // sparse: no bytes written
		t.Fatal(err)
	}
	f.Close()
	// A small file named "-" beside the list: "-" still means standard
	// input, whose size is not known.
	t.Chdir(dir)
	if err := os.WriteFile("-", []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := gcPercent()
	for _, c := range []struct {
		path string
		want int
	}{
		{small, before},
		{large, 20},
		{"-", 20},
		{filepath.Join(dir, "missing"), 20},
	} {
		during := -2
		parsed(c.path, func() { during = gcPercent() })
		if during != c.want {
			t.Errorf("%s: GOGC %d while parsed, want %d", filepath.Base(c.path), during, c.want)
		}
		if after := gcPercent(); after != before {
			t.Errorf("%s: GOGC %d after, want %d restored", filepath.Base(c.path), after, before)
		}
	}
}
