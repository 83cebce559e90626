package formular

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// This file holds the lexical pieces shared by the parser and the writer:
// quoted strings, bare tokens and escaped paths.

// readQuoted reads a double-quoted string at the start of s and returns its
// value and the rest of s. Inside quotes only \\ and \" are escapes; any
// other backslash is literal, so Windows paths read as written.
func readQuoted(s string) (val, rest string, err error) {
	if s == "" || s[0] != '"' {
		return "", s, errors.New("expected a quoted string")
	}
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			return b.String(), s[i+1:], nil
		case '\\':
			if i+1 < len(s) && (s[i+1] == '\\' || s[i+1] == '"') {
				b.WriteByte(s[i+1])
				i++
				continue
			}
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return "", "", errors.New("unterminated quoted string")
}

// quote writes s as a quoted string with the fewest escapes that read
// back to s: a backslash is doubled only before a quote, a backslash or
// the closing quote.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\' && (i+1 == len(s) || s[i+1] == '\\' || s[i+1] == '"'):
			b.WriteString(`\\`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// valueSpecials are the bytes that force a parameter key or value into
// quotes.
const valueSpecials = " \",{}"

// quoteValue writes a parameter key or value bare when it can be read
// back bare, quoted otherwise.
func quoteValue(s string) string {
	if s == "" || strings.ContainsAny(s, valueSpecials) || s[0] == '#' || s[0] == '[' {
		return quote(s)
	}
	return s
}

// quoteAttr writes a table attribute's value bare or quoted.
func quoteAttr(s string) string {
	if s == "" || strings.ContainsAny(s, ` "`) {
		return quote(s)
	}
	return s
}

// checkText rejects control characters in a value the writer would put on
// one line: they would break the line structure or hide in a diff.
func checkText(what, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s %q is not valid UTF-8", what, s)
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%s %q holds control character U+%04X", what, s, r)
		}
	}
	return nil
}

// needsEscape reports whether a path must be written on an escaped line:
// it holds a backslash, a control byte or bytes that are not UTF-8.
func needsEscape(p string) bool {
	if !utf8.ValidString(p) {
		return true
	}
	for i := 0; i < len(p); i++ {
		if c := p[i]; c == '\\' || c < 0x20 || c == 0x7f {
			return true
		}
	}
	return false
}

// escapePath escapes a path as GNU coreutils does (\\, \n, \r), writing
// other control bytes and bytes that are not UTF-8 as \xHH.
func escapePath(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c < 0x20 || c == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, c)
		case c < utf8.RuneSelf:
			b.WriteByte(c)
		default:
			r, n := utf8.DecodeRuneInString(p[i:])
			if r == utf8.RuneError && n == 1 {
				fmt.Fprintf(&b, `\x%02x`, c)
			} else {
				b.WriteString(p[i : i+n])
			}
			i += n
			continue
		}
		i++
	}
	return b.String()
}

// unescapePath reverses escapePath. Upper-case hex digits are accepted.
func unescapePath(s string) (string, error) {
	if !strings.Contains(s, `\`) {
		return s, nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		if i+1 == len(s) {
			return "", errors.New(`path ends in a lone backslash (write \\ for a backslash)`)
		}
		i++
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 'x':
			if i+2 >= len(s) || unhex(s[i+1]) < 0 || unhex(s[i+2]) < 0 {
				return "", errors.New(`\x must be followed by two hex digits`)
			}
			b.WriteByte(byte(unhex(s[i+1])<<4 | unhex(s[i+2])))
			i += 2
		default:
			return "", fmt.Errorf(`unknown escape \%c in path (known: \\, \n, \r, \xHH)`, s[i])
		}
	}
	return b.String(), nil
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}
