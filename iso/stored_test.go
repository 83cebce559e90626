//go:build unix || windows

package iso

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/sverka/sverka/internal/wintest"
)

// TestStoredSparse: a file grown sparse by a terabyte stores what it
// was; its size says a terabyte.
func TestStoredSparse(t *testing.T) {
	if runtime.GOOS == "windows" && !wintest.Wine() {
		// NTFS allocates a file grown by SetEndOfFile unless it was
		// made sparse first: a terabyte, or a full disk.
		t.Skip("a sparse file wants FSCTL_SET_SPARSE here")
	}
	b, err := os.ReadFile(filepath.Join(fixtures, "md5.iso"))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "md5.iso")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(p, 1<<40); err != nil {
		t.Skipf("no sparse terabyte here: %v", err)
	}
	im, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	stored, ok := im.Stored()
	if !ok || stored <= 0 || stored > int64(len(b))+1<<20 {
		t.Fatalf("stored %d, %v; %d bytes written, size %d", stored, ok, len(b), im.Size)
	}
}
