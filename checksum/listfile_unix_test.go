//go:build unix

package checksum

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sverka/sverka/internal/testkit"
)

// A list that is a FIFO or a device is refused at once; a regular one is
// read (whole, or as a stream); one larger than MaxListSize is refused
// unread.
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
		// ReadListFile reads the list whole; ReadListPath opens and
		// refuses alike, before any line, and parses it.
		for _, r := range []struct {
			name string
			read func() error
		}{
			{"ReadListFile", func() error {
				data, err := ReadListFile(c.path)
				if err == nil && string(data) != "line\n" {
					t.Errorf("%s read as %q", c.path, data)
				}
				return err
			}},
			{"ReadListPath", func() error {
				entries, bad, err := ReadListPath(c.path, ReadOptions{Format: FormatGNU})
				if err == nil && (len(entries) != 0 || len(bad) != 1) {
					t.Errorf("%s parsed as %v, %v; want the one malformed line", c.path, entries, bad)
				}
				return err
			}},
		} {
			err := testkit.Promptly(t, r.name+"("+c.path+")", r.read)
			switch {
			case c.want == "" && err != nil:
				t.Errorf("%s(%s): %v", r.name, c.path, err)
			case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
				t.Errorf("%s(%s) = %v, want %q", r.name, c.path, err, c.want)
			}
		}
	}
	if _, _, err := ReadListPath(filepath.Join(dir, "missing"), ReadOptions{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("ReadListPath of a missing list: %v, want not exist", err)
	}
}
