package checksum

import "hash"

// Multi feeds several algorithms from one read: each byte is read from disk
// once whatever the number of algorithms of a table.
type Multi struct {
	algs []*Algorithm
	hs   []hash.Hash
	// lends says whether a hash may hash a large write on other cores
	// (BLAKE3 with idle cores): the write's memory is then read off the
	// writer's goroutine.
	lends bool
}

// NewMulti returns a Multi computing every algorithm of algs.
func NewMulti(algs []*Algorithm) *Multi { return newMulti(algs, nil) }

// newMulti returns a Multi whose tree hashes (BLAKE3) may hash a large
// write on c's idle cores too; the others hash on the writer's core.
func newMulti(algs []*Algorithm, c *cores) *Multi {
	m := &Multi{algs: algs, hs: make([]hash.Hash, len(algs))}
	for i, a := range algs {
		m.hs[i] = a.newOn(c)
		m.lends = m.lends || (a.split != nil && c != nil)
	}
	return m
}

// Write feeds p to every algorithm. It never fails.
func (m *Multi) Write(p []byte) (int, error) {
	for _, h := range m.hs {
		h.Write(p)
	}
	return len(p), nil
}

// Sums returns the digests, one per algorithm, in the order given to NewMulti.
func (m *Multi) Sums() [][]byte {
	// The digests share one block: two allocations per file in all.
	n := 0
	for _, h := range m.hs {
		n += h.Size()
	}
	block := make([]byte, 0, n)
	out := make([][]byte, len(m.hs))
	for i, h := range m.hs {
		start := len(block)
		block = h.Sum(block)
		out[i] = block[start:len(block):len(block)]
	}
	return out
}

// Reset restarts every algorithm so the Multi can hash the next input.
func (m *Multi) Reset() {
	for _, h := range m.hs {
		h.Reset()
	}
}

// Algorithms returns the algorithms the Multi computes.
func (m *Multi) Algorithms() []*Algorithm { return m.algs }
