package checksum

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// mappedFile writes size bytes of a pattern to a new file and returns its
// path and content.
func mappedFile(t *testing.T, size int) (string, []byte) {
	t.Helper()
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i*7 + i>>13)
	}
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, data, 0o640); err != nil {
		t.Fatal(err)
	}
	return p, data
}

// A cached file is hashed from its mapping, around the sizes where the
// mapping starts and its windows end, with the digests and size a read
// gives, for each kind of job and for hashes in Go and in assembly.
func TestMappedSameDigests(t *testing.T) {
	for _, size := range []int{minMapped, minMapped + 1, mapWindow - 1, mapWindow, mapWindow + 1, 2*mapWindow + 4097} {
		p, data := mappedFile(t, size)
		for _, algs := range [][]string{{"sha256"}, {"gost12-256", "blake3"}} {
			read := newWorker(mustAlgs(t, algs...), Options{readAll: true})
			for _, j := range []Job{Named(p, false), Seen(p, 0o640, int64(size)), Expected(p, int64(size), true), Expected(p, int64(size)-1, true)} {
				want := read.hashFile(context.Background(), j, 0)
				got := newWorker(mustAlgs(t, algs...), Options{}).hashFile(context.Background(), j, 0)
				if got.Err != nil || want.Err != nil || got.Size != int64(size) || !equalSums(got.Sums, want.Sums) {
					t.Errorf("size %d, %v, job %+v: mapped size %d err %v sums %x; read size %d err %v sums %x",
						size, algs, j, got.Size, got.Err, got.Sums, want.Size, want.Err, want.Sums)
				}
			}
		}
		// The mapping was what hashed it.
		w := newWorker(mustAlgs(t, "sha256"), Options{})
		m := w.use(nil)
		m.Reset()
		f := openForTest(t, p)
		n, ok, err := w.copyMapped(context.Background(), f, m, int64(size), 0)
		if want := sha256.Sum256(data); !ok || err != nil || n != int64(size) || !bytes.Equal(m.Sums()[0], want[:]) {
			t.Errorf("size %d: copyMapped = %d, %v, %v; digest %x, want %x", size, n, ok, err, m.Sums()[0], want)
		}
	}
}

func equalSums(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func openForTest(t *testing.T, p string) *fdSource {
	t.Helper()
	s, err := openSource(nil, p, false, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.(*fdSource)
}

// A mapped file that shrinks, in a window not yet hashed or within its
// last page, or that grows, while it is hashed is a ChangedError, never a
// digest: a page cut off faults, and is caught.
func TestMappedChanged(t *testing.T) {
	const size = 2*mapWindow + 100
	for _, tc := range []struct {
		name   string
		change func(p string) error
		after  int64
	}{
		{"cut before the next window", func(p string) error { return os.Truncate(p, 4096) }, 4096},
		{"cut within the last page", func(p string) error { return os.Truncate(p, 2*mapWindow+50) }, 2*mapWindow + 50},
		{"grows", appendMore, size + 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, alg := range []string{"sha256", "gost12-256"} {
				p, _ := mappedFile(t, size)
				changed := false
				w := newWorker(mustAlgs(t, alg), Options{Progress: func(int64) {
					if !changed {
						changed = true
						if err := tc.change(p); err != nil {
							t.Error(err)
						}
					}
				}})
				m := w.use(nil)
				m.Reset()
				n, ok, err := w.copyMapped(context.Background(), openForTest(t, p), m, size, 0)
				var ce *ChangedError
				if !ok || !errors.As(err, &ce) || ce.Before != size || ce.After != tc.after || ce.Read != n {
					t.Fatalf("%s: copyMapped = %d, %v, %v; want a ChangedError from %d to %d", alg, n, ok, err, int64(size), tc.after)
				}
			}
		})
	}
}

// A fault in the hash's reads of a mapping, in Go or in assembly, is an
// error, not a crash.
func TestHashPagesFault(t *testing.T) {
	p, _ := mappedFile(t, 4096)
	f := openForTest(t, p)
	b, err := unix.Mmap(f.fd, 0, 3*4096, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(b)
	for _, alg := range []string{"sha256", "gost12-256", "blake3", "md5"} {
		m := NewMulti(mustAlgs(t, alg))
		if err := hashPages(m, b); !errors.Is(err, errFault) {
			t.Errorf("%s: hashing pages past the end of the file: %v, want %v", alg, err, errFault)
		}
	}
}

// Only what is cached whole is mapped: a cold file, one whose page cache
// is spared (--nice), and one a BLAKE3 hash would read on other cores are
// read.
func TestMappedOnlyWhenItPays(t *testing.T) {
	size := int64(mapWindow + 1)
	p, _ := mappedFile(t, int(size))
	try := func(w *worker) bool {
		m := w.use(nil)
		m.Reset()
		_, ok, _ := w.copyMapped(context.Background(), openForTest(t, p), m, size, 0)
		return ok
	}
	if !try(newWorker(mustAlgs(t, "sha256"), Options{})) {
		t.Fatal("a cached file was not mapped")
	}
	if try(newWorker(mustAlgs(t, "sha256"), Options{Spare: &Spare{}})) {
		t.Error("a file was mapped under --nice")
	}
	lends := newWorker(mustAlgs(t, "blake3"), Options{})
	lends.cores = newCores(1)
	if try(lends) {
		t.Error("a file was mapped for a hash that reads on other cores")
	}
	small, _ := mappedFile(t, minMapped-1)
	w := newWorker(mustAlgs(t, "sha256"), Options{})
	if _, ok, _ := w.copyMapped(context.Background(), openForTest(t, small), w.use(nil), minMapped-1, 0); ok {
		t.Error("a file smaller than minMapped was mapped")
	}
	evict(t, p)
	if try(newWorker(mustAlgs(t, "sha256"), Options{})) {
		t.Error("a file out of the page cache was mapped")
	}
}

// A core that is free reads a large file ahead instead: at the start the
// file is not mapped, nor is one larger than its worker's share of the
// run, and once a core is freed the rest of a mapped file is read from
// where the mapping stopped, to the same digest.
func TestMappedHandsOverToReads(t *testing.T) {
	size := 3*mapWindow + 5
	p, data := mappedFile(t, size)
	want := sha256.Sum256(data)
	busy := func(opt Options) *worker {
		w := newWorker(mustAlgs(t, "sha256"), opt)
		w.lanes = newLanes(2)
		w.lanes.active.Store(2)
		w.lanes.fair = int64(size)
		return w
	}
	free := busy(Options{})
	free.lanes.active.Store(1)
	m := free.use(nil)
	m.Reset()
	if n, end, err := free.copyMapped(context.Background(), openForTest(t, p), m, int64(size), 0); n != 0 || end || err != nil {
		t.Errorf("with a core free: copyMapped = %d, %v, %v; want nothing mapped", n, end, err)
	}
	alone := busy(Options{})
	alone.lanes.fair = int64(size) - 1
	if n, end, err := alone.copyMapped(context.Background(), openForTest(t, p), m, int64(size), 0); n != 0 || end || err != nil {
		t.Errorf("a file the run waits for alone: copyMapped = %d, %v, %v; want nothing mapped", n, end, err)
	}

	var w *worker
	w = busy(Options{Progress: func(int64) { w.lanes.active.Store(1) }})
	m = w.use(nil)
	m.Reset()
	f := openForTest(t, p)
	n, end, err := w.copyMapped(context.Background(), f, m, int64(size), 0)
	if n != mapWindow || end || err != nil {
		t.Fatalf("a core freed after the first window: copyMapped = %d, %v, %v; want %d bytes mapped, the rest to read", n, end, err, mapWindow)
	}
	if off, err := f.Seek(0, io.SeekCurrent); off != n || err != nil {
		t.Fatalf("the file's offset is %d (%v), want %d", off, err, n)
	}
	w = busy(Options{Progress: func(int64) { w.lanes.active.Store(1) }})
	r := w.hashFile(context.Background(), Named(p, false), 0)
	if r.Err != nil || r.Size != int64(size) || !bytes.Equal(r.Sums[0], want[:]) {
		t.Errorf("mapped, then read: size %d err %v digest %x, want %x", r.Size, r.Err, r.Sums, want)
	}
}

// A worker hashing a mapped file makes the reads another worker's large
// file is waiting for, between its buffers, as a worker reading does.
func TestMappedHelps(t *testing.T) {
	data := make([]byte, 100*aheadBuf+5)
	h := holdShared(t, data, int64(len(data))-1)
	p, mine := mappedFile(t, minMapped+100)
	w := newWorker(mustAlgs(t, "sha256"), Options{BufSize: aheadBuf})
	w.lanes = h.w.lanes
	m := w.use(nil)
	m.Reset()
	before := h.reads.Load()
	n, end, err := w.copyMapped(context.Background(), openForTest(t, p), m, int64(len(mine)), 0)
	if want := sha256.Sum256(mine); n != int64(len(mine)) || !end || err != nil || !bytes.Equal(m.Sums()[0], want[:]) {
		t.Errorf("copyMapped = %d, %v, %v, digest %x; want the whole file mapped, %x", n, end, err, m.Sums()[0], want)
	}
	if got := h.reads.Load() - before; got != aheadBufs-1 {
		t.Errorf("the mapped file's worker made %d reads of the shared file, want %d (its free buffers)", got, aheadBufs-1)
	}
	if _, err := h.finish(); err != nil {
		t.Fatal(err)
	}
}

// A file rewritten in place while it is hashed from its mapping gives the
// digest of its bytes as they were when each was hashed, never the
// original's: the mapping shares the page cache's pages, with no stale
// copy of what the file held when it was opened. A read gives the same.
func TestMappedRewrittenInPlace(t *testing.T) {
	const size = 2*mapWindow + 100
	p, data := mappedFile(t, size)
	rewritten := bytes.Repeat([]byte{0xa5}, size-mapWindow)
	once := false
	w := newWorker(mustAlgs(t, "sha256"), Options{Progress: func(int64) {
		if !once {
			once = true
			f, err := os.OpenFile(p, os.O_WRONLY, 0)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if _, err := f.WriteAt(rewritten, mapWindow); err != nil {
				t.Fatal(err)
			}
		}
	}})
	m := w.use(nil)
	m.Reset()
	n, end, err := w.copyMapped(context.Background(), openForTest(t, p), m, size, 0)
	if n != size || !end || err != nil {
		t.Fatalf("copyMapped = %d, %v, %v; want the whole file mapped", n, end, err)
	}
	want := sha256.Sum256(append(data[:mapWindow:mapWindow], rewritten...))
	if old := sha256.Sum256(data); bytes.Equal(m.Sums()[0], old[:]) || !bytes.Equal(m.Sums()[0], want[:]) {
		t.Errorf("digest %x, want %x (the bytes as hashed; the original's is %x)", m.Sums()[0], want, old)
	}
}

// A device in a regular file's place, given the size a table expects,
// is never mapped: /dev/zero maps as zeros of any length, which would
// pass for a file of zeros.
func TestMappedNotADevice(t *testing.T) {
	f, err := openSource(nil, "/dev/zero", true, false)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	w := newWorker(mustAlgs(t, "sha256"), Options{})
	m := w.use(nil)
	m.Reset()
	if n, end, err := w.copyMapped(context.Background(), f, m, mapWindow, 0); n != 0 || end || err != nil {
		t.Errorf("copyMapped of /dev/zero = %d, %v, %v; want it left to the reads", n, end, err)
	}
}

// A file that is cut, or grows, just as its mapping hands it over to the
// reads is a ChangedError, not the digest of the bytes mapped and read:
// the reads go on from the mapping's end and see the file as it is.
func TestMappedHandOverChanged(t *testing.T) {
	const size = 3*mapWindow + 5
	for _, tc := range []struct {
		name   string
		change func(p string) error
	}{
		{"cut after the first window", func(p string) error { return os.Truncate(p, mapWindow+10) }},
		{"cut at the first window's end", func(p string) error { return os.Truncate(p, mapWindow) }},
		{"grows", appendMore},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := mappedFile(t, size)
			var w *worker
			changed := false
			w = newWorker(mustAlgs(t, "sha256"), Options{Progress: func(int64) {
				w.lanes.active.Store(1) // a core is freed: the rest goes to the reads
				if !changed {
					changed = true
					if err := tc.change(p); err != nil {
						t.Error(err)
					}
				}
			}})
			w.lanes = newLanes(2)
			w.lanes.active.Store(2)
			w.lanes.fair = size
			r := w.hashFile(context.Background(), Named(p, false), 0)
			var ce *ChangedError
			if !errors.As(r.Err, &ce) || ce.Before != size {
				t.Errorf("size %d, sums %x, error %v; want a ChangedError from %d", r.Size, r.Sums, r.Err, size)
			}
		})
	}
}

// trialWorker is a worker in a run whose mapping trial is open: its first
// file's first mapPiece bytes are mapped and timed, its second's read and
// timed.
func trialWorker(t *testing.T, opt Options) *worker {
	w := newWorker(mustAlgs(t, "sha256"), opt)
	w.mapped = &mapping{trial: mapTrial()}
	return w
}

// The trial's pieces, mapped or read, give the digest and size a read
// gives, at the sizes where a piece ends, the rest of their files read;
// once the mapping is chosen, a file is mapped whole. A file smaller than
// a piece is read untimed.
func TestMappedTrialPieces(t *testing.T) {
	for _, size := range []int{mapPiece, mapPiece + 1, mapWindow + mapPiece + 3} {
		p, data := mappedFile(t, size)
		want := sha256.Sum256(data)
		w := trialWorker(t, Options{})
		for _, way := range []string{"mapped", "read"} {
			r := w.hashFile(context.Background(), Named(p, false), 0)
			if r.Err != nil || r.Size != int64(size) || !bytes.Equal(r.Sums[0], want[:]) {
				t.Errorf("size %d, the piece %s: size %d err %v digest %x, want %x", size, way, r.Size, r.Err, r.Sums, want)
			}
		}
		if w.mapped.trial.timed != [2]int{1, 1} {
			t.Errorf("size %d: pieces timed (copied, in place) %v, want one each", size, w.mapped.trial.timed)
		}
		if got := w.mapped.files.Load(); got != 0 {
			t.Errorf("size %d: %d files counted as hashed in place, want none (the rest of a piece's file is read until the trial chooses)", size, got)
		}
		for range trialPieces { // the mapping faster
			w.mapped.trial.record(true, time.Millisecond, 2_000_000)
			w.mapped.trial.record(false, time.Millisecond, 1_000_000)
		}
		if r := w.hashFile(context.Background(), Named(p, false), 0); r.Err != nil || !bytes.Equal(r.Sums[0], want[:]) {
			t.Errorf("size %d, chosen in place: err %v digest %x, want %x", size, r.Err, r.Sums, want)
		}
		if got := w.mapped.files.Load(); got != 1 {
			t.Errorf("size %d, chosen in place: %d files counted as hashed in place, want 1", size, got)
		}
	}
	p, _ := mappedFile(t, mapPiece-1)
	w := trialWorker(t, Options{})
	m := w.use(nil)
	m.Reset()
	if n, end, err := w.copyMapped(context.Background(), openForTest(t, p), m, mapPiece-1, 0); n != 0 || end || err != nil {
		t.Errorf("a file smaller than a piece: copyMapped = %d, %v, %v; want it read", n, end, err)
	}
	if tr := w.mapped.trial; tr.given != [2]int{} {
		t.Errorf("a file smaller than a piece kept a timed piece: %v", tr.given)
	}
	// A file out of the page cache, or a device, gives its piece back.
	cold, _ := mappedFile(t, mapPiece+1)
	evict(t, cold)
	f, err := openSource(nil, "/dev/zero", true, false)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, src := range []*fdSource{openForTest(t, cold), f.(*fdSource)} {
		if n, end, err := w.copyMapped(context.Background(), src, m, mapPiece+1, 0); n != 0 || end || err != nil {
			t.Errorf("copyMapped = %d, %v, %v; want it read", n, end, err)
		}
	}
	if tr := w.mapped.trial; tr.given != [2]int{} {
		t.Errorf("a cold file and a device kept timed pieces: %v", tr.given)
	}
}

// A file cut or grown just after its timed piece, mapped or read, is a
// ChangedError.
func TestMappedTrialChanged(t *testing.T) {
	const size = mapWindow + mapPiece + 3
	for _, change := range []struct {
		name string
		do   func(p string) error
	}{
		{"cut", func(p string) error { return os.Truncate(p, mapPiece+10) }},
		{"grows", appendMore},
	} {
		var w *worker
		var p string
		changed := false
		w = trialWorker(t, Options{Progress: func(int64) {
			if !changed {
				changed = true
				if err := change.do(p); err != nil {
					t.Error(err)
				}
			}
		}})
		for _, way := range []string{"mapped", "read"} {
			p, _ = mappedFile(t, size)
			changed = false
			r := w.hashFile(context.Background(), Named(p, false), 0)
			var ce *ChangedError
			if !errors.As(r.Err, &ce) || ce.Before != size {
				t.Errorf("%s after the piece %s: size %d, sums %x, error %v; want a ChangedError from %d", change.name, way, r.Size, r.Sums, r.Err, size)
			}
		}
	}
}

// A run whose cores all hash large cached files decides between the
// mapping and the copy from its first files' pieces, says which with both
// rates, and hashes every file to a read's digest either way.
func TestHashFilesMappingTrial(t *testing.T) {
	workers := runtime.GOMAXPROCS(0)
	dir := t.TempDir()
	var jobs []Job
	var want [][32]byte
	for i := range 2*trialPieces + 4*workers {
		data := bytes.Repeat([]byte{byte(i), byte(i >> 8), 7}, (mapPiece+3+i*4099)/3)
		p := filepath.Join(dir, fmt.Sprint(i))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, Named(p, false))
		want = append(want, sha256.Sum256(data))
	}
	var said []string
	opt := Options{Workers: workers, Explain: func(s string) { said = append(said, s) }}
	err := HashFiles(context.Background(), jobs, mustAlgs(t, "sha256"), opt, func(r Result) error {
		if r.Err != nil || !bytes.Equal(r.Sums[0], want[r.Index][:]) {
			t.Errorf("%s: err %v, digest %x, want %x", r.Path, r.Err, r.Sums, want[r.Index])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	choice := regexp.MustCompile(`^files in the page cache (copied to be hashed|hashed in place \(mapped, not copied\)) \(faster here: [0-9]+ MB/s, (in place|copied) [0-9]+ MB/s\)`)
	if !slices.ContainsFunc(said, choice.MatchString) {
		t.Errorf("-v said %q; want the mapping trial's choice", said)
	}
}

// A timed piece that fails (a file cut before it is hashed) is given back
// for another file to take, so that a trial shared by a check's stretches
// still decides; the file is a ChangedError, or left to the reads.
func TestMappedTrialPieceGivenBack(t *testing.T) {
	const short = mapPiece/2 + 5
	p, _ := mappedFile(t, short)
	for _, inPlace := range []bool{true, false} {
		w := trialWorker(t, Options{})
		w.mapped.trial.given[way(inPlace)] = 1 // as pick hands it out
		m := w.use(nil)
		m.Reset()
		n, end, err := w.timePiece(openForTest(t, p), m, mapPiece, inPlace)
		var ce *ChangedError
		switch {
		case inPlace && (!end || !errors.As(err, &ce)):
			t.Errorf("mapped piece past the file's end: %d, %v, %v; want a ChangedError", n, end, err)
		case !inPlace && (end || err != nil || n != short):
			t.Errorf("read piece of a short file: %d, %v, %v; want %d bytes, left to the reads", n, end, err, short)
		}
		if tr := w.mapped.trial; tr.given != [2]int{} || tr.timed != [2]int{} {
			t.Errorf("in place %v: pieces handed out %v, timed %v after a failed piece; want none", inPlace, tr.given, tr.timed)
		}
	}
}

// The stretches of one check share their trials: the ways of reading are
// timed and said once, not once a stretch.
func TestHashStretchesShareTrials(t *testing.T) {
	workers := runtime.GOMAXPROCS(0)
	dir := t.TempDir()
	n := 3 * (2*trialPieces + 4*workers)
	paths := make([]string, n)
	for i := range paths {
		paths[i] = filepath.Join(dir, fmt.Sprint(i))
		if err := os.WriteFile(paths[i], bytes.Repeat([]byte{byte(i)}, mapPiece+i*4099), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var said []string
	opt := Options{Workers: workers, Explain: func(s string) { said = append(said, s) }}
	err := HashStretches(context.Background(), n, n/3, func(i int) Job { return Named(paths[i], false) }, mustAlgs(t, "sha256"), opt, func(r Result) error {
		if r.Err != nil {
			t.Error(r.Err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	choices := 0
	for _, s := range said {
		if strings.HasPrefix(s, "files in the page cache ") && strings.Contains(s, "faster here") {
			choices++
		}
	}
	if choices != 1 {
		t.Errorf("the mapping's choice said %d times over 3 stretches, want once: %q", choices, said)
	}
}
