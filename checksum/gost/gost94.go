package gost

import (
	"encoding/binary"
	"hash"
	"math/bits"
	"sync"
)

const gost94Block = 32

// sboxes holds the eight 4-bit S-boxes of GOST 28147-89; sboxes[0] maps
// the least significant nibble of a word.
type sboxes [8][16]byte

// The test parameter set of GOST R 34.11-94 (its appendix A; RFC 5831
// section 7.1; OID 1.2.643.2.2.30.0).
var testParamSet = sboxes{
	{4, 10, 9, 2, 13, 8, 0, 14, 6, 11, 1, 12, 7, 15, 5, 3},
	{14, 11, 4, 12, 6, 13, 15, 10, 2, 3, 8, 1, 0, 7, 5, 9},
	{5, 8, 1, 13, 10, 3, 4, 2, 14, 15, 12, 7, 6, 0, 9, 11},
	{7, 13, 10, 1, 0, 8, 9, 15, 14, 4, 6, 12, 11, 2, 5, 3},
	{6, 12, 7, 1, 5, 15, 13, 8, 4, 10, 9, 14, 0, 3, 11, 2},
	{4, 11, 10, 0, 7, 2, 1, 13, 3, 6, 8, 5, 9, 12, 15, 14},
	{13, 11, 4, 1, 3, 15, 5, 9, 0, 10, 14, 7, 6, 8, 2, 12},
	{1, 15, 13, 0, 5, 7, 10, 4, 9, 2, 3, 14, 6, 11, 8, 12},
}

// The CryptoPro parameter set (RFC 4357 section 11.2,
// id-GostR3411-94-CryptoProParamSet, OID 1.2.643.2.2.30.1).
var cryptoProParamSet = sboxes{
	{10, 4, 5, 6, 8, 1, 3, 7, 13, 12, 14, 0, 9, 2, 11, 15},
	{5, 15, 4, 0, 2, 13, 11, 9, 1, 7, 6, 3, 12, 14, 10, 8},
	{7, 15, 12, 14, 9, 4, 1, 0, 3, 11, 5, 2, 6, 10, 8, 13},
	{4, 10, 7, 12, 0, 15, 2, 8, 14, 1, 6, 5, 13, 11, 9, 3},
	{7, 6, 4, 11, 9, 12, 2, 10, 1, 8, 0, 14, 15, 13, 3, 5},
	{7, 6, 2, 4, 13, 9, 15, 0, 10, 1, 5, 11, 8, 14, 12, 3},
	{13, 14, 4, 1, 7, 0, 5, 10, 3, 12, 8, 15, 6, 2, 9, 11},
	{1, 3, 10, 9, 5, 11, 4, 15, 8, 6, 7, 14, 13, 0, 2, 12},
}

// roundTable[i][b] is the GOST 28147-89 round function's substitution of
// byte i of a word with value b, already rotated left by 11 bits, so that
// f(x) is four lookups XORed together.
type roundTable [4][256]uint32

func makeRoundTable(s *sboxes) *roundTable {
	t := new(roundTable)
	for i := 0; i < 4; i++ {
		for b := 0; b < 256; b++ {
			v := uint32(s[2*i][b&15]) | uint32(s[2*i+1][b>>4])<<4
			t[i][b] = bits.RotateLeft32(v<<(8*i), 11)
		}
	}
	return t
}

// The round tables, made on the first hash that needs them rather than
// when the program starts.
var (
	testTable      = sync.OnceValue(func() *roundTable { return makeRoundTable(&testParamSet) })
	cryptoProTable = sync.OnceValue(func() *roundTable { return makeRoundTable(&cryptoProParamSet) })
)

// gost94 is the GOST R 34.11-94 state. 256-bit values are four
// little-endian 64-bit quarters; quarter i is the standard's block y_{i+1}.
type gost94 struct {
	t     *roundTable
	h     [4]uint64 // chaining value
	sigma [4]uint64 // sum of the message blocks modulo 2^256
	len   uint64    // message length in bytes
	buf   [gost94Block]byte
	nbuf  int
}

// New94 returns a GOST R 34.11-94 hash with the test parameter set, the
// one rhash --gost94 and gostsum -t use.
func New94() hash.Hash { return &gost94{t: testTable()} }

// New94CryptoPro returns a GOST R 34.11-94 hash with the CryptoPro
// parameter set, the one rhash --gost94-cryptopro and gostsum use.
func New94CryptoPro() hash.Hash { return &gost94{t: cryptoProTable()} }

func (d *gost94) Size() int      { return 32 }
func (d *gost94) BlockSize() int { return gost94Block }

func (d *gost94) Reset() {
	d.h = [4]uint64{}
	d.sigma = [4]uint64{}
	d.len = 0
	d.nbuf = 0
}

func (d *gost94) Write(p []byte) (int, error) {
	n := len(p)
	d.len += uint64(n)
	if d.nbuf > 0 {
		c := copy(d.buf[d.nbuf:], p)
		d.nbuf += c
		p = p[c:]
		if d.nbuf < gost94Block {
			return n, nil
		}
		d.blocks(d.buf[:])
		d.nbuf = 0
	}
	if full := len(p) &^ (gost94Block - 1); full > 0 {
		d.blocks(p[:full])
		p = p[full:]
	}
	d.nbuf = copy(d.buf[:], p)
	return n, nil
}

func (d *gost94) Sum(in []byte) []byte {
	c := *d
	if c.nbuf > 0 {
		// The last partial block is padded with zero bytes; an empty
		// remainder adds no block.
		clear(c.buf[c.nbuf:])
		c.blocks(c.buf[:])
	}
	// The length is a 256-bit count of bits.
	l := [4]uint64{c.len << 3, c.len >> 61}
	c.t.step(&c.h, &l)
	c.t.step(&c.h, &c.sigma)
	var out [32]byte
	for i, w := range c.h {
		binary.LittleEndian.PutUint64(out[8*i:], w)
	}
	return append(in, out[:]...)
}

// blocks processes whole 32-byte blocks of p.
func (d *gost94) blocks(p []byte) {
	for len(p) >= gost94Block {
		b := p[:gost94Block:gost94Block]
		m := [4]uint64{
			binary.LittleEndian.Uint64(b[0:8]),
			binary.LittleEndian.Uint64(b[8:16]),
			binary.LittleEndian.Uint64(b[16:24]),
			binary.LittleEndian.Uint64(b[24:32]),
		}
		d.t.step(&d.h, &m)
		var c uint64
		d.sigma[0], c = bits.Add64(d.sigma[0], m[0], 0)
		d.sigma[1], c = bits.Add64(d.sigma[1], m[1], c)
		d.sigma[2], c = bits.Add64(d.sigma[2], m[2], c)
		d.sigma[3], _ = bits.Add64(d.sigma[3], m[3], c)
		p = p[gost94Block:]
	}
}

// c3 is the constant C3 of the key generation; C2 and C4 are zero.
var c3 = [4]uint64{0xff00ff00ff00ff00, 0x00ff00ff00ff00ff, 0xff0000ff00ffff00, 0xff00ffff000000ff}

// step is the step hash function χ(M, H): key generation, encryption of
// the four quarters of H and the mixing transformation.
func (t *roundTable) step(h, m *[4]uint64) {
	var keys [4][8]uint32
	u0, u1, u2, u3 := h[0], h[1], h[2], h[3]
	v0, v1, v2, v3 := m[0], m[1], m[2], m[3]
	transformP(&keys[0], u0^v0, u1^v1, u2^v2, u3^v3)
	// U = A(U) ⊕ C_j and V = A(A(V)), where
	// A(y4‖y3‖y2‖y1) = (y1⊕y2)‖y4‖y3‖y2.
	u0, u1, u2, u3 = u1, u2, u3, u0^u1
	v0, v1, v2, v3 = v2, v3, v0^v1, v1^v2
	transformP(&keys[1], u0^v0, u1^v1, u2^v2, u3^v3)
	u0, u1, u2, u3 = u1^c3[0], u2^c3[1], u3^c3[2], u0^u1^c3[3]
	v0, v1, v2, v3 = v2, v3, v0^v1, v1^v2
	transformP(&keys[2], u0^v0, u1^v1, u2^v2, u3^v3)
	u0, u1, u2, u3 = u1, u2, u3, u0^u1
	v0, v1, v2, v3 = v2, v3, v0^v1, v1^v2
	transformP(&keys[3], u0^v0, u1^v1, u2^v2, u3^v3)
	s := t.encrypt4(&keys, h)
	mix(h, m, &s)
}

// transformP is the byte permutation P: byte i+4k of the result is byte
// 8i+k of the input, so key word k gathers byte k of the four quarters.
// It is a 4×8 byte transposition done with masks, a byte then a 16-bit
// half at a time.
func transformP(k *[8]uint32, q0, q1, q2, q3 uint64) {
	const (
		m8  = 0x00ff00ff00ff00ff
		m16 = 0x0000ffff0000ffff
	)
	a01 := q0&m8 | (q1<<8)&^m8
	b01 := (q0>>8)&m8 | q1&^m8
	a23 := q2&m8 | (q3<<8)&^m8
	b23 := (q2>>8)&m8 | q3&^m8
	k04 := a01&m16 | (a23<<16)&^m16
	k26 := (a01>>16)&m16 | a23&^m16
	k15 := b01&m16 | (b23<<16)&^m16
	k37 := (b01>>16)&m16 | b23&^m16
	*k = [8]uint32{
		uint32(k04), uint32(k15), uint32(k26), uint32(k37),
		uint32(k04 >> 32), uint32(k15 >> 32), uint32(k26 >> 32), uint32(k37 >> 32),
	}
}

// encrypt4 encrypts quarter j of h under keys[j] with GOST 28147-89 in
// simple substitution mode. The four encryptions are independent and run
// interleaved, so the processor overlaps their rounds instead of waiting
// on one chain of lookups.
func (t *roundTable) encrypt4(keys *[4][8]uint32, h *[4]uint64) [4]uint64 {
	a1, a2 := uint32(h[0]), uint32(h[0]>>32)
	b1, b2 := uint32(h[1]), uint32(h[1]>>32)
	c1, c2 := uint32(h[2]), uint32(h[2]>>32)
	d1, d2 := uint32(h[3]), uint32(h[3]>>32)
	ka, kb, kc, kd := &keys[0], &keys[1], &keys[2], &keys[3]
	// Key order: k0..k7 three times, then k7..k0.
	for r := 0; r < 3; r++ {
		for i := 0; i < 8; i += 2 {
			a2 ^= t.f(a1 + ka[i])
			b2 ^= t.f(b1 + kb[i])
			c2 ^= t.f(c1 + kc[i])
			d2 ^= t.f(d1 + kd[i])
			a1 ^= t.f(a2 + ka[i+1])
			b1 ^= t.f(b2 + kb[i+1])
			c1 ^= t.f(c2 + kc[i+1])
			d1 ^= t.f(d2 + kd[i+1])
		}
	}
	for i := 7; i > 0; i -= 2 {
		a2 ^= t.f(a1 + ka[i])
		b2 ^= t.f(b1 + kb[i])
		c2 ^= t.f(c1 + kc[i])
		d2 ^= t.f(d1 + kd[i])
		a1 ^= t.f(a2 + ka[i-1])
		b1 ^= t.f(b2 + kb[i-1])
		c1 ^= t.f(c2 + kc[i-1])
		d1 ^= t.f(d2 + kd[i-1])
	}
	// The last round does not swap the halves.
	return [4]uint64{
		uint64(a2) | uint64(a1)<<32,
		uint64(b2) | uint64(b1)<<32,
		uint64(c2) | uint64(c1)<<32,
		uint64(d2) | uint64(d1)<<32,
	}
}

func (t *roundTable) f(x uint32) uint32 {
	return t[0][uint8(x)] ^ t[1][uint8(x>>8)] ^ t[2][uint8(x>>16)] ^ t[3][x>>24]
}

// mix computes ψ^61(H ⊕ ψ(M ⊕ ψ^12(S))) into h.
//
// ψ shifts the sixteen 16-bit words y16‖…‖y1 down by one and puts
// y1⊕y2⊕y3⊕y4⊕y13⊕y16 on top: ψ^k(Y) is words k..k+15 of the linear
// recurrence seeded with Y. The words are kept four to a uint64 and
// advanced four at a time (psi4).
func mix(h, m, s *[4]uint64) {
	q0, q1, q2, q3 := s[0], s[1], s[2], s[3]
	for i := 0; i < 3; i++ {
		q0, q1, q2, q3 = psi4(q0, q1, q2, q3)
	}
	q0, q1, q2, q3 = psi(q0^m[0], q1^m[1], q2^m[2], q3^m[3])
	q0, q1, q2, q3 = q0^h[0], q1^h[1], q2^h[2], q3^h[3]
	for i := 0; i < 15; i++ {
		q0, q1, q2, q3 = psi4(q0, q1, q2, q3)
	}
	q0, q1, q2, q3 = psi(q0, q1, q2, q3)
	*h = [4]uint64{q0, q1, q2, q3}
}

// psi applies ψ once.
func psi(q0, q1, q2, q3 uint64) (uint64, uint64, uint64, uint64) {
	t := q0 ^ q0>>16 ^ q0>>32 ^ q0>>48 ^ q3 ^ q3>>48
	return q0>>16 | q1<<48, q1>>16 | q2<<48, q2>>16 | q3<<48, q3>>16 | t<<48
}

// psi4 applies ψ four times. New words y17..y20 are
// y_n⊕y_{n+1}⊕y_{n+2}⊕y_{n+3}⊕y_{n+12}⊕y_{n+15} for n = 1..4; the y_{n+15}
// terms for n > 1 are new words themselves, which a prefix XOR across the
// four lanes supplies.
func psi4(q0, q1, q2, q3 uint64) (uint64, uint64, uint64, uint64) {
	w1 := q0>>16 | q1<<48
	w2 := q0>>32 | q1<<32
	w3 := q0>>48 | q1<<16
	n := q0 ^ w1 ^ w2 ^ w3 ^ q3 ^ q3>>48
	n ^= n << 16
	n ^= n << 32
	return q1, q2, q3, n
}
