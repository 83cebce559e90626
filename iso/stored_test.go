//go:build unix || windows

package iso

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sverka/sverka/internal/checksumtest"
	"github.com/sverka/sverka/internal/testkit"
)

// TestImplantOfSparseImage: an image whose volume descriptor claims
// 4 TiB over a sparse file stores what it was, and its implant is not
// read, by the check alone (hash --iso-md5) or in the one pass where the
// image is read for nothing else: reading it would take hours.
func TestImplantOfSparseImage(t *testing.T) {
	const blocks = 1 << 31
	p := filepath.Join(t.TempDir(), "md5.iso")
	written := testkit.SparseISO(t, filepath.Join(fixtures, "md5.iso"), p, blocks)
	f, err := os.Open(p)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := stored(f)
	f.Close()
	if !ok || s <= 0 || s > written+1<<20 {
		t.Fatalf("stored %d, %v; %d bytes written", s, ok, written)
	}
	want := MD5Check{Present: true, NotRead: true, Length: (blocks - 15) * 2048, Stored: s}
	c, err := ImplantedMD5(context.Background(), p, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	want.Implant = c.Implant
	if *c != want || c.Implant.MD5 == "" {
		t.Fatalf("check alone %+v, want %+v", c, want)
	}
	im, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	res, err := im.Scan(context.Background(), ScanOptions{MemberAlgs: checksumtest.Algs(t, "sha256"), ImplantedMD5: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.ImplantedMD5 == nil || *res.ImplantedMD5 != want {
		t.Fatalf("in the pass %+v, want %+v", res.ImplantedMD5, want)
	}
	for i, m := range res.Members {
		if m.Err != nil || m.Read != im.Members[i].Size {
			t.Errorf("%s: read %d of %d, %v", im.Members[i].Name, m.Read, im.Members[i].Size, m.Err)
		}
	}
}

// TestStoredOnlyRegular: a device or a directory stores nothing a sparse
// file's holes could be told by (a device's st_blocks count none of its
// bytes), so stored says nothing of it, and a device's implant is read.
func TestStoredOnlyRegular(t *testing.T) {
	for _, p := range []string{os.DevNull, t.TempDir()} {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		if s, ok := stored(f); ok {
			t.Errorf("%s: stored %d", p, s)
		}
		f.Close()
	}
}
