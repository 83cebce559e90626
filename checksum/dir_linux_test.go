package checksum

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// Listing a directory leaves its access time as it was, where the kernel
// lets this process ask for that.
func TestReadDirKeepsAtime(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-72 * time.Hour).Truncate(time.Second)
	atime := func() time.Time {
		fi, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		return time.Unix(st.Atim.Sec, st.Atim.Nsec)
	}
	age := func() {
		if err := os.Chtimes(dir, old, old); err != nil {
			t.Fatal(err)
		}
	}
	// The control: a plain listing marks the directory read here, or the
	// file system keeps no access times and there is nothing to show.
	age()
	if _, err := os.ReadDir(dir); err != nil {
		t.Fatal(err)
	}
	if atime().Equal(old) {
		t.Skip("this file system does not update access times (noatime)")
	}
	age()
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
