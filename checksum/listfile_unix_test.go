//go:build unix

package checksum

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A list that is a FIFO or a device is refused at once; a regular one is
// read whole; one larger than MaxListSize is refused unread.
func TestReadListFile(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "SHA256SUMS")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	huge := filepath.Join(dir, "huge")
	if err := os.WriteFile(huge, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, MaxListSize+1); err != nil {
		t.Fatal(err)
	}
	ok := filepath.Join(dir, "ok")
	if err := os.WriteFile(ok, []byte("line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{fifo, fifo + " is a FIFO, not a regular file"},
		{"/dev/zero", "/dev/zero is a character device"},
		{huge, "larger than 1 GiB, the most a checksum list may be"},
		{ok, ""},
	} {
		done := make(chan error, 1)
		go func() {
			data, err := ReadListFile(c.path)
			if err == nil && string(data) != "line\n" {
				t.Errorf("%s read as %q", c.path, data)
			}
			done <- err
		}()
		select {
		case err := <-done:
			switch {
			case c.want == "" && err != nil:
				t.Errorf("ReadListFile(%s): %v", c.path, err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("ReadListFile(%s) = %v, want %q", c.path, err, c.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("ReadListFile(%s) blocked", c.path)
		}
	}
}
