//go:build !linux

package settings

import "os"

// openReadOnly opens path for reading only.
func openReadOnly(path string) (openFile, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	return f, nil
}
