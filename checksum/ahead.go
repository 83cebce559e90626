package checksum

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
)

// Reading ahead. A worker hashing a large file alone would otherwise read
// a buffer, hash it, read the next: the copy out of the page cache (or
// the wait for the disk) then adds to the hashing time. Read ahead, the
// reads are made by whoever is free while the worker hashes: a goroutine
// of its own on a core no worker needs, and, while every core has a
// worker, the other workers between their own files (help), for the
// file the run will wait for. The worker makes a read itself only when
// nothing was read for it. A kit whose largest file is most of its
// bytes so waits for that file's hashing only, even while the other
// workers still have the small files to hash.

const (
	// aheadMinBufs is how many buffers a file must still have to come
	// for a worker to read it ahead (8 MiB at the default buffer size):
	// less is over before the overlap pays for the hand-offs.
	aheadMinBufs = 16
	// aheadBufs is the number of buffers a read-ahead keeps in flight:
	// one hashed, one being read, one ready. More do not help, since
	// reading is several times faster than hashing, and cost a reader
	// on another core the cache they no longer fit in (8 buffers: a
	// 400 MB file 2% slower).
	aheadBufs = 3
)

// lanes counts a run's workers still at work, so that each knows when a
// core is left over: at the end of a run, when the last files are in
// flight, or in a run with fewer workers than cores. shared is the file
// read ahead that the other workers help to read.
type lanes struct {
	cores  int32
	active atomic.Int32
	shared atomic.Pointer[ahead]
	// fair is a worker's share of the run's bytes. Only a file larger
	// than that is shared: the run waits for it alone at the end,
	// while the reads the others would make for a smaller one cost
	// them what they save its worker, and more (the bytes hashed on
	// another core than the one that read them).
	fair int64
}

func newLanes(cores int) *lanes { return &lanes{cores: int32(cores)} }

// spare says whether fewer workers than cores are at work. A nil lanes
// (a worker outside a run: HashReader) never has a core to spare.
func (l *lanes) spare() bool { return l != nil && l.active.Load() < l.cores }

// share offers a's reads to the other workers, unless a larger file's
// are: of two such files, the larger is the one the run waits for.
func (l *lanes) share(a *ahead) {
	for {
		o := l.shared.Load()
		if o != nil && o.size >= a.size || l.shared.CompareAndSwap(o, a) {
			return
		}
	}
}

// help makes the reads of the shared file that need no waiting, for a
// worker between its own files or reads.
func (l *lanes) help() {
	if l == nil {
		return
	}
	if a := l.shared.Load(); a != nil {
		a.help()
	}
}

// readsAhead says whether to read the rest of a file ahead: its size is
// known, enough of it is left, the worker is in a run, and m is not
// BLAKE3 alone. BLAKE3 hashes a buffer read on the other core about a
// sixth slower than one read on its own (the bytes cross from one core's
// cache to the other's), which costs more than the read saves at its
// rate (a 400 MB file took 0.162 s read ahead, 0.117 s read and hashed
// on one core). A large BLAKE3 file is read in segments instead
// (treeread.go): on one core with -j 1, on every idle core otherwise.
func (w *worker) readsAhead(m *Multi, size, total int64) bool {
	return size >= 0 && size-total >= int64(aheadMinBufs*len(w.buf)) && w.lanes != nil && blake3Alone(m) == nil
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

// ahead is a file read ahead. Its reads are made one at a time, in
// order, under mu, each into a free buffer and handed over full; full
// has room for every buffer, so handing over never blocks.
type ahead struct {
	mu    sync.Mutex
	rd    io.Reader
	size  int64 // the end the plain loop would stop at
	total int64 // bytes read so far, the done ones included
	over  bool  // a read ended the file, or the worker stopped
	free  chan []byte
	full  chan chunk
}

// readInto makes the next read into b and hands it over. Called with mu
// held and over not set.
func (a *ahead) readInto(b []byte) {
	n, err := a.rd.Read(b)
	a.total += int64(n)
	c := chunk{buf: b, n: n, err: err, last: err != nil || n < len(b) || a.total > a.size}
	a.over = c.last
	a.full <- c
}

// help makes the reads it can without waiting: none while another is
// under way, and none once every buffer is full.
func (a *ahead) help() {
	if !a.mu.TryLock() {
		return
	}
	defer a.mu.Unlock()
	for !a.over {
		select {
		case b := <-a.free:
			a.readInto(b)
		default:
			return
		}
	}
}

// readAhead is the reader of a core no worker needs: it makes every
// read, waiting for the worker to free a buffer, until the file ends
// or stop.
func (a *ahead) readAhead(stop <-chan struct{}) {
	for {
		var b []byte
		select {
		case b = <-a.free:
		case <-stop:
			return
		}
		a.mu.Lock()
		if a.over {
			a.mu.Unlock()
			return
		}
		a.readInto(b)
		a.mu.Unlock()
	}
}

// next is the next chunk: read for the worker if it was, else read now.
func (a *ahead) next(ctx context.Context) (chunk, error) {
	select {
	case c := <-a.full:
		return c, nil
	case <-ctx.Done():
		return chunk{}, ctx.Err()
	default:
	}
	a.mu.Lock()
	select {
	case b := <-a.free:
		if a.over {
			a.free <- b // a helper read the last chunk meanwhile
		} else {
			a.readInto(b)
		}
	default:
		// No buffer is free: the chunks are in full, or the reader
		// holds the last free one and waits for mu. A chunk comes next
		// either way.
	}
	a.mu.Unlock()
	select {
	case c := <-a.full:
		return c, nil
	case <-ctx.Done():
		return chunk{}, ctx.Err()
	}
}

// copyAhead is copy with the reads made ahead: the same bytes in the same
// order, the same end (a short read, EOF, an error, more than size) and
// the same errors. It returns only once nothing reads the file any more,
// so that the file is never read after its caller closes it.
func (w *worker) copyAhead(ctx context.Context, rd io.Reader, m *Multi, size, done int64) (int64, error) {
	bufs := w.aheadBuffers()
	a := &ahead{rd: rd, size: size, total: done, free: make(chan []byte, len(bufs)), full: make(chan chunk, len(bufs))}
	for _, b := range bufs {
		a.free <- b
	}
	if size > w.lanes.fair {
		w.lanes.share(a)
	}
	stop := make(chan struct{})
	var reader sync.WaitGroup
	defer func() {
		w.lanes.shared.CompareAndSwap(a, nil)
		close(stop)
		a.mu.Lock()
		a.over = true // no helper reads after this
		a.mu.Unlock()
		reader.Wait()
	}()

	total := done
	started := false
	for {
		if !started && w.lanes.spare() {
			started = true
			reader.Go(func() { a.readAhead(stop) })
		}
		if o := w.lanes.shared.Load(); o != a && o != nil {
			o.help() // another worker's larger file is shared
		}
		c, err := a.next(ctx)
		if err != nil {
			return total, err
		}
		if c.n > 0 {
			m.Write(c.buf[:c.n])
			total += int64(c.n)
			if w.opt.Progress != nil {
				w.opt.Progress(int64(c.n))
			}
		}
		a.free <- c.buf // never blocks: it has room for every buffer
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
