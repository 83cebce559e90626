//go:build !linux && !darwin && !freebsd && !netbsd && !openbsd && !windows

package report

// osVersion is unknown on this system.
func osVersion() string { return "" }
