package checksum

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sverka/sverka/internal/testkit"
)

// prefetchTree writes n files of size bytes under dir, each its own
// bytes, and returns their jobs.
func prefetchTree(t *testing.T, dir string, n, size int) []Job {
	t.Helper()
	var jobs []Job
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("f%03d", i))
		if err := os.WriteFile(p, bytes.Repeat([]byte{byte(i + 1)}, size), 0o644); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, Named(p, false))
	}
	return jobs
}

// cachedWhole says whether path is in the page cache whole.
func cachedWhole(t *testing.T, path string) bool {
	t.Helper()
	c, size, err := Cached(path)
	if err != nil {
		t.Fatal(err)
	}
	return c == size
}

// The prefetcher asks for the files the workers will take next, no more
// than prefetchFiles ahead of them, and stops with the run.
func TestPrefetchStaysAhead(t *testing.T) {
	dir := t.TempDir()
	jobs := prefetchTree(t, dir, 40, 3*ringSlot)
	for _, j := range jobs {
		evict(t, j.Path)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := plan(ctx, jobs, Options{Workers: 1})
	defer s.dirs.close()
	if s.prefetch == nil {
		t.Skip("no prefetch under this directory (one rotational disk)")
	}
	if s.small != len(jobs) {
		t.Fatalf("%d plain jobs, want %d", s.small, len(jobs))
	}
	stopped := make(chan struct{})
	go func() { s.prefetch.run(ctx, s); close(stopped) }()
	waitAsked := func(want int64) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for s.prefetch.asked.Load() < want && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(20 * time.Millisecond) // it must stop there, not go on
		if got := s.prefetch.asked.Load(); got != want {
			t.Fatalf("asked for %d files, want %d", got, want)
		}
	}
	// No worker has taken a job: the one worker's first file is its own,
	// the next prefetchFiles are asked for, and no more.
	waitAsked(prefetchFiles)
	if p := jobs[s.order[prefetchFiles+1]].Path; cachedWhole(t, p) {
		t.Errorf("%s, past the files asked for, is cached", p)
	}
	deadline := time.Now().Add(10 * time.Second)
	for p := jobs[s.order[1]].Path; !cachedWhole(t, p); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s was asked for and is still not cached", p)
		}
	}
	// A worker takes ten: nine more are asked for.
	s.next.Store(10)
	s.prefetch.took()
	waitAsked(prefetchFiles + 9)
	cancel()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("the prefetcher did not stop with its run")
	}
	var said tally
	s.prefetch.addTo(&said)
	if line := said.prefetchLine(); !strings.Contains(line, fmt.Sprint(prefetchFiles+9)) {
		t.Errorf("explain: %q", line)
	}
}

// On a warm tree the prefetcher gives up after prefetchWarm cached files
// in a row, having asked for nothing, and says so under -v.
func TestPrefetchStopsWarm(t *testing.T) {
	dir := t.TempDir()
	jobs := prefetchTree(t, dir, 40, 2*ringSlot)
	for _, j := range jobs {
		warm(t, j.Path)
	}
	ctx := context.Background()
	s := plan(ctx, jobs, Options{Workers: 1})
	defer s.dirs.close()
	if s.prefetch == nil {
		t.Skip("no prefetch under this directory (one rotational disk)")
	}
	stopped := make(chan struct{})
	go func() { s.prefetch.run(ctx, s); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("the prefetcher did not stop on a warm tree")
	}
	if !s.prefetch.warm.Load() || s.prefetch.asked.Load() != 0 {
		t.Fatalf("warm %v, asked %d: want true, 0", s.prefetch.warm.Load(), s.prefetch.asked.Load())
	}
	var said tally
	s.prefetch.addTo(&said)
	if line := said.prefetchLine(); !strings.Contains(line, "page cache") {
		t.Errorf("explain: %q", line)
	}
}

// What is put in a file's place after the stat is opened as a worker
// opens it, and closed unread: a FIFO without waiting for a writer, a
// directory, and a symbolic link not at all where the job refuses links.
func TestAdviseWillNeedRefuses(t *testing.T) {
	dir := t.TempDir()
	fifo := testkit.FIFO(t, filepath.Join(dir, "fifo"))
	target := filepath.Join(dir, "target")
	if err := os.WriteFile(target, make([]byte, 3*ringSlot), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	page := int64(os.Getpagesize())
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, err := adviseWillNeed(nil, Named(fifo, false), 1<<20, page); !errors.Is(err, ErrSpecial) {
			t.Errorf("FIFO: %v, want ErrSpecial", err)
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a FIFO without a writer kept the prefetcher waiting")
	}
	if _, err := adviseWillNeed(nil, Named(dir, false), 1<<20, page); !errors.Is(err, ErrSpecial) {
		t.Errorf("directory: %v, want ErrSpecial", err)
	}
	if _, err := adviseWillNeed(nil, Seen(link, 0, 3*ringSlot), 1<<20, page); !errors.Is(err, syscall.ELOOP) {
		t.Errorf("link where the job refuses links: %v, want ELOOP", err)
	}
	evict(t, target)
	if cached, err := adviseWillNeed(nil, Named(link, false), 1<<20, page); err != nil || cached {
		t.Errorf("link followed to a cold file: cached %v, %v", cached, err)
	}
}

// A run with a prefetcher reads every file as a run without: the same
// digests from a cold tree, and from a warm one.
func TestPrefetchSameDigests(t *testing.T) {
	dir := t.TempDir()
	jobs := prefetchTree(t, dir, 60, 2*ringSlot+17)
	sha := mustAlg(t, "sha256")
	for _, cold := range []bool{true, false} {
		if cold {
			for _, j := range jobs {
				evict(t, j.Path)
			}
		}
		var lines []string
		got := map[string][]byte{}
		err := HashFiles(context.Background(), jobs, []*Algorithm{sha}, Options{Workers: 2, Explain: func(l string) { lines = append(lines, l) }},
			func(r Result) error {
				if r.Err != nil {
					return r.Err
				}
				got[r.Path] = r.Sums[0]
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		for i, j := range jobs {
			want := sha256.Sum256(bytes.Repeat([]byte{byte(i + 1)}, 2*ringSlot+17))
			if !bytes.Equal(got[j.Path], want[:]) {
				t.Fatalf("cold %v: %s: %x, want %x", cold, j.Path, got[j.Path], want)
			}
		}
		t.Logf("cold %v: %q", cold, lines)
	}
}

// No prefetch where it would do harm: under --nice, whose page cache
// must stay as it was, and on one rotational disk, read in one stream.
func TestPrefetchWhere(t *testing.T) {
	if p := newPrefetcher(Options{Spare: &Spare{}}, device{}, 100, 2); p != nil {
		t.Error("prefetch under --nice")
	}
	if p := newPrefetcher(Options{}, device{Name: "sda", Rotational: true}, 100, 2); p != nil {
		t.Error("prefetch on a rotational disk")
	}
	if p := newPrefetcher(Options{}, device{}, 2, 2); p != nil {
		t.Error("prefetch with no file left once each worker has its first")
	}
	if p := newPrefetcher(Options{}, device{}, 100, 2); p == nil {
		t.Error("no prefetch on a tree of plain files")
	}
}

// Before cachestat, a read that may not wait tells a cold file's last
// asked-for byte from a warm one's.
func TestReadsNoWait(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, make([]byte, 3*ringSlot), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	evict(t, p)
	if readsNoWait(int(f.Fd()), 3*ringSlot-1) {
		t.Error("a cold file's last byte read without waiting")
	}
	warm(t, p)
	if !readsNoWait(int(f.Fd()), 3*ringSlot-1) {
		t.Error("a cached file's last byte could not be read without waiting")
	}
}

// What the prefetcher does to a file leaves its access time as it was,
// as a worker's reads do: the advice, and the one-byte read that tells a
// cached file before cachestat.
func TestPrefetchKeepsAtime(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, make([]byte, 3*ringSlot), 0o644); err != nil {
		t.Fatal(err)
	}
	// The control: a plain read marks the file read here.
	old, atime := agedAtime(t, p, func() error {
		_, err := os.ReadFile(p)
		return err
	})
	evict(t, p)
	page := int64(os.Getpagesize())
	if cached, err := adviseWillNeed(nil, Named(p, false), 3*ringSlot, page); err != nil || cached {
		t.Fatalf("advice on a cold file: cached %v, %v", cached, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !cachedWhole(t, p) {
		if time.Now().After(deadline) {
			t.Fatal("the file asked for is still not cached")
		}
		time.Sleep(time.Millisecond)
	}
	f, err := openSource(nil, p, false, false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !readsNoWait(f.(*fdSource).fd, 3*ringSlot-1) {
		t.Fatal("the cached file's last byte could not be read without waiting")
	}
	if got := atime(); !got.Equal(old) {
		t.Errorf("access time %v after the prefetcher, was %v", got, old)
	}
}

// A check hashed in stretches says under -v how many files were read
// ahead in one line for the whole check, not a line a stretch with each
// stretch's count.
func TestStretchesSayPrefetchOnce(t *testing.T) {
	dir := t.TempDir()
	jobs := prefetchTree(t, dir, 40, 3*ringSlot)
	s := plan(context.Background(), jobs, Options{Workers: 1})
	s.dirs.close()
	if s.prefetch == nil {
		t.Skip("no prefetch under this directory (one rotational disk)")
	}
	for _, j := range jobs {
		evict(t, j.Path)
	}
	var lines []string
	opt := Options{Workers: 1, Explain: func(line string) { lines = append(lines, line) }}
	n := 0
	err := HashStretches(context.Background(), len(jobs), 10, func(i int) Job { return jobs[i] }, mustAlgs(t, "sha256"), opt, func(r Result) error {
		if r.Err != nil {
			return r.Err
		}
		n++
		return nil
	})
	if err != nil || n != len(jobs) {
		t.Fatalf("HashStretches: %d of %d files, %v", n, len(jobs), err)
	}
	var said []string
	for _, l := range lines {
		if strings.Contains(l, "read ahead of the workers") {
			said = append(said, l)
		}
	}
	if len(said) != 1 {
		t.Fatalf("-v said %d lines of files read ahead, want one for the check: %q", len(said), said)
	}
	var asked int
	if _, err := fmt.Sscanf(said[0][strings.LastIndex(said[0], ":")+1:], "%d", &asked); err != nil || asked <= 10 || asked > len(jobs) {
		t.Errorf("%q: want the count of the whole check's stretches (more than one stretch's 10, at most %d)", said[0], len(jobs))
	}
}
