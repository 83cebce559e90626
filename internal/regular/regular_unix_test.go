//go:build unix

package regular

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sverka/sverka/internal/testkit"
)

// A FIFO, which an ordinary open would wait on for a writer, and a
// character device, which never ends, are refused at once.
func TestOpenRefusesSpecialFiles(t *testing.T) {
	fifo := testkit.FIFO(t, filepath.Join(t.TempDir(), "pipe"))
	for _, c := range []struct{ path, kind string }{
		{fifo, "a FIFO"},
		{"/dev/zero", "a character device"},
		{"/dev/null", "a character device"},
	} {
		err := testkit.Promptly(t, "ReadFile("+c.path+")", func() error {
			_, err := ReadFile(c.path, 1<<20, "a test file")
			return err
		})
		var nr *NotRegularError
		if !errors.As(err, &nr) || !strings.Contains(err.Error(), c.path+" is "+c.kind) {
			t.Errorf("ReadFile(%s): %v, want %s refused", c.path, err, c.kind)
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
