package checksum

import "io/fs"

// ReadDir lists the directory path in the order the file system gives
// (unsorted: a caller that needs an order sorts what it keeps), opened as
// OpenDir opens it.
func ReadDir(path string, noFollow bool) ([]fs.DirEntry, error) {
	f, err := OpenDir(path, noFollow)
	if err != nil {
		return nil, err
	}
	ents, err := f.ReadDir(-1)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = cerr
	}
	return ents, err
}
