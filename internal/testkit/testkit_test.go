package testkit

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/sverka/sverka/internal/wintest"
)

func TestWriteTree(t *testing.T) {
	root := Tree(t, map[string]string{"a.txt": "alpha", "sub/dir/b.txt": "beta"})
	for name, want := range map[string]string{"a.txt": "alpha", "sub/dir/b.txt": "beta"} {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil || string(got) != want {
			t.Errorf("%s: %q, %v; want %q", name, got, err, want)
		}
	}
}

// A sparse file has its size and its marks, and zeros elsewhere.
func TestSparseFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "sparse")
	SparseFile(t, p, 64, 0, 30, 60)
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]byte, 64)
	for _, off := range []int{0, 30, 60} {
		copy(want[off:], "mark")
	}
	if !bytes.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestFIFO(t *testing.T) {
	p := filepath.Join(t.TempDir(), "pipe")
	err := Mkfifo(p)
	if runtime.GOOS == "windows" {
		if err == nil {
			t.Fatal("Mkfifo made something on Windows")
		}
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Type() != os.ModeNamedPipe {
		t.Errorf("%s: %v, want a named pipe", p, fi.Mode())
	}
}

func TestPromptlyReturnsTheError(t *testing.T) {
	want := errors.New("refused")
	if err := Promptly(t, "refusal", func() error { return want }); err != want {
		t.Errorf("got %v, want %v", err, want)
	}
}

// TestCanSymlink: Linux makes symbolic links; Wine does not, and a test
// that needs them must be skipped there rather than fail.
func TestCanSymlink(t *testing.T) {
	want := runtime.GOOS != "windows" || !wintest.Wine()
	if runtime.GOOS == "windows" && !wintest.Wine() {
		t.Skip("on Windows it depends on the privilege to make links")
	}
	if got := CanSymlink(); got != want {
		t.Errorf("CanSymlink() = %v, want %v", got, want)
	}
}
