package checksum

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
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
