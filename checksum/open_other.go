//go:build !linux

package checksum

import (
	"errors"
	"io/fs"
	"os"
	"runtime"
)

// OpenRead opens path read-only.
func OpenRead(path string) (*os.File, error) { return os.Open(path) }

// OpenDir opens the directory path for listing. With noFollow a symbolic
// link in the last element is refused, as far as a check before the open
// can tell.
func OpenDir(path string, noFollow bool) (*os.File, error) {
	if noFollow {
		fi, err := os.Lstat(path)
		if err != nil {
			return nil, err
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			return nil, &fs.PathError{Op: "open", Path: path, Err: errSymlink}
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.IsDir() {
		f.Close()
		if err == nil {
			err = &fs.PathError{Op: "open", Path: path, Err: errNotDir}
		}
		return nil, err
	}
	return f, nil
}

var (
	errSymlink = errors.New("is a symbolic link")
	errNotDir  = errors.New("not a directory")
)

// fileSource hashes through os.File where no cheaper path is written.
type fileSource struct{ *os.File }

// noFollow is not honoured here: the caller's own listing decides what a
// name is. On Windows a name the system would not open as named (a device
// name, a trailing dot or space) is refused unless it was named as a
// device.
func openSource(_ *dirCache, path string, special, noFollow bool) (src, error) {
	if runtime.GOOS == "windows" && !special {
		if err := WindowsName(path); err != nil {
			return nil, err
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return fileSource{f}, nil
}

func (s fileSource) info() (fs.FileMode, int64, error) {
	fi, err := s.Stat()
	if err != nil {
		return 0, 0, err
	}
	return fi.Mode(), fi.Size(), nil
}

func (s fileSource) hold(sp *Spare) func() { return sp.Hold(s.File) }

// adviseSequential is a no-op where the OS has no read-ahead advice.
func (fileSource) adviseSequential() {}

// dirCache is the Linux engine's directories held open; elsewhere files
// are opened by their whole path.
type dirCache struct{}

func newDirCache() *dirCache { return nil }

func (*dirCache) close() {}

// statPath is os.Stat's mode and size; the inode is 0 here: no run is
// ordered by inode outside Linux.
func statPath(path string) (fs.FileMode, int64, uint64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, 0, 0, err
	}
	return fi.Mode(), fi.Size(), 0, nil
}
