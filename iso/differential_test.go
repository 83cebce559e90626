package iso_test

// The differential test: small images mastered here are mutated at random
// (directory records, path tables, volume descriptors, boot catalog) with
// a seeded generator; whenever verify says HOLDS for the [media] table
// made from the original, every independent reader must extract exactly
// the listed files: the same names and bytes, nothing more.
//
// A short pass runs in go test. A long pass:
//
//	SVERKA_ISO_MUTANTS=20000 go test ./iso -run TestDifferential -timeout 0 -v
//
// SVERKA_ISO_SEED sets the seed (default 1); SVERKA_ISO_KEEP=DIR keeps
// every mutant a reader contradicts, for a regression case.

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/diskfs/go-diskfs/backend/file"
	"github.com/diskfs/go-diskfs/filesystem/iso9660"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/iso"
	"github.com/sverka/sverka/survey"
	"github.com/sverka/sverka/verify"
)

// diffKit is the tree every image is mastered from: a few files, a deep
// directory (relocated by genisoimage), a Cyrillic name, an empty file,
// files sharing a size.
var diffKit = map[string]string{
	"setup.exe":                   "the installer, version 1",
	"uninstall.exe":               "the uninstaller, version 1",
	"readme.txt":                  "read me first",
	"empty.dat":                   "",
	"docs/guide.txt":              "the guide",
	"docs/руководство.txt":        "руководство администратора",
	"a/b/c/d/e/f/g/h/i/deep.txt":  "deep",
	"a/b/c/d/e/f/g/h/i/other.txt": "other",
	"boot/boot.img":               strings.Repeat("B", 2048),
}

// diffImages are the images mutated: how each is mastered.
var diffImages = []struct {
	name string
	tool string
	args []string
}{
	{"rrjoliet", "xorriso", []string{"-R", "-J", "-joliet-long"}},
	{"joliet", "xorriso", []string{"--norock", "-J", "-joliet-long"}},
	{"plain", "xorriso", []string{"--norock"}},
	{"bootable", "xorriso", []string{"-R", "-J", "-joliet-long", "-b", "boot/boot.img", "-c", "boot/boot.cat", "-no-emul-boot", "-boot-load-size", "4"}},
	{"relocated", "genisoimage", []string{"-R", "-J", "-joliet-long"}},
	{"xorriso-relocated", "xorriso", []string{"-R", "-J", "-joliet-long", "-rr_reloc_dir", "RR_MOVED"}},
}

// listing is what a reader shows: path → sha256 hex of each regular file.
type listing map[string]string

// reader extracts an image; mode says how its listing is compared.
type reader struct {
	name    string
	extract func(t *testing.T, img string) (listing, error)
}

// Comparison modes, found on the original image: a reader that shows the
// members' names is held to them; one that shows the plain 8.3 names
// (names differ by design) to the multiset of contents.
const (
	byName    = "names"
	byContent = "contents"
)

func TestDifferential(t *testing.T) {
	total := 200
	if s := os.Getenv("SVERKA_ISO_MUTANTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			t.Fatalf("SVERKA_ISO_MUTANTS=%q: not a count", s)
		}
		total = n
	}
	seed := uint64(1)
	if s := os.Getenv("SVERKA_ISO_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SVERKA_ISO_SEED=%q: not a number", s)
		}
		seed = n
	}
	for _, tool := range []string{"xorriso", "genisoimage", "bsdtar"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	readers := []reader{
		bsdtar(""), bsdtar("!rockridge"), bsdtar("!joliet"), bsdtar("!rockridge,!joliet"),
		{"xorriso", xorrisoExtract}, {"go-diskfs", diskfsExtract},
	}
	src := t.TempDir()
	for name, body := range diffKit {
		p := filepath.Join(src, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var stats struct{ tried, refused, holds, readerErrors, contradicted int }
	for ii, spec := range diffImages {
		n := total / len(diffImages)
		if ii < total%len(diffImages) {
			n++
		}
		t.Run(spec.name, func(t *testing.T) {
			dir := t.TempDir()
			orig := filepath.Join(dir, "orig.iso")
			master(t, spec.tool, spec.args, src, orig)
			good, err := os.ReadFile(orig)
			if err != nil {
				t.Fatal(err)
			}
			f, want := mediaFormular(t, orig)
			if res, err := verify.Check(context.Background(), f, verify.Sources{Media: orig, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil || res.Verdict != verify.Holds {
				t.Fatalf("the original does not hold: %v %+v", err, res)
			}
			structs := iso.FindStructures(good)
			if structs == nil {
				t.Fatal("the original does not open")
			}
			// Each reader's mode, from the original.
			modes := map[string]string{}
			for _, r := range readers {
				got, err := r.extract(t, orig)
				switch {
				case err != nil:
					t.Logf("%s cannot read the original: %v", r.name, err)
				case maps.Equal(got, want):
					modes[r.name] = byName
				case sameContents(got, want):
					modes[r.name] = byContent
				default:
					t.Logf("%s shows the original otherwise: %v", r.name, got)
				}
			}
			t.Logf("readers: %v", modes)
			mut := filepath.Join(dir, "mutant.iso")
			for i := range n {
				rng := rand.New(rand.NewPCG(seed, uint64(ii)<<32|uint64(i)))
				b := slices.Clone(good)
				ops := mutate(rng, b, structs)
				if err := os.WriteFile(mut, b, 0o644); err != nil {
					t.Fatal(err)
				}
				stats.tried++
				res, err := verify.Check(context.Background(), f, verify.Sources{Media: mut, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
				if err != nil || res.Verdict != verify.Holds {
					stats.refused++
					continue
				}
				stats.holds++
				for _, r := range readers {
					mode := modes[r.name]
					if mode == "" {
						continue
					}
					got, err := r.extract(t, mut)
					if err != nil {
						// The reader says it cannot read: it shows no other
						// content than the table's.
						stats.readerErrors++
						continue
					}
					if mode == byName && maps.Equal(got, want) || mode == byContent && sameContents(got, want) {
						continue
					}
					stats.contradicted++
					kept := keep(t, spec.name, i, b)
					t.Errorf("mutant %d (%s) HOLDS, but %s shows %s%s", i, strings.Join(ops, "; "), r.name, diff(got, want, mode), kept)
				}
			}
		})
	}
	t.Logf("%d mutants tried: %d not HOLDS, %d HOLDS; readers failed on %d, contradicted %d", stats.tried, stats.refused, stats.holds, stats.readerErrors, stats.contradicted)
}

func master(t *testing.T, tool string, args []string, src, img string) {
	t.Helper()
	var cmd *exec.Cmd
	if tool == "xorriso" {
		cmd = exec.Command("xorriso", append(append([]string{"-report_about", "FAILURE", "-as", "mkisofs"}, args...), "-o", img, src)...)
	} else {
		cmd = exec.Command(tool, append(append([]string{"-quiet"}, args...), "-o", img, src)...)
	}
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1700000000")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
}

// mediaFormular makes the [media] table of img and the listing it holds.
func mediaFormular(t *testing.T, img string) (*formular.Formular, listing) {
	t.Helper()
	c, err := checksum.ParseColumn("sha256")
	if err != nil {
		t.Fatal(err)
	}
	_, _, media, _, err := survey.Image(context.Background(), img, []checksum.Column{c}, survey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	media.Line = 1
	want := listing{}
	for _, e := range media.Entries {
		want[e.Path] = hex.EncodeToString(e.Sums)
	}
	return &formular.Formular{Tables: []*formular.Table{media}}, want
}

// sameContents: the multisets of the non-empty files' contents agree
// (plain readers also show links, devices and relocation placeholders
// as empty files).
func sameContents(got, want listing) bool {
	return slices.Equal(contents(got), contents(want))
}

var emptySum = func() string { s := sha256.Sum256(nil); return hex.EncodeToString(s[:]) }()

func contents(l listing) []string {
	var out []string
	for _, s := range l {
		if s != emptySum {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}

func diff(got, want listing, mode string) string {
	if mode == byContent {
		return fmt.Sprintf("contents %v, listed %v", contents(got), contents(want))
	}
	var parts []string
	for _, n := range slices.Sorted(maps.Keys(got)) {
		if w, ok := want[n]; !ok {
			parts = append(parts, "unlisted "+n)
		} else if w != got[n] {
			parts = append(parts, "other content under "+n)
		}
	}
	for _, n := range slices.Sorted(maps.Keys(want)) {
		if _, ok := got[n]; !ok {
			parts = append(parts, "no "+n)
		}
	}
	return strings.Join(parts, ", ")
}

func keep(t *testing.T, image string, i int, b []byte) string {
	dir := os.Getenv("SVERKA_ISO_KEEP")
	if dir == "" {
		return ""
	}
	p := filepath.Join(dir, fmt.Sprintf("%s-%d.iso", image, i))
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Logf("keeping the mutant: %v", err)
		return ""
	}
	return "; kept as " + p
}

// mutate makes one to three changes to b and says what they were.
func mutate(rng *rand.Rand, b []byte, s *iso.Structures) []string {
	var ops []string
	for range 1 + rng.IntN(3) {
		ops = append(ops, mutation(rng, b, s))
	}
	return ops
}

func mutation(rng *rand.Rand, b []byte, s *iso.Structures) string {
	recs := s.Records
	pickRec := func() int { return recs[rng.IntN(len(recs))] }
	both32 := func(off int, v uint32, which int) {
		if which != 2 {
			binary.LittleEndian.PutUint32(b[off:], v)
		}
		if which != 1 {
			binary.BigEndian.PutUint32(b[off+4:], v)
		}
	}
	switch k := rng.IntN(12); {
	case k < 2: // a random byte of a random structure
		sp := s.Spans[rng.IntN(len(s.Spans))]
		off := sp.Off + rng.IntN(sp.Len)
		v := byte(rng.IntN(256))
		b[off] = v
		return fmt.Sprintf("%s byte %d := %#x", sp.Kind, off, v)
	case k == 2: // flags
		r := pickRec()
		v := []byte{0, 1, 2, 3, 4, 5, 0x80, 0x81, 0x82, byte(rng.IntN(256))}[rng.IntN(10)]
		b[r+25] = v
		return fmt.Sprintf("record %d flags := %#x", r, v)
	case k == 3: // another record's extent and length
		r, o := pickRec(), pickRec()
		copy(b[r+2:r+18], b[o+2:o+18])
		return fmt.Sprintf("record %d extent := record %d's", r, o)
	case k == 4: // the location moved, in one or both byte orders
		r := pickRec()
		which := rng.IntN(3)
		v := uint32(int(binary.LittleEndian.Uint32(b[r+2:])) + rng.IntN(7) - 3)
		both32(r+2, v, which)
		return fmt.Sprintf("record %d location := %d (byte orders %d)", r, v, which)
	case k == 5: // the length changed
		r, o := pickRec(), pickRec()
		cur := binary.LittleEndian.Uint32(b[r+10:])
		v := []uint32{0, cur - 1, cur + 1, binary.LittleEndian.Uint32(b[o+10:]), 2048, uint32(rng.IntN(1 << 16))}[rng.IntN(6)]
		which := rng.IntN(3)
		both32(r+10, v, which)
		return fmt.Sprintf("record %d length := %d (byte orders %d)", r, v, which)
	case k == 6: // another record's name, where it fits
		r, o := pickRec(), pickRec()
		if b[r+32] == b[o+32] {
			copy(b[r+33:r+33+int(b[r+32])], b[o+33:o+33+int(b[o+32])])
			return fmt.Sprintf("record %d name := record %d's", r, o)
		}
		fallthrough
	case k == 7: // one byte of the name: case, version, a dot
		r := pickRec()
		n := int(b[r+32])
		if n == 0 {
			return "nothing"
		}
		off := r + 33 + rng.IntN(n)
		switch rng.IntN(3) {
		case 0:
			b[off] ^= 0x20
		case 1:
			b[off] = '2'
		default:
			b[off] = '.'
		}
		return fmt.Sprintf("record %d name byte %d := %q", r, off-r-33, b[off])
	case k == 8: // the system use area (Rock Ridge entries)
		r := pickRec()
		start := r + 33 + int(b[r+32])
		end := r + int(b[r])
		if start >= end {
			return "nothing"
		}
		off := start + rng.IntN(end-start)
		b[off] = byte(rng.IntN(256))
		return fmt.Sprintf("record %d system use byte %d := %#x", r, off-r, b[off])
	case k == 9: // the record's length byte
		r := pickRec()
		b[r] = byte(rng.IntN(256))
		return fmt.Sprintf("record %d length byte := %d", r, b[r])
	case k == 10: // one descriptor's root takes another's
		var vds []int
		for _, sp := range s.Spans {
			if sp.Kind == "descriptor" && (b[sp.Off] == 1 || b[sp.Off] == 2) {
				vds = append(vds, sp.Off)
			}
		}
		if len(vds) < 2 {
			return "nothing"
		}
		a, c := vds[rng.IntN(len(vds))], vds[rng.IntN(len(vds))]
		copy(b[a+156:a+190], b[c+156:c+190])
		return fmt.Sprintf("descriptor %d root := descriptor %d's", a, c)
	default: // a path table entry's location
		var pts []iso.Span
		for _, sp := range s.Spans {
			if sp.Kind == "path-table" || sp.Kind == "boot-catalog" {
				pts = append(pts, sp)
			}
		}
		if len(pts) == 0 {
			return "nothing"
		}
		sp := pts[rng.IntN(len(pts))]
		off := sp.Off + rng.IntN(sp.Len)
		b[off] += byte(1 + rng.IntN(3))
		return fmt.Sprintf("%s byte %d += small", sp.Kind, off)
	}
}

// bsdtar reads with libarchive, options "" (Rock Ridge, else Joliet),
// "!rockridge", "!joliet" or both.
func bsdtar(opts string) reader {
	name := "bsdtar"
	if opts != "" {
		name += " " + opts
	}
	return reader{name, func(t *testing.T, img string) (listing, error) {
		dir := t.TempDir()
		args := []string{"-x", "-f", img, "-C", dir}
		if opts != "" {
			args = append(args, "--options", opts)
		}
		if out, err := exec.Command("bsdtar", args...).CombinedOutput(); err != nil {
			return nil, fmt.Errorf("%v: %s", err, out)
		}
		return listDir(t, dir)
	}}
}

func xorrisoExtract(t *testing.T, img string) (listing, error) {
	dir := filepath.Join(t.TempDir(), "x")
	if out, err := exec.Command("xorriso", "-report_about", "FAILURE", "-abort_on", "FAILURE", "-osirrox", "on",
		"-indev", img, "-extract", "/", dir).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%v: %s", err, out)
	}
	return listDir(t, dir)
}

func diskfsExtract(t *testing.T, img string) (l listing, err error) {
	defer func() {
		if r := recover(); r != nil {
			l, err = nil, fmt.Errorf("go-diskfs panics: %v", r)
		}
	}()
	fh, err := os.Open(img)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	fsys, err := iso9660.Read(file.New(fh, true), 0, 0, 2048)
	if err != nil {
		return nil, err
	}
	l = listing{}
	var walk func(dir string, depth int) error
	walk = func(dir string, depth int) error {
		if depth > 64 {
			return fmt.Errorf("%s: nested too deep", dir)
		}
		entries, err := fsys.ReadDir(dir)
		if err != nil {
			return err
		}
		for _, e := range entries {
			p := path.Join(dir, e.Name())
			if e.IsDir() {
				if err := walk(p, depth+1); err != nil {
					return err
				}
				continue
			}
			info, err := e.Info()
			if err != nil {
				return err
			}
			if !info.Mode().IsRegular() {
				continue
			}
			f, err := fsys.OpenFile(p, os.O_RDONLY)
			if err != nil {
				return err
			}
			h := sha256.New()
			buf := make([]byte, 32<<10)
			var total int64
			for total < info.Size() {
				n, err := f.Read(buf)
				h.Write(buf[:n])
				total += int64(n)
				if err != nil || n == 0 {
					break
				}
			}
			f.Close()
			if total != info.Size() {
				return fmt.Errorf("%s: read %d of %d bytes", p, total, info.Size())
			}
			l[strings.TrimPrefix(p, "./")] = hex.EncodeToString(h.Sum(nil))
		}
		return nil
	}
	if err := walk(".", 0); err != nil {
		return nil, err
	}
	return l, nil
}

// listDir lists the regular files under dir; links are not content.
func listDir(t *testing.T, dir string) (listing, error) {
	l := listing{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			os.Chmod(p, 0o755) // extracted read-only, it could not be removed
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		s := sha256.Sum256(b)
		l[filepath.ToSlash(rel)] = hex.EncodeToString(s[:])
		return nil
	})
	return l, err
}
