package checksum

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeebo/blake3"
	"lukechampine.com/blake3/guts"
)

// blake3Vector is one case of BLAKE3's official test_vectors.json (from
// the BLAKE3 repository, kept verbatim in testdata/blake3): the input is
// blake3Input(InputLen), and the default digest is the first 32 bytes of
// Hash, an extended output.
type blake3Vector struct {
	InputLen int    `json:"input_len"`
	Hash     string `json:"hash"`
}

func blake3Vectors(t testing.TB) []blake3Vector {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "blake3", "test_vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Cases []blake3Vector `json:"cases"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatalf("test_vectors.json: %v", err)
	}
	if len(f.Cases) == 0 {
		t.Fatal("test_vectors.json: no cases")
	}
	return f.Cases
}

// writeSplit writes p to h in pieces of the sizes in split, repeated
// until p is used up.
func writeSplit(h *blake3Hasher, p []byte, split []int) {
	for i := 0; len(p) > 0; i++ {
		n := min(split[i%len(split)], len(p))
		h.Write(p[:n])
		p = p[n:]
	}
}

// testBlake3 returns a hasher with idle helper cores and pieces of one
// group, so that any input of two groups or more is hashed in parallel,
// on the kernels eight says (subtreeCV).
func testBlake3(idle int, eight bool) *blake3Hasher {
	h := newBlake3(newCores(idle))
	h.maxPiece, h.minSplit = groupBytes, 2*groupBytes
	h.eight = eight
	return h
}

// blake3Kernels are the kernels this CPU can run, each to be tested
// whichever the registry's hasher prefers here: guts' (false) and, with
// AVX2, zeebo/blake3's (true).
func blake3Kernels() []bool {
	if canEightWide {
		return []bool{false, true}
	}
	return []bool{false}
}

// The write boundaries that matter: one byte, around a block, a chunk, a
// group and the pieces, and odd sizes that drift across all of them.
var blake3Splits = [][]int{
	{1 << 30}, // one write
	{1},
	{63, 64, 65},
	{guts.ChunkSize - 1},
	{guts.ChunkSize},
	{guts.ChunkSize + 1},
	{groupBytes - 1},
	{groupBytes},
	{groupBytes + 1},
	{2*groupBytes - 1, 1},
	{2 * groupBytes, 3},
	{4*groupBytes + 1, guts.ChunkSize - 1},
	{7, 3*groupBytes + 5, 1000},
}

func TestBlake3OfficialVectors(t *testing.T) {
	for _, v := range blake3Vectors(t) {
		in := blake3Input(v.InputLen)
		want := v.Hash[:64]
		for _, split := range blake3Splits {
			for _, idle := range []int{0, 1, 3} {
				for _, eight := range blake3Kernels() {
					h := testBlake3(idle, eight)
					writeSplit(h, in, split)
					if got := hex.EncodeToString(h.Sum(nil)); got != want {
						t.Errorf("len %d, writes %v, %d idle cores, eight-wide %v: %s, want %s", v.InputLen, split, idle, eight, got, want)
					}
					if n := h.cores.idle.Load(); n != int64(idle) {
						t.Errorf("len %d, writes %v: %d idle cores after, want %d back", v.InputLen, split, n, idle)
					}
				}
			}
		}
		// The registry's hasher, as the engine's workers use it.
		h := newBlake3(newCores(1))
		h.Write(in)
		if got := hex.EncodeToString(h.Sum(nil)); got != want {
			t.Errorf("len %d, default pieces: %s, want %s", v.InputLen, got, want)
		}
	}
}

// TestBlake3SumKeepsState: Sum in the middle changes nothing, and Reset
// starts afresh, as hash.Hash promises.
func TestBlake3SumKeepsState(t *testing.T) {
	in := blake3Input(5*groupBytes + 77)
	h := testBlake3(1, preferEightWide)
	for i := 0; i < len(in); i += 3000 {
		h.Write(in[i:min(i+3000, len(in))])
		h.Sum(nil)
	}
	want := blake3.Sum256(in)
	if got := h.Sum(nil); !bytes.Equal(got, want[:]) {
		t.Fatalf("with Sums between writes: %x, want %x", got, want)
	}
	h.Reset()
	h.Write([]byte("abc"))
	want = blake3.Sum256([]byte("abc"))
	if got := h.Sum([]byte("x")); !bytes.Equal(got, append([]byte("x"), want[:]...)) {
		t.Fatalf("after Reset: %x, want x and %x", got, want)
	}
}

// TestBlake3LargeWrites crosses the default pieces and the stack's
// carries with inputs of several MiB, against zeebo/blake3, with as many
// idle cores as the pieces can use and with none.
func TestBlake3LargeWrites(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := []int{splitBytes, splitBytes + 1, 3 << 20, 8<<20 + 12345}
	if !testing.Short() {
		sizes = append(sizes, 33<<20+guts.ChunkSize+1)
	}
	for _, size := range sizes {
		in := make([]byte, size)
		for i := range in {
			in[i] = byte(rng.Uint32())
		}
		want := blake3.Sum256(in)
		for _, split := range [][]int{{1 << 30}, {1 << 20}, {4<<20 + 1}, {groupBytes + 1, 3 << 20}} {
			for _, idle := range []int{0, 1, 7} {
				for _, eight := range blake3Kernels() {
					h := newBlake3(newCores(idle))
					h.eight = eight
					writeSplit(h, in, split)
					if got := h.Sum(nil); !bytes.Equal(got, want[:]) {
						t.Errorf("size %d, writes %v, %d idle, eight-wide %v: %x, want %x", size, split, idle, eight, got, want)
					}
				}
			}
		}
	}
}

// FuzzBlake3 holds the tree hasher to zeebo/blake3 for any input and any
// split of it into writes, in parallel pieces of one group.
func FuzzBlake3(f *testing.F) {
	f.Add([]byte("abc"), uint64(1), 1)
	f.Add(blake3Input(3*groupBytes+1), uint64(7), 2)
	f.Add(blake3Input(guts.ChunkSize), uint64(0), 0)
	f.Fuzz(func(t *testing.T, in []byte, seed uint64, idle int) {
		// Inputs beyond the fuzzer's few KiB: the same bytes repeated.
		if len(in) > 0 && seed&1 != 0 {
			in = bytes.Repeat(in, 1+int((seed>>1)%uint64(6*groupBytes/len(in)+1)))
		}
		want := blake3.Sum256(in)
		rng := rand.New(rand.NewPCG(seed, 0))
		kernels := blake3Kernels()
		h := testBlake3(idle%4, kernels[int(seed>>8)%len(kernels)])
		for p := in; len(p) > 0; {
			n := min(len(p), rng.IntN(3*groupBytes))
			if rng.IntN(4) == 0 {
				n = min(len(p), rng.IntN(70))
			}
			h.Write(p[:n])
			p = p[n:]
		}
		if got := h.Sum(nil); !bytes.Equal(got, want[:]) {
			t.Fatalf("len %d, seed %d: %x, want %x", len(in), seed, got, want)
		}
	})
}

// TestBlake3AgainstB3sum hashes files of random sizes through the engine,
// one file a run so that its worker has the other cores to borrow, and
// holds every digest to the b3sum binary's.
func TestBlake3AgainstB3sum(t *testing.T) {
	b3sum, err := exec.LookPath("b3sum")
	if err != nil {
		t.Skip("b3sum is not installed: the cross-check against it is skipped")
	}
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(3, 4))
	// The last three are read in segments (treeread.go), one ending on a
	// segment's end past the first round.
	sizes := []int{0, 1, guts.ChunkSize, groupBytes + 1, splitBytes - 1, splitBytes, 1<<20 + 1,
		treeMinSegs * segBytes, treeMinSegs*segBytes + 1, (roundSegs + 1) * segBytes}
	n := 6
	if testing.Short() {
		n = 2
	}
	for range n {
		sizes = append(sizes, rng.IntN(24<<20))
	}
	var paths []string
	for i, size := range sizes {
		p := filepath.Join(dir, fmt.Sprintf("f%02d", i))
		data := make([]byte, size)
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := exec.Command(b3sum, append([]string{"--no-names"}, paths...)...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("b3sum: %v: %s", err, ee.Stderr)
		}
		t.Fatalf("b3sum: %v", err)
	}
	want := strings.Fields(string(out))
	if len(want) != len(paths) {
		t.Fatalf("b3sum printed %d digests for %d files", len(want), len(paths))
	}
	algs := mustAlgs(t, "blake3")
	for i, p := range paths {
		for _, workers := range []int{1, 0} {
			err := HashFiles(context.Background(), []Job{{Path: p}}, algs, Options{Workers: workers}, func(r Result) error {
				if r.Err != nil {
					return r.Err
				}
				if got := hex.EncodeToString(r.Sums[0]); got != want[i] {
					t.Errorf("%d bytes, %d workers: %s, b3sum says %s", sizes[i], workers, got, want[i])
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestSubtreeCVKernels holds zeebo/blake3's AVX2 kernels to guts' on
// every size of subtree the hasher forms (one group to a segment, and
// beyond, where halves are merged) and on counters far along a file,
// whose high bits the kernels take apart.
func TestSubtreeCVKernels(t *testing.T) {
	if !canEightWide {
		t.Skip("no AVX2 here: the hasher uses guts' kernels alone")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	p := make([]byte, 4*segBytes)
	for i := range p {
		p[i] = byte(rng.Uint32())
	}
	for size := groupBytes; size <= len(p); size *= 2 {
		chunks := uint64(size / guts.ChunkSize)
		for _, counter := range []uint64{0, chunks, 7 * chunks, 1<<32 - chunks, 1 << 40} {
			got := subtreeCV(p[:size], counter, true)
			if want := subtreeCV(p[:size], counter, false); got != want {
				t.Errorf("%d bytes from chunk %d: %x, want %x", size, counter, got, want)
			}
		}
	}
}

func TestCoresTake(t *testing.T) {
	tests := []struct {
		idle, want, got, left int
	}{
		{0, 3, 0, 0},
		{-2, 3, 0, -2},
		{1, 3, 1, 0},
		{3, 2, 2, 1},
		{3, 0, 0, 3},
	}
	for _, tt := range tests {
		c := newCores(tt.idle)
		if got := c.take(tt.want); got != tt.got || c.idle.Load() != int64(tt.left) {
			t.Errorf("take(%d) of %d idle: %d, %d left; want %d, %d left", tt.want, tt.idle, got, c.idle.Load(), tt.got, tt.left)
		}
	}
}
