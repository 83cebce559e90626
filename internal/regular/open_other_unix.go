//go:build unix && !linux

package regular

import (
	"os"

	"golang.org/x/sys/unix"
)

// open opens path without blocking: a FIFO without a writer would hold an
// ordinary open forever.
func open(path string) (*os.File, error) {
	for {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, &os.PathError{Op: "open", Path: path, Err: err}
		}
		return blocking(fd, path)
	}
}
