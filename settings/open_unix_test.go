//go:build unix

package settings

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A settings source that is a FIFO (a checked host may plant one where
// its settings file should be) or a device is refused at once, naming the
// file and what it is, instead of waiting for a writer or reading forever.
func TestOpenRefusesSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "kesl.ini")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, want string }{
		{fifo, "settings " + fifo + " is a FIFO, not a regular file"},
		{"/dev/zero", "settings /dev/zero is a character device, not a regular file"},
		{t.TempDir(), "is a directory, not a regular file"},
	} {
		done := make(chan error, 1)
		go func() {
			_, _, err := Open(c.path, "ini")
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Open(%s) = %v, want %q", c.path, err, c.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Open(%s) blocked", c.path)
		}
	}
}
