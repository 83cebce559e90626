package checksum

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Every file Started is Finished once, whether read whole, cut short or
// refused, so that a display of the files in flight is right.
func TestHashFilesStartedFinished(t *testing.T) {
	dir := t.TempDir()
	var jobs []Job
	for i, size := range []int{0, 10, 5000, 3 << 20, 70, 1 << 20} {
		p := filepath.Join(dir, strings.Repeat("f", i+1))
		if err := os.WriteFile(p, make([]byte, size), 0o644); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, Named(p, false))
		jobs = append(jobs, Expected(p, int64(size), true))
	}
	jobs = append(jobs, Named(filepath.Join(dir, "missing"), false), Named(dir, false))
	var mu sync.Mutex
	inFlight := map[string]int{}
	starts := 0
	opt := Options{
		Workers: 4,
		Started: func(p string) {
			mu.Lock()
			defer mu.Unlock()
			inFlight[p]++
			starts++
		},
		Finished: func(p string) {
			mu.Lock()
			defer mu.Unlock()
			if inFlight[p] == 0 {
				t.Errorf("%s finished, not started", p)
			}
			inFlight[p]--
		},
	}
	err := HashFiles(context.Background(), jobs, mustAlgs(t, "sha256"), opt, func(Result) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if starts < 12 {
		t.Errorf("%d files started, want at least 12", starts)
	}
	for p, n := range inFlight {
		if n != 0 {
			t.Errorf("%s: %d still in flight", p, n)
		}
	}
}
