// Package wintest tells a test what kind of Windows it runs on: the real
// one or Wine, whose files lie on a Unix file system (no alternate data
// streams, no NTFS reserved-name handling of its own). .ci/wine runs the
// Windows tests under Wine; testdata holds what that needs.
package wintest
