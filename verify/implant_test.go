package verify

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/sverka/sverka/internal/testkit"
)

// TestImplantOfSparseImageNotRead: an image checked against [media]
// alone whose implanted MD5 covers a volume of terabytes, claimed by its
// primary volume descriptor over a sparse file, is not read for it: the
// check fails at once, saying why, where reading it would take hours.
// The same image as made, and an [image] table, read it as before.
func TestImplantOfSparseImageNotRead(t *testing.T) {
	fixture := filepath.Join("..", "testdata", "iso", "md5.iso")
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(t.TempDir(), "kit.iso")
	if err := os.WriteFile(img, b, 0o644); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, withImage := range []bool{false, true} {
		res, err := Check(context.Background(), mediaFormular(t, img, withImage), Sources{Media: img, At: at})
		if err != nil || res.Verdict != Holds || res.Image.ImplantedMD5 == nil || !res.Image.ImplantedMD5.OK {
			t.Fatalf("image as made, [image] %v: %v %s %+v", withImage, err, res.Verdict, res.Reasons)
		}
	}
	f := mediaFormular(t, img, false)

	// The volume 2^31 sectors (4 TiB), the file as long, sparse.
	const blocks = 1 << 31
	testkit.SparseISO(t, fixture, img, blocks)
	start := time.Now()
	res, err := Check(context.Background(), f, Sources{Media: img, At: at})
	if err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > time.Minute {
		t.Fatalf("took %v", took)
	}
	if res.Verdict != NotHolds || len(res.Reasons) != 1 || res.Reasons[0].Code != CodeImplantedMD5NotRead {
		t.Fatalf("verdict %s, reasons %+v", res.Verdict, res.Reasons)
	}
	covers := strconvI(t, res.Reasons[0].Args["covers"])
	if want := int64(blocks-15) * 2048; covers != want {
		t.Errorf("covers %d, want %d", covers, want)
	}
	if stored := strconvI(t, res.Reasons[0].Args["stored"]); stored <= 0 || stored > int64(len(b))+1<<20 {
		t.Errorf("stored %d of a file of %d bytes written", stored, len(b))
	}
	if m := res.Image.ImplantedMD5; m == nil || !m.NotRead || m.OK || m.Computed != "" || m.Expected == "" {
		t.Errorf("implanted MD5 %+v", m)
	}
	// The members are still checked.
	if got := res.Tables[0].Counts[OK]; got != 7 {
		t.Errorf("%d members OK, want 7: %+v", got, res.Tables[0].Counts)
	}
}

func strconvI(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
