//go:build !linux

package checksum

import "os"

// OpenRead opens path read-only.
func OpenRead(path string) (*os.File, error) { return os.Open(path) }

// adviseSequential is a no-op where the OS has no read-ahead advice.
func adviseSequential(*os.File) {}
