package formular

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sverka/sverka/checksum"
)

// TestMakeImageRefusesDisagreeingTrees: a formular made from an image
// whose directory trees disagree could never hold; make says so and
// names the first disagreement.
func TestMakeImageRefusesDisagreeingTrees(t *testing.T) {
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
		_, _, media, _, err := MakeImage(context.Background(), img, []checksum.Column{col}, MakeOptions{})
		switch {
		case !hide && (err != nil || len(media.Entries) != 2):
			t.Fatalf("genuine image: %v", err)
		case hide && (err == nil || !strings.Contains(err.Error(), "directory trees disagree") || !strings.Contains(err.Error(), "the Joliet tree does not show notes.txt")):
			t.Fatalf("image hiding a member from Joliet: %v", err)
		}
	}
}
