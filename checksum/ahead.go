package checksum

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
)

// Reading ahead. A worker hashing a large file alone would otherwise read
// a buffer, hash it, read the next: on a machine with a core to spare the
// copy out of the page cache (or the wait for the disk) then adds to the
// hashing time. Read ahead, a second goroutine fills the next buffers
// while the worker hashes the current one, and the file costs its hashing
// time only. While every core has a worker of its own, there is no core
// to spare and the plain loop is kept: the hand-offs would cost without
// gaining.

const (
	// aheadMinBufs is how many buffers a file must still have to come
	// for a worker to read it ahead (8 MiB at the default buffer size):
	// less is over before the overlap pays for the hand-offs.
	aheadMinBufs = 16
	// aheadBufs is the number of buffers a read-ahead keeps in flight:
	// one hashed, one being read, one ready. More do not help, since
	// reading is several times faster than hashing.
	aheadBufs = 3
)

// lanes counts a run's workers still at work, so that each knows when a
// core is left over: at the end of a run, when the last files are in
// flight, or in a run with fewer workers than cores.
type lanes struct {
	cores  int32
	active atomic.Int32
}

func newLanes(cores int) *lanes { return &lanes{cores: int32(cores)} }

// spare says whether fewer workers than cores are at work. A nil lanes
// (a worker outside a run: HashReader) never has a core to spare.
func (l *lanes) spare() bool { return l != nil && l.active.Load() < l.cores }

// readsAhead says whether to read the rest of a file ahead: its size is
// known, enough of it is left, a core is free for the reader, and m is
// not BLAKE3 alone. BLAKE3 hashes a buffer read on the other core about
// a sixth slower than one read on its own (the bytes cross from one
// core's cache to the other's), which costs more than the read saves at
// its rate (a 400 MB file took 0.162 s read ahead, 0.117 s read and
// hashed on one core). A large BLAKE3 file is read in segments instead
// (treeread.go): on one core with -j 1, on every idle core otherwise.
func (w *worker) readsAhead(m *Multi, size, total int64) bool {
	return size >= 0 && size-total >= int64(aheadMinBufs*len(w.buf)) && w.lanes.spare() && blake3Alone(m) == nil
}

// chunk is one read of a read-ahead: n bytes of buf, the error the read
// returned, and whether it was the last read the plain loop would make.
type chunk struct {
	buf  []byte
	n    int
	err  error
	last bool
}

// aheadBuffers are the worker's buffers for reading ahead, its own buffer
// first; the others are made on the first read-ahead and kept.
func (w *worker) aheadBuffers() [][]byte {
	if len(w.spareBufs) == 0 {
		for range aheadBufs - 1 {
			w.spareBufs = append(w.spareBufs, make([]byte, len(w.buf)))
		}
	}
	return append([][]byte{w.buf}, w.spareBufs...)
}

// copyAhead is copy with the reads made ahead on another goroutine: the
// same bytes in the same order, the same end (a short read, EOF, an error,
// more than size) and the same errors. It returns only once the reader
// has stopped, so that the file is never read after its caller closes it.
func (w *worker) copyAhead(ctx context.Context, rd io.Reader, m *Multi, size, done int64) (int64, error) {
	bufs := w.aheadBuffers()
	free := make(chan []byte, len(bufs))
	full := make(chan chunk, len(bufs))
	stop := make(chan struct{})
	for _, b := range bufs {
		free <- b
	}
	var reader sync.WaitGroup
	reader.Go(func() { readAhead(rd, size, done, free, full, stop) })
	defer reader.Wait()
	defer close(stop)

	total := done
	for {
		var c chunk
		select {
		case c = <-full:
		case <-ctx.Done():
			return total, ctx.Err()
		}
		if c.n > 0 {
			m.Write(c.buf[:c.n])
			total += int64(c.n)
			if w.opt.Progress != nil {
				w.opt.Progress(int64(c.n))
			}
		}
		free <- c.buf // never blocks: it has room for every buffer
		switch {
		case c.err == io.EOF:
			return total, nil
		case c.err != nil:
			return total, c.err
		case c.last:
			return total, nil
		}
	}
}

// readAhead is the reader of copyAhead: it fills the free buffers in turn
// and hands them over full, ending where copy's loop would end, or at
// stop.
func readAhead(rd io.Reader, size, total int64, free <-chan []byte, full chan<- chunk, stop <-chan struct{}) {
	for {
		var b []byte
		select {
		case b = <-free:
		case <-stop:
			return
		}
		n, err := rd.Read(b)
		total += int64(n)
		c := chunk{buf: b, n: n, err: err, last: err != nil || n < len(b) || total > size}
		select {
		case full <- c:
		case <-stop:
			return
		}
		if c.last {
			return
		}
	}
}
