//go:build !amd64

package checksum

import "lukechampine.com/blake3/guts"

// zeebo/blake3's AVX2 kernels are amd64's (see blake3_amd64.go).
const canEightWide, preferEightWide = false, false

// eightChunks bounds subtreeCV8's subtrees.
const eightChunks = 64

// subtreeCV8 is subtreeCV by guts where there are no AVX2 kernels.
func subtreeCV8(p []byte, counter uint64) [8]uint32 { return subtreeCV(p, counter, false) }

// tailNode8 is guts.CompressBuffer where there are no AVX2 kernels.
func tailNode8(buf *[groupBytes]byte, buflen int, counter uint64) guts.Node {
	return guts.CompressBuffer(buf, buflen, &guts.IV, counter, 0)
}
