package iso

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/internal/checksumtest"
	"github.com/sverka/sverka/internal/testkit"
)

// TestScanPlan drives the pass over synthetic layouts: extents crossing
// buffer boundaries, shared extents, several extents, extents out of image
// order, empty members and members past the end, for several buffer sizes
// and worker counts.
func TestScanPlan(t *testing.T) {
	data := make([]byte, 10000)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	im := &Image{Size: int64(len(data)), VolumeSize: 12000, Members: []Member{
		{Name: "a", Extents: []Extent{{0, 100}}},
		{Name: "b", Extents: []Extent{{50, 4000}}},               // overlaps a
		{Name: "c", Extents: []Extent{{50, 4000}}},               // shares b's extent
		{Name: "d", Extents: []Extent{{4096, 10}, {6000, 3000}}}, // two extents
		{Name: "e", Extents: []Extent{{8000, 500}, {100, 20}}},   // out of image order
		{Name: "f"}, // empty
		{Name: "g", Extents: []Extent{{9000, 1000}}},              // ends at the image's end
		{Name: "h", Extents: []Extent{{9500, 1000}}},              // beyond the end
		{Name: "i", Extents: []Extent{{100, 10}, {10500, 10}}},    // second extent beyond
		{Name: "j", Extents: []Extent{{10200, 10}, {200, 10}}},    // out of order and beyond
		{Name: "k", Extents: []Extent{{3000, 1}, {3001, 1}}},      // adjacent extents
		{Name: "l", Extents: []Extent{{0, 10000}}, Zisofs: true},  // compressed
		{Name: "m", Extents: []Extent{{9999, 1}}},                 // last byte
		{Name: "n", Extents: []Extent{{0, 10000}}},                // the whole image
		{Name: "o", Extents: []Extent{{4000, 50}, {4100, 50}}},    // both inside b
		{Name: "p", Extents: []Extent{{7000, 10}, {7000, 10}}},    // the same extent twice
		{Name: "q", Extents: []Extent{{1, 1}, {2, 1}, {3, 1}}},    // tiny pieces
		{Name: "r", Extents: []Extent{{5000, 2000}, {100, 4000}}}, // out of order, long
	}}
	for i := range im.Members {
		for _, e := range im.Members[i].Extents {
			im.Members[i].Size += e.Length
		}
	}
	want := func(m Member) ([]byte, error) {
		if m.Zisofs {
			return nil, errors.New("zisofs")
		}
		h := sha256.New()
		for _, e := range m.Extents {
			if e.Offset+e.Length > int64(len(data)) {
				return nil, ErrBeyondEnd
			}
			h.Write(data[e.Offset : e.Offset+e.Length])
		}
		return h.Sum(nil), nil
	}
	image := sha256.Sum256(data)
	for _, bufSize := range []int{1, 7, 100, 4096, 1 << 20} {
		for _, workers := range []int{1, 3} {
			t.Run(fmt.Sprintf("buf%d-workers%d", bufSize, workers), func(t *testing.T) {
				var calls int
				var last int64
				res, err := scan(context.Background(), im, bytes.NewReader(data), ScanOptions{
					ImageAlgs: checksumtest.Algs(t, "sha256"), MemberAlgs: checksumtest.Algs(t, "sha256", "md5"),
					Workers: workers, BufSize: bufSize,
					Progress: func(n int64) { calls++; last += n },
				})
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(res.ImageSums[0], image[:]) || res.ImageRead != int64(len(data)) || last != res.ImageRead || calls == 0 {
					t.Errorf("image %x read %d progress %d", res.ImageSums[0], res.ImageRead, last)
				}
				for i, m := range im.Members {
					ms := res.Members[i]
					w, werr := want(m)
					if werr != nil {
						if ms.Err == nil || ms.Sums != nil {
							t.Errorf("%s: sums %x err %v, want an error", m.Name, ms.Sums, ms.Err)
						}
						if errors.Is(werr, ErrBeyondEnd) && !errors.Is(ms.Err, ErrBeyondEnd) {
							t.Errorf("%s: err %v, want beyond the end", m.Name, ms.Err)
						}
						continue
					}
					if ms.Err != nil || !bytes.Equal(ms.Sums[0], w) || len(ms.Sums) != 2 || ms.Read != m.Size {
						t.Errorf("%s: sum %x read %d err %v, want %x", m.Name, ms.Sums, ms.Read, ms.Err, w)
					}
				}
			})
		}
	}
}

// errReader fails with an I/O error past a given offset, like a scratched
// disc.
type errReader struct {
	r   io.ReaderAt
	bad int64
}

var errIO = errors.New("input/output error")

func (e errReader) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) <= e.bad {
		return e.r.ReadAt(p, off)
	}
	n := 0
	if off < e.bad {
		n, _ = e.r.ReadAt(p[:e.bad-off], off)
	}
	return n, errIO
}

func TestScanReadError(t *testing.T) {
	data := bytes.Repeat([]byte("x"), 5000)
	im := &Image{Size: 5000, VolumeSize: 5000, Members: []Member{
		{Name: "before", Size: 100, Extents: []Extent{{0, 100}}},
		{Name: "across", Size: 1000, Extents: []Extent{{2500, 1000}}},
		{Name: "after", Size: 100, Extents: []Extent{{4000, 100}}},
	}}
	res, err := scan(context.Background(), im, errReader{bytes.NewReader(data), 3000}, ScanOptions{
		ImageAlgs: checksumtest.Algs(t, "sha256"), MemberAlgs: checksumtest.Algs(t, "sha256"), BufSize: 1024})
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(res.ImageErr, errIO) || res.ImageRead != 3000 {
		t.Fatalf("image err %v read %d", res.ImageErr, res.ImageRead)
	}
	if res.Members[0].Err != nil || !errors.Is(res.Members[1].Err, errIO) || !errors.Is(res.Members[2].Err, errIO) {
		t.Fatalf("member errors %v, %v, %v", res.Members[0].Err, res.Members[1].Err, res.Members[2].Err)
	}
}

func TestScanCancel(t *testing.T) {
	im, err := Open(filepath.Join(fixtures, "md5.iso"))
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var read int64
	_, err = im.Scan(ctx, ScanOptions{BufSize: 4096, MemberAlgs: checksumtest.Algs(t, "sha256"),
		Progress: func(n int64) {
			if read += n; read > 100000 {
				cancel()
			}
		}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want canceled", err)
	}
}

// TestDeviceLength: on a block device the pass stops at the volume's end,
// since a drive reports sectors the image file never had.
func TestDeviceLength(t *testing.T) {
	data := make([]byte, 8192)
	im := &Image{Device: true, Size: 8192, VolumeSize: 6144}
	res, err := scan(context.Background(), im, bytes.NewReader(data), ScanOptions{ImageAlgs: checksumtest.Algs(t, "sha256")})
	if err != nil {
		t.Fatal(err)
	}
	if want := sha256.Sum256(data[:6144]); res.ImageRead != 6144 || !bytes.Equal(res.ImageSums[0], want[:]) {
		t.Fatalf("read %d sum %x", res.ImageRead, res.ImageSums[0])
	}
	res, err = scan(context.Background(), im, bytes.NewReader(data), ScanOptions{Length: 7000, ImageAlgs: checksumtest.Algs(t, "sha256")})
	if err != nil || res.ImageRead != 7000 {
		t.Fatalf("explicit length: read %d, %v", res.ImageRead, err)
	}
}

// TestMultiExtent builds an image holding a file over 4 GiB, which ISO 9660
// level 3 records in several extents, and checks the member's digest
// against the source file's.
func TestMultiExtent(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 4 GiB image")
	}
	if _, err := exec.LookPath("xorriso"); err != nil {
		t.Skip("xorriso not installed")
	}
	dir := t.TempDir()
	if free := freeSpace(dir); free >= 0 && free < 6<<30 {
		t.Skipf("%d bytes free in the temporary directory, 6 GiB needed", free)
	}
	src := filepath.Join(dir, "src")
	if err := os.Mkdir(src, 0o755); err != nil {
		t.Fatal(err)
	}
	const size = 4<<30 + 3<<20 + 123
	big := filepath.Join(src, "big.bin")
	// A sparse file with a few marks, so the digest depends on every extent.
	testkit.SparseFile(t, big, size, 0, 1<<30, 4<<30-1, 4<<30, size-10)
	if err := os.WriteFile(filepath.Join(src, "small.txt"), []byte("small\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "big.iso")
	out, err := exec.Command("xorriso", "-as", "mkisofs", "-R", "-J", "-iso-level", "3", "-o", img, src).CombinedOutput()
	if err != nil {
		t.Fatalf("xorriso: %v\n%s", err, out)
	}
	h := checksumtest.Alg(t, "sha256").New()
	f, err := os.Open(big)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(h, f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	want := h.Sum(nil)
	os.Remove(big) // the image now holds the only 4 GiB copy

	im, err := Open(img)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	i, m := member(t, im, "big.bin")
	if len(m.Extents) < 2 || m.Size != size {
		t.Fatalf("big.bin: size %d in %d extents, want %d in several", m.Size, len(m.Extents), size)
	}
	res, err := im.Scan(context.Background(), ScanOptions{MemberAlgs: checksumtest.Algs(t, "sha256")})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Members[i]; got.Err != nil || !bytes.Equal(got.Sums[0], want) || got.Read != size {
		t.Fatalf("big.bin: sum %x read %d err %v, want %x", got.Sums, got.Read, got.Err, want)
	}
	j, _ := member(t, im, "small.txt")
	if s := sha256.Sum256([]byte("small\n")); !bytes.Equal(res.Members[j].Sums[0], s[:]) {
		t.Errorf("small.txt: %x", res.Members[j].Sums)
	}
}

// BenchmarkScan measures the ordered pass (image and member sha256) and
// the image digest alone over a 144 MiB image made by xorriso: 64 files of
// 0.5 to 4 MiB.
func BenchmarkScan(b *testing.B) {
	if _, err := exec.LookPath("xorriso"); err != nil {
		b.Skip("xorriso not installed")
	}
	dir := b.TempDir()
	src := filepath.Join(dir, "src")
	os.Mkdir(src, 0o755)
	rng := rand.New(rand.NewPCG(3, 4))
	buf := make([]byte, 4<<20)
	for i := range 64 {
		for j := range buf {
			buf[j] = byte(rng.Uint32())
		}
		n := (i%8 + 1) * len(buf) / 8
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("f%02d.bin", i)), buf[:n], 0o644); err != nil {
			b.Fatal(err)
		}
	}
	img := filepath.Join(dir, "bench.iso")
	if out, err := exec.Command("xorriso", "-as", "mkisofs", "-R", "-J", "-o", img, src).CombinedOutput(); err != nil {
		b.Fatalf("xorriso: %v\n%s", err, out)
	}
	im, err := Open(img)
	if err != nil {
		b.Fatal(err)
	}
	defer im.Close()
	algs := checksumtest.Algs(b, "sha256")
	for _, bc := range []struct {
		name string
		opt  ScanOptions
	}{
		{"image+members", ScanOptions{ImageAlgs: algs, MemberAlgs: algs}},
		{"image", ScanOptions{ImageAlgs: algs}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(im.Size)
			for b.Loop() {
				if _, err := im.Scan(context.Background(), bc.opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// zeros is a sparse image of any size: every byte zero, and the bytes
// read counted.
type zeros struct {
	size int64
	read *int64
}

func (z zeros) ReadAt(p []byte, off int64) (int, error) {
	if off >= z.size {
		return 0, io.EOF
	}
	n := int(min(int64(len(p)), z.size-off))
	clear(p[:n])
	*z.read += int64(n)
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// TestScanHostileSparseImage: the image is the attacker's, a sparse file
// of any size. With nothing digesting the whole image only the members'
// bytes are read, the gaps skipped: a member a terabyte in costs its own
// bytes. A member longer than MostMember is not read at all, whatever its
// directory record claims.
func TestScanHostileSparseImage(t *testing.T) {
	const far = 1 << 40
	var read int64
	im := &Image{Size: far + 8192, VolumeSize: 32, Members: []Member{
		{Name: "near", Size: 2048, Extents: []Extent{{32768, 2048}}},
		{Name: "far", Size: 2048, Extents: []Extent{{far, 2048}}},
		{Name: "huge", Size: far, Extents: []Extent{{4096, far}}},
	}}
	var passed int64
	res, err := scan(context.Background(), im, zeros{im.Size, &read}, ScanOptions{
		MemberAlgs: checksumtest.Algs(t, "sha256"), MostMember: 1 << 20,
		Progress: func(n int64) { passed += n }})
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(make([]byte, 2048))
	for i := range 2 {
		if ms := res.Members[i]; ms.Err != nil || !bytes.Equal(ms.Sums[0], want[:]) {
			t.Errorf("%s: %v %x", im.Members[i].Name, ms.Err, ms.Sums)
		}
	}
	var le *checksum.LongerError
	if ms := res.Members[2]; !errors.As(ms.Err, &le) || le.Size != far || le.Most != 1<<20 || ms.Sums != nil {
		t.Errorf("huge: %+v", ms)
	}
	if read > 4*defaultBufSize {
		t.Errorf("%d bytes read for two members of 2048", read)
	}
	// The gaps skipped count as passed: the progress ends where the
	// pass does, at the last member's end.
	if passed != far+2048 {
		t.Errorf("progress %d, want %d", passed, int64(far+2048))
	}
}
