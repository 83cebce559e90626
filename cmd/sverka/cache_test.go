package main

import (
	"io/fs"
	"os"
	"path/filepath"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/internal/testkit"
)

// evict is the testscript command 'evict PATH...': each file, or every
// file under each directory, dropped from the page cache. Scripts using it
// begin with [!pagecache] skip.
func evict(ts *testscript.TestScript, neg bool, args []string) {
	for _, p := range scriptFiles(ts, args) {
		ts.Check(testkit.Evict(p))
		if c, _, err := checksum.Cached(p); err != nil || c != 0 {
			ts.Fatalf("%s: %d bytes still in the page cache (%v)", p, c, err)
		}
	}
}

// pageCacheDroppable is the script condition pagecache: a file in the
// temporary directory, where scripts run, can be dropped from the page
// cache and asked about (not on tmpfs, nor off Linux).
func pageCacheDroppable() bool {
	f, err := os.CreateTemp("", "pagecache")
	if err != nil {
		return false
	}
	defer os.Remove(f.Name())
	_, err = f.Write(make([]byte, 1<<16))
	f.Close()
	if err != nil || testkit.Evict(f.Name()) != nil {
		return false
	}
	c, _, err := checksum.Cached(f.Name())
	return err == nil && c == 0
}

// cached is the testscript command 'cached none|all PATH...': none of
// each file (or of every file under each directory) is in the page cache,
// or all of it is. Linux only.
func cached(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 || (args[0] != "none" && args[0] != "all") {
		ts.Fatalf("usage: cached none|all PATH...")
	}
	for _, p := range scriptFiles(ts, args[1:]) {
		c, size, err := checksum.Cached(p)
		ts.Check(err)
		if args[0] == "none" && c != 0 || args[0] == "all" && c != size {
			ts.Fatalf("%s: %d of %d bytes in the page cache, want %s", p, c, size, args[0])
		}
	}
}

// scriptFiles are the regular files args name, directories walked.
func scriptFiles(ts *testscript.TestScript, args []string) []string {
	var files []string
	for _, a := range args {
		err := filepath.WalkDir(ts.MkAbs(a), func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.Type().IsRegular() {
				files = append(files, p)
			}
			return err
		})
		ts.Check(err)
	}
	return files
}
