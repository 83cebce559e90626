package formular

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// NormalizeTables makes tables typed by hand, as a Windows editor saves
// them, into the strict syntax Parse reads: UTF-16 with a byte order mark
// becomes UTF-8, a UTF-8 byte order mark goes, CRLF and lone CR line ends
// become LF, tabs become spaces, and spaces after a table header's `]`
// or on a line of spaces alone go. Line numbers are kept. changes says
// what was done, one phrase each, for the user to review; nothing is
// said of what was not changed. It is for the input of `formular make
// --tables`; a signed formular is parsed as written, never normalised.
func NormalizeTables(data []byte) (out []byte, changes []string, err error) {
	switch {
	case len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF):
		if data, err = fromUTF16(data); err != nil {
			return nil, nil, err
		}
		changes = append(changes, "converted from UTF-16 to UTF-8")
	}
	// A byte order mark, or several (an editor that adds one to a file
	// that had one): none belongs to the text.
	if bom := []byte{0xEF, 0xBB, 0xBF}; bytes.HasPrefix(data, bom) {
		for bytes.HasPrefix(data, bom) {
			data = data[len(bom):]
		}
		changes = append(changes, "the UTF-8 byte order mark removed")
		// UTF-16's mark after UTF-8's: two encodings in one file, which
		// no reading makes text of (taken as UTF-16, a second pass
		// would change what the first gave).
		if len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF) {
			return nil, nil, errors.New("a UTF-16 byte order mark after the UTF-8 one: the file mixes two encodings")
		}
	}
	var crlf, cr, tabs, trail []int
	var b bytes.Buffer
	b.Grow(len(data))
	line := 1
	for len(data) > 0 {
		i := bytes.IndexAny(data, "\r\n")
		text, end := data, []byte(nil)
		if i >= 0 {
			text, end = data[:i], data[i:i+1]
		}
		data = data[len(text):]
		switch {
		case bytes.HasPrefix(data, []byte("\r\n")):
			crlf = append(crlf, line)
			data = data[2:]
			end = []byte("\n")
		case bytes.HasPrefix(data, []byte("\r")):
			cr = append(cr, line)
			data = data[1:]
			end = []byte("\n")
		case len(data) > 0:
			data = data[1:]
		}
		if bytes.IndexByte(text, '\t') >= 0 {
			tabs = append(tabs, line)
			text = bytes.ReplaceAll(text, []byte("\t"), []byte(" "))
		}
		// Trailing spaces are dropped only where they cannot be part of a
		// name: after a table header, or on a line of nothing else.
		trimmed := bytes.TrimRight(text, " ")
		if len(trimmed) < len(text) && (len(trimmed) == 0 || bytes.HasPrefix(bytes.TrimLeft(trimmed, " "), []byte("[")) && bytes.HasSuffix(trimmed, []byte("]"))) {
			trail = append(trail, line)
			text = trimmed
		}
		b.Write(text)
		b.Write(end)
		line++
	}
	for _, c := range []struct {
		lines []int
		what  string
	}{
		{crlf, "CRLF line ends changed to LF"},
		{cr, "CR line ends changed to LF"},
		{tabs, "tabs replaced by spaces"},
		{trail, "trailing spaces removed"},
	} {
		if len(c.lines) > 0 {
			changes = append(changes, c.what+" ("+lineList(c.lines)+")")
		}
	}
	return b.Bytes(), changes, nil
}

// fromUTF16 decodes UTF-16 text that starts with a byte order mark.
func fromUTF16(data []byte) ([]byte, error) {
	if len(data)%2 != 0 {
		return nil, errors.New("UTF-16 text of an odd number of bytes: the file is cut short")
	}
	be := data[0] == 0xFE
	u := make([]uint16, len(data)/2-1)
	for i := range u {
		hi, lo := data[2+2*i+1], data[2+2*i]
		if be {
			hi, lo = lo, hi
		}
		u[i] = uint16(hi)<<8 | uint16(lo)
	}
	out := make([]byte, 0, len(u))
	line := 1
	for _, r := range utf16.Decode(u) {
		if r == utf8.RuneError {
			return nil, fmt.Errorf("line %d: not valid UTF-16", line)
		}
		if r == '\n' {
			line++
		}
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}

// lineList says which lines: "line 3", "lines 2, 5, 7", or the first
// five and how many more.
func lineList(lines []int) string {
	if len(lines) == 1 {
		return "line " + strconv.Itoa(lines[0])
	}
	var s []string
	for i, n := range lines {
		if i == 5 {
			s = append(s, fmt.Sprintf("and %d more", len(lines)-5))
			break
		}
		s = append(s, strconv.Itoa(n))
	}
	return "lines " + strings.Join(s, ", ")
}
