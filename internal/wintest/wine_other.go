//go:build !windows

package wintest

// Wine reports whether the program runs under Wine: never, off Windows.
func Wine() bool { return false }
