package checksum

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// OpenRead opens path read-only without updating its access time where the
// kernel lets this process (O_NOATIME needs ownership or CAP_FOWNER): a
// check must leave no trace on what it checks.
func OpenRead(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|unix.O_NOATIME, 0)
	if errors.Is(err, unix.EPERM) {
		f, err = os.OpenFile(path, os.O_RDONLY, 0)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// adviseSequential tells the kernel the file is read once, start to end, so
// it reads ahead aggressively.
func adviseSequential(f *os.File) {
	_ = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_SEQUENTIAL)
}
