package checksum

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// evict drops path from the page cache and fails the test unless mincore
// then says none of it is cached (tmpfs, for one, cannot drop it).
func evict(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		t.Fatal(err)
	}
	if c, _, err := Cached(path); err != nil || c != 0 {
		t.Skipf("%s cannot be made cold here (%d bytes still cached, %v)", path, c, err)
	}
}

// warm reads path whole, and fails the test unless it is then cached whole.
func warm(t *testing.T, path string) {
	t.Helper()
	if _, err := os.ReadFile(path); err != nil {
		t.Fatal(err)
	}
	if c, size, err := Cached(path); err != nil || c != size {
		t.Fatalf("%s: %d of %d bytes cached after reading it (%v)", path, c, size, err)
	}
}

// With a Spare, files that were not cached are not after the check, and
// files that were stay cached: small files through the ring (Expected)
// and the common reads (Named), a large file, and a file half cached,
// whose cached half is kept and other half dropped.
func TestSpareKeepsPageCache(t *testing.T) {
	for _, ring := range []bool{true, false} {
		t.Run(fmt.Sprintf("ring=%v", ring), func(t *testing.T) {
			dir := t.TempDir()
			type file struct {
				name string
				size int
				warm bool
			}
			files := []file{
				{"cold-small", 9000, false}, {"warm-small", 12000, true},
				{"cold-tiny", 10, false}, {"warm-tiny", 100, true},
				{"cold-large", 3<<20 + 5, false}, {"warm-large", 2 << 20, true},
			}
			var jobs []Job
			for i, f := range files {
				p := filepath.Join(dir, f.name)
				if err := os.WriteFile(p, bytes.Repeat([]byte{byte(i + 1)}, f.size), 0o644); err != nil {
					t.Fatal(err)
				}
				evict(t, p)
				if f.warm {
					warm(t, p)
				}
				if ring {
					jobs = append(jobs, Expected(p, int64(f.size), true))
				} else {
					jobs = append(jobs, Named(p, false))
				}
			}
			if ring {
				ringOrSkip(t)
				if !ringEligible(&jobs[0], 0, jobs[0].size) || ringEligible(&jobs[4], 0, jobs[4].size) {
					t.Fatal("the small files would not go through the ring, or the large one would")
				}
			}
			sp := &Spare{}
			var read int64
			err := HashFiles(context.Background(), jobs, mustAlgs(t, "sha256"), Options{Workers: 2, Spare: sp}, func(r Result) error {
				if r.Err != nil {
					return r.Err
				}
				read += r.Size
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			var total int64
			for _, f := range files {
				total += int64(f.size)
				c, size, err := Cached(filepath.Join(dir, f.name))
				if err != nil {
					t.Fatal(err)
				}
				switch {
				case f.warm && c != size:
					t.Errorf("%s was cached whole before the check, %d of %d bytes after", f.name, c, size)
				case !f.warm && c != 0:
					t.Errorf("%s was not cached before the check, %d of %d bytes are after", f.name, c, size)
				}
			}
			if read != total {
				t.Errorf("read %d bytes, want %d", read, total)
			}
			st := sp.Stats()
			if st.Files != 6 || st.Kept != 3 || st.Dropped != 3 || st.Unknown != 0 {
				t.Errorf("stats %+v, want 6 files, 3 kept, 3 dropped", st)
			}
			if want := int64(9000 + 10 + 3<<20 + 5); st.DroppedBytes != want {
				t.Errorf("dropped %d bytes, want %d", st.DroppedBytes, want)
			}
		})
	}
}

// Without a Spare, the same cold file is cached after the check: the test
// above would see it if sparing did nothing.
func TestNoSpareFillsPageCache(t *testing.T) {
	p := filepath.Join(t.TempDir(), "cold")
	if err := os.WriteFile(p, bytes.Repeat([]byte{7}, 1<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	evict(t, p)
	err := HashFiles(context.Background(), []Job{Named(p, false)}, mustAlgs(t, "sha256"), Options{}, func(r Result) error { return r.Err })
	if err != nil {
		t.Fatal(err)
	}
	if c, size, _ := Cached(p); c != size {
		t.Errorf("%d of %d bytes cached after a plain check", c, size)
	}
}

// A file half cached keeps its cached half and loses the other.
func TestSparePartlyCached(t *testing.T) {
	p := filepath.Join(t.TempDir(), "half")
	const size = 4 << 20
	if err := os.WriteFile(p, bytes.Repeat([]byte{3}, size), 0o644); err != nil {
		t.Fatal(err)
	}
	evict(t, p)
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.ReadAt(make([]byte, size/2), 0); err != nil {
		t.Fatal(err)
	}
	// Read-ahead the read started may still be landing: wait until the
	// count of cached bytes holds still, or the check would find more
	// cached than this test says was before.
	before, _, _ := Cached(p)
	for settled, deadline := 0, time.Now().Add(5*time.Second); settled < 3 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		now, _, _ := Cached(p)
		if now == before {
			settled++
		} else {
			before, settled = now, 0
		}
	}
	if before < size/2 || before == size {
		t.Skipf("read-ahead left %d of %d bytes cached", before, size)
	}
	sp := &Spare{}
	err = HashFiles(context.Background(), []Job{Named(p, false)}, mustAlgs(t, "sha256"), Options{Spare: sp}, func(r Result) error { return r.Err })
	if err != nil {
		t.Fatal(err)
	}
	if after, _, _ := Cached(p); after != before {
		t.Errorf("%d bytes cached before the check, %d after", before, after)
	}
	if st := sp.Stats(); st.Dropped != 1 || st.DroppedBytes != size-before {
		t.Errorf("stats %+v, want 1 dropped, %d bytes", st, size-before)
	}
}

// A file read ahead is spared as one read the plain way: the reader has
// stopped before the pages it brought in are dropped.
func TestSpareReadAhead(t *testing.T) {
	dir := t.TempDir()
	cold, hot := filepath.Join(dir, "cold"), filepath.Join(dir, "warm")
	for _, p := range []string{cold, hot} {
		if err := os.WriteFile(p, bytes.Repeat([]byte{9}, 1<<20+3), 0o644); err != nil {
			t.Fatal(err)
		}
		evict(t, p)
	}
	warm(t, hot)
	sp := &Spare{}
	for _, p := range []string{cold, hot} {
		w := soloWorker(t, spareReads, Options{Spare: sp})
		if !w.readsAhead(w.use(nil), 1<<20+3, 0) {
			t.Fatal("the file would not be read ahead")
		}
		if r := w.hashFile(context.Background(), Named(p, false), 0); r.Err != nil || r.Size != 1<<20+3 {
			t.Fatalf("%s: read %d bytes, %v", p, r.Size, r.Err)
		}
	}
	if c, _, err := Cached(cold); err != nil || c != 0 {
		t.Errorf("the cold file read ahead: %d bytes cached after (%v), want none", c, err)
	}
	if c, size, err := Cached(hot); err != nil || c != size {
		t.Errorf("the warm file read ahead: %d of %d bytes cached after (%v), want all", c, size, err)
	}
	if st := sp.Stats(); st.Files != 2 || st.Kept != 1 || st.Dropped != 1 {
		t.Errorf("stats %+v, want 2 files, 1 kept, 1 dropped", st)
	}
}
