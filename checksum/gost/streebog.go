package gost

import (
	"encoding/binary"
	"hash"
	"math/bits"
)

const streebogBlock = 64

// streebog is the GOST R 34.11-2012 state. The 512-bit values are kept as
// little-endian words, so a message block is read straight from its bytes.
type streebog struct {
	h     [8]uint64 // chaining value
	n     [8]uint64 // number of message bits processed
	sigma [8]uint64 // sum of the message blocks modulo 2^512
	buf   [streebogBlock]byte
	nbuf  int
	size  int // digest size in bytes: 32 or 64
	// g is the compression function and blocks its loop over whole
	// blocks, which also advances n and sigma: assembly where the
	// processor has it, gGeneric and blocksGeneric otherwise.
	g      func(h, n, m *[8]uint64)
	blocks func(h, n, sigma *[8]uint64, p []byte)
}

// New256 returns a Streebog-256 (GOST R 34.11-2012, 256-bit) hash.
func New256() hash.Hash { return newStreebog(32) }

// New512 returns a Streebog-512 (GOST R 34.11-2012, 512-bit) hash.
func New512() hash.Hash { return newStreebog(64) }

func newStreebog(size int) *streebog { return newStreebogWith(size, compressFast, blocksFast) }

func newStreebogWith(size int, g func(h, n, m *[8]uint64), blocks func(h, n, sigma *[8]uint64, p []byte)) *streebog {
	lpsOnce.Do(fillLPS)
	d := &streebog{size: size, g: g, blocks: blocks}
	d.Reset()
	return d
}

func (d *streebog) Size() int      { return d.size }
func (d *streebog) BlockSize() int { return streebogBlock }

func (d *streebog) Reset() {
	// The initial vector is all 0x01 bytes for 256 bits, zero for 512.
	var iv uint64
	if d.size == 32 {
		iv = 0x0101010101010101
	}
	for i := range d.h {
		d.h[i] = iv
	}
	d.n = [8]uint64{}
	d.sigma = [8]uint64{}
	d.nbuf = 0
}

func (d *streebog) Write(p []byte) (int, error) {
	n := len(p)
	if d.nbuf > 0 {
		c := copy(d.buf[d.nbuf:], p)
		d.nbuf += c
		p = p[c:]
		if d.nbuf < streebogBlock {
			return n, nil
		}
		d.blocks(&d.h, &d.n, &d.sigma, d.buf[:])
		d.nbuf = 0
	}
	if full := len(p) &^ (streebogBlock - 1); full > 0 {
		d.blocks(&d.h, &d.n, &d.sigma, p[:full])
		p = p[full:]
	}
	d.nbuf = copy(d.buf[:], p)
	return n, nil
}

func (d *streebog) Sum(in []byte) []byte {
	c := *d
	var out [64]byte
	c.finish(&out)
	return append(in, out[64-c.size:]...)
}

// finish pads the last block and applies the final compressions; the full
// 512-bit chaining value is left in out, little-endian.
func (d *streebog) finish(out *[64]byte) {
	var last [streebogBlock]byte
	copy(last[:], d.buf[:d.nbuf])
	last[d.nbuf] = 1
	var m [8]uint64
	for i := range m {
		m[i] = binary.LittleEndian.Uint64(last[8*i:])
	}
	d.g(&d.h, &d.n, &m)
	addWord(&d.n, uint64(d.nbuf)*8)
	add512(&d.sigma, &m)
	var zero [8]uint64
	d.g(&d.h, &zero, &d.n)
	d.g(&d.h, &zero, &d.sigma)
	for i, w := range d.h {
		binary.LittleEndian.PutUint64(out[8*i:], w)
	}
}

// blocksGeneric compresses the whole 64-byte blocks of p into h with
// gGeneric, counting them in n and summing them into sigma.
func blocksGeneric(h, n, sigma *[8]uint64, p []byte) {
	for len(p) >= streebogBlock {
		b := p[:streebogBlock:streebogBlock]
		var m [8]uint64
		m[0] = binary.LittleEndian.Uint64(b[0:8])
		m[1] = binary.LittleEndian.Uint64(b[8:16])
		m[2] = binary.LittleEndian.Uint64(b[16:24])
		m[3] = binary.LittleEndian.Uint64(b[24:32])
		m[4] = binary.LittleEndian.Uint64(b[32:40])
		m[5] = binary.LittleEndian.Uint64(b[40:48])
		m[6] = binary.LittleEndian.Uint64(b[48:56])
		m[7] = binary.LittleEndian.Uint64(b[56:64])
		gGeneric(h, n, &m)
		addWord(n, 512)
		add512(sigma, &m)
		p = p[streebogBlock:]
	}
}

// addWord adds v to the 512-bit number x.
func addWord(x *[8]uint64, v uint64) {
	var c uint64
	x[0], c = bits.Add64(x[0], v, 0)
	for i := 1; i < 8 && c != 0; i++ {
		x[i], c = bits.Add64(x[i], 0, c)
	}
}

// add512 adds y to x modulo 2^512.
func add512(x, y *[8]uint64) {
	var c uint64
	x[0], c = bits.Add64(x[0], y[0], 0)
	x[1], c = bits.Add64(x[1], y[1], c)
	x[2], c = bits.Add64(x[2], y[2], c)
	x[3], c = bits.Add64(x[3], y[3], c)
	x[4], c = bits.Add64(x[4], y[4], c)
	x[5], c = bits.Add64(x[5], y[5], c)
	x[6], c = bits.Add64(x[6], y[6], c)
	x[7], _ = bits.Add64(x[7], y[7], c)
}

// gGeneric is the compression function g_N(h, m) = E(LPS(h⊕N), m) ⊕ h ⊕ m.
func gGeneric(h, n, m *[8]uint64) {
	tab := &lpsTable
	var k, s, t [8]uint64
	for i := range k {
		t[i] = h[i] ^ n[i]
	}
	lps(tab, &k, &t)
	for i := range s {
		s[i] = m[i] ^ k[i]
	}
	for r := 0; r < 12; r++ {
		lps(tab, &t, &s)
		c := &streebogC[r]
		for i := range k {
			k[i] ^= c[i]
		}
		lps(tab, &s, &k)
		k = s
		for i := range s {
			s[i] = t[i] ^ k[i]
		}
	}
	for i := range h {
		h[i] ^= s[i] ^ m[i]
	}
}

// lps computes dst = L(P(S(src))) with t = &lpsTable, passed in so the
// table's address stays in a register. Output word j gathers byte j of every
// input word; each input word is shifted down a byte per output word.
func lps(t *[8][256]uint64, dst, src *[8]uint64) {
	s0, s1, s2, s3 := src[0], src[1], src[2], src[3]
	s4, s5, s6, s7 := src[4], src[5], src[6], src[7]
	for j := 0; j < 8; j++ {
		dst[j] = t[0][uint8(s0)] ^ t[1][uint8(s1)] ^ t[2][uint8(s2)] ^ t[3][uint8(s3)] ^
			t[4][uint8(s4)] ^ t[5][uint8(s5)] ^ t[6][uint8(s6)] ^ t[7][uint8(s7)]
		s0 >>= 8
		s1 >>= 8
		s2 >>= 8
		s3 >>= 8
		s4 >>= 8
		s5 >>= 8
		s6 >>= 8
		s7 >>= 8
	}
}
