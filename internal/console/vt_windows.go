package console

import (
	"os"

	"golang.org/x/sys/windows"
)

// VirtualTerminal reports whether colour escape codes written to f show
// as colours: on Windows only a console with virtual terminal processing
// does (Windows 10 1511 and later), and it is turned on here if it is
// off; on an older console, or output that is not a console, they would
// print as text. (Text itself needs nothing: os.File writes a console as
// UTF-16, through WriteConsoleW, and anything else as the UTF-8 bytes.)
func VirtualTerminal(f *os.File) bool {
	if f == nil {
		return false
	}
	h := windows.Handle(f.Fd())
	var mode uint32
	if windows.GetConsoleMode(h, &mode) != nil {
		return false
	}
	if mode&windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
		return true
	}
	return windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING) == nil
}
