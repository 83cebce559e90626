package iso

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/internal/checksumtest"
)

// copyCold copies a fixture into a temporary file and drops it from the
// page cache, or skips where it cannot be (tmpfs).
func copyCold(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Sync()
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		t.Fatal(err)
	}
	if c, _, err := checksum.Cached(p); err != nil || c != 0 {
		t.Skipf("%s cannot be made cold here (%d bytes cached, %v)", p, c, err)
	}
	return p
}

// An image read with a Spare, tree and one pass, is no more cached after
// than before; one cached before stays cached. The implanted MD5 check
// (hash --iso-md5) spares the same way.
func TestSpareImage(t *testing.T) {
	algs := checksumtest.Algs(t, "sha256")
	for _, warm := range []bool{false, true} {
		p := copyCold(t, "md5.iso")
		if warm {
			os.ReadFile(p)
		}
		before, size, _ := checksum.Cached(p)
		sp := &checksum.Spare{}
		im, err := OpenSpared(p, sp)
		if err != nil {
			t.Fatal(err)
		}
		sr, err := im.Scan(context.Background(), ScanOptions{ImageAlgs: algs, MemberAlgs: algs, ImplantedMD5: true})
		if err != nil {
			t.Fatal(err)
		}
		if sr.ImageRead != size {
			t.Fatalf("read %d of %d bytes", sr.ImageRead, size)
		}
		if c, _, _ := checksum.Cached(p); c < size/2 {
			t.Fatalf("only %d of %d bytes cached while open: the scan did not go through the page cache?", c, size)
		}
		im.Close()
		if st := sp.Stats(); st.Files != 1 || (st.Kept == 1) != warm || (st.Dropped == 1) == warm {
			t.Errorf("warm=%v: %v", warm, st)
		}
		if after, _, _ := checksum.Cached(p); after != before {
			t.Errorf("warm=%v: %d bytes cached before, %d after", warm, before, after)
		}

		sp = &checksum.Spare{}
		if _, err := ImplantedMD5(context.Background(), p, nil, sp); err != nil {
			t.Fatal(err)
		}
		if after, _, _ := checksum.Cached(p); after != before {
			t.Errorf("--iso-md5, warm=%v: %d bytes cached before, %d after", warm, before, after)
		}
	}
}
