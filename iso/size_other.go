//go:build !linux

package iso

import "os"

// deviceSize finds a block device's size by seeking to its end.
func deviceSize(f *os.File) (int64, error) { return seekSize(f) }

// adviseSequential is a no-op where the OS has no read-ahead advice.
func adviseSequential(*os.File) {}
