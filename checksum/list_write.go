package checksum

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// EscapeName escapes a file name as GNU coreutils does in checksum lines:
// backslash, newline and carriage return become \\, \n and \r. needsBackslash
// reports whether anything was escaped; the line then starts with "\".
func EscapeName(name string) (escaped string, needsBackslash bool) {
	if !strings.ContainsAny(name, "\\\n\r") {
		return name, false
	}
	var b strings.Builder
	b.Grow(len(name) + 8)
	for i := 0; i < len(name); i++ {
		switch c := name[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// ListName is the name a list written on this system records for the
// file at path: with forward slashes on Windows, as sha256sum (Git for
// Windows, Cygwin, MSYS2), rhash and b3sum write and read them, so that a
// list made on Windows has the same bytes as one made on Linux of the
// same tree, and a backslash is never escaped into the line (Windows
// opens either separator; no Windows name holds a backslash, so nothing
// is lost). Elsewhere path is returned as it is: a backslash there is a
// character of a name.
func ListName(path string) string {
	return filepath.ToSlash(path)
}

// UnescapeName reverses EscapeName. As in GNU coreutils, only \\, \n and
// \r are valid escapes; anything else after a backslash, or a backslash
// ending the name, is an error.
func UnescapeName(s string) (string, error) {
	if strings.IndexByte(s, '\\') < 0 {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			continue
		}
		i++
		if i == len(s) {
			return "", errors.New("escaped file name ends with a lone backslash")
		}
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		default:
			return "", fmt.Errorf("invalid escape \\%c in file name (only \\\\, \\n and \\r)", s[i])
		}
	}
	return b.String(), nil
}

func checkDigest(col Column, digest []byte) error {
	if col.Alg == nil {
		return errors.New("no algorithm")
	}
	if len(digest) != col.Alg.Size {
		return fmt.Errorf("%s digest has %d bytes, want %d", col.Alg.Name, len(digest), col.Alg.Size)
	}
	return nil
}

// WriteGNU writes one line as sha256sum does: "hex  name", or "hex *name"
// when binary, with the digest in col's byte order and GNU's escaping of
// the name (the line then starts with a backslash).
func WriteGNU(w io.Writer, col Column, digest []byte, name string, binary bool) error {
	if err := checkDigest(col, digest); err != nil {
		return err
	}
	if err := checkName(name); err != nil {
		return err
	}
	esc, bs := EscapeName(name)
	var b strings.Builder
	if bs {
		b.WriteByte('\\')
	}
	b.WriteString(col.Encode(digest))
	if binary {
		b.WriteString(" *")
	} else {
		b.WriteString("  ")
	}
	b.WriteString(esc)
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteBSD writes one tag line as sha256sum --tag does:
// "SHA256 (name) = hex", escaped as WriteGNU escapes.
func WriteBSD(w io.Writer, col Column, digest []byte, name string) error {
	if err := checkDigest(col, digest); err != nil {
		return err
	}
	if err := checkName(name); err != nil {
		return err
	}
	esc, bs := EscapeName(name)
	var b strings.Builder
	if bs {
		b.WriteByte('\\')
	}
	b.WriteString(col.Alg.Tag)
	b.WriteString(" (")
	b.WriteString(esc)
	b.WriteString(") = ")
	b.WriteString(col.Encode(digest))
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// hashdeepOrder is the order hashdeep writes its columns in, whatever the
// order of its -c option.
var hashdeepOrder = map[string]int{"md5": 0, "sha1": 1, "sha256": 2, "tiger": 3, "whirlpool": 4}

// HashdeepWriter writes a hashdeep file that hashdeep -k reads.
type HashdeepWriter struct {
	w     io.Writer
	cols  []Column
	order []int // order[k] is the index into cols of the k-th written column
}

// NewHashdeepWriter writes the hashdeep header for cols. hashdeep has
// columns for md5, sha1 and sha256 only among sverka's algorithms.
func NewHashdeepWriter(w io.Writer, cols []Column) (*HashdeepWriter, error) {
	if len(cols) == 0 {
		return nil, errors.New("hashdeep list without a digest column")
	}
	h := &HashdeepWriter{w: w, cols: cols}
	seen := map[string]bool{}
	for i, c := range cols {
		if c.Alg == nil {
			return nil, errors.New("no algorithm")
		}
		if _, ok := hashdeepOrder[c.Alg.Name]; !ok {
			return nil, fmt.Errorf("hashdeep has no %s column (it knows md5, sha1, sha256, tiger, whirlpool)", c.Alg.Name)
		}
		if seen[c.Alg.Name] {
			return nil, fmt.Errorf("%s given twice", c.Alg.Name)
		}
		seen[c.Alg.Name] = true
		h.order = append(h.order, i)
	}
	sort.SliceStable(h.order, func(i, j int) bool {
		return hashdeepOrder[cols[h.order[i]].Alg.Name] < hashdeepOrder[cols[h.order[j]].Alg.Name]
	})
	var b strings.Builder
	b.WriteString("%%%% HASHDEEP-1.0\n%%%% size")
	for _, i := range h.order {
		b.WriteByte(',')
		b.WriteString(cols[i].Alg.Name)
	}
	b.WriteString(",filename\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return nil, err
	}
	return h, nil
}

// Write writes one file's line; digests follow the order of the columns
// given to NewHashdeepWriter. hashdeep does not escape names, so a name
// with a line break cannot be written.
func (h *HashdeepWriter) Write(size int64, digests [][]byte, name string) error {
	if len(digests) != len(h.cols) {
		return fmt.Errorf("%d digests for %d columns", len(digests), len(h.cols))
	}
	if size < 0 {
		return fmt.Errorf("negative size %d", size)
	}
	if err := checkName(name); err != nil {
		return err
	}
	if strings.ContainsAny(name, "\n\r") {
		return fmt.Errorf("hashdeep lists cannot hold a name with a line break: %q", name)
	}
	var b strings.Builder
	b.WriteString(strconv.FormatInt(size, 10))
	for _, i := range h.order {
		if err := checkDigest(h.cols[i], digests[i]); err != nil {
			return err
		}
		b.WriteByte(',')
		b.WriteString(h.cols[i].Encode(digests[i]))
	}
	b.WriteByte(',')
	b.WriteString(name)
	b.WriteByte('\n')
	_, err := io.WriteString(h.w, b.String())
	return err
}
