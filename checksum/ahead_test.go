package checksum

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// aheadBuf is the buffer of these tests: small, so that a file of a few
// hundred KiB is read ahead.
const aheadBuf = 4096

// How a test's worker reads a large file.
type aheadMode int

const (
	plainReads  aheadMode = iota // never ahead: a worker outside a run
	sharedReads                  // ahead, but no core to spare: reads made by whoever is free
	spareReads                   // ahead, on a core of its own
)

var aheadModes = []aheadMode{plainReads, sharedReads, spareReads}

func (m aheadMode) String() string { return [...]string{"plain", "shared", "spare core"}[m] }

// soloWorker is a worker that reads a file large enough as mode says,
// whatever the cores of the machine.
func soloWorker(t testing.TB, mode aheadMode, opt Options) *worker {
	t.Helper()
	opt.BufSize, opt.readAll = aheadBuf, true
	w := newWorker(mustAlgs(t, "sha256"), opt)
	if mode != plainReads {
		w.lanes = newLanes(2)
		w.lanes.active.Store(2)
		if mode == spareReads {
			w.lanes.active.Store(1)
		}
	}
	return w
}

// readerRunning says whether a read-ahead's reader is still running.
func readerRunning() bool {
	buf := make([]byte, 1<<20)
	return strings.Contains(string(buf[:runtime.Stack(buf, true)]), "checksum.(*ahead).readAhead")
}

// The read-ahead gives the same digest, size and mode as the plain reads,
// for files around the buffer and threshold sizes.
func TestReadAheadSameDigests(t *testing.T) {
	dir := t.TempDir()
	min := aheadMinBufs * aheadBuf
	for _, size := range []int{0, 1, aheadBuf, min - 1, min, min + 1, 3 * min, 3*min + aheadBuf - 1, 100*aheadBuf + 7} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(i*31 + size)
		}
		p := filepath.Join(dir, "f")
		if err := os.WriteFile(p, data, 0o640); err != nil {
			t.Fatal(err)
		}
		want := sha256.Sum256(data)
		for _, j := range []Job{Named(p, false), Seen(p, 0o640, int64(size)), Expected(p, int64(size), true), Expected(p, int64(size)/2, true)} {
			for _, mode := range aheadModes {
				r := soloWorker(t, mode, Options{}).hashFile(context.Background(), j, 0)
				if r.Err != nil || r.Size != int64(size) || !bytes.Equal(r.Sums[0], want[:]) {
					t.Errorf("size %d, job %+v, reads %v: size %d err %v digest %x, want %x", size, j, mode, r.Size, r.Err, r.Sums, want)
				}
			}
		}
	}
	if readerRunning() {
		t.Error("a reader outlived its file")
	}
}

// script is a reader of a fixed content that fails with err once it
// reaches fail bytes (fail < 0: never), returning the bytes before with
// the error, and records a read made after closed is set.
type script struct {
	data      []byte
	off, fail int
	err       error
	closed    atomic.Bool
	late      atomic.Bool
	block     chan struct{} // if set, each read waits for a receive
}

func (s *script) Read(p []byte) (int, error) {
	if s.closed.Load() {
		s.late.Store(true)
	}
	if s.block != nil {
		<-s.block
	}
	if s.fail >= 0 && s.off >= s.fail {
		return 0, s.err
	}
	// A read at an offset past the end (ReadAt of a later segment) finds
	// nothing, as a file's does.
	start := min(s.off, len(s.data))
	end := max(start, min(len(s.data), s.off+len(p)))
	if s.fail >= 0 {
		end = max(start, min(end, s.fail))
	}
	n := copy(p, s.data[start:end])
	s.off += n
	switch {
	case s.fail >= 0 && s.off >= s.fail:
		return n, s.err
	case n == 0:
		return 0, io.EOF
	}
	return n, nil
}

// copy and copyAhead agree on every reader: the bytes fed, the count and
// the error, at every way a read can end.
func TestReadAheadSameEnd(t *testing.T) {
	errDisk := errors.New("input/output error")
	data := bytes.Repeat([]byte("0123456789abcdef"), 40*aheadBuf/16)
	cases := []struct {
		name string
		size int64 // what the caller expects
		fail int
		data []byte
	}{
		{"whole", int64(len(data)), -1, data},
		{"error mid-file", int64(len(data)), 17*aheadBuf + 5, data},
		{"error on a buffer boundary", int64(len(data)), 20 * aheadBuf, data},
		{"shorter than expected", int64(len(data)) + 10*aheadBuf, -1, data},
		{"longer than expected", int64(len(data)) - 12*aheadBuf - 1, -1, data},
		{"longer by one buffer", int64(len(data)) - aheadBuf, -1, data},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var sums [3][]byte
			var ns [3]int64
			var errs [3]error
			for i, mode := range aheadModes {
				w := soloWorker(t, mode, Options{})
				m := w.use(nil)
				m.Reset()
				rd := &script{data: tc.data, fail: tc.fail, err: errDisk}
				if ahead := w.readsAhead(m, tc.size, 0); ahead != (mode != plainReads) {
					t.Fatalf("%v: read ahead %v", mode, ahead)
				}
				ns[i], errs[i] = w.copy(context.Background(), rd, m, tc.size, 0)
				rd.closed.Store(true)
				if rd.late.Load() {
					t.Errorf("%v: the file was read after copy returned", mode)
				}
				sums[i] = m.Sums()[0]
			}
			for i := 1; i < len(aheadModes); i++ {
				if ns[0] != ns[i] || !errors.Is(errs[i], errs[0]) || !bytes.Equal(sums[0], sums[i]) {
					t.Errorf("plain read %d bytes (%v), %v %d bytes (%v); digests %x and %x", ns[0], errs[0], aheadModes[i], ns[i], errs[i], sums[0], sums[i])
				}
				if tc.fail >= 0 && !errors.Is(errs[i], errDisk) {
					t.Errorf("%v: error %v, want the read's", aheadModes[i], errs[i])
				}
			}
		})
	}
	if readerRunning() {
		t.Error("a reader outlived its file")
	}
}

// A file read ahead that shrinks or grows while it is read is a
// ChangedError, as it is read the plain way.
func TestReadAheadChangedWhileRead(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(p string) error
	}{
		{"shrinks", func(p string) error { return os.Truncate(p, 3*aheadBuf) }},
		{"grows", func(p string) error {
			f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.Write(make([]byte, 50*aheadBuf))
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "f")
			for _, mode := range aheadModes[1:] {
				if err := os.WriteFile(p, make([]byte, 40*aheadBuf), 0o644); err != nil {
					t.Fatal(err)
				}
				changed := false
				w := soloWorker(t, mode, Options{Progress: func(int64) {
					if !changed {
						changed = true
						if err := tc.change(p); err != nil {
							t.Error(err)
						}
					}
				}})
				r := w.hashFile(context.Background(), Named(p, false), 0)
				var ce *ChangedError
				if !errors.As(r.Err, &ce) || r.Sums != nil {
					t.Fatalf("%v: a file changed while read ahead: sums %x, error %v; want a ChangedError", mode, r.Sums, r.Err)
				}
				var pe *fs.PathError
				if !errors.As(r.Err, &pe) || pe.Path != p {
					t.Errorf("%v: the error %v does not name %q", mode, r.Err, p)
				}
			}
		})
	}
}

// Cancelled mid-file, a read-ahead returns the context's error, and its
// reader has stopped before it returns: nothing reads the file after.
func TestReadAheadCancel(t *testing.T) {
	for _, mode := range aheadModes[1:] {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		rd := &script{data: make([]byte, 200*aheadBuf), fail: -1, block: make(chan struct{})}
		w := soloWorker(t, mode, Options{Progress: func(int64) { cancel() }})
		m := w.use(nil)
		done := make(chan struct{})
		var n int64
		var err error
		go func() {
			defer close(done)
			n, err = w.copy(ctx, rd, m, int64(len(rd.data)), 0)
			rd.closed.Store(true)
		}()
		// Let reads through until the worker stops asking: the first one
		// hashed cancels, and the reader may have one more under way.
		for stopped := false; !stopped; {
			select {
			case rd.block <- struct{}{}:
			case <-done:
				stopped = true
			}
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("%v: cancelled read-ahead returned %v after %d bytes", mode, err, n)
		}
		if n >= int64(len(rd.data)) {
			t.Errorf("%v: read all %d bytes after the cancel", mode, n)
		}
		if rd.late.Load() {
			t.Errorf("%v: the file was read after the read-ahead returned", mode)
		}
		if readerRunning() {
			t.Errorf("%v: the reader outlived its file", mode)
		}
	}
}

// While every core has a worker, a file larger than its worker's share
// of the run's bytes is read by the other workers between their own
// files (lanes.help): in order, into the buffers the hashing has freed,
// and none after the file is done. A file within its share is not
// offered: the others would pay for its reads what its worker saves.
func TestReadAheadHelped(t *testing.T) {
	data := make([]byte, 100*aheadBuf+5)
	for i := range data {
		data[i] = byte(i * 7)
	}
	for _, tc := range []struct {
		fair  int64
		helps int32
	}{
		{fair: int64(len(data)) - 1, helps: aheadBufs - 1},
		{fair: int64(len(data)), helps: 0},
	} {
		h := holdShared(t, data, tc.fair)
		before := h.reads.Load()
		h.w.lanes.help()
		if got := h.reads.Load() - before; got != tc.helps {
			t.Errorf("share %d of a file of %d: a helper made %d reads, want %d", tc.fair, len(data), got, tc.helps)
		}
		n, err := h.finish()
		if want := sha256.Sum256(data); err != nil || n != int64(len(data)) || !bytes.Equal(h.m.Sums()[0], want[:]) {
			t.Errorf("helped read: %d bytes, %v, digest %x; want %d bytes, %x", n, err, h.m.Sums()[0], len(data), want)
		}
		h.w.lanes.help() // the file is done: nothing to read, nothing read
		if h.rd.late.Load() {
			t.Error("the file was read after copy returned")
		}
		if h.w.lanes.shared.Load() != nil {
			t.Error("the file is still offered for help after it was read")
		}
	}
}

// heldCopy is a large file being read ahead, its reads shared with the
// other workers, held once its worker has read and hashed its first
// buffer, so that another worker can help meanwhile.
type heldCopy struct {
	w      *worker
	m      *Multi
	rd     *counted
	reads  *atomic.Int32
	resume chan struct{}
	done   chan struct{}
	n      int64
	err    error
}

// holdShared starts copying data on a worker whose share of the run is
// fair, and returns once it is held after its first buffer.
func holdShared(t *testing.T, data []byte, fair int64) *heldCopy {
	t.Helper()
	h := &heldCopy{reads: new(atomic.Int32), resume: make(chan struct{}), done: make(chan struct{})}
	h.rd = &counted{script: script{data: data, fail: -1}, reads: h.reads}
	hashed := make(chan struct{})
	first := true
	h.w = soloWorker(t, sharedReads, Options{Progress: func(int64) {
		if first {
			first = false
			close(hashed)
			<-h.resume
		}
	}})
	h.w.lanes.fair = fair
	h.m = h.w.use(nil)
	h.m.Reset()
	go func() {
		defer close(h.done)
		h.n, h.err = h.w.copy(context.Background(), h.rd, h.m, int64(len(data)), 0)
		h.rd.closed.Store(true)
	}()
	<-hashed
	return h
}

// finish lets the held copy go on, and returns what it returned.
func (h *heldCopy) finish() (int64, error) {
	close(h.resume)
	<-h.done
	return h.n, h.err
}

// counted is a script that counts its reads.
type counted struct {
	script
	reads *atomic.Int32
}

func (c *counted) Read(p []byte) (int, error) {
	c.reads.Add(1)
	return c.script.Read(p)
}

// A worker alone in a run reads its large file ahead; the engine then
// gives the file's digest. (On a single core there is no core to spare,
// and the run reads the plain way.)
func TestHashFilesReadsAheadAlone(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		t.Skip("one core: nothing to read ahead on")
	}
	data := bytes.Repeat([]byte("sverka"), 50*aheadBuf)
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	sawReader := false
	opt := Options{Workers: 1, BufSize: aheadBuf, readAll: true, Progress: func(int64) { sawReader = sawReader || readerRunning() }}
	var got Result
	if err := HashFiles(context.Background(), []Job{Named(p, false)}, mustAlgs(t, "sha256"), opt, func(r Result) error { got = r; return r.Err }); err != nil {
		t.Fatal(err)
	}
	if want := sha256.Sum256(data); !bytes.Equal(got.Sums[0], want[:]) {
		t.Errorf("digest %x, want %x", got.Sums[0], want)
	}
	if !sawReader {
		t.Error("a worker alone on a large file did not read it ahead")
	}
	if readerRunning() {
		t.Error("the reader outlived its file")
	}
}
