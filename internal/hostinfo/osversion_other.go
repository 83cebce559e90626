//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !windows

package hostinfo

// osVersion is unknown on this system.
func osVersion() string { return "" }
