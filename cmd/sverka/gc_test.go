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
// not known) at the tighter one; after, a file under bigTable leaves the
// default, any other the setting its caller asks for (tuneGC's for a
// formular, gcList for a list), whatever the file before left (a hash -c
// of a small list, then of a large one).
func TestParsedTunesLargeFilesOnly(t *testing.T) {
	t.Setenv("GOGC", "")
	dir := t.TempDir()
	small := filepath.Join(dir, "SHA256SUMS")
	if err := os.WriteFile(small, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sparse := func(name string, size int64) string {
		p := filepath.Join(dir, name)
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.Truncate(size); err != nil { // no bytes written
			t.Fatal(err)
		}
		return p
	}
	large := sparse("big.formular", bigParse)
	huge := sparse("huge.formular", bigTable)
	// A small file named "-" beside the list: "-" still means standard
	// input, whose size is not known.
	t.Chdir(dir)
	if err := os.WriteFile("-", []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	defer debug.SetGCPercent(gcPercent())
	debug.SetGCPercent(gcTight) // as tuneGC sets it
	for _, c := range []struct {
		path               string
		big, during, after int
	}{
		{small, gcTight, gcTight, 100},
		{huge, gcTight, 20, gcTight},
		{large, gcTight, 20, 100},
		{"-", gcTight, 20, gcTight},
		{small, gcTight, gcTight, 100},
		{filepath.Join(dir, "missing"), gcTight, 20, gcTight},
		{huge, gcList, 20, gcList}, // a large list
		{small, gcList, gcList, 100},
	} {
		during := -2
		parsed(c.path, c.big, func() { during = gcPercent() })
		if during != c.during {
			t.Errorf("%s: GOGC %d while parsed, want %d", filepath.Base(c.path), during, c.during)
		}
		if after := gcPercent(); after != c.after {
			t.Errorf("%s: GOGC %d after, want %d", filepath.Base(c.path), after, c.after)
		}
	}
}
