package checksum

import (
	"context"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/zeebo/blake3"
)

// BenchmarkAlgorithms reports each registered algorithm's single-core
// throughput (MB/s) on 1 MiB writes, the engine's read size.
func BenchmarkAlgorithms(b *testing.B) {
	buf := make([]byte, DefaultBufSize)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	for _, a := range Algorithms() {
		b.Run(a.Name, func(b *testing.B) {
			h := a.New()
			b.SetBytes(int64(len(buf)))
			for b.Loop() {
				h.Write(buf)
			}
		})
	}
}

// BenchmarkEngineOneFile reports what one worker achieves on a 64 MiB
// file through the whole engine (open, read, hash), and what the library
// alone achieves on the same file read the way its users read one
// (io.Copy from an os.File). Engine against library-on-file is the
// engine's own cost; library-on-file against BenchmarkAlgorithms is the
// kernel's copy out of the page cache, which every reader pays. With a
// core to spare the engine reads the file ahead on it (engine/ALG: wall
// time near the hashing alone, CPU time a little above the plain loop's);
// engine-1core/ALG runs on one core, where it reads and hashes in turn.
func BenchmarkEngineOneFile(b *testing.B) {
	p := filepath.Join(b.TempDir(), "f")
	data := make([]byte, 64<<20)
	for i := range data {
		data[i] = byte(i * 13)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"sha256", "blake3", "gost12-256"} {
		b.Run("library/"+name, func(b *testing.B) {
			alg := mustAlgs(b, name)[0]
			b.SetBytes(int64(len(data)))
			cpu0 := cpuTime()
			for b.Loop() {
				f, err := os.Open(p)
				if err != nil {
					b.Fatal(err)
				}
				h := alg.New()
				if _, err := io.CopyBuffer(h, struct{ io.Reader }{f}, make([]byte, DefaultBufSize)); err != nil {
					b.Fatal(err)
				}
				h.Sum(nil)
				f.Close()
			}
			b.ReportMetric(float64(len(data))*float64(b.N)/(cpuTime()-cpu0).Seconds()/1e6, "cpuMB/s")
		})
		b.Run("engine/"+name, func(b *testing.B) { benchEngine(b, p, name, int64(len(data))) })
		b.Run("engine-1core/"+name, func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			benchEngine(b, p, name, int64(len(data)))
		})
	}
}

// benchEngine hashes the file p with one worker, b.N times.
func benchEngine(b *testing.B, p, name string, size int64) {
	algs := mustAlgs(b, name)
	b.SetBytes(size)
	cpu0 := cpuTime()
	for b.Loop() {
		err := HashFiles(context.Background(), []Job{{Path: p}}, algs, Options{Workers: 1}, func(r Result) error { return r.Err })
		if err != nil {
			b.Fatal(err)
		}
	}
	// CPU time, unlike wall time, holds still on a busy machine.
	b.ReportMetric(float64(size)*float64(b.N)/(cpuTime()-cpu0).Seconds()/1e6, "cpuMB/s")
}

// BenchmarkBlake3 compares, on one core, the tree hasher the registry
// uses (lukechampine.com/blake3/guts with AVX-512, else zeebo/blake3's
// AVX2 kernels), the tree on each kernel, and zeebo/blake3 itself (AVX2
// at most), by write size: small files are one write, the engine writes
// DefaultBufSize at a time. cpuMB/s holds still on a busy machine where
// MB/s does not.
func BenchmarkBlake3(b *testing.B) {
	type impl struct {
		name string
		new  func() hash.Hash
	}
	kernel := func(eight bool) func() hash.Hash {
		return func() hash.Hash {
			h := newBlake3(nil)
			h.eight = eight
			return h
		}
	}
	// tree-guts and tree-eight: the tree on each kernel this CPU runs,
	// whichever the registry prefers.
	impls := []impl{{"tree", func() hash.Hash { return newBlake3(nil) }}, {"tree-guts", kernel(false)}}
	if canEightWide {
		impls = append(impls, impl{"tree-eight", kernel(true)})
	}
	impls = append(impls, impl{"zeebo", func() hash.Hash { return blake3.New() }})
	for _, size := range []int{64, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 1 << 20, 8 << 20} {
		buf := make([]byte, size)
		for i := range buf {
			buf[i] = byte(i * 7)
		}
		for _, impl := range impls {
			b.Run(fmt.Sprintf("%s/%d", impl.name, size), func(b *testing.B) {
				h := impl.new()
				sum := make([]byte, 0, 32)
				b.SetBytes(int64(size))
				cpu0 := cpuTime()
				for b.Loop() {
					h.Reset()
					h.Write(buf)
					sum = h.Sum(sum[:0])
				}
				b.ReportMetric(float64(size)*float64(b.N)/(cpuTime()-cpu0).Seconds()/1e6, "cpuMB/s")
			})
		}
	}
}

// BenchmarkBlake3Split hashes 64 MiB in writes of the engine's read size
// and larger, on the writer's core alone (idle=0) and with the other
// cores lent (idle=N): MB/s against MB/s is the speed-up on an otherwise
// quiet machine, cpuMB/s against cpuMB/s the cost of splitting.
func BenchmarkBlake3Split(b *testing.B) {
	data := make([]byte, 64<<20)
	for i := range data {
		data[i] = byte(i * 13)
	}
	for _, write := range []int{DefaultBufSize, 4 << 20} {
		for _, idle := range []int{0, runtime.GOMAXPROCS(0) - 1} {
			b.Run(fmt.Sprintf("write=%d/idle=%d", write, idle), func(b *testing.B) {
				h := newBlake3(newCores(idle))
				b.SetBytes(int64(len(data)))
				cpu0 := cpuTime()
				for b.Loop() {
					h.Reset()
					for p := data; len(p) > 0; p = p[min(write, len(p)):] {
						h.Write(p[:min(write, len(p))])
					}
					h.Sum(nil)
				}
				b.ReportMetric(float64(len(data))*float64(b.N)/(cpuTime()-cpu0).Seconds()/1e6, "cpuMB/s")
			})
		}
	}
}

// BenchmarkEngineBigFile hashes one large file through HashFiles, with
// BLAKE3 and with SHA-256: -j 1 (one worker; SHA-256 reads ahead on the
// other core), -j 2 (BLAKE3 reads and hashes on both cores), every core
// (all: bench/run's engine line) and one core alone. The file
// is $SVERKA_BIGFILE (the bench kit's 400 MB file) or 256 MiB made here.
// Run it with -cpuprofile or -trace to see where a core idles.
func BenchmarkEngineBigFile(b *testing.B) {
	p := os.Getenv("SVERKA_BIGFILE")
	if p == "" {
		p = filepath.Join(b.TempDir(), "big")
		data := make([]byte, 256<<20)
		for i := range data {
			data[i] = byte(i * 13)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	fi, err := os.Stat(p)
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"blake3", "sha256"} {
		algs := mustAlgs(b, name)
		run := func(b *testing.B, workers int) {
			b.SetBytes(fi.Size())
			cpu0 := cpuTime()
			for b.Loop() {
				err := HashFiles(context.Background(), []Job{{Path: p}}, algs, Options{Workers: workers}, func(r Result) error { return r.Err })
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(fi.Size())*float64(b.N)/(cpuTime()-cpu0).Seconds()/1e6, "cpuMB/s")
		}
		b.Run(name+"/j=1", func(b *testing.B) { run(b, 1) })
		b.Run(name+"/j=2", func(b *testing.B) { run(b, 2) })
		b.Run(name+"/all", func(b *testing.B) { run(b, runtime.GOMAXPROCS(0)) })
		b.Run(name+"/1core", func(b *testing.B) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
			run(b, 1)
		})
	}
}

// BenchmarkOrderBy is the order of a run of 100,000 files by size, made
// before the first file is read.
func BenchmarkOrderBy(b *testing.B) {
	sizes := make([]int64, 100_000)
	x := uint64(1)
	for i := range sizes {
		x = x*6364136223846793005 + 1442695040888963407
		sizes[i] = int64(x>>33) % 20_000
	}
	for b.Loop() {
		orderBy(sizes, true)
	}
}
