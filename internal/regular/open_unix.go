//go:build unix

package regular

import (
	"os"

	"golang.org/x/sys/unix"
)

// blocking clears O_NONBLOCK, set only so that the open would not wait, and
// wraps fd. Reads of a regular file then behave as usual; a FIFO is refused
// by Open before anything is read from it.
func blocking(fd int, path string) (*os.File, error) {
	if err := unix.SetNonblock(fd, false); err != nil {
		unix.Close(fd)
		return nil, &os.PathError{Op: "fcntl", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}
