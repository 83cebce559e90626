//go:build unix

package iso

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sverka/sverka/internal/testkit"
)

// TestSpecialImageRefused: a FIFO or a character device named as an image
// (or put in a downloaded image's place) is refused at once by Open and by
// ImplantedMD5 (hash --iso-md5) alike, naming it, never read: a FIFO
// nobody writes to, or a terminal, would hold the read of the volume
// descriptor forever, and /dev/zero would read as an empty disc.
func TestSpecialImageRefused(t *testing.T) {
	dir := t.TempDir()
	fifo := testkit.FIFO(t, filepath.Join(dir, "kit.iso"))
	for _, p := range []string{fifo, os.DevNull, "/dev/zero"} {
		if _, err := os.Stat(p); err != nil {
			t.Logf("%s: %v", p, err)
			continue
		}
		const want = "is neither a regular file nor a block device"
		err := testkit.Promptly(t, "Open of "+p, func() error {
			im, err := Open(p)
			if err == nil {
				im.Close()
			}
			return err
		})
		if err == nil || !strings.Contains(err.Error(), p+" "+want) {
			t.Errorf("Open(%s): %v, want %q", p, err, want)
		}
		err = testkit.Promptly(t, "ImplantedMD5 of "+p, func() error {
			c, err := ImplantedMD5(context.Background(), p, nil, nil)
			if err == nil {
				t.Errorf("ImplantedMD5(%s): %+v, no error", p, c)
			}
			return err
		})
		if err == nil || !strings.Contains(err.Error(), p+" "+want) {
			t.Errorf("ImplantedMD5(%s): %v, want %q", p, err, want)
		}
	}
}
