package settings

import (
	"errors"
	"os"
	"syscall"
)

// openReadOnly opens path for reading, without updating its access time
// where the kernel allows it (O_NOATIME needs the file's owner or
// CAP_FOWNER; otherwise it fails with EPERM and the plain open is used).
func openReadOnly(path string) (openFile, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOATIME, 0)
	if errors.Is(err, syscall.EPERM) {
		f, err = os.OpenFile(path, os.O_RDONLY, 0)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}
