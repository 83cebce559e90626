//go:build unix

package settings

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/sverka/sverka/internal/testkit"
)

// A settings source that is a FIFO (a checked host may plant one where
// its settings file should be) or a device is refused at once, naming the
// file and what it is, instead of waiting for a writer or reading forever.
func TestOpenRefusesSpecialFiles(t *testing.T) {
	fifo := testkit.FIFO(t, filepath.Join(t.TempDir(), "kesl.ini"))
	for _, c := range []struct{ path, want string }{
		{fifo, "settings " + fifo + " is a FIFO, not a regular file"},
		{"/dev/zero", "settings /dev/zero is a character device, not a regular file"},
		{t.TempDir(), "is a directory, not a regular file"},
	} {
		err := testkit.Promptly(t, "Open("+c.path+")", func() error {
			_, _, err := Open(c.path, "ini")
			return err
		})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Open(%s) = %v, want %q", c.path, err, c.want)
		}
	}
}
