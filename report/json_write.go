package report

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/sverka/sverka/internal/hostinfo"
	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

// WriteJSON writes r as the indented JSON document of docs/report.md.
//
// The library encodes the head of the document and of each table. The
// items, nearly all of a large report, are appended one at a time by an
// itemWriter, which gives the bytes the library would give
// (TestWriteJSONAsLibrary) several times faster, and are flushed as they
// go: memory stays small whatever the report's size.
func WriteJSON(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 256<<10)
	if err := writeJSON(bw, r); err != nil {
		return fmt.Errorf("encoding report: %w", err)
	}
	return bw.Flush()
}

// checkHostNames refuses to write a report of version 2 that its reader
// would refuse for the host's names: none, or one that breaks the rules
// of hostinfo.CheckName.
func checkHostNames(r *Report) error {
	if !r.HasScope() {
		return nil
	}
	if err := hostinfo.CheckName("host id", r.Run.HostID); err != nil {
		return err
	}
	for i, g := range r.Run.Groups {
		if err := hostinfo.CheckName("group", g); err != nil {
			return err
		}
		if slices.Contains(r.Run.Groups[:i], g) {
			return fmt.Errorf("group %q given twice", g)
		}
	}
	return nil
}

// Indentation of the document's levels (writeOptions): a table is at
// level 2, its items at level 4.
const (
	tableIndent = "    "
	itemLevel   = 4
)

func writeJSON(bw *bufio.Writer, r *Report) error {
	if err := checkHostNames(r); err != nil {
		return err
	}
	head := headOf(r)
	b, err := json.Marshal(&head, writeOptions)
	if err != nil {
		return err
	}
	// The head is the document but its last member, the tables.
	b, ok := bytes.CutSuffix(b, []byte("\n}"))
	if !ok {
		return errors.New("the head of the document does not end its object")
	}
	bw.Write(b)
	bw.WriteString(",\n  " + memberName[jsonReport]("Tables") + ": ")
	if len(r.Result.Tables) == 0 {
		bw.WriteString("[]\n}\n")
		return nil
	}
	items := memberName[jsonTable]("Items")
	bw.WriteString("[")
	for ti := range r.Result.Tables {
		t := &r.Result.Tables[ti]
		if ti > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n" + tableIndent)
		th := tableHeadOf(t)
		b, err := json.Marshal(&th, writeOptions, jsontext.WithIndentPrefix(tableIndent))
		if err != nil {
			return err
		}
		b, ok := bytes.CutSuffix(b, []byte("\n"+tableIndent+"}"))
		if !ok {
			return errors.New("the head of a table does not end its object")
		}
		bw.Write(b)
		bw.WriteString(",\n" + tableIndent + "  " + items + ": ")
		if err := writeItems(bw, t); err != nil {
			return err
		}
		bw.WriteString("\n" + tableIndent + "}")
	}
	bw.WriteString("\n  ]\n}\n")
	return nil
}

// memberName is the quoted JSON name of a field of the wire type T, as
// its tag spells it.
func memberName[T any](field string) string {
	f, _ := reflect.TypeFor[T]().FieldByName(field)
	name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
	return strconv.Quote(name)
}

// itemWriter appends items in the bytes writeOptions give, member by
// member from their field table, without the library's encoder.
type itemWriter struct {
	types wireTypes
	j     jsonItem // one jsonItem serves every item
}

// itemChunk is how many items are appended at a time (some 600 KB).
const itemChunk = 1024

// writeItems writes a table's items as a JSON array at the items'
// level. The items are appended a chunk at a time, the chunks on every
// core and written in order: the same bytes, a large table's in a
// fraction of the time, and no more of them held than a few chunks.
func writeItems(bw *bufio.Writer, t *verify.Table) error {
	n := t.Len()
	if n == 0 {
		bw.WriteString("[]")
		return nil
	}
	bw.WriteString("[")
	chunks := (n + itemChunk - 1) / itemChunk
	if err := writeChunks(bw, t, chunks, min(runtime.GOMAXPROCS(0), chunks)); err != nil {
		return err
	}
	bw.Write(newline(nil, itemLevel-1))
	bw.WriteString("]")
	return nil
}

// writeChunks appends chunks on workers goroutines, chunk c on worker
// c % workers, and writes them in order. Each worker keeps at most one
// chunk waiting and recycles the buffers written.
func writeChunks(bw *bufio.Writer, t *verify.Table, chunks, workers int) error {
	type part struct {
		b   []byte
		err error
	}
	out := make([]chan part, workers)
	free := make([]chan []byte, workers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for k := range workers {
		out[k] = make(chan part, 1)
		free[k] = make(chan []byte, 3) // one appended, one waiting, one written
		wg.Go(func() {
			w := itemWriter{types: wireTypes{}}
			for c := k; c < chunks; c += workers {
				var b []byte
				select {
				case b = <-free[k]:
				default:
				}
				b, err := w.chunk(b[:0], t, c)
				select {
				case out[k] <- part{b, err}:
				case <-stop:
					return
				}
				if err != nil {
					return
				}
			}
		})
	}
	defer wg.Wait()
	defer close(stop)
	for c := range chunks {
		p := <-out[c%workers]
		if p.err != nil {
			return p.err
		}
		bw.Write(p.b)
		select {
		case free[c%workers] <- p.b:
		default:
		}
	}
	return nil
}

// chunk appends chunk c of t's items to b, each on a line of its own
// after the comma that parts it from the one before.
func (w *itemWriter) chunk(b []byte, t *verify.Table, c int) ([]byte, error) {
	jv := reflect.ValueOf(&w.j).Elem()
	for i := c * itemChunk; i < min((c+1)*itemChunk, t.Len()); i++ {
		it := t.At(i)
		itemOf(&it, &w.j)
		if i > 0 {
			b = append(b, ',')
		}
		b = newline(b, itemLevel)
		var err error
		if b, err = w.object(b, jv, itemLevel); err != nil {
			return b, fmt.Errorf("item %s: %w", safetext.Display(it.Name), err)
		}
	}
	return b, nil
}

// indents holds the spaces of the deepest line an item writes.
const indents = "                    "

// newline starts a line of the given level of indentation.
func newline(b []byte, level int) []byte {
	b = append(b, '\n')
	if 2*level <= len(indents) {
		return append(b, indents[:2*level]...)
	}
	for range level {
		b = append(b, "  "...)
	}
	return b
}

// object appends the wire struct v, an object at level.
func (w *itemWriter) object(b []byte, v reflect.Value, level int) ([]byte, error) {
	n := 0
	for _, f := range w.types.of(v.Type()).fields {
		var fv reflect.Value
		if len(f.index) == 1 {
			fv = v.Field(f.index[0])
		} else {
			fv = v.FieldByIndex(f.index)
		}
		if f.leftOut(fv) {
			continue
		}
		if n == 0 {
			b = append(b, '{')
		} else {
			b = append(b, ',')
		}
		n++
		b = newline(b, level+1)
		b = append(b, '"')
		b = append(b, f.name...)
		b = append(b, `": `...)
		var err error
		if b, err = w.value(b, f.kind, fv, level+1); err != nil {
			return b, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	if n == 0 {
		return append(b, "{}"...), nil
	}
	b = newline(b, level)
	return append(b, '}'), nil
}

// value appends a member's value of the given kind, at level.
func (w *itemWriter) value(b []byte, kind wireKind, v reflect.Value, level int) ([]byte, error) {
	switch kind {
	case wireString:
		return appendString(b, v.String())
	case wireBool:
		return strconv.AppendBool(b, v.Bool()), nil
	case wireInt:
		return strconv.AppendInt(b, v.Int(), 10), nil
	case wireIntPtr:
		if v.IsNil() {
			return append(b, "null"...), nil
		}
		return strconv.AppendInt(b, v.Elem().Int(), 10), nil
	case wireStrings:
		ss := v.Addr().Interface().(*[]string)
		return appendArray(b, len(*ss), level, func(b []byte, i int) ([]byte, error) { return appendString(b, (*ss)[i]) })
	case wireDigests:
		return appendArray(b, v.Len(), level, func(b []byte, i int) ([]byte, error) { return w.object(b, v.Index(i), level+1) })
	case wireArgs:
		p := v.Addr().Interface().(*map[string]string)
		if len(*p) == 0 {
			return append(b, "{}"...), nil
		}
		// Sorted by key, as json.Deterministic sorts them.
		keys := make([]string, 0, len(*p))
		for k := range *p {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = append(b, '{')
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = newline(b, level+1)
			var err error
			if b, err = appendString(b, k); err != nil {
				return b, err
			}
			b = append(b, ": "...)
			if b, err = appendString(b, (*p)[k]); err != nil {
				return b, err
			}
		}
		b = newline(b, level)
		return append(b, '}'), nil
	}
	return b, fmt.Errorf("no writing for %s", v.Type())
}

// appendArray appends an array of n elements at level.
func appendArray(b []byte, n, level int, elem func([]byte, int) ([]byte, error)) ([]byte, error) {
	if n == 0 {
		return append(b, "[]"...), nil
	}
	b = append(b, '[')
	for i := range n {
		if i > 0 {
			b = append(b, ',')
		}
		b = newline(b, level+1)
		var err error
		if b, err = elem(b, i); err != nil {
			return b, err
		}
	}
	b = newline(b, level)
	return append(b, ']'), nil
}

// appendString appends s quoted as writeOptions quote it: the minimal
// escaping, and U+2028 and U+2029 escaped for JavaScript's sake. Invalid
// UTF-8 is an error, as it is to the library's encoder.
func appendString(b []byte, s string) ([]byte, error) {
	for i := 0; i < len(s); {
		c := s[i]
		if plainASCII[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			return quoteSlow(b, s)
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError || r == '\u2028' || r == '\u2029' {
			return quoteSlow(b, s)
		}
		i += n
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}

// plainASCII are the bytes a JSON string holds as they are: ASCII but
// the control characters, the quote and the backslash. (A table, since
// digests and names are most of a report's bytes.)
var plainASCII = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func quoteSlow(b []byte, s string) ([]byte, error) {
	start := len(b)
	b, err := jsontext.AppendQuote(b, s)
	if err != nil {
		return b, err
	}
	q := b[start:]
	if bytes.Contains(q, []byte("\u2028")) || bytes.Contains(q, []byte("\u2029")) {
		q = bytes.ReplaceAll(q, []byte("\u2028"), []byte(`\u2028`))
		q = bytes.ReplaceAll(q, []byte("\u2029"), []byte(`\u2029`))
		b = append(b[:start], q...)
	}
	return b, nil
}
