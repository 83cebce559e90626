//go:build linux || darwin

package iso

import "golang.org/x/sys/unix"

// freeSpace is the space available in dir in bytes, -1 if unknown.
func freeSpace(dir string) int64 {
	var st unix.Statfs_t
	if unix.Statfs(dir, &st) != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize)
}
