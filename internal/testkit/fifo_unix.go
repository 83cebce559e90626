//go:build unix

package testkit

import (
	"fmt"
	"syscall"
)

// Mkfifo makes a named pipe at path, as mkfifo(1) does.
func Mkfifo(path string) error {
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		return fmt.Errorf("mkfifo %s: %w", path, err)
	}
	return nil
}
