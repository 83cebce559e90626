package iso

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sverka/sverka/internal/checksumtest"
)

// catalog builds a boot catalog: a validation entry for platform, then
// the records given (each padded to 32 bytes), in one sector.
func catalog(platform byte, records ...[]byte) []byte {
	v := make([]byte, bootEntrySize)
	v[0], v[1], v[30], v[31] = 1, platform, 0x55, 0xaa
	var sum uint16
	for i := 0; i < bootEntrySize; i += 2 {
		sum += binary.LittleEndian.Uint16(v[i:])
	}
	binary.LittleEndian.PutUint16(v[28:], -sum)
	out := append(make([]byte, 0, cdSector), v...)
	for _, r := range records {
		out = append(out, append(r, make([]byte, bootEntrySize-len(r))...)...)
	}
	return append(out, make([]byte, cdSector-len(out)%cdSector)...)
}

// bootRec is an entry record: indicator, media type, count and RBA.
func bootRec(indicator, media byte, count uint16, rba uint32) []byte {
	r := make([]byte, bootEntrySize)
	r[0], r[1] = indicator, media
	binary.LittleEndian.PutUint16(r[6:], count)
	binary.LittleEndian.PutUint32(r[8:], rba)
	return r
}

func header(indicator, platform byte, n uint16) []byte {
	return []byte{indicator, platform, byte(n), byte(n >> 8)}
}

func TestParseCatalog(t *testing.T) {
	good := catalog(PlatformBIOS, bootRec(0x88, 0, 4, 40), header(0x91, PlatformEFI, 2),
		bootRec(0x88, 0x20, 16, 41), []byte{0x44}, bootRec(0x00, 0, 1, 0))
	badSum := slices.Clone(good)
	badSum[4] = 'X'
	tests := []struct {
		name    string
		cat     []byte
		entries []rawEntry
		used    int
		err     string // the byte offset named, from base 1000, and a word of the reason
	}{
		{name: "initial only", cat: catalog(PlatformBIOS, bootRec(0x88, 0, 4, 40)),
			entries: []rawEntry{{n: 1, off: 32, bootable: true, count: 4, rba: 40}}, used: 64},
		{name: "sections and an extension", cat: good, used: 192, entries: []rawEntry{
			{n: 1, off: 32, bootable: true, count: 4, rba: 40},
			{n: 2, off: 96, bootable: true, platform: PlatformEFI, count: 16, rba: 41},
			{n: 3, off: 160, platform: PlatformEFI, count: 1}}},
		{name: "two headers", cat: catalog(PlatformBIOS, bootRec(0x88, 0, 4, 40), header(0x90, PlatformBIOS, 1),
			bootRec(0x88, 2, 1, 50), header(0x91, PlatformEFI, 1), bootRec(0x88, 0, 0, 60)), used: 192,
			entries: []rawEntry{{n: 1, off: 32, bootable: true, count: 4, rba: 40},
				{n: 2, off: 96, bootable: true, emulation: 2, count: 1, rba: 50},
				{n: 3, off: 160, bootable: true, platform: PlatformEFI, rba: 60}}},
		{name: "short", cat: make([]byte, 40), err: "byte offset 1000: the catalog holds 40 bytes"},
		{name: "header ID", cat: append([]byte{2}, catalog(0, bootRec(0x88, 0, 4, 40))[1:]...), err: "byte offset 1000: validation entry header ID"},
		{name: "key bytes", cat: func() []byte { c := catalog(0, bootRec(0x88, 0, 4, 40)); c[31] = 0; return c }(), err: "byte offset 1030: validation entry key bytes"},
		{name: "checksum", cat: badSum, err: "byte offset 1028: validation entry checksum"},
		{name: "indicator", cat: catalog(0, bootRec(0x77, 0, 4, 40)), err: "byte offset 1032: boot indicator 0x77"},
		{name: "media type", cat: catalog(0, bootRec(0x88, 7, 4, 40)), err: "byte offset 1033: boot media type 7"},
		{name: "too many announced", cat: catalog(0, bootRec(0x88, 0, 4, 40), header(0x91, 0, 70)), err: "byte offset 1064: section header announces 70 entries"},
		{name: "bad extension", cat: catalog(0, bootRec(0x88, 0, 4, 40), header(0x91, 0, 1), bootRec(0x88, 0x20, 4, 41), []byte{0x45}), err: "byte offset 1128: extension record indicator 0x45"},
		{name: "bootable after the end", cat: catalog(0, bootRec(0x88, 0, 4, 40), nil, bootRec(0x88, 0, 4, 99)), err: "byte offset 1096: a bootable entry after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, used, err := parseCatalog(tt.cat, 1000)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one with %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(entries, tt.entries) || used != tt.used {
				t.Errorf("entries %+v used %d\nwant %+v used %d", entries, used, tt.entries, tt.used)
			}
		})
	}
}

func TestParseCatalogEntryLimit(t *testing.T) {
	recs := [][]byte{bootRec(0x88, 0, 4, 40), header(0x91, 0, 100)}
	for range 100 {
		recs = append(recs, bootRec(0x88, 0, 4, 40))
	}
	cat := catalog(0, recs...)
	if _, _, err := parseCatalog(cat, 0); err == nil || !strings.Contains(err.Error(), "more than 64 boot entries") {
		t.Fatalf("error %v", err)
	}
}

func sumHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// scanBoot hashes what boots in one pass and returns the hex digests of
// the system area, the catalog and each entry's image, in that order.
func scanBoot(t *testing.T, im *Image) []string {
	t.Helper()
	extra := [][]Extent{{im.SystemArea()}}
	if et := im.ElTorito; et != nil {
		extra = append(extra, []Extent{et.Catalog})
		for _, e := range et.Entries {
			extra = append(extra, e.Image)
		}
	}
	res, err := im.Scan(context.Background(), ScanOptions{MemberAlgs: checksumtest.Algs(t, "sha256"),
		Extra: extra, ExtraAlgs: checksumtest.Algs(t, "sha256"), BufSize: 4096})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i, ms := range res.Extra {
		if ms.Err != nil {
			t.Fatalf("extra %d: %v", i, ms.Err)
		}
		out = append(out, hex.EncodeToString(ms.Sums[0]))
	}
	return out
}

// TestBootHybrid: the fixture's BIOS and EFI images are its files, and the
// pass hashes them as sha256sum hashed the files they were made from.
func TestBootHybrid(t *testing.T) {
	path := filepath.Join(fixtures, "hybrid.iso")
	im, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	et := im.ElTorito
	if et == nil || et.Err != nil || im.SystemAreaZero {
		t.Fatalf("boot %+v, system area zero %v", et, im.SystemAreaZero)
	}
	if len(et.Entries) != 2 {
		t.Fatalf("entries %+v", et.Entries)
	}
	want := []struct {
		target, file string
	}{{"el-torito/1 bios no-emulation", "boot/boot.img"}, {"el-torito/2 efi no-emulation", "boot/efi.img"}}
	for i, w := range want {
		e := et.Entries[i]
		if e.Target() != w.target || !slices.Equal(e.Files, []string{w.file}) {
			t.Errorf("entry %d: %s %v, want %s %s", i, e.Target(), e.Files, w.target, w.file)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := manifest(t, "hybrid")
	got := scanBoot(t, im)
	wantSums := []string{sumHex(data[:systemArea]), sumHex(data[et.Catalog.Offset : et.Catalog.Offset+et.Catalog.Length]),
		m["boot/boot.img"], m["boot/efi.img"]}
	if !slices.Equal(got, wantSums) {
		t.Errorf("digests %v\nwant %v", got, wantSums)
	}
}

func TestNoBoot(t *testing.T) {
	im, err := Open(filepath.Join(fixtures, "plain.iso"))
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	if im.ElTorito != nil || !im.SystemAreaZero {
		t.Errorf("plain image: boot %+v, system area zero %v", im.ElTorito, im.SystemAreaZero)
	}
}

// mkisofs makes an image of the files given with xorriso's mkisofs
// emulation and the options given, in a temporary directory.
func mkisofs(t *testing.T, files map[string][]byte, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath("xorriso"); err != nil {
		t.Skip("xorriso not installed")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	for name, data := range files {
		p := filepath.Join(dir, name)
		if !strings.HasPrefix(name, "-") {
			p = filepath.Join(src, name)
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(dir, "out.iso")
	// xorriso 1.5.4 once died of a SIGSEGV of its own here (it says
	// "UNIX-SIGNAL" and exits 1) on a run that passed fifteen times in
	// a row after: such a crash is retried once, anything else fails.
	for try := 0; ; try++ {
		os.Remove(out)
		cmd := exec.Command("xorriso", append(append([]string{"-report_about", "WARNING", "-as", "mkisofs", "-o", out}, args...), src)...)
		cmd.Dir = dir
		b, err := cmd.CombinedOutput()
		if err == nil {
			return out
		}
		if try > 0 || !bytes.Contains(b, []byte("UNIX-SIGNAL")) {
			t.Fatalf("xorriso: %v\n%s", err, b)
		}
		t.Logf("xorriso crashed, once more: %v\n%s", err, b)
	}
}

// hardDisk is a disk image with an MBR whose one partition ends at sector
// 64.
func hardDisk() []byte {
	d := bytes.Repeat([]byte{'H'}, 64*512)
	p := d[446:]
	clear(d[446:510])
	p[4] = 0x83
	binary.LittleEndian.PutUint32(p[8:], 1)
	binary.LittleEndian.PutUint32(p[12:], 63)
	d[510], d[511] = 0x55, 0xaa
	return d
}

// TestBootEmulations: floppy and hard disk emulation, an isohybrid MBR
// and a system area file, as xorriso writes them.
func TestBootEmulations(t *testing.T) {
	floppy := bytes.Repeat([]byte{'F'}, 1474560)
	isolinux := bytes.Repeat([]byte{'I'}, 4096)
	tests := []struct {
		name   string
		files  map[string][]byte
		args   []string
		target string
		file   string
		size   int64
		zero   bool
	}{
		{name: "floppy", files: map[string][]byte{"floppy.img": floppy}, args: []string{"-b", "floppy.img", "-c", "boot.cat"},
			target: "el-torito/1 bios floppy-1.44m", file: "floppy.img", size: 1474560, zero: true},
		{name: "hard disk", files: map[string][]byte{"hd.img": hardDisk()}, args: []string{"-b", "hd.img", "-hard-disk-boot", "-c", "boot.cat"},
			target: "el-torito/1 bios hard-disk", file: "hd.img", size: 64 * 512, zero: true},
		{name: "isohybrid", files: map[string][]byte{"isolinux.bin": isolinux, "-mbr.bin": bytes.Repeat([]byte{'M'}, 432)},
			args:   []string{"-isohybrid-mbr", "-mbr.bin", "-b", "isolinux.bin", "-no-emul-boot", "-boot-load-size", "4", "-boot-info-table"},
			target: "el-torito/1 bios no-emulation", file: "isolinux.bin", size: 4096},
		{name: "system area", files: map[string][]byte{"a.txt": []byte("a"), "-sa.bin": bytes.Repeat([]byte{'S'}, systemArea)},
			args: []string{"-G", "-sa.bin"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := mkisofs(t, tt.files, tt.args...)
			im, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer im.Close()
			if im.SystemAreaZero != tt.zero {
				t.Errorf("system area zero %v, want %v", im.SystemAreaZero, tt.zero)
			}
			sums := scanBoot(t, im)
			data, _ := os.ReadFile(path)
			if sums[0] != sumHex(data[:systemArea]) {
				t.Error("system area digest")
			}
			if tt.target == "" {
				if im.ElTorito != nil {
					t.Errorf("El Torito %+v", im.ElTorito)
				}
				return
			}
			et := im.ElTorito
			if et == nil || et.Err != nil || len(et.Entries) != 1 {
				t.Fatalf("El Torito %+v", et)
			}
			e := et.Entries[0]
			if e.Target() != tt.target || !slices.Equal(e.Files, []string{tt.file}) || e.Size != tt.size {
				t.Errorf("%s %v %d, want %s %s %d", e.Target(), e.Files, e.Size, tt.target, tt.file, tt.size)
			}
			// The image as the pass hashed it is the file as the image
			// holds it (isolinux.bin with its boot info table patched in).
			var m Member
			for _, mm := range im.Members {
				if mm.Name == tt.file {
					m = mm
				}
			}
			if sums[2] != sumHex(data[m.Extents[0].Offset:m.Extents[0].Offset+m.Size]) {
				t.Error("boot image digest is not the file's")
			}
		})
	}
}

// TestBootHostile: a boot catalog whose entries point outside the image,
// or a boot record pointing past its end, is an error naming the byte
// offset; the directory tree is still read.
func TestBootHostile(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join(fixtures, "hybrid.iso"))
	if err != nil {
		t.Fatal(err)
	}
	im, err := Open(filepath.Join(fixtures, "hybrid.iso"))
	if err != nil {
		t.Fatal(err)
	}
	cat, rec := im.ElTorito.Catalog.Offset, im.ElTorito.Record
	im.Close()
	tests := []struct {
		name string
		edit func(b []byte)
		err  string
	}{
		{"catalog pointer", func(b []byte) { binary.LittleEndian.PutUint32(b[rec+71:], 0xffffff) },
			"boot record at byte offset 34887: its catalog pointer"},
		{"entry RBA", func(b []byte) { binary.LittleEndian.PutUint32(b[cat+32+8:], 0xffffff) },
			"boot catalog, byte offset 73768: entry 1 loads from byte offset"},
		{"load past the end", func(b []byte) {
			binary.LittleEndian.PutUint32(b[cat+96+8:], uint32(len(b)/cdSector-1))
			b[cat+96+1] = EmulationFloppy28
		}, "boot catalog, byte offset 73824: entry 2 loads 2949120 bytes"},
		{"checksum", func(b []byte) { b[cat+5] ^= 1 }, "boot catalog, byte offset 73756: validation entry checksum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := slices.Clone(orig)
			tt.edit(b)
			im, err := read(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				t.Fatal(err)
			}
			if im.ElTorito == nil || im.ElTorito.Err == nil || !strings.Contains(im.ElTorito.Err.Error(), tt.err) {
				t.Fatalf("boot %+v, want error %q", im.ElTorito, tt.err)
			}
			if len(im.Members) == 0 {
				t.Error("no members")
			}
		})
	}
}

// FuzzParseCatalog: any bytes parse or are refused with an error; what
// parses stays inside the catalog.
func FuzzParseCatalog(f *testing.F) {
	f.Add(catalog(PlatformBIOS, bootRec(0x88, 0, 4, 40), header(0x91, PlatformEFI, 2),
		bootRec(0x88, 0x20, 16, 41), []byte{0x44}, bootRec(0x00, 0, 1, 0)))
	f.Add(catalog(PlatformBIOS, bootRec(0x88, 4, 1, 40), header(0x90, 1, 1), bootRec(0x88, 2, 1, 50), header(0x91, 0xef, 1), bootRec(0x88, 0, 0, 60)))
	if b, err := os.ReadFile(filepath.Join(fixtures, "hybrid.iso")); err == nil {
		f.Add(b[73728 : 73728+cdSector])
	}
	f.Fuzz(func(t *testing.T, cat []byte) {
		if len(cat) > maxCatalogSectors*cdSector {
			cat = cat[:maxCatalogSectors*cdSector]
		}
		entries, used, err := parseCatalog(cat, 0)
		if err != nil {
			if !strings.Contains(err.Error(), "byte offset") {
				t.Fatalf("error names no offset: %v", err)
			}
			return
		}
		if used > len(cat) || used < 2*bootEntrySize || len(entries) == 0 || len(entries) > MaxBootEntries {
			t.Fatalf("used %d of %d, %d entries", used, len(cat), len(entries))
		}
		for i, e := range entries {
			if e.n != i+1 || e.off < bootEntrySize || e.off+bootEntrySize > used || e.bootable && e.emulation > EmulationHardDisk {
				t.Fatalf("entry %+v", e)
			}
		}
	})
}

// FuzzReadBoot: whatever the bytes after the system area, an image that
// reads has a boot catalog that reads or says why not, and every boot
// image it places lies inside the image.
func FuzzReadBoot(f *testing.F) {
	b, err := os.ReadFile(filepath.Join(fixtures, "hybrid.iso"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b[systemArea:])
	f.Fuzz(func(t *testing.T, tail []byte) {
		data := append(make([]byte, systemArea, systemArea+len(tail)), tail...)
		im, err := read(bytes.NewReader(data), int64(len(data)))
		if err != nil || im.ElTorito == nil {
			return
		}
		et := im.ElTorito
		if et.Err != nil {
			if len(et.Entries) != 0 || !strings.Contains(et.Err.Error(), "byte offset") {
				t.Fatalf("error %v with entries %+v", et.Err, et.Entries)
			}
			return
		}
		if et.Catalog.Offset < systemArea || et.Catalog.Length <= 0 || et.Catalog.Offset+et.Catalog.Length > int64(len(data)) {
			t.Fatalf("catalog %+v in %d bytes", et.Catalog, len(data))
		}
		for _, e := range et.Entries {
			var n int64
			for _, x := range e.Image {
				if x.Offset < 0 || x.Length <= 0 || x.Offset+x.Length > int64(len(data)) {
					t.Fatalf("entry %d: extent %+v outside %d bytes", e.N, x, len(data))
				}
				n += x.Length
			}
			if n != e.Size || e.N < 1 || e.N > MaxBootEntries {
				t.Fatalf("entry %+v", e)
			}
		}
	})
}
