//go:build amd64

package checksum

import (
	"math/bits"
	_ "unsafe" // go:linkname

	"golang.org/x/sys/cpu"
	"lukechampine.com/blake3/guts"
)

// Where the CPU has AVX2 but not AVX-512, guts compresses 8 chunks at once
// by loading each message word with a gather (VPGATHERDD), an instruction
// some CPUs run in microcode: on AMD Zen 1, 925 MB/s a core against 1,590
// for zeebo/blake3's AVX2 kernels, which load whole blocks and transpose
// them (BenchmarkBlake3). zeebo/blake3 keeps those kernels in an internal
// package, since its API has no subtrees; they are reached here by name.
// go.sum pins the version; were they renamed, the build would fail to
// link, not hash wrongly, and the tests hold both kernels to the official
// vectors and to zeebo/blake3's own digests.
var (
	// canEightWide: the CPU runs zeebo/blake3's AVX2 kernels.
	canEightWide = cpu.X86.HasAVX2
	// preferEightWide: they are faster here than guts' (which, with
	// AVX-512, compresses 16 chunks at once).
	preferEightWide = canEightWide && !cpu.X86.HasAVX512F
)

// hashF compresses the 8 chunks of input, chunk counter onwards, into
// their chaining values, transposed: word w of chunk j in out[8w+j].
//
//go:linkname hashF github.com/zeebo/blake3/internal/alg/hash/hash_avx2.HashF
//go:noescape
func hashF(input *[8192]byte, length, counter uint64, flags uint32, key *[8]uint32, out *[64]uint32, chain *[8]uint32)

// hashP compresses 8 parent nodes at once, transposed as hashF's out: the
// chaining values of left's lane j and right's lane j give out's lane j.
//
//go:linkname hashP github.com/zeebo/blake3/internal/alg/hash/hash_avx2.HashP
//go:noescape
func hashP(left, right *[64]uint32, flags uint32, key *[8]uint32, out *[64]uint32, n int)

// eightChunks is the most subtreeCV8 takes at once; subtreeCV merges
// larger subtrees from halves of this size, a parent each.
const eightChunks = 64

// subtreeCV8 is subtreeCV on zeebo/blake3's AVX2 kernels, for a complete
// subtree p of 16 to eightChunks chunks (a power of two) whose first
// chunk is chunk counter: its chunks 8 at a time, then each level's
// parents 8 at a time, as the tree pairs them (2.1). The chaining values
// stay transposed, as the kernels take them, 8 to a vector.
func subtreeCV8(p []byte, counter uint64) [8]uint32 {
	var v [eightChunks / 8][64]uint32
	var left, right [64]uint32
	var chain [8]uint32
	n := len(p) / guts.ChunkSize
	for g := range n / 8 {
		hashF((*[8192]byte)(p[g*8192:]), 8192, counter+uint64(8*g), 0, &guts.IV, &v[g], &chain)
	}
	for ; n > 1; n /= 2 {
		// Parents 8k to 8k+7 go to vector k, once their children, in
		// vectors 2k and 2k+1, are copied out: no vector is written
		// before it is read.
		for k := 0; 16*k < n; k++ {
			m := min(8, n/2-8*k)
			for j := range m {
				i := 16*k + 2*j // the left child; the right is i+1, in the same vector
				c, l := &v[i/8], i%8
				for w := range 8 {
					left[8*w+j] = c[8*w+l]
					right[8*w+j] = c[8*w+l+1]
				}
			}
			hashP(&left, &right, guts.FlagParent, &guts.IV, &v[k], m)
		}
	}
	var cv [8]uint32
	for w := range cv {
		cv[w] = v[0][8*w]
	}
	return cv
}

// tailNode8 is guts.CompressBuffer on zeebo/blake3's kernels: the root
// node, not yet compressed, of the subtree that the held bytes
// buf[:buflen] (more than one chunk) form from chunk counter on. Whole
// chunks go through hashF, three or more at a time (zeebo/blake3 sends
// fewer to Go, and so does this); a last partial chunk through guts.
func tailNode8(buf *[groupBytes]byte, buflen int, counter uint64) guts.Node {
	var cvs [groupChunks][8]uint32
	var out [64]uint32
	var chain [8]uint32
	full := buflen / guts.ChunkSize
	for g := 0; g < full; g += 8 {
		k := min(8, full-g)
		if k < 3 {
			for j := g; j < g+k; j++ {
				chunk := buf[j*guts.ChunkSize : (j+1)*guts.ChunkSize]
				cvs[j] = guts.ChainingValue(guts.CompressChunk(chunk, &guts.IV, counter+uint64(j), 0))
			}
			continue
		}
		hashF((*[8192]byte)(buf[g*guts.ChunkSize:]), uint64(k*guts.ChunkSize), counter+uint64(g), 0, &guts.IV, &out, &chain)
		for j := range k {
			for w := range 8 {
				cvs[g+j][w] = out[8*w+j]
			}
		}
	}
	n := full
	if buflen%guts.ChunkSize != 0 {
		cvs[n] = guts.ChainingValue(guts.CompressChunk(buf[full*guts.ChunkSize:buflen], &guts.IV, counter+uint64(full), 0))
		n++
	}
	return mergeNode(cvs[:n])
}

// mergeNode is the root node, not yet compressed, of the subtree over the
// chaining values of two or more consecutive chunks (2.1: the left
// subtree holds the largest power of two of chunks that leaves at least
// one to the right).
func mergeNode(cvs [][8]uint32) guts.Node {
	left := 1 << (bits.Len(uint(len(cvs)-1)) - 1)
	return guts.ParentNode(mergeCV(cvs[:left]), mergeCV(cvs[left:]), &guts.IV, 0)
}

// mergeCV is the chaining value of the subtree over cvs' chunks.
func mergeCV(cvs [][8]uint32) [8]uint32 {
	if len(cvs) == 1 {
		return cvs[0]
	}
	return guts.ChainingValue(mergeNode(cvs))
}
