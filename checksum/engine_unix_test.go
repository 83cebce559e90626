//go:build !windows

package checksum

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sverka/sverka/internal/testkit"
)

func TestHashFilesErrors(t *testing.T) {
	dir := t.TempDir()
	fifo := testkit.FIFO(t, filepath.Join(dir, "fifo"))
	noperm := filepath.Join(dir, "noperm")
	os.WriteFile(noperm, []byte("x"), 0o000)
	jobs := []Job{
		{Path: filepath.Join(dir, "missing")},
		{Path: dir},
		{Path: fifo},
		{Path: noperm},
	}
	var got []Result
	if err := HashFiles(context.Background(), jobs, mustAlgs(t, "sha256"), Options{}, func(r Result) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(got[0].Err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", got[0].Err)
	}
	if got[1].Err == nil || !strings.Contains(got[1].Err.Error(), "is a directory") {
		t.Errorf("directory: %v", got[1].Err)
	}
	if !errors.Is(got[2].Err, ErrSpecial) {
		t.Errorf("FIFO not named explicitly must be refused without blocking, got %v", got[2].Err)
	}
	if os.Geteuid() != 0 && !errors.Is(got[3].Err, fs.ErrPermission) {
		t.Errorf("unreadable file: %v", got[3].Err)
	}
	for _, r := range got {
		if r.Err != nil && r.Sums != nil {
			t.Errorf("%s: a failed file must carry no digest", r.Path)
		}
	}
}

// A device that took a listed file's place yields more than the table's
// size: the engine stats it then and refuses it rather than read forever.
func TestHashFilesNoStatDevice(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	jobs := []Job{Expected("/dev/zero", 100, true)}
	var got Result
	if err := HashFiles(context.Background(), jobs, mustAlgs(t, "sha256"), Options{}, func(r Result) error { got = r; return nil }); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(got.Err, ErrSpecial) {
		t.Errorf("device read as a module: %+v", got)
	}
}

// An Expected job refuses a link that took a listed file's place, even to a
// file that would hash right; a Named one reads through it.
func TestHashFilesNoFollow(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "real.so")
	os.WriteFile(target, []byte("module"), 0o644)
	link := filepath.Join(dir, "link.so")
	if err := os.Symlink(target, link); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	jobs := []Job{Expected(link, -1, false), Named(link, false), Expected(target, -1, false)}
	var got []Result
	if err := HashFiles(context.Background(), jobs, mustAlgs(t, "sha256"), Options{}, func(r Result) error { got = append(got, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if got[0].Err == nil || got[0].Sums != nil {
		t.Errorf("a link read in a listed file's place: %+v", got[0])
	}
	if got[1].Err != nil || got[2].Err != nil || got[1].Size != 6 {
		t.Errorf("the link followed / the file itself: %+v / %+v", got[1], got[2])
	}
}
