package testkit

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// Evict drops the file path from the page cache, written back first, as
// `dd iflag=nocache count=0` does: the next read of it comes from the disk.
func Evict(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("evict %s: %w", path, err)
	}
	if err := unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_DONTNEED); err != nil {
		return fmt.Errorf("evict %s: %w", path, err)
	}
	return nil
}
