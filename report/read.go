package report

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

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
// reads it; a duplicate name is refused (the library's default), for
// readers differ in which of the two they take. Nesting needs no bound of
// its own: a value nested deeper than the wire types is refused where it
// starts, at the depth of the member that does not take it.
var readOptions = json.JoinOptions(
	jsontext.AllowInvalidUTF8(true),
)

// Validate checks that data is a report sverka can read: its version's
// document (docs/report.schema.json, or docs/report.v1.schema.json for
// version 1), held to the checks Read makes before it looks at the
// verdict. The error names where the document breaks it.
func Validate(data []byte) error {
	_, err := decode(bytes.NewReader(data))
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
func Read(r io.Reader) (*Report, error) {
	rep, err := decode(r)
	if err != nil {
		return nil, err
	}
	if err := consistent(rep); err != nil {
		return nil, err
	}
	return rep, nil
}

// decode reads and checks the document, and converts it to a Report.
func decode(r io.Reader) (*Report, error) {
	rd := &reader{fields: map[reflect.Type]*wireStruct{}}
	rd.opts = json.JoinOptions(readOptions, json.WithUnmarshalers(json.UnmarshalFromFunc(rd.unmarshal)))
	lr := &limitReader{r: r, left: MaxSize}
	dec := jsontext.NewDecoder(lr, rd.opts)
	var j jsonReport
	if err := json.UnmarshalDecode(dec, &j, rd.opts); err != nil {
		if lr.left < 0 {
			return nil, errTooLarge
		}
		return nil, rd.explain(err, &j)
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return nil, fmt.Errorf("report is not JSON: more after top-level value, at byte %d", dec.InputOffset())
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

// versionOf names the schema a document is held to: version 1 when it
// says so, else the current one.
func versionOf(j *jsonReport) string {
	if j.Schema == SchemaV1 {
		return SchemaV1
	}
	return Schema
}

// reader decodes the wire types strictly, with what it learnt of their
// fields.
type reader struct {
	opts   json.Options
	fields map[reflect.Type]*wireStruct
	table  int // index of the table whose items are being read
}

// wireStruct is a wire type's members by JSON name.
type wireStruct struct {
	byName   map[string]*wireField
	required []*wireField
}

type wireField struct {
	name     string
	index    []int
	required bool // no omitempty: the document must have it
}

// fieldsOf learns a wire type's members from its tags: embedded
// structs tagged inline lend theirs, and a member without omitempty is
// required.
func (rd *reader) fieldsOf(t reflect.Type) *wireStruct {
	if w, ok := rd.fields[t]; ok {
		return w
	}
	w := &wireStruct{byName: map[string]*wireField{}}
	var walk func(t reflect.Type, index []int)
	walk = func(t reflect.Type, index []int) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag, ok := f.Tag.Lookup("json")
			if !ok || tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			idx := append(index[:len(index):len(index)], i)
			if opts == "inline" {
				walk(f.Type, idx)
				continue
			}
			wf := &wireField{name: name, index: idx, required: !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero")}
			w.byName[name] = wf
			if wf.required {
				w.required = append(w.required, wf)
			}
		}
	}
	walk(t, nil)
	rd.fields[t] = w
	return w
}

// errNull is the error of a null: no member of a report may be null.
var errNull = errors.New("null where a value is required")

// unmarshal is called for every value the library decodes: it refuses a
// null, decodes an object into a wire struct member by member, so that a
// missing one is seen, and streams a table's items.
func (rd *reader) unmarshal(dec *jsontext.Decoder, v any) error {
	switch dec.PeekKind() {
	case 0: // not JSON: the decoder says why
		_, err := dec.ReadToken()
		return err
	case 'n':
		return errNull
	}
	switch v := v.(type) {
	case *[]jsonTable:
		return rd.tables(dec, v)
	case *itemList:
		return rd.items(dec, v)
	case *int:
		n, err := integer(dec, strconv.IntSize)
		*v = int(n)
		return err
	case *int64:
		n, err := integer(dec, 64)
		*v = n
		return err
	case *float64:
		return number(dec, v)
	}
	rv := reflect.ValueOf(v).Elem()
	if rv.Kind() != reflect.Struct {
		return errors.ErrUnsupported
	}
	if k := dec.PeekKind(); k != '{' {
		return fmt.Errorf("%s where an object is required", kindName(k))
	}
	w := rd.fieldsOf(rv.Type())
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	var seen []*wireField
	for dec.PeekKind() != '}' {
		tok, err := dec.ReadToken()
		if err != nil {
			return err
		}
		name := tok.String()
		f, ok := w.byName[name]
		if !ok {
			return &json.SemanticError{JSONPointer: dec.StackPointer(), Err: fmt.Errorf("unknown member %q", name)}
		}
		if f.required {
			seen = append(seen, f)
		}
		if err := json.UnmarshalDecode(dec, rv.FieldByIndex(f.index).Addr().Interface(), rd.opts); err != nil {
			return err
		}
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	if len(seen) < len(w.required) {
		for _, f := range w.required {
			if !containsField(seen, f) {
				return fmt.Errorf("member %q missing", f.name)
			}
		}
	}
	return nil
}

// Limits on numbers, far beyond any a report holds (sizes are int64, the
// duration a float64): a number written with a thousand digits is built
// to tire a reader, not to say anything.
const (
	maxNumberLen = 40
	maxExponent  = 400
)

// numberText reads a number and checks it is within the limits.
func numberText(dec *jsontext.Decoder) (string, error) {
	if k := dec.PeekKind(); k != '0' {
		return "", fmt.Errorf("%s where a number is required", kindName(k))
	}
	v, err := dec.ReadValue()
	if err != nil {
		return "", err
	}
	s := string(v)
	if len(s) > maxNumberLen {
		return "", fmt.Errorf("number too long: %.20s…", s)
	}
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		if e, err := strconv.Atoi(strings.TrimLeft(s[i+1:], "+")); err != nil || e > maxExponent || e < -maxExponent {
			return "", fmt.Errorf("number out of range: %s", s)
		}
	}
	return s, nil
}

// integer reads an integer as encoding/json does: written without
// fraction or exponent, and within bits.
func integer(dec *jsontext.Decoder, bits int) (int64, error) {
	s, err := numberText(dec)
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(s, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%s is not an integer of %d bits: out of range or not whole", s, bits)
	}
	return n, nil
}

func number(dec *jsontext.Decoder, v *float64) error {
	s, err := numberText(dec)
	if err != nil {
		return err
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("number out of range: %s", s)
	}
	*v = f
	return nil
}

func containsField(fs []*wireField, f *wireField) bool {
	for _, g := range fs {
		if g == f {
			return true
		}
	}
	return false
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
func (rd *reader) tables(dec *jsontext.Decoder, ts *[]jsonTable) error {
	if k := dec.PeekKind(); k != '[' {
		return fmt.Errorf("%s where an array is required", kindName(k))
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	*ts = []jsonTable{}
	for dec.PeekKind() != ']' {
		rd.table = len(*ts)
		var t jsonTable
		if err := json.UnmarshalDecode(dec, &t, rd.opts); err != nil {
			return err
		}
		*ts = append(*ts, t)
	}
	_, err := dec.ReadToken()
	return err
}

// items decodes a table's items one at a time, checks each, and keeps
// only the model's item.
func (rd *reader) items(dec *jsontext.Decoder, l *itemList) error {
	if k := dec.PeekKind(); k != '[' {
		return fmt.Errorf("%s where an array is required", kindName(k))
	}
	if _, err := dec.ReadToken(); err != nil {
		return err
	}
	*l = itemList{}
	for dec.PeekKind() != ']' {
		var j jsonItem
		if err := json.UnmarshalDecode(dec, &j, rd.opts); err != nil {
			return err
		}
		where := fmt.Sprintf("/tables/%d/items/%d", rd.table, len(*l))
		if err := checkItem(&j, where); err != nil {
			return &itemError{offset: dec.InputOffset(), err: err}
		}
		*l = append(*l, verify.Item{})
		if err := j.item(&(*l)[len(*l)-1], where); err != nil {
			return &itemError{offset: dec.InputOffset(), err: err}
		}
	}
	_, err := dec.ReadToken()
	return err
}

// itemError is an item the checks refuse, and the offset of its end.
type itemError struct {
	offset int64
	err    error
}

func (e *itemError) Error() string { return e.err.Error() }
func (e *itemError) Unwrap() error { return e.err }

// explain gives a decoding error its place in the document: the JSON
// pointer and byte offset the library tracked, in words a reader of the
// message can follow.
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
	var me *json.SemanticError
	if errors.As(err, &me) {
		why := "a value of the wrong type"
		if me.Err != nil {
			why = me.Err.Error()
		} else if me.JSONKind != 0 && me.GoType != nil {
			why = fmt.Sprintf("%s where %s is required", kindName(me.JSONKind), goKind(me.GoType))
		}
		return fmt.Errorf("report does not follow %s: at %s (byte %d): %s", version, pointer(me.JSONPointer), me.ByteOffset, why)
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

// goKind says what JSON a Go type of the wire types takes.
func goKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int64:
		return "an integer in range"
	case reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "an array"
	case reflect.Map, reflect.Struct, reflect.Pointer:
		return "an object"
	}
	return t.String()
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
