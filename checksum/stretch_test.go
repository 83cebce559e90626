package checksum

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// Every file is hashed once, whatever the stretch, its result under its
// own index.
func TestHashStretches(t *testing.T) {
	dir := t.TempDir()
	const n = 10
	paths := make([]string, n)
	for i := range paths {
		paths[i] = filepath.Join(dir, fmt.Sprint(i))
		if err := os.WriteFile(paths[i], bytes.Repeat([]byte{byte(i)}, i*100), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sha, _ := Lookup("sha256")
	for _, stretch := range []int{0, 1, 3, n, 2 * n} {
		got := make([]int, n)
		opt := Options{Workers: 2, AnyOrder: stretch%2 == 1}
		job := func(i int) Job { return Named(paths[i], false) }
		last := -1
		err := HashStretches(context.Background(), n, stretch, job, []*Algorithm{sha}, opt, func(r Result) error {
			want := sha256.Sum256(bytes.Repeat([]byte{byte(r.Index)}, r.Index*100))
			if r.Err != nil || r.Path != paths[r.Index] || !bytes.Equal(r.Sums[0], want[:]) {
				t.Errorf("stretch %d: result %d: %s %x %v", stretch, r.Index, r.Path, r.Sums, r.Err)
			}
			// In the files' order across stretches, unless any order
			// is asked for.
			if !opt.AnyOrder && r.Index != last+1 {
				t.Errorf("stretch %d: result %d after %d", stretch, r.Index, last)
			}
			last = r.Index
			got[r.Index]++
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range got {
			if c != 1 {
				t.Errorf("stretch %d: file %d hashed %d times", stretch, i, c)
			}
		}
	}
}
