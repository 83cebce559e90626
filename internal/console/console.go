// Package console handles the terminal: whether an output is one, whether
// to colour it (on Windows, whether the console shows escape codes), and
// the progress display on standard error.
package console

import (
	"io"
	"os"

	"golang.org/x/term"
)

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && f != nil && term.IsTerminal(int(f.Fd()))
}

// ColorEnabled decides --color: "always" and "never" say it; "auto" (or
// anything else) colours a terminal unless TERM=dumb, NO_COLOR or
// CLICOLOR=0 says otherwise, and any output when CLICOLOR_FORCE asks. The
// terminal's own colour database is not consulted: a status needs only
// the eight basic colours, which every terminal but a dumb one shows, and
// TERM=screen or an unset TERM must not lose them. A nil f, output that is
// not a file, is never coloured. On Windows "auto" colours only a console
// that shows escape codes as colours (VirtualTerminal, which turns that
// on); "always" turns it on where it can and colours in any case.
func ColorEnabled(mode string, f *os.File) bool {
	switch mode {
	case "always":
		if IsTerminal(f) {
			VirtualTerminal(f)
		}
		return true
	case "never":
		return false
	}
	if f == nil || os.Getenv("NO_COLOR") != "" || os.Getenv("CLICOLOR") == "0" {
		return false
	}
	if v := os.Getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true
	}
	return IsTerminal(f) && os.Getenv("TERM") != "dumb" && VirtualTerminal(f)
}
