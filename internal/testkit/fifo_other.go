//go:build !unix

package testkit

import (
	"fmt"
	"runtime"
)

// Mkfifo fails: this system has no named pipes in its file system.
func Mkfifo(path string) error {
	return fmt.Errorf("mkfifo %s: no FIFOs on %s", path, runtime.GOOS)
}
