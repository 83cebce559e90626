//go:build !linux

package testkit

import (
	"fmt"
	"runtime"
)

// Evict fails: only Linux lets a process drop a file from the page cache.
func Evict(path string) error {
	return fmt.Errorf("evict %s: not possible on %s", path, runtime.GOOS)
}
