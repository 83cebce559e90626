package checksum

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Listing a directory leaves its access time as it was, where the kernel
// lets this process ask for that.
func TestReadDirKeepsAtime(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	// The control: a plain listing marks the directory read here.
	old, atime := agedAtime(t, dir, func() error {
		_, err := os.ReadDir(dir)
		return err
	})
	ents, err := ReadDir(dir, true)
	if err != nil || len(ents) != 1 || ents[0].Name() != "a" {
		t.Fatalf("ReadDir: %v, %v", ents, err)
	}
	if got := atime(); !got.Equal(old) {
		st, _ := os.Stat(dir)
		if st.Sys().(*syscall.Stat_t).Uid != uint32(os.Geteuid()) && os.Geteuid() != 0 {
			t.Skip("O_NOATIME needs ownership")
		}
		t.Errorf("access time %v after listing, was %v", got, old)
	}
	// A symbolic link is refused with noFollow, listed without.
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(dir, link); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadDir(link, true); err == nil {
		t.Error("noFollow listed a symbolic link")
	}
	if ents, err := ReadDir(link, false); err != nil || len(ents) != 1 {
		t.Errorf("a link followed: %v, %v", ents, err)
	}
}
