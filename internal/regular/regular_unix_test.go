//go:build unix

package regular

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO, which an ordinary open would wait on for a writer, and a
// character device, which never ends, are refused at once.
func TestOpenRefusesSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ path, kind string }{
		{fifo, "a FIFO"},
		{"/dev/zero", "a character device"},
		{"/dev/null", "a character device"},
	} {
		done := make(chan error, 1)
		go func() {
			_, err := ReadFile(c.path, 1<<20, "a test file")
			done <- err
		}()
		select {
		case err := <-done:
			var nr *NotRegularError
			if !errors.As(err, &nr) || !strings.Contains(err.Error(), c.path+" is "+c.kind) {
				t.Errorf("ReadFile(%s): %v, want %s refused", c.path, err, c.kind)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("ReadFile(%s) blocked", c.path)
		}
	}
}

// The file Open returns reads as a blocking file: O_NONBLOCK was for the
// open only.
func TestOpenClearsNonblock(t *testing.T) {
	f, err := Open("regular_test.go")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc, err := f.SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var flags int
	sc.Control(func(fd uintptr) {
		flags, err = fcntlFlags(int(fd))
	})
	if err != nil {
		t.Fatal(err)
	}
	if flags&syscall.O_NONBLOCK != 0 {
		t.Fatal("O_NONBLOCK left set")
	}
}
