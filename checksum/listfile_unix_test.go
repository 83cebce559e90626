//go:build unix

package checksum

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sverka/sverka/internal/testkit"
)

// A list that is a FIFO or a device is refused at once; a regular one is
// read whole; one larger than MaxListSize is refused unread.
func TestReadListFile(t *testing.T) {
	dir := t.TempDir()
	fifo := testkit.FIFO(t, filepath.Join(dir, "SHA256SUMS"))
	huge := filepath.Join(dir, "huge")
	testkit.SparseFile(t, huge, MaxListSize+1)
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
		err := testkit.Promptly(t, "ReadListFile("+c.path+")", func() error {
			data, err := ReadListFile(c.path)
			if err == nil && string(data) != "line\n" {
				t.Errorf("%s read as %q", c.path, data)
			}
			return err
		})
		switch {
		case c.want == "" && err != nil:
			t.Errorf("ReadListFile(%s): %v", c.path, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("ReadListFile(%s) = %v, want %q", c.path, err, c.want)
		}
	}
}
