package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/sverka/sverka/checksum"
)

// outputLog records the writes to stdout and stderr in the order they
// were made, as one terminal or one file given both (2>&1) shows them.
type outputLog struct {
	mu     sync.Mutex
	all    bytes.Buffer
	writes map[string]int
}

type logStream struct {
	log  *outputLog
	name string
	err  error // returned by every write, if set
}

func (s logStream) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	s.log.mu.Lock()
	defer s.log.mu.Unlock()
	s.log.all.Write(p)
	s.log.writes[s.name]++
	return len(p), nil
}

// linesTree writes n files and a list of their SHA-256 digests, the file
// at missing listed but not there, and returns the list's path and the
// files' paths.
func linesTree(t *testing.T, n, missing int) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	var list strings.Builder
	var paths []string
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("f%04d", i))
		data := []byte(fmt.Sprint(i))
		if i != missing {
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		fmt.Fprintf(&list, "%x  %s\n", sha256.Sum256(data), p)
		paths = append(paths, p)
	}
	lp := filepath.Join(dir, "SHA256SUMS")
	if err := os.WriteFile(lp, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return lp, paths
}

// To a file or a pipe the lines of hash -c go out in a few writes, not
// one a file, and a message about a file still comes after the lines of
// the files listed before it, as on a terminal.
func TestHashCheckLinesGathered(t *testing.T) {
	const n, missing = 400, 150
	list, paths := linesTree(t, n, missing)
	log := &outputLog{writes: map[string]int{}}
	code := runMain([]string{"hash", "-c", list}, &cli{stdin: strings.NewReader(""),
		stdout: logStream{log: log, name: "stdout"}, stderr: logStream{log: log, name: "stderr"}})
	if code != exitFail {
		t.Fatalf("exit %d, want %d:\n%s", code, exitFail, log.all.String())
	}
	if w := log.writes["stdout"]; w > 4 {
		t.Errorf("%d writes to stdout for %d lines", w, n-1)
	}
	out := log.all.String()
	at := func(s string) int {
		t.Helper()
		i := strings.Index(out, s)
		if i < 0 {
			t.Fatalf("%q not in the output:\n%s", s, out)
		}
		return i
	}
	// The first message is the missing file's, named as the platform
	// quotes it.
	miss := at("sverka: ")
	if msg, _, _ := strings.Cut(out[miss:], "\n"); !strings.Contains(msg, filepath.Base(paths[missing])) {
		t.Fatalf("the first message is not about %s: %q", paths[missing], msg)
	}
	if before := at(paths[missing-1] + ": OK"); before > miss {
		t.Errorf("the line of the file listed before the missing one comes after its message")
	}
	if after := at(paths[missing+1] + ": OK"); after < miss {
		t.Errorf("the line of the file listed after the missing one comes before its message")
	}
	if last, warn := at(paths[n-1]+": OK"), at("WARNING: 1 listed file could not be read"); last > warn {
		t.Errorf("the summary comes before the last line")
	}
}

// hash prints its digests the same way, gathered, each file's line in
// its place.
func TestHashPrintLinesGathered(t *testing.T) {
	const n = 300
	_, paths := linesTree(t, n, -1)
	log := &outputLog{writes: map[string]int{}}
	code := runMain(append([]string{"hash"}, paths...), &cli{stdin: strings.NewReader(""),
		stdout: logStream{log: log, name: "stdout"}, stderr: logStream{log: log, name: "stderr"}})
	if code != exitOK {
		t.Fatalf("exit %d, want %d:\n%s", code, exitOK, log.all.String())
	}
	if w := log.writes["stdout"]; w > 2 {
		t.Errorf("%d writes to stdout for %d lines", w, n)
	}
	var want strings.Builder
	for i, p := range paths {
		fmt.Fprintf(&want, "%x  %s\n", sha256.Sum256([]byte(fmt.Sprint(i))), checksum.ListName(p))
	}
	if got := log.all.String(); got != want.String() {
		t.Errorf("hash printed:\n%s\nwant:\n%s", got, want.String())
	}
}

// Lines that could not be written make hash and hash -c fail as "could
// not check", whether the write error shows once the lines gathered are
// written out at the end (20 files) or stops the run (2,000 files: more
// than is gathered).
func TestHashWriteError(t *testing.T) {
	for _, n := range []int{20, 2000} {
		list, paths := linesTree(t, n, -1)
		for _, args := range [][]string{{"hash", "-c", list}, append([]string{"hash"}, paths...)} {
			log := &outputLog{writes: map[string]int{}}
			code := runMain(args, &cli{stdin: strings.NewReader(""),
				stdout: logStream{log: log, name: "stdout", err: errors.New("no space left on device")}, stderr: logStream{log: log, name: "stderr"}})
			if code != exitError || log.all.String() != "sverka: writing output: no space left on device\n" {
				t.Errorf("%s of %d files: exit %d, want %d and the write error:\n%s", args[:2], n, code, exitError, log.all.String())
			}
		}
	}
}

// A list of thousands of malformed lines says the first MaxLineErrors
// one by one and the rest in one line, and counts them all in its
// summary: 40 MB of malformed lines once took 3 GB to report.
func TestHashCheckCountsManyMalformedLines(t *testing.T) {
	list, _ := linesTree(t, 2, -1)
	data, err := os.ReadFile(list)
	if err != nil {
		t.Fatal(err)
	}
	const bad = 2500
	data = append(data, strings.Repeat("junk\n", bad)...)
	if err := os.WriteFile(list, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr strings.Builder
	code := runMain([]string{"hash", "-c", list}, &cli{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr})
	if code != exitOK {
		t.Fatalf("exit %d, want %d (malformed lines fail only with --strict):\n%s", code, exitOK, stderr.String())
	}
	msgs := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
	if len(msgs) != checksum.MaxLineErrors+2 {
		t.Fatalf("%d lines on stderr, want %d: each of the first %d, one for the rest, the summary", len(msgs), checksum.MaxLineErrors+2, checksum.MaxLineErrors)
	}
	if got, want := msgs[len(msgs)-2], fmt.Sprintf("line %d: %d more malformed lines up to this one", 2+bad, bad-checksum.MaxLineErrors); !strings.Contains(got, want) {
		t.Errorf("the line for the rest: %q, want it to say %q", got, want)
	}
	if got, want := msgs[len(msgs)-1], fmt.Sprintf("sverka: WARNING: %d lines are improperly formatted", bad); got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	if strings.Count(stdout.String(), ": OK\n") != 2 {
		t.Errorf("stdout:\n%s\nwant the two files OK", stdout.String())
	}
	code = runMain([]string{"hash", "-c", "--strict", list}, &cli{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr})
	if code != exitFail {
		t.Errorf("--strict: exit %d, want %d", code, exitFail)
	}
}
