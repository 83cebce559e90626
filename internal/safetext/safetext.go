// Package safetext shows strings that come from the checked system (file
// names, parameter values, command-line arguments) so that they cannot
// garble a terminal or a printed page, nor make one name read as another:
// invalid UTF-8, control characters and bidirectional formatting
// characters are written as escapes.
package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// needsEscape reports whether r is shown as an escape: C0 and C1 controls,
// DEL, the line and paragraph separators, and the bidirectional formatting
// characters that can make a name read as another one.
func needsEscape(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r == 0x2028, r == 0x2029:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// Clean reports whether s is valid UTF-8 without characters that Display
// escapes, that is whether Display(s) == s and JSON needs no raw copy.
func Clean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || needsEscape(r) {
			return false
		}
		i += n
	}
	return true
}

// Display returns s with each byte that is not part of valid UTF-8 written
// as \xHH, newline, carriage return and tab as \n, \r and \t, other
// control characters below U+0080 as \xHH, and the remaining escaped
// characters as \uHHHH. A backslash is left as it is: the display form
// is for reading; the raw bytes travel separately.
func Display(s string) string {
	if Clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x80 && needsEscape(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case needsEscape(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
