package iso

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sverka/sverka/internal/checksumtest"
)

const fixtures = "../testdata/iso"

// manifest reads NAME.sha256, written by make.sh with GNU sha256sum over
// the tree each image was made from.
func manifest(t *testing.T, name string) map[string]string {
	t.Helper()
	f, err := os.Open(filepath.Join(fixtures, name+".sha256"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, path, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("%s.sha256: bad line %q", name, sc.Text())
		}
		m[path] = sum
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

func fileSHA256(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func scanSHA256(t *testing.T, im *Image, opt ScanOptions) *ScanResult {
	t.Helper()
	opt.ImageAlgs = checksumtest.Algs(t, "sha256")
	opt.MemberAlgs = checksumtest.Algs(t, "sha256")
	res, err := im.Scan(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Members) != len(im.Members) {
		t.Fatalf("%d member results for %d members", len(res.Members), len(im.Members))
	}
	return res
}

// memberSums maps member names to their hex digest, or to "error: ..." .
func memberSums(im *Image, res *ScanResult) map[string]string {
	m := map[string]string{}
	for i, mem := range im.Members {
		if err := res.Members[i].Err; err != nil {
			m[mem.Name] = "error: " + err.Error()
			continue
		}
		m[mem.Name] = hex.EncodeToString(res.Members[i].Sums[0])
	}
	return m
}

func TestFixtures(t *testing.T) {
	tests := []struct {
		name     string
		names    string
		extra    []string // members made by xorriso, absent from the source tree
		symlinks []Symlink
		boot     bool
		mbr, gpt bool
	}{
		{name: "rrjoliet", names: "rockridge", symlinks: []Symlink{{"link-to-readme", "readme.txt"}}},
		{name: "joliet", names: "joliet"},
		{name: "plain", names: "iso9660"},
		{name: "hybrid", names: "rockridge", extra: []string{"boot/boot.cat"}, boot: true, mbr: true, gpt: true},
		{name: "md5", names: "rockridge"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(fixtures, tt.name+".iso")
			im, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer im.Close()
			if im.Names != tt.names {
				t.Errorf("names from %s, want %s", im.Names, tt.names)
			}
			if im.Boot != tt.boot || im.MBR != tt.mbr || im.GPT != tt.gpt {
				t.Errorf("boot %v mbr %v gpt %v, want %v %v %v", im.Boot, im.MBR, im.GPT, tt.boot, tt.mbr, tt.gpt)
			}
			st, _ := os.Stat(path)
			if im.Size != st.Size() || im.VolumeSize != st.Size() {
				t.Errorf("size %d volume %d, file has %d", im.Size, im.VolumeSize, st.Size())
			}
			if !slices.Equal(im.Symlinks, tt.symlinks) {
				t.Errorf("symlinks %v, want %v", im.Symlinks, tt.symlinks)
			}
			if !slices.IsSortedFunc(im.Members, func(a, b Member) int { return strings.Compare(a.Name, b.Name) }) {
				t.Error("members are not sorted by name")
			}

			var progress int64
			res := scanSHA256(t, im, ScanOptions{Progress: func(n int64) { progress += n }})
			if got, want := hex.EncodeToString(res.ImageSums[0]), fileSHA256(t, path); got != want {
				t.Errorf("image sha256 %s, want %s", got, want)
			}
			if res.ImageRead != st.Size() || progress != st.Size() || res.ImageErr != nil {
				t.Errorf("read %d (progress %d, err %v), want %d", res.ImageRead, progress, res.ImageErr, st.Size())
			}
			want := manifest(t, tt.name)
			got := memberSums(im, res)
			for _, x := range tt.extra {
				if _, ok := got[x]; !ok {
					t.Errorf("member %s missing", x)
				}
				delete(got, x)
			}
			for name, sum := range want {
				if got[name] != sum {
					t.Errorf("%s: sha256 %q, want %s", name, got[name], sum)
				}
			}
			for name := range got {
				if _, ok := want[name]; !ok {
					t.Errorf("unexpected member %q", name)
				}
			}
			for i, m := range im.Members {
				var n int64
				for _, e := range m.Extents {
					n += e.Length
				}
				if n != m.Size || res.Members[i].Read != m.Size {
					t.Errorf("%s: size %d, extents %d, read %d", m.Name, m.Size, n, res.Members[i].Read)
				}
			}
		})
	}
}

func member(t *testing.T, im *Image, name string) (int, Member) {
	t.Helper()
	for i, m := range im.Members {
		if m.Name == name {
			return i, m
		}
	}
	t.Fatalf("no member %q", name)
	return 0, Member{}
}

func TestNames(t *testing.T) {
	long := "data/очень длинное имя файла для проверки продолжения записи Rock Ridge в области CE.txt"
	tests := []struct {
		image string
		want  []string
	}{
		// The long name needs a Rock Ridge continuation area (CE).
		{"rrjoliet", []string{"Документация/Ёлка и щука.pdf", "Документация/Руководство администратора.txt", long, "a/b/c/d/e/f/g/h/i/deep.txt", "empty.dat"}},
		{"joliet", []string{"Документация/Ёлка и щука.pdf", long}},
		// "NOEXT.;1" on the image.
		{"plain", []string{"README.TXT", "NOEXT", "DOCS/SUB/NESTED.TXT"}},
	}
	for _, tt := range tests {
		im, err := Open(filepath.Join(fixtures, tt.image+".iso"))
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range tt.want {
			member(t, im, n)
		}
		im.Close()
	}
}

func TestHardLinkSharesExtent(t *testing.T) {
	im, err := Open(filepath.Join(fixtures, "rrjoliet.iso"))
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	_, a := member(t, im, "bin/kesl")
	_, b := member(t, im, "bin/kesl-hardlink")
	if !slices.Equal(a.Extents, b.Extents) {
		t.Fatalf("hard links have extents %v and %v", a.Extents, b.Extents)
	}
	res := scanSHA256(t, im, ScanOptions{})
	sums := memberSums(im, res)
	if sums["bin/kesl"] != manifest(t, "rrjoliet")["bin/kesl"] || sums["bin/kesl-hardlink"] != sums["bin/kesl"] {
		t.Fatalf("shared extent digests %s and %s", sums["bin/kesl"], sums["bin/kesl-hardlink"])
	}
}

// TestRelocatedDirectory builds an image whose deep directory is relocated
// (Rock Ridge CL/RE entries, as genisoimage writes by default).
func TestRelocatedDirectory(t *testing.T) {
	if _, err := exec.LookPath("xorriso"); err != nil {
		t.Skip("xorriso not installed")
	}
	img := filepath.Join(t.TempDir(), "deep.iso")
	out, err := exec.Command("xorriso", "-compliance", "deep_paths_off", "-rr_reloc_dir", "RR_MOVED",
		"-outdev", img, "-map", filepath.Join(fixtures, "src"), "/").CombinedOutput()
	if err != nil {
		t.Fatalf("xorriso: %v\n%s", err, out)
	}
	raw, _ := os.ReadFile(img)
	if !bytes.Contains(raw, []byte("RR_MOVED")) {
		t.Fatal("xorriso relocated no directory")
	}
	im, err := Open(img)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	res := scanSHA256(t, im, ScanOptions{})
	got := memberSums(im, res)
	want := manifest(t, "joliet") // the source tree without links
	if len(got) != len(want) {
		t.Errorf("members %v, want %v", got, want)
	}
	for name, sum := range want {
		if got[name] != sum {
			t.Errorf("%s: %q, want %s", name, got[name], sum)
		}
	}
}

func TestNotISO(t *testing.T) {
	dir := t.TempDir()
	udf := make([]byte, 40*sectorSize)
	for i, id := range []string{"BEA01", "NSR02", "TEA01"} {
		copy(udf[systemArea+i*sectorSize+1:], id)
	}
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"udf.img", udf, "UDF-only"},
		{"zeros.img", make([]byte, 64*sectorSize), "no primary volume descriptor"},
		{"short.img", []byte("hello"), "no primary volume descriptor"},
	}
	for _, tt := range tests {
		p := filepath.Join(dir, tt.name)
		if err := os.WriteFile(p, tt.data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Open(p)
		if !errors.Is(err, ErrNotISO) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "mount it") {
			t.Errorf("%s: error %v", tt.name, err)
		}
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("directory: error %v", err)
	}
}

func TestSeekSize(t *testing.T) {
	f, err := os.Open(filepath.Join(fixtures, "plain.iso"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	// On a regular file the device ioctl fails and the seek fallback answers.
	n, err := deviceSize(f)
	if err != nil || n != st.Size() {
		t.Fatalf("deviceSize = %d, %v; want %d", n, err, st.Size())
	}
}

func TestStripVersion(t *testing.T) {
	tests := []struct{ in, want string }{
		{"README.TXT;1", "README.TXT"},
		{"A;12", "A;12"},
		{"A;1", "A"},
		{"NOVERSION", "NOVERSION"},
		{"odd;name", "odd;name"},
		{";1", ""},
	}
	for _, tt := range tests {
		if got := stripVersion(tt.in); got != tt.want {
			t.Errorf("stripVersion(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecodeUCS2(t *testing.T) {
	tests := []struct {
		in   []byte
		want string
	}{
		{[]byte{0x04, 0x14, 0x04, 0x3e, 0x04, 0x3a}, "Док"},
		{[]byte{0x00, 'a', 0x00, ';', 0x00, '1'}, "a;1"},
		{[]byte{0xd8, 0x3d, 0xde, 0x00}, "😀"},
		{[]byte{0x00, 'a', 0x00}, "a"},
	}
	for _, tt := range tests {
		if got := decodeUCS2(tt.in); got != tt.want {
			t.Errorf("decodeUCS2(% x) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
