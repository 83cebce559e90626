// Package testkit holds the fixtures that the tests of several packages
// share: a tree of files, a FIFO, a sparse file, an image claiming a
// volume of terabytes, whether symbolic links can be made, and a guard
// against a call that blocks. It is imported by _test.go files only, and
// imports nothing of sverka but internal/wintest, so that every
// package's own tests may use it.
package testkit

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/sverka/sverka/internal/wintest"
)

// WriteTree writes files (a slash-separated name → its content) under
// root, making the directories they need.
func WriteTree(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Tree writes files as WriteTree does under a new temporary directory,
// and returns that directory.
func Tree(t testing.TB, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	WriteTree(t, root, files)
	return root
}

// FIFO makes a named pipe at path and returns path; the test fails where
// none can be made.
func FIFO(t testing.TB, path string) string {
	t.Helper()
	if err := Mkfifo(path); err != nil {
		t.Fatal(err)
	}
	return path
}

// SparseFile makes a file of size bytes at path holding only the four
// bytes "mark" at each offset of marks: the rest is a hole, so that a
// file of gigabytes takes next to no disk.
func SparseFile(t testing.TB, path string, size int64, marks ...int64) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, off := range marks {
		if _, err := f.WriteAt([]byte("mark"), off); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Truncate(size); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// SparseISO writes to path the ISO image fixture with its primary
// volume descriptor claiming blocks 2048-byte sectors, in both byte
// orders, and the file grown to that length as a hole, and returns the
// bytes it stores. The test is skipped where that file would take the
// disk: NTFS allocates a file grown unless it was made sparse first.
func SparseISO(t testing.TB, fixture, path string, blocks uint32) int64 {
	t.Helper()
	if runtime.GOOS == "windows" && !wintest.Wine() {
		t.Skip("a sparse file wants FSCTL_SET_SPARSE here")
	}
	b, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	const pvd = 16 * 2048
	binary.LittleEndian.PutUint32(b[pvd+80:], blocks)
	binary.BigEndian.PutUint32(b[pvd+84:], blocks)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, int64(blocks)*2048); err != nil {
		t.Skipf("no sparse file of %d sectors here: %v", blocks, err)
	}
	return int64(len(b))
}

// promptness is how long a call that must not wait may take: far more
// than any refusal needs, far less than a read that never ends.
const promptness = 5 * time.Second

// Promptly calls f and returns its error, failing the test at once if f
// has not returned within 5 s: what opens a FIFO or reads a device as a
// file would otherwise hang the test. what names the call in the failure.
func Promptly(t testing.TB, what string, f func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-time.After(promptness):
		t.Fatalf("%s blocked", what)
		return nil
	}
}

// CanSymlink reports whether this system makes symbolic links that work:
// Windows refuses them without a privilege or developer mode, and Wine
// reports success and makes nothing. It tries one in a temporary
// directory.
func CanSymlink() bool {
	dir, err := os.MkdirTemp("", "symlink")
	if err != nil {
		return false
	}
	defer os.RemoveAll(dir)
	target := filepath.Join(dir, "target")
	link := filepath.Join(dir, "link")
	if os.WriteFile(target, []byte("x"), 0o644) != nil || os.Symlink("target", link) != nil {
		return false
	}
	fi, err := os.Lstat(link)
	if err != nil || fi.Mode()&os.ModeSymlink == 0 {
		return false
	}
	b, err := os.ReadFile(link)
	return err == nil && string(b) == "x"
}

// NeedSymlinks skips the test where symbolic links cannot be made.
func NeedSymlinks(t testing.TB) {
	t.Helper()
	if !CanSymlink() {
		t.Skip("this system makes no symbolic links (Windows without the privilege, or Wine)")
	}
}
