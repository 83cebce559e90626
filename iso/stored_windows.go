package iso

import (
	"unsafe"

	"golang.org/x/sys/windows"
)

// fileStandardInfo is FILE_STANDARD_INFO, which x/sys/windows does not
// declare.
type fileStandardInfo struct {
	AllocationSize, EndOfFile int64
	NumberOfLinks             uint32
	DeletePending, Directory  byte
}

// Stored is the number of bytes the image file takes on its disk, which
// the unallocated ranges of a sparse file do not (its allocation size).
// false for a device, or where the file system does not say.
func (im *Image) Stored() (int64, bool) {
	if im.Device || im.f == nil {
		return 0, false
	}
	var info fileStandardInfo
	err := windows.GetFileInformationByHandleEx(windows.Handle(im.f.Fd()), windows.FileStandardInfo,
		(*byte)(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)))
	if err != nil || info.AllocationSize < 0 {
		return 0, false
	}
	return info.AllocationSize, true
}
