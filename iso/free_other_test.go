//go:build !linux && !darwin

package iso

// freeSpace is the space available in dir in bytes, -1 if unknown.
func freeSpace(string) int64 { return -1 }
