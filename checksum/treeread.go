package checksum

import (
	"context"
	"io"
	"sync"
	"sync/atomic"

	"lukechampine.com/blake3/guts"
)

// Reading a large BLAKE3 file on several cores at once. The read-ahead of
// ahead.go reads on one core and hashes on another, so every buffer
// crosses from one core's cache to the other's: hashing it costs about a
// sixth more there (pprof: compressChunksAVX512 1.80 s against 1.54 s for
// the same bytes read on the hashing core). A BLAKE3 file needs neither
// the hand-off nor an order of reading: each core reads a segment of its
// own at its offset (pread) and hashes it as one complete subtree in its
// own cache, and only the chaining values, 32 bytes a segment, are put
// in order. Reading and hashing are then shared evenly by the cores: (R +
// H) / cores instead of the larger of R and H/cores plus the crossings.

const (
	// segBytes is one segment: a complete subtree of 512 chunks, read in
	// one pread, small enough to stay in a core's cache between the read
	// and the hashing with room to spare (a 1 MiB segment fills a Zen 5
	// core's L2). The worker's own buffer holds as many as fit; a helper
	// takes 512 KiB of fresh memory, which costs 2 ms where pages fault
	// on a virtual machine's host. 400 MB took 151 ms on one core and
	// 91 ms on two, against 156 and 99 ms with 1 MiB (best of 21); 256
	// KiB was no faster.
	segBytes  = 1 << 19
	segHeight = 9 // log2(segBytes / guts.ChunkSize)
	// roundSegs segments are shared out at a time, their chaining values
	// merged in order at the end of the round: the idle cores are counted
	// again each round (a worker that finished its own files lends its
	// core to the next), and a round's end waits for at most one segment.
	roundSegs = 32
	// treeMinSegs is the least a file must have for the tree read (8
	// MiB): below, starting a helper costs more than it saves.
	treeMinSegs = 16
)

// blake3Alone returns m's hasher if m computes BLAKE3 alone, else nil.
func blake3Alone(m *Multi) *blake3Hasher {
	if len(m.hs) != 1 {
		return nil
	}
	h, _ := m.hs[0].(*blake3Hasher)
	return h
}

// treeHasher returns m's BLAKE3 hasher if m computes BLAKE3 alone with
// idle cores to borrow, and it has not been written to.
func treeHasher(m *Multi) *blake3Hasher {
	h := blake3Alone(m)
	if h == nil || h.cores == nil || h.counter != 0 || h.buflen != 0 {
		return nil
	}
	return h
}

// treeSource is a file read in segments: at offsets, then on from where
// the segments end.
type treeSource interface {
	io.Reader
	io.ReaderAt
	io.Seeker
}

// readsTree says whether to read rd's file in segments on the idle cores:
// BLAKE3 alone on a hasher that may borrow them, nothing read yet, a
// known size of several segments, and a source that reads at an offset.
// Whether a core is idle is asked each round, not here: a file begun
// while every worker is busy takes the core of the first to finish.
func (w *worker) readsTree(rd io.Reader, m *Multi, size, done int64) (treeSource, *blake3Hasher) {
	if done != 0 || size < treeMinSegs*segBytes {
		return nil, nil
	}
	ts, ok := rd.(treeSource)
	if !ok {
		return nil, nil
	}
	h := treeHasher(m)
	if h == nil {
		return nil, nil
	}
	return ts, h
}

// copyTree hashes rd's file into m's hasher h (fresh, BLAKE3 alone) as
// copy would: the whole segments before the last byte on this goroutine
// and the idle cores, then the rest with copy's loop on rd. That loop
// takes over at a multiple of both a segment and w's buffer, no later
// than the start of the last segment read whole, so that from there it
// reads what copy would have read: where the file ends early, or later
// than size says, a read fails or ctx is done, the bytes, their count
// and the error are the plain loop's, and the hasher holds back the
// file's last bytes as Sum needs (a file that ends on a segment's end
// has no byte after it). Until that point is known, the last segments'
// chaining values wait in pending.
func (w *worker) copyTree(ctx context.Context, rd treeSource, m *Multi, h *blake3Hasher, size int64) (int64, error) {
	segs := (size - 1) / segBytes
	step := segsPerStep(len(w.buf))
	var cvs [roundSegs][8]uint32
	pending := make([][8]uint32, 0, step)
	first := int64(0)
	for first < segs {
		k := min(roundSegs, segs-first)
		n := int64(w.treeRound(ctx, rd, cvs[:k], first, h.eight))
		pushed := int64(0)
		for i := range n {
			if int64(len(pending)) == step {
				h.push(pending[0], segHeight)
				pending = append(pending[:0], pending[1:]...)
				pushed++
			}
			pending = append(pending, cvs[i])
		}
		if w.opt.Progress != nil && pushed > 0 {
			w.opt.Progress(pushed * segBytes)
		}
		first += n
		if n < k {
			break
		}
	}
	// The segments before the plain loop's start, of those pending.
	start := max(first-1, 0) / step * step
	pushed := int64(0)
	for i := first - int64(len(pending)); i < start; i++ {
		h.push(pending[0], segHeight)
		pending = pending[1:]
		pushed++
	}
	if w.opt.Progress != nil && pushed > 0 {
		w.opt.Progress(pushed * segBytes)
	}
	total := start * segBytes
	if _, err := rd.Seek(total, io.SeekStart); err != nil {
		return total, err
	}
	return w.copyOn(ctx, rd, m, size, total)
}

// segsPerStep is how many segments make the least length that is a
// multiple of both a segment and a buffer of bufLen bytes.
func segsPerStep(bufLen int) int64 {
	if bufLen <= 0 {
		return 1
	}
	a, b := int64(segBytes), int64(bufLen)
	for b != 0 {
		a, b = b, a%b
	}
	return int64(bufLen) / a
}

// treeRound hashes the len(cvs) segments from segment first into cvs, on
// this goroutine and the idle cores it can borrow (eight: as subtreeCV
// says), and returns how many from the first are hashed: fewer when one
// could not be read whole.
func (w *worker) treeRound(ctx context.Context, ra io.ReaderAt, cvs [][8]uint32, first int64, eight bool) int {
	var next atomic.Int64
	// failed is the lowest segment that could not be hashed: the
	// segments after it are not taken.
	var failed atomic.Int64
	failed.Store(int64(len(cvs)))
	work := func(buf []byte) {
		for {
			i := next.Add(1) - 1
			if i >= failed.Load() {
				return
			}
			off := (first + i) * segBytes
			if ctx.Err() != nil {
				lower(&failed, i)
				return
			}
			if n, _ := ra.ReadAt(buf, off); n < len(buf) {
				lower(&failed, i) // copy's loop reads it again and tells why
				return
			}
			cvs[i] = subtreeCV(buf, uint64(off/guts.ChunkSize), eight)
		}
	}
	helpers := w.cores.take(len(cvs) - 1)
	bufs := w.treeBuffers(helpers + 1)
	var wg sync.WaitGroup
	for _, buf := range bufs[1:] {
		wg.Go(func() { work(buf) })
	}
	work(bufs[0])
	wg.Wait()
	w.cores.give(helpers)
	return int(failed.Load())
}

// lower sets a to i if i is lower.
func lower(a *atomic.Int64, i int64) {
	for {
		v := a.Load()
		if i >= v || a.CompareAndSwap(v, i) {
			return
		}
	}
}

// treeBuffers returns n segment buffers, first those the worker's own
// buffer holds, kept on the worker for its next files.
func (w *worker) treeBuffers(n int) [][]byte {
	if len(w.treeBufs) == 0 {
		for off := 0; off+segBytes <= len(w.buf); off += segBytes {
			w.treeBufs = append(w.treeBufs, w.buf[off:off+segBytes:off+segBytes])
		}
	}
	for len(w.treeBufs) < n {
		w.treeBufs = append(w.treeBufs, make([]byte, segBytes))
	}
	return w.treeBufs[:n]
}
