package checksum

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/zeebo/blake3"
)

// treeWorker is a BLAKE3 worker that may borrow idle cores and never
// reads ahead.
func treeWorker(t testing.TB, idle int) *worker {
	t.Helper()
	return treeWorkerBuf(t, idle, 0)
}

// treeWorkerBuf is treeWorker with a read buffer of bufSize bytes (0:
// the default).
func treeWorkerBuf(t testing.TB, idle, bufSize int) *worker {
	t.Helper()
	w := newWorker(mustAlgs(t, "blake3"), Options{BufSize: bufSize})
	w.cores = newCores(idle)
	return w
}

// treeData is size bytes that differ from segment to segment.
func treeData(size int) []byte {
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i*31 + i>>20)
	}
	return data
}

// A file read in segments on two cores has BLAKE3's digest, whatever its
// size against a segment and a round, and whatever size its caller
// expects.
func TestTreeReadSameDigests(t *testing.T) {
	dir := t.TempDir()
	minSize := treeMinSegs * segBytes
	for _, size := range []int{minSize - 1, minSize, minSize + 1, minSize + segBytes - 1, (roundSegs+1)*segBytes + 5, 2*roundSegs*segBytes + 1} {
		data := treeData(size)
		p := filepath.Join(dir, "f")
		if err := os.WriteFile(p, data, 0o640); err != nil {
			t.Fatal(err)
		}
		want := blake3.Sum256(data)
		jobs := []Job{Named(p, false), Seen(p, 0o640, int64(size)), Expected(p, int64(size), true), Expected(p, int64(size)*2/3, true)}
		for _, j := range jobs {
			for _, idle := range []int{0, 1, 3} {
				w := treeWorker(t, idle)
				r := w.hashFile(context.Background(), j, 0)
				if r.Err != nil || r.Size != int64(size) || !bytes.Equal(r.Sums[0], want[:]) {
					t.Errorf("size %d, job %+v, %d idle: size %d err %v digest %x, want %x", size, j, idle, r.Size, r.Err, r.Sums, want)
				}
				// Only a file of treeMinSegs segments by the size it
				// is first read to is read in segments.
				first := int64(size)
				if j.readsToSize() {
					first = j.size
				}
				tree := first >= int64(minSize)
				if got := len(w.treeBufs) > 0; got != tree {
					t.Errorf("size %d, job %+v, %d idle: read in segments %v, want %v", size, j, idle, got, tree)
				}
			}
		}
	}
}

// scriptAt is a script that also reads at an offset, failing the same way
// at the same place.
type scriptAt struct{ *script }

func (s scriptAt) ReadAt(p []byte, off int64) (int, error) {
	r := &script{data: s.data, off: int(off), fail: s.fail, err: s.err}
	n, err := io.ReadFull(r, p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}

// Seek sets where the next Read reads.
func (s scriptAt) Seek(off int64, whence int) (int64, error) {
	if whence != io.SeekStart {
		return 0, errors.New("seek: only from the start")
	}
	s.off = int(off)
	return off, nil
}

// Read in segments with an idle core or without, a file gives the plain
// loop's bytes, count and error at every way a read can end, and the
// idle core is given back.
func TestTreeReadSameEnd(t *testing.T) {
	errDisk := errors.New("input/output error")
	data := treeData(40*segBytes + 123)
	cases := []struct {
		name string
		size int64 // what the caller expects
		fail int
		cut  int // the file's length (-1: data's)
	}{
		{"whole", int64(len(data)), -1, -1},
		{"error in a segment", int64(len(data)), 17*segBytes + 5, -1},
		{"error in the second round", int64(len(data)), (roundSegs + 3) * segBytes, -1},
		{"error in the tail", int64(len(data)), 40*segBytes + 100, -1},
		{"shorter than expected", int64(len(data)) + 10*segBytes, -1, -1},
		{"shorter by one byte", int64(len(data)) + 1, -1, -1},
		{"ends on a segment", int64(len(data)), -1, 40 * segBytes},
		{"ends on the first segment's end", int64(len(data)), -1, segBytes},
		{"empty", int64(len(data)), -1, 0},
		{"longer than expected", int64(len(data)) - 12*segBytes - 1, -1, -1},
		{"longer than expected, the segments read odd", int64(len(data)) - 11*segBytes - 1, -1, -1},
		{"longer by one byte", int64(len(data)) - 1, -1, -1},
	}
	// The plain loop takes over at a multiple of a segment and of the
	// buffer: the default, one smaller than a segment, two segments (two
	// to a step), one and a half segments (three to a step).
	for _, bufSize := range []int{0, segBytes / 2, 2 * segBytes, segBytes * 3 / 2} {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/buffer %d", tc.name, bufSize), func(t *testing.T) {
				treeSameEnd(t, data, bufSize, tc.size, tc.fail, tc.cut, errDisk)
			})
		}
	}
}

// treeSameEnd reads data (cut to cut bytes unless cut < 0, a read
// failing at fail unless fail < 0) plainly and in segments with 0 and 1
// idle cores, on workers with buffers of bufSize bytes, the caller
// expecting size bytes, and compares what each gave.
func treeSameEnd(t *testing.T, data []byte, bufSize int, size int64, fail, cut int, errDisk error) {
	t.Helper()
	var sums [3][]byte
	var ns [3]int64
	var errs [3]error
	// idle -1: a hasher that borrows no cores, read plainly.
	for i, idle := range []int{-1, 0, 1} {
		w := treeWorkerBuf(t, idle, bufSize)
		if idle < 0 {
			w = newWorker(mustAlgs(t, "blake3"), Options{BufSize: bufSize})
		}
		m := w.use(nil)
		m.Reset()
		d := data
		if cut >= 0 {
			d = data[:cut]
		}
		rd := scriptAt{&script{data: d, fail: fail, err: errDisk}}
		if _, h := w.readsTree(rd, m, size, 0); (h != nil) != (idle >= 0) {
			t.Fatalf("%d idle: read in segments %v", idle, h != nil)
		}
		ns[i], errs[i] = w.copy(context.Background(), rd, m, size, 0)
		sums[i] = m.Sums()[0]
		if idle >= 0 && w.cores.idle.Load() != int64(idle) {
			t.Errorf("%d idle cores after, want %d", w.cores.idle.Load(), idle)
		}
	}
	for i := 1; i < 3; i++ {
		// A digest after an error is never given out.
		if ns[0] != ns[i] || !errors.Is(errs[i], errs[0]) || (errs[0] == nil && !bytes.Equal(sums[0], sums[i])) {
			t.Errorf("plain read %d bytes (%v), in segments (%d idle) %d bytes (%v); digests %x and %x", ns[0], errs[0], i-1, ns[i], errs[i], sums[0], sums[i])
		}
	}
	if fail >= 0 && !errors.Is(errs[2], errDisk) {
		t.Errorf("in segments: error %v, want the read's", errs[2])
	}
}

// segsPerStep: the segments in the least length that both a segment and
// the buffer divide.
func TestSegsPerStep(t *testing.T) {
	for _, tc := range []struct {
		buf  int
		want int64
	}{
		{segBytes, 1}, {2 * segBytes, 2}, {segBytes / 2, 1}, {4096, 1},
		{segBytes * 3 / 2, 3}, {3 * segBytes, 3}, {segBytes + 4096, 129}, {0, 1},
	} {
		if got := segsPerStep(tc.buf); got != tc.want {
			t.Errorf("segsPerStep(%d) = %d, want %d", tc.buf, got, tc.want)
		}
	}
}

// A cancelled run stops a file read in segments with the context's error.
func TestTreeReadCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data := treeData(20 * segBytes)
	w := treeWorker(t, 1)
	m := w.use(nil)
	m.Reset()
	n, err := w.copy(ctx, scriptAt{&script{data: data, fail: -1}}, m, int64(len(data)), 0)
	if !errors.Is(err, context.Canceled) || n != 0 {
		t.Errorf("read %d bytes, %v; want none, %v", n, err, context.Canceled)
	}
}
