package main

import "math/bits"

// Everything random in a kit comes from splitmix64. Its state is a counter,
// so word k of a stream is a pure function of (seed, k): a file's content can
// be produced in any chunking and stays the same.
const golden = 0x9e3779b97f4a7c15

func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// rng is a splitmix64 generator.
type rng struct{ state uint64 }

func newRNG(seed uint64) *rng { return &rng{state: seed} }

func (r *rng) next() uint64 {
	r.state += golden
	return mix64(r.state)
}

// intn returns a number in [0, n) (n > 0) without modulo bias worth caring
// about: the high half of a 64×64 product.
func (r *rng) intn(n int) int {
	hi, _ := bits.Mul64(r.next(), uint64(n))
	return int(hi)
}

// exp2Q16[i] is round(2^(i/64) · 65536). A table rather than math.Exp2 so
// that no floating-point rounding, which may differ between architectures,
// decides a file size.
var exp2Q16 = [64]uint64{
	65536, 66250, 66971, 67700, 68438, 69183, 69936, 70698,
	71468, 72246, 73032, 73828, 74632, 75444, 76266, 77096,
	77936, 78785, 79642, 80510, 81386, 82273, 83169, 84074,
	84990, 85915, 86851, 87796, 88752, 89719, 90696, 91684,
	92682, 93691, 94711, 95743, 96785, 97839, 98905, 99982,
	101070, 102171, 103283, 104408, 105545, 106694, 107856, 109031,
	110218, 111418, 112631, 113858, 115098, 116351, 117618, 118899,
	120194, 121502, 122825, 124163, 125515, 126882, 128263, 129660,
}

// exp2_64 returns about 2^(e/64) for 0 <= e < 64·40.
func exp2_64(e int64) uint64 {
	return exp2Q16[e&63] << uint(e>>6) >> 16
}

// logNormal draws sizes whose base-2 logarithm is normal with median
// 2^(mu64/64) and standard deviation sigma64/64 (both in 1/64 bit). The
// normal variate is Irwin–Hall (twelve uniforms minus six), exact in
// integers and bounded at ±6σ, which also bounds the largest size.
type logNormal struct {
	mu64, sigma64 int64
	max64         int64 // cap on the logarithm, in 1/64 bit
}

func (d logNormal) draw(r *rng) uint64 {
	var z int64 // σ-units in Q32
	for i := 0; i < 12; i++ {
		z += int64(r.next() >> 32)
	}
	z -= 6 << 32
	e := d.mu64 + (d.sigma64*z)>>32
	e = max(e, 0)
	e = min(e, d.max64)
	return exp2_64(e)
}

// scaleTo multiplies sizes so that they add up to exactly total, keeping
// their proportions; the rounding remainder goes to the first size.
func scaleTo(sizes []uint64, total uint64) {
	var sum uint64
	for _, s := range sizes {
		sum += s
	}
	if sum == 0 || len(sizes) == 0 {
		return
	}
	var got uint64
	for i, s := range sizes {
		hi, lo := bits.Mul64(s, total)
		q, _ := bits.Div64(hi, lo, sum) // s <= sum, so q <= total: no overflow
		sizes[i] = q
		got += q
	}
	sizes[0] += total - got
}
