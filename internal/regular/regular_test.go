package regular

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSize(t *testing.T) {
	for _, c := range []struct {
		n    int64
		want string
	}{
		{0, "0 bytes"},
		{1000, "1000 bytes"},
		{8 << 10, "8 KiB"},
		{64 << 20, "64 MiB"},
		{1 << 30, "1 GiB"},
		{1<<30 + 1, "1073741825 bytes"},
		{3 << 29, "1536 MiB"},
	} {
		if got := Size(c.n); got != c.want {
			t.Errorf("Size(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}

func TestKind(t *testing.T) {
	for _, c := range []struct {
		m    fs.FileMode
		want string
	}{
		{0o644, "a regular file"},
		{fs.ModeDir | 0o755, "a directory"},
		{fs.ModeNamedPipe, "a FIFO"},
		{fs.ModeSocket, "a socket"},
		{fs.ModeDevice | fs.ModeCharDevice, "a character device"},
		{fs.ModeDevice, "a block device"},
		{fs.ModeSymlink, "a symbolic link"},
		{fs.ModeIrregular, "a special file"},
	} {
		if got := Kind(c.m); got != c.want {
			t.Errorf("Kind(%v) = %q, want %q", c.m, got, c.want)
		}
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	if err := os.WriteFile(p, []byte("12345678"), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := ReadFile(p, 8, "a test file")
	if err != nil || string(data) != "12345678" {
		t.Fatalf("ReadFile at the limit = %q, %v", data, err)
	}
	_, err = ReadFile(p, 7, "a test file")
	var tl *TooLargeError
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "a test file") {
		t.Fatalf("ReadFile over the limit: %v", err)
	}
	_, err = ReadFile(dir, 8, "a test file")
	var nr *NotRegularError
	if !errors.As(err, &nr) || !strings.Contains(err.Error(), "a directory") {
		t.Fatalf("ReadFile of a directory: %v", err)
	}
	_, err = ReadFile(filepath.Join(dir, "none"), 8, "a test file")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("ReadFile of a missing file: %v", err)
	}
}

// A reader that never ends (a file growing as it is read) is stopped at
// the limit.
func TestReadAllStopsAtLimit(t *testing.T) {
	_, err := ReadAll(endless{}, "endless", 1<<20, "a test file")
	var tl *TooLargeError
	if !errors.As(err, &tl) {
		t.Fatalf("ReadAll of an endless reader: %v", err)
	}
}

// A reader read as a stream gives the bytes up to the limit and is then
// refused, naming its path: a list file that grows while it is read.
func TestLimitReaderRefusesGrowth(t *testing.T) {
	r := LimitReader(strings.NewReader(strings.Repeat("x", 20)), "SHA256SUMS", 10, "a checksum list")
	_, err := io.ReadAll(r)
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.Path != "SHA256SUMS" || tl.Limit != 10 {
		t.Fatalf("reading 20 bytes capped at 10: %v, want a TooLargeError of SHA256SUMS", err)
	}
	exact, err := io.ReadAll(LimitReader(strings.NewReader("0123456789"), "ok", 10, "a checksum list"))
	if err != nil || string(exact) != "0123456789" {
		t.Errorf("reading 10 bytes capped at 10: %q, %v; want all of them", exact, err)
	}
}

type endless struct{}

func (endless) Read(p []byte) (int, error) { return len(p), nil }
