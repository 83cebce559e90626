package iso

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// damaged writes a copy of a fixture changed by edit and returns its path.
func damaged(t *testing.T, name string, edit func([]byte) []byte) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtures, name+".iso"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name+".iso")
	if err := os.WriteFile(p, edit(b), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func flip(off int64) func([]byte) []byte {
	return func(b []byte) []byte { b[off] ^= 0x40; return b }
}

func TestTruncated(t *testing.T) {
	im, err := Open(filepath.Join(fixtures, "rrjoliet.iso"))
	if err != nil {
		t.Fatal(err)
	}
	_, pdf := member(t, im, "Документация/Ёлка и щука.pdf")
	im.Close()
	cut := pdf.Extents[0].Offset + 1000 // inside the pdf; the later file is gone too

	p := damaged(t, "rrjoliet", func(b []byte) []byte { return b[:cut] })
	im, err = Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	if im.Size != cut || im.VolumeSize <= cut {
		t.Fatalf("size %d, volume %d, cut at %d", im.Size, im.VolumeSize, cut)
	}
	res := scanSHA256(t, im, ScanOptions{})
	if res.ImageRead != cut || res.ImageRead >= im.VolumeSize {
		t.Errorf("image read %d, cut at %d, volume %d", res.ImageRead, cut, im.VolumeSize)
	}
	want := manifest(t, "rrjoliet")
	beyond := map[string]bool{pdf.Name: true, "Документация/Руководство администратора.txt": true}
	for i, m := range im.Members {
		ms := res.Members[i]
		if beyond[m.Name] {
			if !errors.Is(ms.Err, ErrBeyondEnd) || ms.Sums != nil {
				t.Errorf("%s: err %v sums %x, want beyond the end and no digest", m.Name, ms.Err, ms.Sums)
			}
			continue
		}
		if ms.Err != nil || hex.EncodeToString(ms.Sums[0]) != want[m.Name] {
			t.Errorf("%s: err %v sum %x, want %s", m.Name, ms.Err, ms.Sums, want[m.Name])
		}
	}
	if i, _ := member(t, im, pdf.Name); res.Members[i].Read != 1000 {
		t.Errorf("pdf: %d bytes read, want 1000", res.Members[i].Read)
	}
}

// rootRecords returns the byte offsets of the records of the root
// directory of a fixture, after "." and "..", with their flags.
func rootRecords(t *testing.T, b []byte) (offs []int64, dirs []bool) {
	t.Helper()
	pvd := b[systemArea:]
	loc := int64(binary.LittleEndian.Uint32(pvd[156+2:])) * 2048
	n := int64(binary.LittleEndian.Uint32(pvd[156+10:]))
	dir := b[loc : loc+n]
	for pos := 0; pos < len(dir); {
		rec, next, err := parseRecord(dir, pos, loc, 2048)
		if err != nil {
			t.Fatal(err)
		}
		pos = next
		if rec == nil || rec.name[0] <= 1 && len(rec.name) == 1 {
			continue
		}
		offs = append(offs, rec.off)
		dirs = append(dirs, rec.flags&flagDirectory != 0)
	}
	return offs, dirs
}

func TestCorruptDirectoryRecord(t *testing.T) {
	orig, err := os.ReadFile(filepath.Join(fixtures, "rrjoliet.iso"))
	if err != nil {
		t.Fatal(err)
	}
	offs, dirs := rootRecords(t, orig)
	var dirRec, fileRec int64 = -1, -1
	for i, o := range offs {
		if dirs[i] && dirRec < 0 {
			dirRec = o
		}
		if !dirs[i] {
			fileRec = o
		}
	}
	rootLBA := binary.LittleEndian.Uint32(orig[systemArea+156+2:])
	tests := []struct {
		name string
		edit func([]byte) []byte
		want string
	}{
		{"short record", func(b []byte) []byte { b[offs[0]] = 20; return b },
			fmt.Sprintf("directory record at byte offset %d: length 20", offs[0])},
		{"name too long", func(b []byte) []byte { b[offs[0]+32] = 250; return b },
			fmt.Sprintf("directory record at byte offset %d: name length 250", offs[0])},
		{"empty name", func(b []byte) []byte { b[offs[0]+32] = 0; return b },
			fmt.Sprintf("directory record at byte offset %d: name length 0", offs[0])},
		{"directory loop", func(b []byte) []byte {
			put733(b[dirRec+2:], rootLBA)
			return b
		}, "loop"},
		{"file beyond the volume", func(b []byte) []byte {
			put733(b[fileRec+2:], 0x7fffff)
			return b
		}, fmt.Sprintf("directory record at byte offset %d: file", fileRec)},
		{"directory beyond the image", func(b []byte) []byte {
			put733(b[dirRec+2:], 0x7fffff)
			return b
		}, "beyond the end of the image"},
		{"bad system use entry", func(b []byte) []byte {
			// The first SUSP entry of the record gets a length past its area.
			nl := int64(b[offs[0]+32])
			su := offs[0] + 33 + nl + (1 - nl%2)
			b[su+2] = 0xff
			return b
		}, "system use entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := append([]byte(nil), orig...)
			p := filepath.Join(t.TempDir(), "bad.iso")
			if err := os.WriteFile(p, tt.edit(b), 0o644); err != nil {
				t.Fatal(err)
			}
			im, err := Open(p)
			if err == nil {
				im.Close()
				t.Fatal("opened a corrupt image")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "byte offset") {
				t.Fatalf("error %q, want it to name %q", err, tt.want)
			}
		})
	}
}

func TestFlippedByteInMember(t *testing.T) {
	im, err := Open(filepath.Join(fixtures, "rrjoliet.iso"))
	if err != nil {
		t.Fatal(err)
	}
	_, block := member(t, im, "data/block.bin")
	im.Close()
	p := damaged(t, "rrjoliet", flip(block.Extents[0].Offset+100))
	im, err = Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	res := scanSHA256(t, im, ScanOptions{})
	if hex.EncodeToString(res.ImageSums[0]) == fileSHA256(t, filepath.Join(fixtures, "rrjoliet.iso")) {
		t.Error("image digest unchanged")
	}
	want := manifest(t, "rrjoliet")
	for name, got := range memberSums(im, res) {
		if changed := got != want[name]; changed != (name == block.Name) {
			t.Errorf("%s: digest %s, manifest %s", name, got, want[name])
		}
	}
}

func TestFlippedByteOutsideMembers(t *testing.T) {
	im, err := Open(filepath.Join(fixtures, "hybrid.iso"))
	if err != nil {
		t.Fatal(err)
	}
	_, readme := member(t, im, "README.TXT")
	im.Close()
	tests := []struct {
		name string
		off  int64
	}{
		{"MBR boot code", 100},
		{"system area", 20000},
		{"padding after a file", readme.Extents[0].Offset + readme.Size + 1000},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := damaged(t, "hybrid", flip(tt.off))
			im, err := Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer im.Close()
			res := scanSHA256(t, im, ScanOptions{})
			if hex.EncodeToString(res.ImageSums[0]) == fileSHA256(t, filepath.Join(fixtures, "hybrid.iso")) {
				t.Error("image digest unchanged")
			}
			want := manifest(t, "hybrid")
			for name, got := range memberSums(im, res) {
				if w, ok := want[name]; ok && got != w {
					t.Errorf("%s: digest %s, manifest %s", name, got, w)
				}
			}
		})
	}
}

// put733 writes v in both byte orders, as ECMA-119 7.3.3 records it:
// an edit of one order alone is refused before anything else.
func put733(b []byte, v uint32) {
	binary.LittleEndian.PutUint32(b, v)
	binary.BigEndian.PutUint32(b[4:], v)
}
