package report

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/sverka/sverka/verify"
)

// A saved report is the attacker's ground until its signature is checked,
// and often it is not. Reading one refuses what the report schema
// (docs/report.schema.json) refuses: a member the wire types do not have,
// a member they require missing, a null or a value of the wrong type, and
// (readCheck) a value outside its enum or pattern, a display form that
// disagrees with its raw bytes, a message whose arguments do not fit its
// code. It refuses more than the schema where two readers could see two
// documents: a name given twice in an object, and nesting deeper than any
// report. The items are decoded one at a time from a stream: nothing of
// the document is held but what is decoded from it.

// MaxSize is the largest report sverka reads: ten times a report of a
// million items, far beyond any kit, and still within memory.
const MaxSize int64 = 4 << 30

// readOptions: invalid UTF-8 in a string becomes U+FFFD, as encoding/json
// reads it; a duplicate name is refused (errTwice), for readers differ in
// which of the two they take. Nesting needs no bound of its own: a value
// nested deeper than the wire types is refused where it starts, at the
// depth of the member that does not take it.
var readOptions = json.JoinOptions(jsontext.AllowInvalidUTF8(true), jsontext.AllowDuplicateNames(true))

// Validate checks that data is a report sverka can read: its version's
// document (docs/report.schema.json, or docs/report.v1.schema.json for
// version 1), held to the checks Read makes before it looks at the
// verdict. The error names where the document breaks it.
func Validate(data []byte) error {
	_, err := decode(bytes.NewReader(data), int64(len(data)))
	return err
}

// ReadJSON reads a report from data as Read does.
func ReadJSON(data []byte) (*Report, error) {
	return Read(bytes.NewReader(data))
}

// Read decodes a report from r, item by item, checks that it follows the
// report schema of its version, and that its verdict, reasons, counts and
// failure flags are those its items, scope and dates give. A report that
// breaks the schema is refused naming where (its JSON pointer and byte
// offset); so is one that disagrees with itself, with the disagreement
// named.
func Read(r io.Reader) (*Report, error) { return ReadSized(r, sizeOf(r)) }

// ReadSized is Read of a document of size bytes (-1: not known), for a
// reader that cannot tell, such as a file read through a digest or a
// signature check. The size is only a hint: the items of a million-item
// table are kept in room made once for them rather than grown and
// copied, which at that size costs a third more memory.
func ReadSized(r io.Reader, size int64) (*Report, error) {
	rep, err := decode(r, size)
	if err != nil {
		return nil, err
	}
	if err := consistent(rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// decode reads and checks the document, and converts it to a Report.
func decode(r io.Reader, size int64) (*Report, error) {
	lr := &limitReader{r: r, left: MaxSize}
	rd := &reader{
		// The decoder reads 4 KiB at a time: from a file, that is a
		// system call for every few items.
		dec:    jsontext.NewDecoder(bufio.NewReaderSize(lr, 64<<10), readOptions),
		fields: wireTypes{},
		size:   size,
		algs:   map[string]string{},
	}
	var j jsonReport
	if err := rd.value(reflect.ValueOf(&j).Elem()); err != nil {
		if lr.left < 0 {
			return nil, errTooLarge
		}
		return nil, rd.explain(err, &j)
	}
	if _, err := rd.dec.ReadToken(); err != io.EOF {
		if lr.left < 0 {
			return nil, errTooLarge
		}
		return nil, fmt.Errorf("report is not JSON: more after top-level value, at byte %d", rd.dec.InputOffset())
	}
	if err := checkHead(&j); err != nil {
		return nil, fmt.Errorf("report does not follow %s: %w", versionOf(&j), err)
	}
	rep, err := j.report()
	if err != nil {
		return nil, fmt.Errorf("report does not follow %s: %w", versionOf(&j), err)
	}
	return rep, nil
}

var errTooLarge = fmt.Errorf("report is larger than %d GiB, far beyond any check", MaxSize>>30)

// limitReader reads at most left bytes of r, and says when r held more.
type limitReader struct {
	r    io.Reader
	left int64
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.left < 0 {
		return 0, errTooLarge
	}
	if int64(len(p)) > l.left+1 {
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return 0, errTooLarge
	}
	return n, err
}

// sizeOf is the number of bytes r holds when it can say so cheaply (a
// buffer, a regular file), else -1.
func sizeOf(r io.Reader) int64 {
	switch r := r.(type) {
	case interface{ Len() int }: // bytes.Reader, bytes.Buffer, strings.Reader
		return int64(r.Len())
	case *os.File:
		if fi, err := r.Stat(); err == nil && fi.Mode().IsRegular() {
			if off, err := r.Seek(0, io.SeekCurrent); err == nil {
				return fi.Size() - off
			}
		}
	}
	return -1
}

// versionOf names the schema a document is held to: version 1 when it
// says so, else the current one.
func versionOf(j *jsonReport) string {
	if j.Schema == SchemaV1 {
		return SchemaV1
	}
	return Schema
}

// reader decodes the wire types strictly, straight from the tokens of
// the document: the members of each wire type are learnt once from its
// tags, and each member's value is decoded by its Go type, so that
// nothing is decoded twice and no value goes through the library's
// generic unmarshaling.
type reader struct {
	dec    *jsontext.Decoder
	fields wireTypes
	size   int64      // bytes of the document, -1 when unknown
	table  int        // index of the table whose items are being read
	cur    *jsonTable // that table
	buf    []byte
	// algs holds the algorithm names read so far, so that a million
	// items share a few strings; maxAlgs bounds it against a document
	// that names a new one in every item.
	algs map[string]string
	// unfilled is the room made for items, on the counts' word, that no
	// item has taken yet: a document's bytes vouch for so many items
	// once, not once per table.
	unfilled int
}

const maxAlgs = 64

// errNull is the error of a null: no member of a report may be null.
var errNull = errors.New("null where a value is required")

// errTwice is the error of a member given twice in an object: which of
// the two another reader takes cannot be told. The reader checks this
// itself, by the members' bits, rather than have the decoder keep every
// object's names: that was a tenth of a large report's reading.
var errTwice = errors.New("a name given twice")

// posError is an error at a place in the document.
type posError struct {
	pointer jsontext.Pointer
	offset  int64
	err     error
}

func (e *posError) Error() string { return e.err.Error() }
func (e *posError) Unwrap() error { return e.err }

// atNext places err at the value about to be read: its pointer and the
// offset where it starts.
func (rd *reader) atNext(err error) error {
	p := rd.dec.StackPointer()
	if k, n := rd.dec.StackIndex(rd.dec.StackDepth()); k == '[' {
		// The pointer names the element read last; the next one is n.
		if n > 0 {
			p = p[:strings.LastIndexByte(string(p), '/')]
		}
		p += jsontext.Pointer("/" + strconv.FormatInt(n, 10))
	}
	off := rd.dec.InputOffset()
	for _, c := range rd.dec.UnreadBuffer() {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ':' && c != ',' {
			break
		}
		off++
	}
	return &posError{pointer: p, offset: off, err: err}
}

// atLast places err at the value read last, which started at offset.
func (rd *reader) atLast(offset int64, err error) error {
	return &posError{pointer: rd.dec.StackPointer(), offset: offset, err: err}
}

// want refuses the next value unless it is of kind k.
func (rd *reader) want(k jsontext.Kind, what string) error {
	switch got := rd.dec.PeekKind(); got {
	case k:
		return nil
	case 0: // not JSON: the decoder says why
		_, err := rd.dec.ReadToken()
		return err
	case 'n':
		return rd.atNext(errNull)
	default:
		return rd.atNext(fmt.Errorf("%s where %s is required", kindName(got), what))
	}
}

// value decodes the next value into v, a wire type or one of its
// members, refusing a null.
func (rd *reader) value(v reflect.Value) error {
	switch p := v.Addr().Interface().(type) {
	case *string:
		return rd.str(p)
	case *verify.Status:
		return rd.status(p)
	case *bool:
		return rd.boolean(p)
	case *int:
		n, err := rd.integer(strconv.IntSize)
		*p = int(n)
		return err
	case *int64:
		n, err := rd.integer(64)
		*p = n
		return err
	case **int64:
		n, err := rd.integer(64)
		*p = &n
		return err
	case *float64:
		return rd.number(p)
	case *[]string:
		return rd.strings(p)
	case *map[string]string:
		return rd.stringMap(p)
	case *jsonCounts:
		return rd.counts(p)
	case *[]jsonDigest:
		return rd.digests(p, nil)
	case *[]jsonTable:
		return rd.tables(p)
	case *itemList:
		return rd.items(p)
	}
	switch v.Kind() {
	case reflect.Struct:
		return rd.object(v)
	case reflect.Pointer:
		if err := rd.want('{', "an object"); err != nil {
			return err
		}
		e := reflect.New(v.Type().Elem())
		v.Set(e)
		return rd.object(e.Elem())
	case reflect.Slice:
		return rd.slice(v)
	}
	return fmt.Errorf("reading %s: not a wire type", v.Type())
}

// object decodes a JSON object into the wire struct v, member by
// member, and refuses an unknown member or a missing required one.
func (rd *reader) object(v reflect.Value) error {
	return rd.wire(rd.fields.of(v.Type()), func(f *wireField) error {
		return rd.value(v.FieldByIndex(f.index))
	})
}

// wire reads a JSON object of the wire type w's members, calling set to
// decode each member's value, and refuses an unknown member or a missing
// required one.
func (rd *reader) wire(w *wireStruct, set func(f *wireField) error) error {
	if err := rd.want('{', "an object"); err != nil {
		return err
	}
	if _, err := rd.dec.ReadToken(); err != nil {
		return err
	}
	start := rd.dec.InputOffset() - 1
	var seen, given uint64
	var f *wireField
	for rd.dec.PeekKind() != '}' {
		raw, err := rd.dec.ReadValue()
		if err != nil {
			return err
		}
		var name string
		if f, name = w.lookupAfter(f, raw, &rd.buf); f == nil {
			return rd.atLast(rd.dec.InputOffset()-int64(len(raw)), fmt.Errorf("unknown member %q", name))
		}
		if given&f.once != 0 {
			return rd.atLast(rd.dec.InputOffset()-int64(len(raw)), errTwice)
		}
		seen, given = seen|f.bit, given|f.once
		if err := set(f); err != nil {
			return err
		}
	}
	if _, err := rd.dec.ReadToken(); err != nil {
		return err
	}
	if seen&w.required != w.required {
		for _, f := range w.fields {
			if f.required && seen&f.bit == 0 {
				return rd.atLast(start, fmt.Errorf("member %q missing", f.name))
			}
		}
	}
	return nil
}

// text is the string a quoted JSON string read from the document holds;
// invalid UTF-8 becomes U+FFFD, as encoding/json reads it.
func (rd *reader) text(raw jsontext.Value) []byte {
	s := raw[1 : len(raw)-1]
	if bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s) {
		return s
	}
	// The decoder has checked the string; the one error left to say is
	// the invalid UTF-8 it replaced.
	rd.buf, _ = jsontext.AppendUnquote(rd.buf[:0], raw)
	return rd.buf
}

// scalar reads the next value, which must be of kind k (a string, a
// number or a boolean: 't' stands for both), and says where it starts.
// The value is read before its kind is looked at, so that one that is
// not JSON is refused as such wherever it lies.
func (rd *reader) scalar(k jsontext.Kind, what string) (jsontext.Value, int64, error) {
	raw, err := rd.dec.ReadValue()
	if err != nil {
		return nil, 0, err
	}
	off := rd.dec.InputOffset() - int64(len(raw))
	switch got := raw.Kind(); {
	case got == k, k == 't' && got == 'f':
		return raw, off, nil
	case got == 'n':
		return nil, off, rd.atLast(off, errNull)
	default:
		return nil, off, rd.atLast(off, fmt.Errorf("%s where %s is required", kindName(got), what))
	}
}

func (rd *reader) rawString() ([]byte, error) {
	raw, _, err := rd.scalar('"', "a string")
	if err != nil {
		return nil, err
	}
	return rd.text(raw), nil
}

func (rd *reader) str(p *string) error {
	s, err := rd.rawString()
	*p = string(s)
	return err
}

// status reads a status, sharing the string of a known one.
func (rd *reader) status(p *verify.Status) error {
	s, err := rd.rawString()
	if err != nil {
		return err
	}
	for _, st := range verify.Statuses {
		if string(st) == string(s) {
			*p = st
			return nil
		}
	}
	*p = verify.Status(s)
	return nil
}

func (rd *reader) boolean(p *bool) error {
	raw, _, err := rd.scalar('t', "a boolean")
	*p = err == nil && raw.Kind() == 't'
	return err
}

// array reads an array, calling elem for each element.
func (rd *reader) array(elem func() error) error {
	if err := rd.want('[', "an array"); err != nil {
		return err
	}
	if _, err := rd.dec.ReadToken(); err != nil {
		return err
	}
	for rd.dec.PeekKind() != ']' {
		if err := elem(); err != nil {
			return err
		}
	}
	_, err := rd.dec.ReadToken()
	return err
}

func (rd *reader) strings(p *[]string) error {
	*p = []string{}
	return rd.array(func() error {
		var s string
		err := rd.str(&s)
		*p = append(*p, s)
		return err
	})
}

// slice reads an array of wire structs.
func (rd *reader) slice(v reflect.Value) error {
	v.Set(reflect.MakeSlice(v.Type(), 0, 0))
	return rd.array(func() error {
		v.Set(reflect.Append(v, reflect.Zero(v.Type().Elem())))
		return rd.value(v.Index(v.Len() - 1))
	})
}

// object reads an object whose members are values of one type, calling
// member for each.
func (rd *reader) members(member func(name []byte) error) error {
	if err := rd.want('{', "an object"); err != nil {
		return err
	}
	if _, err := rd.dec.ReadToken(); err != nil {
		return err
	}
	var given map[string]bool
	for rd.dec.PeekKind() != '}' {
		raw, err := rd.dec.ReadValue()
		if err != nil {
			return err
		}
		name := rd.text(raw)
		if given == nil {
			given = map[string]bool{}
		}
		if given[string(name)] {
			return rd.atLast(rd.dec.InputOffset()-int64(len(raw)), errTwice)
		}
		given[string(name)] = true
		if err := member(name); err != nil {
			return err
		}
	}
	_, err := rd.dec.ReadToken()
	return err
}

func (rd *reader) stringMap(p *map[string]string) error {
	*p = map[string]string{}
	return rd.members(func(name []byte) error {
		k := string(name)
		var v string
		err := rd.str(&v)
		(*p)[k] = v
		return err
	})
}

func (rd *reader) counts(p *jsonCounts) error {
	*p = jsonCounts{}
	return rd.members(func(name []byte) error {
		var s verify.Status
		for _, st := range verify.Statuses {
			if string(st) == string(name) {
				s = st
			}
		}
		if s == "" {
			s = verify.Status(name)
		}
		n, err := rd.integer(strconv.IntSize)
		(*p)[s] = int(n)
		return err
	})
}

// digests reads a list of digests into *p, reusing its room: the
// model's lists are made when the item is converted. A report holds two
// for each item, so they are read without reflection, and an algorithm's
// name already met is shared, not made again, as is the text of a digest
// equal to the one at its place in like.
func (rd *reader) digests(p *[]jsonDigest, like []jsonDigest) error {
	*p = (*p)[:0]
	w := rd.fields.of(reflect.TypeFor[jsonDigest]())
	return rd.array(func() error {
		*p = append(*p, jsonDigest{})
		d := &(*p)[len(*p)-1]
		return rd.wire(w, func(f *wireField) error {
			switch f.index[0] {
			case 0: // Alg
				s, err := rd.rawString()
				if a, ok := rd.algs[string(s)]; ok {
					d.Alg = a
				} else {
					d.Alg = string(s)
					if len(rd.algs) < maxAlgs {
						rd.algs[d.Alg] = d.Alg
					}
				}
				return err
			case 1: // Hex
				s, err := rd.rawString()
				if k := len(*p) - 1; k < len(like) && like[k].Hex == string(s) {
					d.Hex = like[k].Hex
				} else {
					d.Hex = string(s)
				}
				return err
			}
			return rd.value(reflect.ValueOf(d).Elem().FieldByIndex(f.index))
		})
	})
}

// Limits on numbers, far beyond any a report holds (sizes are int64, the
// duration a float64): a number written with a thousand digits is built
// to tire a reader, not to say anything.
const (
	maxNumberLen = 40
	maxExponent  = 400
)

// numberText reads a number and checks it is within the limits; the
// offset is where it starts. The text is the decoder's, valid until the
// next read.
func (rd *reader) numberText() ([]byte, int64, error) {
	v, off, err := rd.scalar('0', "a number")
	if err != nil {
		return nil, 0, err
	}
	return v, off, rd.numberLimits(v, off)
}

// numberLimits refuses the number v, read at off, if it is beyond the
// limits.
func (rd *reader) numberLimits(v []byte, off int64) error {
	if len(v) > maxNumberLen {
		return rd.atLast(off, fmt.Errorf("number too long: %.20s…", v))
	}
	if i := bytes.IndexAny(v, "eE"); i >= 0 {
		if e, err := strconv.Atoi(strings.TrimLeft(string(v[i+1:]), "+")); err != nil || e > maxExponent || e < -maxExponent {
			return rd.atLast(off, fmt.Errorf("number out of range: %s", v))
		}
	}
	return nil
}

// integer reads an integer as encoding/json does: written without
// fraction or exponent, and within bits.
func (rd *reader) integer(bits int) (int64, error) {
	v, off, err := rd.scalar('0', "a number")
	if err != nil {
		return 0, err
	}
	if n, ok := smallInt(v); ok { // nine digits at most: within every limit
		return n, nil
	}
	if err := rd.numberLimits(v, off); err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(string(v), 10, bits)
	if err != nil {
		return 0, rd.atLast(off, fmt.Errorf("%s is not an integer of %d bits: out of range or not whole", v, bits))
	}
	return n, nil
}

// smallInt parses the common case, an integer of at most nine digits,
// without making a string of it; the decoder has checked its syntax.
func smallInt(v []byte) (int64, bool) {
	neg := len(v) > 0 && v[0] == '-'
	if neg {
		v = v[1:]
	}
	if len(v) == 0 || len(v) > 9 {
		return 0, false
	}
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

func (rd *reader) number(v *float64) error {
	s, off, err := rd.numberText()
	if err != nil {
		return err
	}
	f, err := strconv.ParseFloat(string(s), 64)
	if err != nil {
		return rd.atLast(off, fmt.Errorf("number out of range: %s", s))
	}
	*v = f
	return nil
}

// kindName names a JSON kind in an error.
func kindName(k jsontext.Kind) string {
	switch k {
	case '"':
		return "a string"
	case '0':
		return "a number"
	case 't', 'f':
		return "a boolean"
	case '[':
		return "an array"
	case '{':
		return "an object"
	}
	return "null"
}

// tables reads the tables, numbering them for their items' errors.
func (rd *reader) tables(ts *[]jsonTable) error {
	*ts = []jsonTable{}
	return rd.array(func() error {
		rd.table = len(*ts)
		*ts = append(*ts, jsonTable{})
		rd.cur = &(*ts)[rd.table]
		return rd.object(reflect.ValueOf(rd.cur).Elem())
	})
}

// Items are read into a slice made once when the table's counts, read
// before them, say how many there are: growing it item by item copies
// a large table several times over. The counts are believed only as far
// as the document's bytes can hold that many items (minItemLen each),
// so that a lie costs no more than the truth of the same size would.
// When the size of the document is not known (a stream), or the counts
// come after the items, they are gathered in chunks and copied once.
const minItemLen = len(`{"name":"x","status":"OK","failure":false},`)

// items decodes a table's items one at a time, checks each, and keeps
// only the model's item.
func (rd *reader) items(l *itemList) error {
	if err := rd.want('[', "an array"); err != nil {
		return err
	}
	var cols []string
	if rd.cur != nil {
		cols = rd.cur.Columns // the head comes first where sverka wrote it
	}
	rows := verify.NewRowsBuilder(cols)
	var all itemChunks
	hint := 0
	if rd.size >= 0 && rd.cur != nil {
		room := int((rd.size-rd.dec.InputOffset())/int64(minItemLen)) - rd.unfilled
		for _, c := range rd.cur.Counts {
			hint += max(0, min(c, room-hint))
		}
		if rows != nil {
			rows.Grow(hint)
		} else {
			all.last = make([]verify.Item, 0, hint)
		}
		rd.unfilled += hint
	}
	// The items are checked and made into the model's on another core
	// while the next are read, a batch at a time (a sixth of the work on
	// a large table). Each batch's jsonItems, their lists of digests
	// reused, go back and forth; the first item refused, in the order of
	// the document, ends the read whether the reader has gone past it or
	// not.
	conv := &itemConverter{rows: rows, all: &all, table: rd.table,
		todo: make(chan *itemBatch, itemBatches), free: make(chan *itemBatch, itemBatches), done: make(chan struct{})}
	for range itemBatches {
		conv.free <- &itemBatch{}
	}
	go conv.run()
	b := <-conv.free
	w := rd.fields.of(reflect.TypeFor[jsonItem]())
	n := 0
	err := rd.array(func() error {
		if len(b.items) == cap(b.items) && len(b.items) > 0 {
			conv.todo <- b
			if b = <-conv.free; b == nil {
				return errConverted // the converter refused an item
			}
			b.items, b.ends = b.items[:0], b.ends[:0]
		}
		if len(b.items) == 0 {
			b.first = n
		}
		if cap(b.items) == 0 {
			b.items, b.ends = make([]jsonItem, 0, itemBatch1), make([]int64, 0, itemBatch1)
		}
		b.items = b.items[:len(b.items)+1]
		j := &b.items[len(b.items)-1]
		*j = jsonItem{Expected: j.Expected[:0], Actual: j.Actual[:0]}
		if err := rd.item(w, j, reflect.ValueOf(j).Elem()); err != nil {
			b.items = b.items[:len(b.items)-1]
			return err
		}
		b.ends = append(b.ends, rd.dec.InputOffset())
		n++
		return nil
	})
	// The items read before an error are checked too: one of them may
	// be refused, and it comes first.
	if b != nil && len(b.items) > 0 {
		conv.todo <- b
	}
	close(conv.todo)
	<-conv.done
	if conv.err != nil {
		err = conv.err // it comes first in the document
	}
	rd.unfilled -= min(conv.n, hint)
	if rows != nil {
		rows.Trim()
		*l = itemList{rows: rows}
	} else {
		*l = itemList{items: all.list()}
	}
	return err
}

// The batches of items the converter takes at once, and how many are
// in flight.
const (
	itemBatch1  = 256
	itemBatches = 3
)

// itemBatch is a run of items read, from the table's item first, with
// the offset of each one's end.
type itemBatch struct {
	items []jsonItem
	ends  []int64
	first int
}

// itemConverter checks the items read and makes them the model's.
type itemConverter struct {
	rows  *verify.RowsBuilder // nil: the items are kept in all
	all   *itemChunks
	table int
	todo  chan *itemBatch
	free  chan *itemBatch // a nil batch once an item is refused
	done  chan struct{}
	// Set before done is closed: the first error, and the items taken.
	err error
	n   int
}

// errConverted stops the reading of items once the converter has
// refused one; its error is the one returned.
var errConverted = errors.New("an item was refused")

func (c *itemConverter) run() {
	defer close(c.done)
	for b := range c.todo {
		if c.err == nil {
			c.err = c.batch(b)
		}
		if c.err != nil {
			c.free <- nil // the reader stops at its next batch
			continue      // and closes todo
		}
		c.free <- b
	}
}

func (c *itemConverter) batch(b *itemBatch) error {
	for k := range b.items {
		j := &b.items[k]
		where := itemWhere{c.table, b.first + k}
		if err := checkItem(j, where); err != nil {
			return &itemError{offset: b.ends[k], err: err}
		}
		var it verify.Item
		if err := j.item(&it, where); err != nil {
			return &itemError{offset: b.ends[k], err: err}
		}
		c.n++
		if c.rows != nil {
			c.rows.Add(it)
		} else {
			*c.all.next() = it
		}
	}
	return nil
}

// item reads one item into j (jv), of the wire type w. The members every
// item has are read without reflection: a large table has a hundred
// thousand items or more.
func (rd *reader) item(w *wireStruct, j *jsonItem, jv reflect.Value) error {
	return rd.wire(w, func(f *wireField) error {
		var err error
		switch f.name {
		case "name":
			err = rd.str(&j.Name)
		case "line":
			var n int64
			n, err = rd.integer(strconv.IntSize)
			j.Line = int(n)
		case "status":
			err = rd.status(&j.Status)
		case "failure":
			err = rd.boolean(&j.Failure)
		case "size":
			j.Size, err = rd.integer(64)
		case "actual_size":
			var n int64
			n, err = rd.integer(64)
			j.ActualSize = &n
		case "expected":
			err = rd.digests(&j.Expected, nil)
		case "actual":
			// An OK item's digests are those it expected: their text is
			// shared, not made again.
			err = rd.digests(&j.Actual, j.Expected)
		default:
			err = rd.value(jv.FieldByIndex(f.index))
		}
		return err
	})
}

// itemChunks gathers items in chunks, so that none is copied more than
// once whatever their number.
type itemChunks struct {
	full [][]verify.Item
	last []verify.Item
	n    int
}

// maxChunk bounds a chunk (some 5 MB of items).
const maxChunk = 1 << 14

// next gives room for one more item.
func (c *itemChunks) next() *verify.Item {
	if len(c.last) == cap(c.last) {
		if c.last != nil {
			c.full = append(c.full, c.last)
		}
		c.last = make([]verify.Item, 0, min(max(2*cap(c.last), 64), maxChunk))
	}
	c.last = c.last[:len(c.last)+1]
	c.n++
	return &c.last[len(c.last)-1]
}

// list is the items gathered, in one slice; never nil. Room the counts
// asked for and no item took is not kept.
func (c *itemChunks) list() []verify.Item {
	if len(c.full) == 0 {
		if len(c.last) < cap(c.last)/2+1 {
			return append([]verify.Item{}, c.last...)
		}
		return c.last
	}
	out := make([]verify.Item, 0, c.n)
	for i, ch := range c.full {
		out = append(out, ch...)
		c.full[i] = nil // free as soon as copied
	}
	return append(out, c.last...)
}

// itemError is an item the checks refuse, and the offset of its end.
type itemError struct {
	offset int64
	err    error
}

func (e *itemError) Error() string { return e.err.Error() }
func (e *itemError) Unwrap() error { return e.err }

// explain gives a decoding error its place in the document: the JSON
// pointer and byte offset, in words a reader of the message can follow.
func (rd *reader) explain(err error, j *jsonReport) error {
	version := versionOf(j)
	var ie *itemError
	if errors.As(err, &ie) {
		return fmt.Errorf("report does not follow %s: %w (item ending at byte %d)", version, ie.err, ie.offset)
	}
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		if errors.Is(se.Err, jsontext.ErrDuplicateName) {
			return fmt.Errorf("report does not follow %s: at %s (byte %d): a name given twice", version, pointer(se.JSONPointer), se.ByteOffset)
		}
		return fmt.Errorf("report is not JSON: %v at byte %d", se.Err, se.ByteOffset)
	}
	var pe *posError
	if errors.As(err, &pe) {
		return fmt.Errorf("report does not follow %s: at %s (byte %d): %v", version, pointer(pe.pointer), pe.offset, pe.err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errors.New("report is not JSON: it ends early")
	}
	return fmt.Errorf("reading report: %w", err)
}

// pointer writes a JSON pointer, "/" for the document itself.
func pointer(p jsontext.Pointer) string {
	if p == "" {
		return "/"
	}
	return string(p)
}

// base64Of reports whether s is standard padded base64 of at least one
// byte, as the schema's pattern says.
func base64Of(s string) bool {
	if len(s) < 4 || len(s)%4 != 0 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
		case c == '=' && (i == len(s)-1 || i == len(s)-2 && s[len(s)-1] == '='):
		default:
			return false
		}
	}
	return true
}

// digits reports whether s is one or more decimal digits.
func digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
