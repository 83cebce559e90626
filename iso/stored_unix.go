//go:build unix

package iso

import (
	"os"
	"syscall"
)

// stored is the number of bytes f takes on its disk, which the holes of
// a sparse file do not (st_blocks); false where the file system does
// not say, and for anything but a regular file (a device's st_blocks
// count none of its bytes).
func stored(f *os.File) (int64, bool) {
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return 0, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int64(st.Blocks) * 512, true
}
