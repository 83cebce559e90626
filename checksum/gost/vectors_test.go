package gost

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/sverka/sverka/internal/golden"
)

const vectorsFile = "testdata/vectors.txt"

// testInput returns n bytes of a xorshift64 sequence started from seed,
// so the vector table stores a length and a seed instead of the input.
func testInput(seed uint64, n int) []byte {
	x := seed*0x9e3779b97f4a7c15 + 1
	b := make([]byte, n)
	for i := range b {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b[i] = byte(x >> 32)
	}
	return b
}

// vectorLengths are the block boundaries of both algorithms followed by
// lengths drawn up to 1 MiB.
func vectorLengths() []int {
	l := []int{0, 1, 31, 32, 33, 63, 64, 65, 127, 128, 129}
	x := uint64(0x5eed)
	for i := 0; i < 30; i++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		l = append(l, int(x%(1<<20+1)))
	}
	return l
}

type vector struct {
	line   int
	tag    string
	length int
	seed   uint64
	digest string
}

// TestVectors checks every implementation against testdata/vectors.txt.
// With -update the table is first made again by rhash, the reference,
// never from what the code under test computes.
func TestVectors(t *testing.T) {
	if golden.Update() {
		writeVectors(t)
	}
	f, err := os.Open(vectorsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []vector
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) != 4 {
			t.Fatalf("%s line %d: want TAG LENGTH SEED DIGEST, got %q", vectorsFile, n, line)
		}
		length, err1 := strconv.Atoi(fs[1])
		seed, err2 := strconv.ParseUint(fs[2], 10, 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("%s line %d: bad length or seed in %q", vectorsFile, n, line)
		}
		vs = append(vs, vector{n, fs[0], length, seed, fs[3]})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, v := range vs {
		if testing.Short() && v.length > 64<<10 {
			continue
		}
		msg := testInput(v.seed, v.length)
		for _, im := range impls() {
			if im.tag != v.tag {
				continue
			}
			count[im.name]++
			if got := sum(im.new(), msg); got != v.digest {
				t.Errorf("%s line %d: %s of %d bytes (seed %d) = %s, rhash gives %s",
					vectorsFile, v.line, im.name, v.length, v.seed, got, v.digest)
			}
		}
	}
	for _, im := range impls() {
		if !testing.Short() && count[im.name] < 30 {
			t.Errorf("%s: only %d vectors", im.name, count[im.name])
		}
	}
}

// writeVectors computes the table with rhash, the reference the digests
// must agree with.
func writeVectors(t *testing.T) {
	rhash, err := exec.LookPath("rhash")
	if err != nil {
		t.Fatal("-update needs rhash: ", err)
	}
	version, _ := exec.Command(rhash, "--version").Output()
	var out bytes.Buffer
	fmt.Fprintf(&out, "# GOST digests computed by %s", version)
	fmt.Fprintf(&out, "# TAG LENGTH SEED DIGEST; the input is testInput(SEED, LENGTH).\n")
	dir := t.TempDir()
	for i, n := range vectorLengths() {
		seed := uint64(i + 1)
		name := filepath.Join(dir, "input")
		if err := os.WriteFile(name, testInput(seed, n), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := exec.Command(rhash, "--bsd", "--gost12-256", "--gost12-512",
			"--gost94", "--gost94-cryptopro", name).Output()
		if err != nil {
			t.Fatal("rhash: ", err)
		}
		// Lines look like "GOST94 (name) = hex".
		for _, line := range strings.Split(strings.TrimSpace(string(res)), "\n") {
			tag, rest, _ := strings.Cut(line, " ")
			_, digest, ok := strings.Cut(rest, ") = ")
			if _, err := hex.DecodeString(digest); !ok || err != nil {
				t.Fatalf("unexpected rhash output %q", line)
			}
			fmt.Fprintf(&out, "%s %d %d %s\n", tag, n, seed, digest)
		}
	}
	if err := os.WriteFile(vectorsFile, out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
