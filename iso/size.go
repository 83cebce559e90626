package iso

import (
	"io"
	"os"
)

// seekSize is the portable way to a device's size: seeking moves only the
// file offset, never a drive's head. Reads use ReadAt, so the offset left
// at the end does no harm, but it is put back all the same.
func seekSize(f *os.File) (int64, error) {
	n, err := f.Seek(0, io.SeekEnd)
	if err != nil {
		return 0, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	return n, nil
}
