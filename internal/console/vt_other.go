//go:build !windows

package console

import "os"

// VirtualTerminal reports whether colour escape codes written to f show
// as colours: every terminal but a dumb one (ColorEnabled checks TERM)
// reads them, off Windows.
func VirtualTerminal(f *os.File) bool { return f != nil }
