package formular

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"unsafe"
)

// Write writes the canonical form of f to w, the bytes Marshal returns,
// without holding them whole: a formular of a million rows is 100 MB, and
// Marshal's read-back of it as much again and its rows.
//
// What Marshal reads back, Write reads back too, in parts: the header and
// the tables without the rows of their large tables through Parse, before
// anything is written; each row of those tables as it is written, by the
// parser's own row reading, against the row it was made from, and its
// path against the row's before it (a path given twice). An error may come
// after part of f was written: the caller writes to a file it can abandon.
func Write(w io.Writer, f *Formular) error {
	if err := checkSkeleton(f); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := writeStreamed(bw, f); err != nil {
		return fmt.Errorf("formular: cannot write: %w", err)
	}
	return bw.Flush()
}

// streamed reports whether t's rows are read back one by one as they are
// written rather than with the rest of the formular: a file table whose
// order is by path, so that a path given twice stands next to itself.
// Boot tables (ordered by slot) and Windows tables (a name's case does
// not count) are read back whole; they are small.
func streamed(t *Table) bool {
	return (t.Kind == KindMedia || t.Kind == KindModules || t.Kind == KindImage) && !t.Windows()
}

// checkSkeleton reads back f without the rows Write reads back one by one.
func checkSkeleton(f *Formular) error {
	g := *f
	g.Tables = make([]*Table, len(f.Tables))
	for i, t := range f.Tables {
		g.Tables[i] = t
		if streamed(t) {
			bare := *t
			bare.Entries = nil
			g.Tables[i] = &bare
		}
	}
	_, err := Marshal(&g)
	return err
}

// writeStreamed writes f to b, each streamed table's row read back before
// it is written.
func writeStreamed(b *bufio.Writer, f *Formular) error {
	if f.Version != 0 && f.Version != FormatVersion {
		return fmt.Errorf("format version %d (this program writes version %d)", f.Version, FormatVersion)
	}
	b.WriteString(versionLine() + "\n")
	for _, h := range f.Header {
		if err := checkField(h.Key, h.Value); err != nil {
			return err
		}
		b.WriteString(h.Key + ": " + h.Value + "\n")
	}
	for _, t := range f.Tables {
		b.WriteByte('\n')
		var check func([]byte, Entry) error
		if streamed(t) {
			check = rowReader(t)
		}
		if err := writeTableTo(b, t, check); err != nil {
			return fmt.Errorf("[%s] table: %w", t.Kind, err)
		}
	}
	return nil
}

// rowReader returns a check that reads a row line of t back as Parse would
// and holds it to the row it was written from and to the row before it.
func rowReader(t *Table) func([]byte, Entry) error {
	p := &parser{cur: t}
	var prev string
	first := true
	return func(line []byte, e Entry) error {
		// Read in place: line is written over by the next row, so
		// nothing read from it is kept past this call (prev is the
		// row's own path).
		text := unsafe.String(unsafe.SliceData(line), len(line))
		if err := checkLine(text); err != nil {
			return fmt.Errorf("row %q does not read back: %w", e.Path, err)
		}
		if blankOrComment(text) || text[0] == '[' {
			return fmt.Errorf("row %q does not read back as a row", e.Path)
		}
		got, err := p.row(text)
		if err != nil {
			return fmt.Errorf("row %q does not read back: %w", e.Path, err)
		}
		if !sameRow(t, got, e) {
			return fmt.Errorf("row %q does not read back as written", e.Path)
		}
		if !first && strings.Compare(prev, got.Path) >= 0 {
			return fmt.Errorf("duplicate path %q", e.Path)
		}
		prev, first = e.Path, false
		return nil
	}
}

// sameRow says whether two rows of t say the same: path, size, mode where
// t has a mode column, and digests. Marshal and Write read back by it.
func sameRow(t *Table, x, y Entry) bool {
	return x.Path == y.Path && x.Size == y.Size && (!t.HasMode || x.Mode == y.Mode) && bytes.Equal(x.Sums, y.Sums)
}
