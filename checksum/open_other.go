//go:build !linux

package checksum

import (
	"io/fs"
	"os"
)

// OpenRead opens path read-only.
func OpenRead(path string) (*os.File, error) { return os.Open(path) }

// fileSource hashes through os.File where no cheaper path is written.
type fileSource struct{ *os.File }

func openSource(path string, special bool) (src, fs.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return fileSource{f}, fi, nil
}

// adviseSequential is a no-op where the OS has no read-ahead advice.
func (fileSource) adviseSequential() {}
