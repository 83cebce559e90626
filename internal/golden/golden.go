// Package golden compares what a test produced with a committed file (a
// golden file) and, when the tests run with -update, rewrites the file
// instead. Only tests import it; it defines the -update flag for every
// package that does.
package golden

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode/utf8"
)

var update = flag.Bool("update", false, "rewrite the golden files (and generated test data) instead of comparing with them")

// Update reports whether the tests run with -update: a test whose
// expected data is made another way (by an outside tool, say) regenerates
// it then.
func Update() bool { return *update }

// Check compares got with the file at path, failing t with the first
// difference; with -update it writes got to path instead. Look at the diff
// of the rewritten file before committing it.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	rerun := "go test -run '^" + strings.SplitN(t.Name(), "/", 2)[0] + "$' -update"
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("-update: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (%s creates it)", err, rerun)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what the test produced (%s rewrites it, if the change is meant):\n%s",
			path, rerun, Diff(want, got))
	}
}

// Diff describes where got first differs from want: the line, for text,
// and the byte offset otherwise.
func Diff(want, got []byte) string {
	if !utf8.Valid(want) || !utf8.Valid(got) {
		i := 0
		for i < len(want) && i < len(got) && want[i] == got[i] {
			i++
		}
		return fmt.Sprintf("byte %d: want %d bytes, got %d", i, len(want), len(got))
	}
	wl, gl := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := range max(len(wl), len(gl)) {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return fmt.Sprintf("line %d:\nwant: %s\ngot:  %s", i+1, w, g)
		}
	}
	return ""
}
