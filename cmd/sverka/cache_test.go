package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

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

// keepsCached is the testscript command 'keepscached FILE PROG ARGS...':
// FILE read into the page cache, PROG run as exec runs it (its output
// left for the lines after), and FILE still wholly cached after. A kernel
// that pages idle memory out on its own (a DAMON pageout scheme) may take
// a page of FILE between the read and PROG's look at it, or after it:
// not PROG's doing. There the three steps are tried again, up to five
// times; a PROG that drops what was cached before it fails every time.
func keepsCached(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: keepscached FILE PROG ARGS...")
	}
	p := ts.MkAbs(args[0])
	tries := 1
	if damonPageout() {
		tries = 5
	}
	for try := 1; ; try++ {
		_, err := os.ReadFile(p)
		ts.Check(err)
		ts.Check(ts.Exec(args[1], args[2:]...))
		c, size, err := checksum.Cached(p)
		ts.Check(err)
		if c == size {
			return
		}
		if try == tries {
			ts.Fatalf("%s: %d of %d bytes in the page cache after %s, want all (tried %d times)", args[0], c, size, args[1], tries)
		}
		ts.Logf("%s: %d of %d bytes in the page cache after %s; the kernel pages memory out by itself here: again", args[0], c, size, args[1])
	}
}

// damonPageout says whether a DAMON context of the kernel is on with a
// scheme that pages memory out: such a kernel drops pages of the page
// cache it finds idle, whatever a command does.
func damonPageout() bool {
	states, _ := filepath.Glob("/sys/kernel/mm/damon/admin/kdamonds/*/state")
	for _, st := range states {
		if b, err := os.ReadFile(st); err != nil || strings.TrimSpace(string(b)) != "on" {
			continue
		}
		actions, _ := filepath.Glob(filepath.Join(filepath.Dir(st), "contexts", "*", "schemes", "*", "action"))
		for _, a := range actions {
			if b, err := os.ReadFile(a); err == nil && strings.TrimSpace(string(b)) == "pageout" {
				return true
			}
		}
	}
	return false
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
