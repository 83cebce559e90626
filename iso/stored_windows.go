package iso

import (
	"os"
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

// stored is the number of bytes f takes on its disk, which the
// unallocated ranges of a sparse file do not (its allocation size);
// false where the file system does not say, and for anything but a
// regular file (a volume's handle allocates none of its bytes).
func stored(f *os.File) (int64, bool) {
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return 0, false
	}
	var info fileStandardInfo
	err := windows.GetFileInformationByHandleEx(windows.Handle(f.Fd()), windows.FileStandardInfo,
		(*byte)(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)))
	if err != nil || info.AllocationSize < 0 {
		return 0, false
	}
	return info.AllocationSize, true
}
