//go:build unix

package iso

import "syscall"

// Stored is the number of bytes the image file takes on its disk, which
// the holes of a sparse file do not (st_blocks). false for a device, or
// where the file system does not say.
func (im *Image) Stored() (int64, bool) {
	if im.Device || im.f == nil {
		return 0, false
	}
	fi, err := im.f.Stat()
	if err != nil {
		return 0, false
	}
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, false
	}
	return int64(st.Blocks) * 512, true
}
