package checksum

import (
	"hash"
	"math/bits"
	"sync"
	"sync/atomic"

	"github.com/zeebo/blake3"
	"lukechampine.com/blake3/guts"
)

// BLAKE3 is a binary tree over 1 KiB chunks, so one file can be hashed on
// several cores: whole subtrees hashed apart give chaining values that are
// merged by the tree's own rules. lukechampine.com/blake3/guts provides the
// compressions (16 chunks at once with AVX-512 where the CPU has it, else
// Go) and parent nodes; with AVX2 and no AVX-512, zeebo/blake3's kernels
// compress 8 chunks at once (blake3_amd64.go). This file lays out the
// tree and hands subtrees to the run's idle cores. References below are to the
// BLAKE3 paper ("BLAKE3: one function, fast everywhere"): its section 2.1
// for the tree, 2.2 for the flags, 5.1.2 for the chaining value stack.

const (
	// groupChunks chunks are what one SIMD call compresses: the unit of
	// every subtree this hasher forms, and of what it holds back.
	groupChunks = guts.MaxSIMD
	groupBytes  = groupChunks * guts.ChunkSize
	groupHeight = 4 // log2(groupChunks)

	// pieceBytes is the most one helper hashes in one go: a subtree of
	// 256 chunks, large enough that handing it over costs nothing worth
	// counting, small enough that a 512 KiB read splits two ways.
	pieceBytes = 256 << 10
	// splitBytes is the least a write must bring for idle cores to be
	// asked for: waking a goroutine costs microseconds.
	splitBytes = 2 * pieceBytes

	// maxHeight bounds the stack: 2^64 bytes are 2^54 chunks.
	maxHeight = 64 - 10
)

// blake3Hasher computes unkeyed BLAKE3 with a 32-byte digest (what b3sum
// prints). It implements hash.Hash.
type blake3Hasher struct {
	// cores are the run's idle cores that a large write may borrow; nil:
	// everything is hashed on the writing goroutine.
	cores *cores
	// counter is the number of chunks whose chaining values are in
	// stack: bit i set means stack[i] holds the chaining value of a
	// complete subtree of 2^i chunks (paper, 5.1.2). It is always a
	// multiple of groupChunks.
	counter uint64
	stack   [maxHeight][8]uint32
	// buf holds the input after the counter's chunks, at most one
	// group. Once anything was written it holds at least one byte: the
	// last chunk may be the root or the right edge of the tree, which only
	// Sum knows, so it is never compressed before.
	buf    [groupBytes]byte
	buflen int
	// maxPiece and minSplit are pieceBytes and splitBytes, smaller in
	// tests so that short inputs take the parallel path.
	maxPiece, minSplit int
	// pieces and cvs are reused by every large write.
	pieces []piece
	cvs    [][8]uint32
	// eight: subtrees are compressed by zeebo/blake3's AVX2 kernels, not
	// by guts (see blake3_amd64.go), and an input of one group at most is
	// hashed by zeebo/blake3 whole.
	eight bool
}

// newBlake3 returns a BLAKE3 hasher lending large writes to c's idle
// cores (nil: none).
func newBlake3(c *cores) *blake3Hasher {
	return &blake3Hasher{cores: c, maxPiece: pieceBytes, minSplit: splitBytes, eight: preferEightWide}
}

func (h *blake3Hasher) Size() int      { return 32 }
func (h *blake3Hasher) BlockSize() int { return guts.BlockSize }

// Reset restarts the hasher for the next input.
func (h *blake3Hasher) Reset() { h.counter, h.buflen = 0, 0 }

// Write hashes p; it never fails. Whole groups are hashed from p where it
// lies, only the tail (1 to groupBytes bytes) is copied.
func (h *blake3Hasher) Write(p []byte) (int, error) {
	n := len(p)
	if h.buflen > 0 {
		k := copy(h.buf[h.buflen:], p)
		h.buflen += k
		p = p[k:]
		if len(p) == 0 {
			return n, nil
		}
		// The held group is full and more follows: it is a complete
		// subtree, and not the root.
		h.push(groupCV(h.buf[:], h.counter), groupHeight)
		h.buflen = 0
	}
	if len(p) > groupBytes {
		whole := (len(p) - 1) / groupBytes * groupBytes
		h.bulk(p[:whole])
		p = p[whole:]
	}
	h.buflen = copy(h.buf[:], p)
	return n, nil
}

// Sum appends the 32-byte digest to b; the hasher can go on being written.
func (h *blake3Hasher) Sum(b []byte) []byte {
	// The held bytes are the tree's rightmost chunks. As counter is a
	// multiple of groupChunks and they are at most one group, they form
	// a subtree of their own (2.1: a left subtree is the largest power of
	// two of chunks leaving at least one for the right, which splits off
	// whole groups down to the last one), whose root node is merged with
	// the stack's subtrees from the lowest up, as the stack holds them
	// from right to left.
	if h.eight && h.counter == 0 {
		// The whole input is held: a group at most, which zeebo/blake3
		// hashes faster than guts (by half at 4 KiB, BenchmarkBlake3).
		sum := blake3.Sum256(h.buf[:h.buflen])
		return append(b, sum[:]...)
	}
	var n guts.Node
	if h.buflen <= guts.ChunkSize {
		// One chunk, or an empty input (one empty chunk).
		n = guts.CompressChunk(h.buf[:h.buflen], &guts.IV, h.counter, 0)
	} else if h.eight {
		n = tailNode8(&h.buf, h.buflen, h.counter)
	} else {
		n = guts.CompressBuffer(&h.buf, h.buflen, &guts.IV, h.counter, 0)
	}
	for c := h.counter; c != 0; c &= c - 1 {
		i := bits.TrailingZeros64(c)
		n = guts.ParentNode(h.stack[i], guts.ChainingValue(n), &guts.IV, 0)
	}
	// 2.2: ROOT on the last compression only, and the digest is the first
	// 32 bytes of its output.
	n.Flags |= guts.FlagRoot
	out := guts.WordsToBytes(guts.CompressNode(n))
	return append(b, out[:32]...)
}

// push adds the chaining value of a complete subtree of 2^height chunks,
// starting at chunk counter (a multiple of its size), merging equal
// heights into parents as a binary counter carries (5.1.2). None of these
// parents is the root: the held bytes come after them.
func (h *blake3Hasher) push(cv [8]uint32, height int) {
	i := height
	for h.counter&(1<<i) != 0 {
		cv = guts.ChainingValue(guts.ParentNode(h.stack[i], cv, &guts.IV, 0))
		i++
	}
	h.stack[i] = cv
	h.counter += 1 << height
}

// piece is a complete subtree of a large write: its place in the write,
// and its height in chunks.
type piece struct {
	off    int
	height int
}

// bulk hashes p, whole groups following the counter's chunks, as complete
// subtrees of at most pieceBytes, on idle cores where there are any.
func (h *blake3Hasher) bulk(p []byte) {
	h.pieces = h.pieces[:0]
	c, off := h.counter, 0
	for off < len(p) {
		// The largest subtree that starts at c (c a multiple of its size),
		// fits in what is left, and is at most a piece.
		height := bits.Len64(uint64(len(p)-off)/guts.ChunkSize) - 1
		height = min(height, bits.Len64(uint64(h.maxPiece)/guts.ChunkSize)-1)
		if c != 0 {
			height = min(height, bits.TrailingZeros64(c))
		}
		h.pieces = append(h.pieces, piece{off: off, height: height})
		off += guts.ChunkSize << height
		c += 1 << height
	}
	if cap(h.cvs) < len(h.pieces) {
		h.cvs = make([][8]uint32, len(h.pieces))
	}
	cvs := h.cvs[:len(h.pieces)]
	helpers := 0
	if h.cores != nil && len(p) >= h.minSplit {
		helpers = h.cores.take(len(h.pieces) - 1)
	}
	if helpers == 0 {
		for i, pc := range h.pieces {
			cvs[i] = subtreeCV(p[pc.off:pc.off+guts.ChunkSize<<pc.height], h.counter+uint64(pc.off/guts.ChunkSize), h.eight)
		}
	} else {
		h.share(p, cvs, helpers)
		h.cores.give(helpers)
	}
	for i, pc := range h.pieces {
		h.push(cvs[i], pc.height)
	}
}

// share hashes the pieces of p on this goroutine and helpers others, each
// taking the next piece not yet taken, and returns when all are done:
// nothing of p is kept past the Write.
func (h *blake3Hasher) share(p []byte, cvs [][8]uint32, helpers int) {
	var next atomic.Int64
	work := func() {
		for {
			i := int(next.Add(1) - 1)
			if i >= len(h.pieces) {
				return
			}
			pc := h.pieces[i]
			cvs[i] = subtreeCV(p[pc.off:pc.off+guts.ChunkSize<<pc.height], h.counter+uint64(pc.off/guts.ChunkSize), h.eight)
		}
	}
	var wg sync.WaitGroup
	for range helpers {
		wg.Go(work)
	}
	work()
	wg.Wait()
}

// subtreeCV is the chaining value of the complete subtree p, a power of
// two of groups, whose first chunk is chunk counter (2.1: each half a
// subtree, the parent over their two chaining values). eight: by
// zeebo/blake3's AVX2 kernels (blake3_amd64.go), else by guts.
func subtreeCV(p []byte, counter uint64, eight bool) [8]uint32 {
	if eight && len(p) <= eightChunks*guts.ChunkSize {
		return subtreeCV8(p, counter)
	}
	if len(p) == groupBytes {
		return groupCV(p, counter)
	}
	half := len(p) / 2
	l := subtreeCV(p[:half], counter, eight)
	r := subtreeCV(p[half:], counter+uint64(half/guts.ChunkSize), eight)
	return guts.ChainingValue(guts.ParentNode(l, r, &guts.IV, 0))
}

// groupCV is the chaining value of one whole group, compressed at once.
func groupCV(p []byte, counter uint64) [8]uint32 {
	return guts.ChainingValue(guts.CompressBuffer((*[groupBytes]byte)(p), groupBytes, &guts.IV, counter, 0))
}

// cores counts a run's idle cores: those no worker is hashing a file on.
// A worker hashing a large BLAKE3 file borrows them for its subtrees and
// gives them back when its write is done; while every worker has a file
// of its own there are none, and no extra goroutine competes.
type cores struct{ idle atomic.Int64 }

// newCores returns a count of n idle cores; n may be negative while more
// workers than cores run.
func newCores(n int) *cores {
	c := &cores{}
	c.idle.Store(int64(n))
	return c
}

// take borrows up to want idle cores and says how many it got.
func (c *cores) take(want int) int {
	for {
		n := c.idle.Load()
		if n <= 0 || want <= 0 {
			return 0
		}
		k := min(n, int64(want))
		if c.idle.CompareAndSwap(n, n-k) {
			return int(k)
		}
	}
}

// give returns n cores.
func (c *cores) give(n int) { c.idle.Add(int64(n)) }

var _ hash.Hash = (*blake3Hasher)(nil)
