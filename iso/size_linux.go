package iso

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// deviceSize asks the kernel for a block device's size in bytes.
func deviceSize(f *os.File) (int64, error) {
	var size uint64
	_, _, errno := unix.Syscall(unix.SYS_IOCTL, f.Fd(), unix.BLKGETSIZE64, uintptr(unsafe.Pointer(&size)))
	if errno != 0 {
		return seekSize(f)
	}
	return int64(size), nil
}

// adviseSequential tells the kernel the image is read once, start to end,
// so it reads ahead aggressively.
func adviseSequential(f *os.File) {
	_ = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_SEQUENTIAL)
}
