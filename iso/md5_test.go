package iso

import (
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// recordedCheck reads the checkisomd5 output make.sh recorded.
func recordedCheck(t *testing.T) (sum string, pass bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, "md5.checkisomd5.txt"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`md5\.iso:\s+([0-9a-f]{32})`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no sum in md5.checkisomd5.txt")
	}
	return string(m[1]), strings.Contains(string(b), "the result is: PASS")
}

func TestImplantedMD5Fixture(t *testing.T) {
	sum, pass := recordedCheck(t)
	if !pass {
		t.Fatal("checkisomd5 did not pass the fixture")
	}
	path := filepath.Join(fixtures, "md5.iso")
	c, err := ImplantedMD5(context.Background(), path, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Present || !c.OK || c.Implant.MD5 != sum || c.Computed != sum || c.BadFragment != 0 {
		t.Fatalf("check %+v, want PASS with %s", c, sum)
	}
	if c.Implant.SkipSectors != 15 || c.Implant.FragmentCount != 20 || len(c.Implant.FragmentSums) != 60 {
		t.Errorf("implant %+v", c.Implant)
	}
	// The same check inside the ordered pass.
	im, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	res := scanSHA256(t, im, ScanOptions{ImplantedMD5: true, BufSize: 10000})
	if res.ImplantedMD5 == nil || *res.ImplantedMD5 != *c {
		t.Fatalf("scan check %+v, want %+v", res.ImplantedMD5, c)
	}
}

func TestImplantedMD5Absent(t *testing.T) {
	c, err := ImplantedMD5(context.Background(), filepath.Join(fixtures, "rrjoliet.iso"), nil, nil)
	if err != nil || c.Present || c.OK {
		t.Fatalf("check %+v, %v; want absent", c, err)
	}
	im, err := Open(filepath.Join(fixtures, "rrjoliet.iso"))
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	if res := scanSHA256(t, im, ScanOptions{ImplantedMD5: true}); res.ImplantedMD5 == nil || res.ImplantedMD5.Present {
		t.Fatalf("scan check %+v, want absent", res.ImplantedMD5)
	}
	_, err = ImplantedMD5(context.Background(), filepath.Join(fixtures, "md5.sha256"), nil, nil)
	if !errors.Is(err, ErrNotISO) {
		t.Fatalf("not an image: %v", err)
	}
}

// TestImplantedMD5Faults compares the verdict with checkisomd5's when it is
// installed.
func TestImplantedMD5Faults(t *testing.T) {
	checker, _ := exec.LookPath("checkisomd5")
	im, err := Open(filepath.Join(fixtures, "md5.iso"))
	if err != nil {
		t.Fatal(err)
	}
	_, filler := member(t, im, "FILLER.BIN")
	_, readme := member(t, im, "README.TXT")
	vol := im.VolumeSize
	im.Close()
	tests := []struct {
		name    string
		edit    func([]byte) []byte
		ok      bool
		badFrag int // 1: a fragment sum fails, 0: none, -1: either
	}{
		{"late in the data", flip(filler.Extents[0].Offset + 600000), false, -1},
		{"early in the data", flip(filler.Extents[0].Offset + 50000), false, 1},
		{"system area", flip(200), false, 1},
		// The last SKIPSECTORS sectors are outside the sum: README.TXT lies there.
		{"skipped sectors", flip(readme.Extents[0].Offset), true, 0},
		{"truncated", func(b []byte) []byte { return b[:vol-20*sectorSize] }, false, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := damaged(t, "md5", tt.edit)
			c, err := ImplantedMD5(context.Background(), p, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if c.OK != tt.ok || tt.badFrag >= 0 && (c.BadFragment != 0) != (tt.badFrag == 1) {
				t.Errorf("ok %v bad fragment %d, want ok %v bad fragment %v", c.OK, c.BadFragment, tt.ok, tt.badFrag)
			}
			if checker != "" {
				err := exec.Command(checker, p).Run()
				if pass := err == nil; pass != c.OK {
					t.Errorf("checkisomd5 passes: %v (%v); we say %v", pass, err, c.OK)
				}
			}
		})
	}
}

func TestParseImplant(t *testing.T) {
	const sum = "0123456789abcdef0123456789abcdef"
	frag := strings.Repeat("a", 60)
	tests := []struct {
		name string
		in   string
		want *Implant
	}{
		{"implantisomd5", "ISO MD5SUM = " + sum + ";SKIPSECTORS = 15;RHLISOSTATUS=1;FRAGMENT SUMS = " + frag + ";FRAGMENT COUNT = 20;THIS IS NOT THE SAME AS RUNNING MD5SUM ON THIS ISO!!",
			&Implant{MD5: sum, SkipSectors: 15, FragmentSums: frag, FragmentCount: 20, Supported: true}},
		{"old style without fragments", "ISO MD5SUM = " + sum + ";SKIPSECTORS = 150",
			&Implant{MD5: sum, SkipSectors: 150, FragmentCount: defaultFragments}},
		{"no skip", "ISO MD5SUM = " + sum + ";", nil},
		{"no sum", "SKIPSECTORS = 15;", nil},
		{"bad skip number", "ISO MD5SUM = " + sum + ";SKIPSECTORS = x;", nil},
		{"blank", strings.Repeat(" ", 512), nil},
		{"sum at the very end", strings.Repeat(" ", 480) + "ISO MD5SUM = " + sum, nil},
	}
	for _, tt := range tests {
		area := []byte(tt.in)
		got := parseImplant(area)
		if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

// TestImplantLength: the bytes an implant covers, the skipped sectors
// held to the volume whatever a forged implant says.
func TestImplantLength(t *testing.T) {
	const volume = 392
	for _, tt := range []struct {
		skip, want int64
	}{
		{15, (volume - 15) * 2048},
		{0, volume * 2048},
		{-1 << 62, volume * 2048},
		{volume, 0},
		{1 << 62, 0},
	} {
		if got := implantLength(Implant{SkipSectors: tt.skip}, volume); got != tt.want {
			t.Errorf("skip %d: %d, want %d", tt.skip, got, tt.want)
		}
	}
}

func TestImplantMost(t *testing.T) {
	for _, tt := range []struct{ stored, want int64 }{
		{0, 1 << 30},
		{-1, 1 << 30},
		{1 << 20, 4<<20 + 1<<30},
		{(math.MaxInt64 - 1<<30) / 4, (math.MaxInt64-1<<30)/4*4 + 1<<30},
		{(math.MaxInt64-1<<30)/4 + 1, math.MaxInt64},
		{math.MaxInt64, math.MaxInt64},
	} {
		if got := implantMost(tt.stored); got != tt.want {
			t.Errorf("implantMost(%d) = %d, want %d", tt.stored, got, tt.want)
		}
	}
}
