package formular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Marshal returns the canonical form of f: the version line, the header in
// its order, then each table after one blank line, file rows sorted by
// path bytewise, lower-case hex, LF line ends and a final newline. Comments
// are not part of the model and are not written.
//
// Marshal reads its output back before returning it: a model that would not
// read back as itself (a header value with a line break, a digest of the
// wrong length, an absolute path...) is an error, never a file.
func Marshal(f *Formular) ([]byte, error) {
	b, err := marshal(f)
	if err != nil {
		return nil, fmt.Errorf("formular: cannot write: %w", err)
	}
	g, err := Parse(b, "")
	if err != nil {
		return nil, fmt.Errorf("formular: cannot write a readable formular: %w", err)
	}
	if d := diff(f, g); d != "" {
		return nil, fmt.Errorf("formular: cannot write: %s does not read back as written", d)
	}
	return b, nil
}

// WriteTo writes the canonical form of f to w.
func (f *Formular) WriteTo(w io.Writer) (int64, error) {
	b, err := Marshal(f)
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	return int64(n), err
}

func marshal(f *Formular) ([]byte, error) {
	if f.Version != 0 && f.Version != FormatVersion {
		return nil, fmt.Errorf("format version %d (this program writes version %d)", f.Version, FormatVersion)
	}
	var b bytes.Buffer
	b.WriteString(versionLine() + "\n")
	for _, h := range f.Header {
		if err := checkField(h.Key, h.Value); err != nil {
			return nil, err
		}
		b.WriteString(h.Key + ": " + h.Value + "\n")
	}
	for _, t := range f.Tables {
		b.WriteByte('\n')
		if err := writeTable(&b, t); err != nil {
			return nil, fmt.Errorf("[%s] table: %w", t.Kind, err)
		}
	}
	return b.Bytes(), nil
}

// TableHeader returns the table's header line as the writer spells it.
func (t *Table) TableHeader() string {
	parts := []string{string(t.Kind)}
	if t.Root != "" {
		parts = append(parts, "root="+quoteAttr(t.Root))
	}
	oss := make([]string, 0, len(t.Defaults))
	for os := range t.Defaults {
		oss = append(oss, os)
	}
	slices.Sort(oss) // "" (any system) sorts first
	for _, os := range oss {
		name := "default"
		if os != "" {
			name += "." + os
		}
		parts = append(parts, name+"="+quoteAttr(t.Defaults[os]))
	}
	if t.OS != "" {
		parts = append(parts, "os="+quoteAttr(t.OS))
	}
	if t.Source != "" {
		parts = append(parts, "source="+quoteAttr(t.Source))
	}
	if t.Format != "" {
		parts = append(parts, "format="+quoteAttr(t.Format))
	}
	if t.Closed {
		parts = append(parts, "closed")
	}
	for _, g := range t.Exclude {
		parts = append(parts, "exclude="+quoteAttr(g))
	}
	if t.HasMode {
		parts = append(parts, "mode")
	}
	for _, c := range t.Columns {
		parts = append(parts, c.String())
	}
	return "[" + strings.Join(parts, " ") + "]"
}

func writeTable(b *bytes.Buffer, t *Table) error {
	return writeTableTo(b, t, nil)
}

// tableWriter is what a table is written to: a buffer, or a buffered file.
type tableWriter interface {
	io.Writer
	io.StringWriter
	io.ByteWriter
}

// writeTableTo writes t's header and rows to b; check, if set, is given
// each row line (without its newline) and the row it was made from before
// the line is written.
func writeTableTo(b tableWriter, t *Table, check func(line []byte, e Entry) error) error {
	for _, c := range t.Columns {
		if c.Alg == nil {
			return errors.New("column without an algorithm")
		}
	}
	b.WriteString(t.TableHeader() + "\n")
	if t.Kind == KindParameters {
		for _, p := range t.Params {
			line, err := paramLine(p)
			if err != nil {
				return err
			}
			b.WriteString(line + "\n")
		}
		return nil
	}
	// A table made in order (a tree's walk, a parsed formular) is written
	// as it is: a sorted copy of a million rows is 64 MB.
	entries := sortedRows(t.Entries, t.compareRows)
	var line []byte
	for _, e := range entries {
		var err error
		if line, err = appendRow(line[:0], t, e); err != nil {
			return err
		}
		if check != nil {
			if err := check(line, e); err != nil {
				return err
			}
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return nil
}

// appendRow appends the line of row e of t, without its newline.
func appendRow(b []byte, t *Table, e Entry) ([]byte, error) {
	if w := SumsWidth(t.Columns); len(e.Sums) != w {
		return nil, fmt.Errorf("%q has %d bytes of digests for the columns' %d (%s)", e.Path, len(e.Sums), w, columnNames(t.Columns))
	}
	escape := needsEscape(e.Path)
	if escape {
		b = append(b, '\\')
	}
	for i, c := range t.Columns {
		b = c.AppendEncode(b, e.Sum(t.Columns, i))
		b = append(b, ' ')
	}
	if e.Size < 0 {
		b = append(b, '-')
	} else {
		b = strconv.AppendInt(b, e.Size, 10)
	}
	b = append(b, ' ')
	if t.HasMode {
		b = fmt.Appendf(b, "%04o ", e.Mode)
	}
	if escape {
		b = append(b, escapePath(e.Path)...)
	} else {
		b = append(b, e.Path...)
	}
	return b, nil
}

func paramLine(p Param) (string, error) {
	texts := append([]string{p.Key, p.Note, p.Lo, p.Hi, p.Pattern}, p.Values...)
	for _, s := range texts {
		if err := checkText("parameter text", s); err != nil {
			return "", fmt.Errorf("parameter %q: %w", p.Key, err)
		}
	}
	if p.Op == OpMatches && !patternEscaped(p.Pattern) {
		return "", fmt.Errorf(`parameter %q: pattern /%s/ has an unescaped / or ends in a lone \ (write \/)`, p.Key, p.Pattern)
	}
	line := quoteValue(p.Key) + " " + p.Constraint()
	if p.Note != "" {
		line += "  # " + p.Note
	}
	return line, nil
}

// Equal reports whether two formulars have the same content: everything
// but line numbers, with file rows compared in path order.
func Equal(a, b *Formular) bool { return diff(a, b) == "" }

// diff names the first difference between two formulars, or "".
func diff(a, b *Formular) string {
	va, vb := a.Version, b.Version
	if va == 0 {
		va = FormatVersion
	}
	if vb == 0 {
		vb = FormatVersion
	}
	if va != vb {
		return "the format version"
	}
	if len(a.Header) != len(b.Header) {
		return "the header"
	}
	for i := range a.Header {
		if a.Header[i].Key != b.Header[i].Key || a.Header[i].Value != b.Header[i].Value {
			return fmt.Sprintf("header field %q", a.Header[i].Key)
		}
	}
	if len(a.Tables) != len(b.Tables) {
		return "the list of tables"
	}
	for i := range a.Tables {
		if d := diffTable(a.Tables[i], b.Tables[i]); d != "" {
			return fmt.Sprintf("table %d [%s]: %s", i+1, a.Tables[i].Kind, d)
		}
	}
	return ""
}

func diffTable(a, b *Table) string {
	if a.TableHeader() != b.TableHeader() {
		return "the table header"
	}
	if len(a.Entries) != len(b.Entries) {
		return "the number of rows"
	}
	byPath := func(x, y Entry) int { return strings.Compare(x.Path, y.Path) }
	ea, eb := sortedRows(a.Entries, byPath), sortedRows(b.Entries, byPath)
	for i := range ea {
		if !sameRow(a, ea[i], eb[i]) {
			return fmt.Sprintf("row %q", ea[i].Path)
		}
	}
	if len(a.Params) != len(b.Params) {
		return "the number of parameters"
	}
	for i := range a.Params {
		x, y := a.Params[i], b.Params[i]
		if x.Key != y.Key || x.Op != y.Op || x.Lo != y.Lo || x.Hi != y.Hi || x.Pattern != y.Pattern ||
			x.Note != y.Note || !slices.Equal(x.Values, y.Values) {
			return fmt.Sprintf("parameter %q", x.Key)
		}
	}
	return ""
}

// sortedRows is rows in order: rows themselves when they are (a table of
// a million rows is 64 MB), else a sorted copy.
func sortedRows(rows []Entry, cmp func(x, y Entry) int) []Entry {
	if slices.IsSortedFunc(rows, cmp) {
		return rows
	}
	rows = slices.Clone(rows)
	slices.SortStableFunc(rows, cmp)
	return rows
}
