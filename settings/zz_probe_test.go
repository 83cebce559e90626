package settings

import (
	"math/rand"
	"os"
	"testing"
	"time"
)

func TestZZProbe(t *testing.T) {
	base, _ := os.ReadFile("testdata/kes-export.reg")
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 200000; i++ {
		d := append([]byte(nil), base...)
		for k := 0; k < 1+r.Intn(8); k++ {
			switch r.Intn(3) {
			case 0:
				d[r.Intn(len(d))] = byte(r.Intn(256))
			case 1:
				p := r.Intn(len(d))
				d = append(d[:p], d[min(len(d), p+r.Intn(20)):]...)
			case 2:
				p := r.Intn(len(d))
				q := r.Intn(len(d))
				d = append(d[:p:p], append(append([]byte(nil), d[q:min(len(d), q+r.Intn(40))]...), d[p:]...)...)
			}
			if len(d) < 4 {
				d = append(d, base...)
			}
		}
		start := time.Now()
		Parse(d, "x", "reg")
		if time.Since(start) > 1*time.Second {
			os.WriteFile("/tmp/gen/slow.reg", d, 0o644)
			t.Fatalf("slow input %d", i)
		}
	}
}
