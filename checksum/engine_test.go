package checksum

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// writeTree makes files of varied sizes; returns their paths in creation order.
func writeTree(t *testing.T, sizes []int) []string {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i, n := range sizes {
		p := filepath.Join(dir, fmt.Sprintf("f%03d", i))
		b := bytes.Repeat([]byte{byte(i), byte(n)}, n/2+1)[:n]
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	return paths
}

func TestHashFilesInputOrderAndDigests(t *testing.T) {
	// Sizes out of order, with empty and buffer-boundary files, so largest
	// first scheduling reorders them and the results must be put back.
	sizes := []int{10, 0, 3 << 20, 1 << 20, 1<<20 + 1, 7, 2 << 20, 1}
	paths := writeTree(t, sizes)
	var jobs []Job
	for _, p := range paths {
		jobs = append(jobs, Job{Path: p})
	}
	var got []Result
	var progressed atomic.Int64
	err := HashFiles(context.Background(), jobs, mustAlgs(t, "sha256", "sha512", "blake3"), Options{Workers: 3, Progress: func(n int64) { progressed.Add(n) }}, func(r Result) error {
		got = append(got, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(paths) {
		t.Fatalf("got %d results, want %d", len(got), len(paths))
	}
	var total int64
	for i, r := range got {
		if r.Index != i || r.Path != paths[i] {
			t.Fatalf("result %d is %d %s: not in input order", i, r.Index, r.Path)
		}
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		data, _ := os.ReadFile(paths[i])
		want := sha256.Sum256(data)
		if !bytes.Equal(r.Sums[0], want[:]) {
			t.Errorf("%s: sha256 %x, want %x", paths[i], r.Sums[0], want)
		}
		if r.Size != int64(len(data)) {
			t.Errorf("%s: size %d, want %d", paths[i], r.Size, len(data))
		}
		total += r.Size
	}
	if progressed.Load() != total {
		t.Errorf("progress counted %d bytes, want %d", progressed.Load(), total)
	}
}

func TestHashFilesPerJobAlgorithms(t *testing.T) {
	paths := writeTree(t, []int{100, 200})
	jobs := []Job{{Path: paths[0], Algs: mustAlgs(t, "md5")}, {Path: paths[1], Algs: mustAlgs(t, "sha1", "sha256")}}
	var got []Result
	if err := HashFiles(context.Background(), jobs, nil, Options{}, func(r Result) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got[0].Sums) != 1 || len(got[0].Sums[0]) != 16 {
		t.Errorf("md5 job: got %d sums", len(got[0].Sums))
	}
	if len(got[1].Sums) != 2 || len(got[1].Sums[0]) != 20 || len(got[1].Sums[1]) != 32 {
		t.Errorf("sha1,sha256 job: got sums of lengths %d", len(got[1].Sums))
	}
}

func TestHashFilesCancel(t *testing.T) {
	paths := writeTree(t, []int{1 << 20, 1 << 20, 1 << 20, 1 << 20})
	var jobs []Job
	for _, p := range paths {
		jobs = append(jobs, Job{Path: p})
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := HashFiles(ctx, jobs, mustAlgs(t, "sha256"), Options{Workers: 1}, func(r Result) error {
		n++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled scan returned %v", err)
	}
	if n == len(jobs) {
		t.Fatalf("cancel did not stop the scan")
	}
}

func TestHashFilesEmitErrorStops(t *testing.T) {
	paths := writeTree(t, []int{1, 2, 3})
	jobs := []Job{{Path: paths[0]}, {Path: paths[1]}, {Path: paths[2]}}
	stop := errors.New("stop")
	err := HashFiles(context.Background(), jobs, mustAlgs(t, "sha256"), Options{}, func(r Result) error { return stop })
	if err != stop {
		t.Fatalf("got %v, want the emit error", err)
	}
}

func TestHashReader(t *testing.T) {
	sums, n, err := HashReader(context.Background(), strings.NewReader("abc"), mustAlgs(t, "sha256"), Options{})
	if err != nil || n != 3 {
		t.Fatal(err, n)
	}
	if got := hex.EncodeToString(sums[0]); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("sha256(abc) = %s", got)
	}
}

func TestHashFilesManyFilesBoundedGoroutines(t *testing.T) {
	sizes := make([]int, 300)
	for i := range sizes {
		sizes[i] = i
	}
	paths := writeTree(t, sizes)
	var jobs []Job
	for _, p := range paths {
		jobs = append(jobs, Job{Path: p})
	}
	before := runtime.NumGoroutine()
	peak := 0
	err := HashFiles(context.Background(), jobs, mustAlgs(t, "sha256"), Options{Workers: 2}, func(r Result) error {
		peak = max(peak, runtime.NumGoroutine())
		return r.Err
	})
	if err != nil {
		t.Fatal(err)
	}
	if peak-before > 10 {
		t.Errorf("%d goroutines for 2 workers: no per-file goroutines wanted", peak-before)
	}
}

func BenchmarkHashFiles(b *testing.B) {
	dir := b.TempDir()
	var jobs []Job
	var total int64
	for i := range 8 {
		p := filepath.Join(dir, fmt.Sprint(i))
		data := bytes.Repeat([]byte{byte(i)}, 16<<20)
		os.WriteFile(p, data, 0o644)
		jobs = append(jobs, Job{Path: p})
		total += int64(len(data))
	}
	algs := mustAlgs(b, "sha256")
	b.SetBytes(total)
	for b.Loop() {
		HashFiles(context.Background(), jobs, algs, Options{}, func(Result) error { return nil })
	}
}

// A file that changes while it is read is reported, never hashed as if
// whole.
func TestHashFilesChangedWhileRead(t *testing.T) {
	for _, tc := range []struct {
		name   string
		size   int
		change func(p string) error
	}{
		{"shrinks while read", 32 << 20, func(p string) error { return os.Truncate(p, 4096) }},
		{"grows while read", 3 << 20, appendMore},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "f")
			if err := os.WriteFile(p, make([]byte, tc.size), 0o644); err != nil {
				t.Fatal(err)
			}
			changed := false
			opt := Options{Workers: 1, Progress: func(int64) {
				if !changed {
					changed = true
					if err := tc.change(p); err != nil {
						t.Error(err)
					}
				}
			}}
			var got Result
			err := HashFiles(context.Background(), []Job{{Path: p}}, mustAlgs(t, "sha256"), opt, func(r Result) error { got = r; return nil })
			if err != nil {
				t.Fatal(err)
			}
			if got.Err == nil || got.Sums != nil {
				t.Fatalf("a file changed while read must fail, got sums %x err %v", got.Sums, got.Err)
			}
		})
	}
}

// An Expected job is read to its first short read, with the table's size as
// a hint only: whatever the hint, the digest and size are the file's.
func TestHashFilesNoStat(t *testing.T) {
	dir := t.TempDir()
	content := bytes.Repeat([]byte("module"), 5000) // 30,000 bytes
	p := filepath.Join(dir, "mod.so")
	if err := os.WriteFile(p, content, 0o755); err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(content)
	tests := []struct {
		name string
		hint int64
		buf  int
	}{
		{"exact size", int64(len(content)), 0},
		{"table says longer", int64(len(content)) + 100, 0},
		{"table says shorter", 10, 0},
		{"table says empty", 0, 0},
		{"several reads", int64(len(content)), 4096},
		{"several reads, table says shorter", 5000, 4096},
		{"buffer boundary", int64(len(content)), len(content)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jobs := []Job{Expected(p, tt.hint, true)}
			var got Result
			err := HashFiles(context.Background(), jobs, mustAlgs(t, "sha256"), Options{BufSize: tt.buf}, func(r Result) error { got = r; return nil })
			if err != nil {
				t.Fatal(err)
			}
			if got.Err != nil {
				t.Fatal(got.Err)
			}
			if got.Size != int64(len(content)) || !bytes.Equal(got.Sums[0], want[:]) {
				t.Errorf("size %d digest %x, want %d %x", got.Size, got.Sums[0], len(content), want)
			}
		})
	}

	// A directory where the listing saw a file fails, never hashes as empty.
	jobs := []Job{Expected(dir, 10, true)}
	var got Result
	HashFiles(context.Background(), jobs, mustAlgs(t, "sha256"), Options{}, func(r Result) error { got = r; return nil })
	if got.Err == nil || got.Sums != nil {
		t.Errorf("directory read as a file: %+v", got)
	}
}

// With AnyOrder every job still comes back once, its Index saying which.
func TestHashFilesAnyOrder(t *testing.T) {
	sizes := make([]int, 600) // more than a batch, so batches are reused
	for i := range sizes {
		sizes[i] = (i * 7919) % 5000
	}
	sizes[3] = 3 << 20
	paths := writeTree(t, sizes)
	jobs := make([]Job, len(paths))
	for i, p := range paths {
		jobs[i] = Job{Path: p}
	}
	seen := make([]bool, len(jobs))
	err := HashFiles(context.Background(), jobs, mustAlgs(t, "sha256", "blake3"), Options{Workers: 2, AnyOrder: true}, func(r Result) error {
		if seen[r.Index] {
			t.Fatalf("job %d came back twice", r.Index)
		}
		seen[r.Index] = true
		data, _ := os.ReadFile(paths[r.Index])
		want := sha256.Sum256(data)
		if r.Err != nil || r.Path != paths[r.Index] || !bytes.Equal(r.Sums[0], want[:]) || len(r.Sums[1]) != 32 {
			t.Errorf("job %d: %+v", r.Index, r)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, ok := range seen {
		if !ok {
			t.Errorf("job %d never came back", i)
		}
	}
}

// The run's order: by key, equal keys in the order given.
func TestOrderBy(t *testing.T) {
	for _, tc := range []struct {
		keys []int64
		desc bool
		want []int
	}{
		{nil, true, []int{}},
		{[]int64{5}, true, []int{0}},
		{[]int64{1, 3, 2, 3, 1}, true, []int{1, 3, 2, 0, 4}},
		{[]int64{1, 3, 2, 3, 1}, false, []int{0, 4, 2, 1, 3}},
		{[]int64{7, 7, 7}, true, []int{0, 1, 2}},
		{[]int64{-1, 0, 4 << 40}, true, []int{2, 1, 0}},
	} {
		if got := orderBy(tc.keys, tc.desc); !slices.Equal(got, tc.want) {
			t.Errorf("orderBy(%v, desc %v) = %v, want %v", tc.keys, tc.desc, got, tc.want)
		}
	}
	// Inodes, unsigned, from the top bit down.
	if got := orderBy([]uint64{1 << 63, 2, 2, 1}, false); !slices.Equal(got, []int{3, 1, 2, 0}) {
		t.Errorf("orderBy of inodes = %v", got)
	}
}

// appendMore appends four bytes to the file p: a file that grows.
func appendMore(p string) error {
	f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = f.Write([]byte("more"))
	return err
}

// A file a table lists that grew past twice its size (and past it by more
// than a mebibyte) is not read: a sparse terabyte in a small file's place
// fails at once with its size, rather than holding the check for hours.
// Up to that bound the file is read whole, as any other.
func TestHashFilesExpectedFarLonger(t *testing.T) {
	dir := t.TempDir()
	huge := int64(64 << 20)
	if runtime.GOOS == "linux" {
		huge = 1 << 40 // sparse: reading it would take the test's whole time
	}
	tests := []struct {
		name         string
		listed, size int64
		longer       bool
	}{
		{"a terabyte for 23 bytes", 23, huge, true},
		{"23 bytes and a mebibyte more", 23, 23 + 1<<20, false},
		{"a byte past that", 23, 24 + 1<<20, true},
		{"twice a large file", 10 << 20, 20 << 20, false},
		{"a byte more than twice", 10 << 20, 20<<20 + 1, true},
		{"listed empty, a mebibyte found", 0, 1 << 20, false},
	}
	for i, tt := range tests {
		p := filepath.Join(dir, fmt.Sprintf("f%d", i))
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(tt.size); err != nil {
			t.Fatal(err)
		}
		f.Close()
		for _, toSize := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s, read to size %v", tt.name, toSize), func(t *testing.T) {
				var got Result
				err := HashFiles(context.Background(), []Job{Expected(p, tt.listed, toSize)}, mustAlgs(t, "sha256"), Options{}, func(r Result) error { got = r; return nil })
				if err != nil {
					t.Fatal(err)
				}
				var le *LongerError
				if !tt.longer {
					if got.Err != nil || got.Size != tt.size || got.Sums == nil {
						t.Fatalf("not read whole: size %d, %v", got.Size, got.Err)
					}
					return
				}
				most := MostWorthReading(tt.listed)
				if !errors.As(got.Err, &le) || le.Size != tt.size || le.Most != most || got.Sums != nil {
					t.Fatalf("got %+v, want a LongerError of %d bytes, %d worth reading", got, tt.size, most)
				}
				if want := fmt.Sprintf("not read: %d bytes, more than the %d worth reading for the size listed", tt.size, most); le.Error() != want {
					t.Errorf("%q, want %q", le.Error(), want)
				}
			})
		}
	}
}

func TestMostWorthReading(t *testing.T) {
	for _, tt := range []struct{ size, want int64 }{
		{0, 1 << 20},
		{23, 23 + 1<<20},
		{1 << 20, 2 << 20},
		{10 << 20, 20 << 20},
		{math.MaxInt64/2 + 1, math.MaxInt64},
		{math.MaxInt64, math.MaxInt64},
	} {
		if got := MostWorthReading(tt.size); got != tt.want {
			t.Errorf("MostWorthReading(%d) = %d, want %d", tt.size, got, tt.want)
		}
	}
}
