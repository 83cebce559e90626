package verify

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/iso"
	"github.com/sverka/sverka/survey"
)

const isoFixtures = "../testdata/iso"

// imageFormular makes the formular of an image as formular make does,
// keeping the tables of the kinds given.
func imageFormular(t *testing.T, path string, kinds ...formular.Kind) *formular.Formular {
	t.Helper()
	col, err := checksum.ParseColumn("sha256")
	if err != nil {
		t.Fatal(err)
	}
	image, boot, media, _, err := survey.Image(context.Background(), path, []checksum.Column{col}, survey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	f := &formular.Formular{Version: formular.FormatVersion}
	for _, tb := range []*formular.Table{image, boot, media} {
		if slices.Contains(kinds, tb.Kind) {
			f.Tables = append(f.Tables, tb)
		}
	}
	// Through the text, as verify reads a formular: line numbers, order.
	text, err := formular.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	f, err = formular.Parse(text, "f.txt")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// copyImage copies a fixture to a temporary file and applies edit to its
// bytes, given the image as it was read before.
func copyImage(t *testing.T, name string, edit func(b []byte, im *iso.Image)) string {
	t.Helper()
	src := filepath.Join(isoFixtures, name)
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		im, err := iso.Open(src)
		if err != nil {
			t.Fatal(err)
		}
		edit(b, im)
		im.Close()
	}
	// The image's name is part of what the [image] table certifies.
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func member(im *iso.Image, name string) iso.Member {
	for _, m := range im.Members {
		if m.Name == name {
			return m
		}
	}
	panic("no member " + name)
}

func check(t *testing.T, f *formular.Formular, media string) *Result {
	t.Helper()
	res, err := Check(context.Background(), f, Sources{Media: media, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func tableItems(res *Result, kind formular.Kind) []Item {
	for _, tb := range res.Tables {
		if tb.Kind == kind {
			return all(&tb)
		}
	}
	return nil
}

// TestBootChanges: each change to what boots is a failure naming what
// changed, and the files stay OK.
func TestBootChanges(t *testing.T) {
	clean := filepath.Join(isoFixtures, "hybrid.iso")
	f := imageFormular(t, clean, formular.KindBoot, formular.KindMedia)
	const (
		sa   = "system-area"
		cat  = "boot-catalog"
		bios = "el-torito/1 bios no-emulation boot/boot.img"
		efi  = "el-torito/2 efi no-emulation boot/efi.img"
	)
	type want struct {
		name   string
		status Status
		detail Code
	}
	tests := []struct {
		name  string
		edit  func(b []byte, im *iso.Image)
		want  []want
		media Status // of boot/efi.img in [media]
	}{
		{name: "unchanged", want: []want{{sa, OK, ""}, {cat, OK, ""}, {bios, OK, ""}, {efi, OK, ""}}},
		{name: "system area", edit: func(b []byte, im *iso.Image) { b[440] ^= 0xff },
			want: []want{{sa, Modified, ""}, {cat, OK, ""}}},
		{name: "load segment", edit: func(b []byte, im *iso.Image) {
			b[im.ElTorito.Entries[0].Record+2] = 0xc0
		}, want: []want{{cat, Modified, ""}, {bios, OK, ""}, {efi, OK, ""}}},
		{name: "catalog that does not read", edit: func(b []byte, im *iso.Image) {
			b[im.ElTorito.Catalog.Offset+4] ^= 1 // the validation entry's checksum breaks
		}, want: []want{{cat, Modified, DetailError}, {bios, Unreadable, DetailError}, {efi, Unreadable, DetailError}}},
		{name: "image changed", edit: func(b []byte, im *iso.Image) {
			b[member(im, "boot/efi.img").Extents[0].Offset+100] ^= 0xff
		}, want: []want{{cat, OK, ""}, {efi, Modified, ""}}, media: Modified},
		{name: "pointed at a hidden image", edit: func(b []byte, im *iso.Image) {
			// The last sector of the image, which no file holds.
			binary.LittleEndian.PutUint32(b[im.ElTorito.Entries[1].Record+8:], uint32(len(b)/2048-1))
			binary.LittleEndian.PutUint16(b[im.ElTorito.Entries[1].Record+6:], 4)
		}, want: []want{{cat, Modified, ""}, {efi, Modified, DetailBootImageUnlisted}}},
		{name: "pointed at another file", edit: func(b []byte, im *iso.Image) {
			binary.LittleEndian.PutUint32(b[im.ElTorito.Entries[1].Record+8:], uint32(member(im, "boot/boot.img").Extents[0].Offset/2048))
			binary.LittleEndian.PutUint16(b[im.ElTorito.Entries[1].Record+6:], 4)
		}, want: []want{{cat, Modified, ""}, {efi, Modified, DetailBootEntryChanged}}},
		{name: "platform", edit: func(b []byte, im *iso.Image) {
			b[im.ElTorito.Entries[1].Record-32+1] = iso.PlatformBIOS // the section header's
		}, want: []want{{cat, Modified, ""}, {efi, Modified, DetailBootEntryChanged}}},
		{name: "entry removed", edit: func(b []byte, im *iso.Image) {
			b[im.ElTorito.Entries[1].Record-32+2] = 0 // the section header's count
			clear(b[im.ElTorito.Entries[1].Record:][:32])
		}, want: []want{{cat, Modified, ""}, {bios, OK, ""}, {efi, Missing, DetailNotOnImage}}},
		{name: "entry added", edit: func(b []byte, im *iso.Image) {
			e := im.ElTorito.Entries[1].Record
			b[e-32+2] = 2
			copy(b[e+32:e+64], b[e:e+32])
			binary.LittleEndian.PutUint32(b[e+32+8:], uint32(len(b)/2048-1))
			binary.LittleEndian.PutUint16(b[e+32+6:], 4)
		}, want: []want{{cat, Modified, ""}, {efi, OK, ""}, {"el-torito/3 efi no-emulation", Extra, DetailBootImageUnlisted}}},
		{name: "boot record removed", edit: func(b []byte, im *iso.Image) {
			copy(b[im.ElTorito.Record+7:], "NOT TORITO")
		}, want: []want{{sa, OK, ""}, {cat, Missing, DetailNotOnImage}, {bios, Missing, DetailNotOnImage}, {efi, Missing, DetailNotOnImage}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := copyImage(t, "hybrid.iso", tt.edit)
			res := check(t, f, p)
			items := map[string]Item{}
			for _, it := range tableItems(res, "boot") {
				items[it.Name] = it
			}
			failing := false
			for _, w := range tt.want {
				it, ok := items[w.name]
				if !ok {
					t.Errorf("no item %q in %+v", w.name, items)
					continue
				}
				if it.Status != w.status || it.DetailCode != w.detail || it.Failure != (w.status != OK) {
					t.Errorf("%s: %s %s (%s), want %s %s", w.name, it.Status, it.DetailCode, it.Detail, w.status, w.detail)
				}
				failing = failing || w.status != OK
			}
			if failing != (res.Verdict == NotHolds) {
				t.Errorf("verdict %s with reasons %v", res.Verdict, res.Reasons)
			}
			media := tt.media
			if media == "" {
				media = OK
			}
			for _, it := range tableItems(res, "media") {
				if it.Name == "boot/efi.img" && it.Status != media {
					t.Errorf("media boot/efi.img %s, want %s", it.Status, media)
				}
			}
			if len(res.Scope.Uncovered) != 0 {
				t.Errorf("uncovered %v with a [boot] table", res.Scope.Uncovered)
			}
		})
	}
}

// TestBootHiddenImageDetail: the finding says where the hidden image is.
func TestBootHiddenImageDetail(t *testing.T) {
	f := imageFormular(t, filepath.Join(isoFixtures, "hybrid.iso"), formular.KindBoot)
	var size int
	p := copyImage(t, "hybrid.iso", func(b []byte, im *iso.Image) {
		size = len(b)
		binary.LittleEndian.PutUint32(b[im.ElTorito.Entries[1].Record+8:], uint32(len(b)/2048-1))
		binary.LittleEndian.PutUint16(b[im.ElTorito.Entries[1].Record+6:], 4)
	})
	for _, it := range tableItems(check(t, f, p), "boot") {
		if it.DetailCode == DetailBootImageUnlisted {
			if it.DetailArgs["offset"] != itoa(size-2048) || it.DetailArgs["size"] != "2048" {
				t.Errorf("detail %v", it.DetailArgs)
			}
			return
		}
	}
	t.Error("no boot-image-unlisted detail")
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestBootNotCovered: an image that boots, checked against a formular with
// neither a [boot] nor an [image] table, holds for its files only, and
// the scope says what boots is not covered. An [image] table covers every
// byte; a plain image boots nothing; a directory has no boot code.
func TestBootNotCovered(t *testing.T) {
	hybrid := copyImage(t, "hybrid.iso", nil)
	plain := copyImage(t, "plain.iso", nil)
	tests := []struct {
		name    string
		image   string
		kinds   []formular.Kind
		uncover bool
	}{
		{"media only", hybrid, []formular.Kind{formular.KindMedia}, true},
		{"media and boot", hybrid, []formular.Kind{formular.KindBoot, formular.KindMedia}, false},
		{"media and image", hybrid, []formular.Kind{formular.KindImage, formular.KindMedia}, false},
		{"plain image", plain, []formular.Kind{formular.KindMedia}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := imageFormular(t, tt.image, tt.kinds...)
			res := check(t, f, tt.image)
			if res.Verdict != Holds {
				t.Fatalf("verdict %s: %v", res.Verdict, res.Reasons)
			}
			got := slices.ContainsFunc(res.Scope.Uncovered, func(m Message) bool {
				return m.Code == CodeBootNotCovered && m.Text == "boot code not covered by the formular"
			})
			if got != tt.uncover {
				t.Errorf("uncovered %v, want boot-not-covered %v", res.Scope.Uncovered, tt.uncover)
			}
		})
	}
	// A system area that is not zeros boots from a stick even without El
	// Torito.
	sa := copyImage(t, "plain.iso", func(b []byte, im *iso.Image) { b[0] = 0xeb })
	if res := check(t, imageFormular(t, plain, formular.KindMedia), sa); len(res.Scope.Uncovered) != 1 {
		t.Errorf("system area code: uncovered %v", res.Scope.Uncovered)
	}
	// The kit copied to a directory: nothing boots.
	dir := kit(t, map[string]string{"a.txt": "a"})
	df := &formular.Formular{Version: 1, Tables: []*formular.Table{tableOf(t, formular.KindMedia, dir, "sha256")}}
	if res := check(t, df, dir); len(res.Scope.Uncovered) != 0 || res.Verdict != Holds {
		t.Errorf("directory: %s, uncovered %v", res.Verdict, res.Scope.Uncovered)
	}
}

// TestBootTableNotChecked: a [boot] table checked on a directory copy is
// not checked, and --require boot then fails the verdict.
func TestBootTableNotChecked(t *testing.T) {
	f := imageFormular(t, filepath.Join(isoFixtures, "plain.iso"), formular.KindBoot)
	dir := kit(t, map[string]string{"a.txt": "a"})
	f.Tables = append(f.Tables, tableOf(t, formular.KindMedia, dir, "sha256"))
	res, err := Check(context.Background(), f, Sources{Media: dir, Require: []formular.Kind{formular.KindBoot}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != NotHolds || len(res.Scope.NotChecked) != 1 || res.Scope.NotChecked[0].Args["why"] != WhyMediaIsDirectory {
		t.Errorf("verdict %s, not checked %v, reasons %v", res.Verdict, res.Scope.NotChecked, res.Reasons)
	}
}
