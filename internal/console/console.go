// Package console handles the terminal: whether an output is one, whether
// to colour it, and the progress display on standard error.
package console

import (
	"io"
	"os"

	"github.com/muesli/termenv"
	"golang.org/x/term"
)

// IsTerminal reports whether w is a terminal.
func IsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && f != nil && term.IsTerminal(int(f.Fd()))
}

// ColorEnabled decides --color: "always" and "never" say it; "auto" (or
// anything else) leaves it to termenv, which colours a terminal that has
// colours (not TERM=dumb) unless NO_COLOR or CLICOLOR=0 says otherwise,
// and anything at all when CLICOLOR_FORCE asks. A nil f, output that is
// not a file, is never coloured.
func ColorEnabled(mode string, f *os.File) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if f == nil {
		return false
	}
	return termenv.NewOutput(f).Profile != termenv.Ascii
}
