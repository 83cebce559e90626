package checksum

import "github.com/sverka/sverka/internal/regular"

// MaxListSize bounds a checksum list file (or a document's text a table is
// read from): a list of a million files with several digests each is some
// 300 MB, and a path naming something endless must not exhaust memory.
const MaxListSize = 1 << 30

// ReadListFile reads a checksum list file whole: a regular file of at most
// MaxListSize bytes, opened without waiting. A FIFO or a device named as a
// list is refused, naming what it is; a list from a pipe is read from
// standard input instead, where the caller decides how long to wait.
func ReadListFile(path string) ([]byte, error) {
	return regular.ReadFile(path, MaxListSize, "a checksum list")
}
