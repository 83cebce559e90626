package gost

import (
	"hash"
	"testing"
)

func benchmarkHash(b *testing.B, h hash.Hash) {
	buf := make([]byte, 1<<20)
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	b.SetBytes(int64(len(buf)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h.Write(buf)
	}
	h.Sum(nil)
}

func BenchmarkStreebog256(b *testing.B)     { benchmarkHash(b, New256()) }
func BenchmarkStreebog512(b *testing.B)     { benchmarkHash(b, New512()) }
func BenchmarkGOST94(b *testing.B)          { benchmarkHash(b, New94()) }
func BenchmarkGOST94CryptoPro(b *testing.B) { benchmarkHash(b, New94CryptoPro()) }
