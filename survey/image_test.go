package survey

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
)

// TestImageRefusesDisagreeingTrees: a formular made from an image
// whose directory trees disagree could never hold; make says so and
// names the first disagreement.
func TestImageRefusesDisagreeingTrees(t *testing.T) {
	if _, err := exec.LookPath("xorriso"); err != nil {
		t.Skip("xorriso not installed")
	}
	src := t.TempDir()
	for name, body := range map[string]string{"setup.exe": "installer", "notes.txt": "notes"} {
		if err := os.WriteFile(filepath.Join(src, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	col, err := checksum.ParseColumn("sha256")
	if err != nil {
		t.Fatal(err)
	}
	for _, hide := range []bool{false, true} {
		img := filepath.Join(t.TempDir(), "kit.iso")
		args := []string{"-report_about", "FAILURE", "-as", "mkisofs", "-R", "-J", "-o", img}
		if hide {
			args = append(args, "-hide-joliet", "notes.txt")
		}
		if out, err := exec.Command("xorriso", append(args, src)...).CombinedOutput(); err != nil {
			t.Fatalf("xorriso: %v\n%s", err, out)
		}
		_, _, media, _, err := Image(context.Background(), img, []checksum.Column{col}, Options{})
		switch {
		case !hide && (err != nil || len(media.Entries) != 2):
			t.Fatalf("genuine image: %v", err)
		case hide && (err == nil || !strings.Contains(err.Error(), "directory trees disagree") || !strings.Contains(err.Error(), "the Joliet tree does not show notes.txt")):
			t.Fatalf("image hiding a member from Joliet: %v", err)
		}
	}
}

// TestImageBoot: the [boot] table made from the hybrid fixture names
// the system area, the catalog and both boot images, each image by its
// file, with the digests the [media] table has for that file.
func TestImageBoot(t *testing.T) {
	col, err := checksum.ParseColumn("sha256")
	if err != nil {
		t.Fatal(err)
	}
	image, boot, media, _, err := Image(context.Background(), filepath.Join("..", "testdata", "iso", "hybrid.iso"), []checksum.Column{col}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if image == nil || media == nil {
		t.Fatal("no image or media table")
	}
	var names []string
	for _, e := range boot.Entries {
		names = append(names, e.Path)
	}
	want := []string{"system-area", "boot-catalog", "el-torito/1 bios no-emulation boot/boot.img", "el-torito/2 efi no-emulation boot/efi.img"}
	if strings.Join(names, "|") != strings.Join(want, "|") {
		t.Fatalf("boot rows %q, want %q", names, want)
	}
	byPath := map[string]formular.Entry{}
	for _, e := range media.Entries {
		byPath[e.Path] = e
	}
	for _, e := range boot.Entries[1:] {
		file := "boot/boot.cat"
		if b, _ := formular.ParseBootTarget(e.Path); b.File != "" {
			file = b.File
		}
		m := byPath[file]
		if string(m.Sums[:32]) != string(e.Sums[:32]) || m.Size != e.Size {
			t.Errorf("%s: %x %d, the file %s has %x %d", e.Path, e.Sums, e.Size, file, m.Sums, m.Size)
		}
	}
	if boot.Entries[0].Size != 32768 {
		t.Errorf("system area of %d bytes", boot.Entries[0].Size)
	}
}

// TestImageRefusesBadCatalog: an image whose boot catalog cannot be
// read gives no formular.
func TestImageRefusesBadCatalog(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "iso", "hybrid.iso"))
	if err != nil {
		t.Fatal(err)
	}
	// Byte 73728 is the catalog's first: its validation entry's header ID.
	data[73728] = 0x02
	dst := filepath.Join(t.TempDir(), "bad.iso")
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
	col, _ := checksum.ParseColumn("sha256")
	_, _, _, _, err = Image(context.Background(), dst, []checksum.Column{col}, Options{})
	if err == nil || !strings.Contains(err.Error(), "boot catalog, byte offset 73728") || !strings.Contains(err.Error(), "bad.iso") {
		t.Fatalf("error %v", err)
	}
}
