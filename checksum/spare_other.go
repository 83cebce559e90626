//go:build !linux

package checksum

import (
	"errors"
	"io/fs"
)

// SpareSupported says whether a Spare can keep the page cache as it was
// on this system. Windows and macOS have no call to ask what of a file is
// cached (Windows lowers the memory priority of a process in background
// mode instead: see internal/nice).
const SpareSupported = false

func (s *Spare) holdFD(int) func() { return s.holdNone() }

// Cached says how many bytes of path are in the page cache: this system
// cannot say.
func Cached(path string) (cached, size int64, err error) {
	return 0, 0, &fs.PathError{Op: "mincore", Path: path, Err: errors.ErrUnsupported}
}
