package report

import (
	"bytes"
	"math/bits"
	"reflect"
	"strings"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/sverka/sverka/verify"
)

// The reader, and the writer of items, learn the members of the wire
// types from their tags, so that the tags stay the one place a member is
// spelt.

// wireTypes are the wire types met so far, by Go type.
type wireTypes map[reflect.Type]*wireStruct

// wireStruct is a wire type's members by JSON name.
type wireStruct struct {
	byName   map[string]*wireField
	fields   []*wireField // in declaration order
	required uint64       // the bits of the required members
	// first is the member a reader found first in the object it read
	// last (see wireField.next).
	first *wireField
}

type wireField struct {
	name     string
	index    []int
	kind     wireKind
	omit     omit
	required bool   // neither omitempty nor omitzero: the document must have it
	bit      uint64 // its bit in a set of members seen, if required
	// once is its bit in the set of the members an object gave (a wire
	// type has at most 64; a test holds them to it): one given twice is
	// refused.
	once uint64
	// next is the member a reader found after this one last time: the
	// objects of a list are mostly written in one order, so the name
	// read next is compared with next's before it is looked up.
	next *wireField
}

// wireKind is how the writer of items appends a member's value, told
// from its Go type once rather than for every value. The types are the
// items' own: any other is refused, not written as its kind would be
// (a type of its own may marshal otherwise).
type wireKind uint8

const (
	wireOther   wireKind = iota // none: the writer refuses it
	wireString                  // string or verify.Status
	wireBool                    // bool
	wireInt                     // int or int64
	wireIntPtr                  // *int64: null or a number
	wireStrings                 // []string
	wireDigests                 // []jsonDigest
	wireArgs                    // map[string]string, sorted by key
)

func wireKindOf(t reflect.Type) wireKind {
	switch t {
	case reflect.TypeFor[string](), reflect.TypeFor[verify.Status]():
		return wireString
	case reflect.TypeFor[bool]():
		return wireBool
	case reflect.TypeFor[int](), reflect.TypeFor[int64]():
		return wireInt
	case reflect.TypeFor[*int64]():
		return wireIntPtr
	case reflect.TypeFor[[]string]():
		return wireStrings
	case reflect.TypeFor[[]jsonDigest]():
		return wireDigests
	case reflect.TypeFor[map[string]string]():
		return wireArgs
	}
	return wireOther
}

// omit says when a member is left out of the document.
type omit int

const (
	omitNever omit = iota
	omitEmpty      // omitempty: when it would be "", [], {} or null
	omitZero       // omitzero: when it is its type's zero value
)

// leftOut reports whether the member f, of value v, is not written.
func (f *wireField) leftOut(v reflect.Value) bool {
	switch f.omit {
	case omitZero:
		return v.IsZero()
	case omitEmpty:
		switch v.Kind() {
		case reflect.String, reflect.Slice, reflect.Map:
			return v.Len() == 0
		case reflect.Pointer, reflect.Interface:
			return v.IsNil()
		}
	}
	return false
}

// of learns a wire type's members from its tags: embedded structs
// tagged inline lend theirs.
func (ts wireTypes) of(t reflect.Type) *wireStruct {
	if w, ok := ts[t]; ok {
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
			wf := &wireField{name: name, index: idx, kind: wireKindOf(f.Type), once: 1 << len(w.fields)}
			switch {
			case strings.Contains(opts, "omitempty"):
				wf.omit = omitEmpty
			case strings.Contains(opts, "omitzero"):
				wf.omit = omitZero
			default:
				wf.required = true
				wf.bit = 1 << bits.OnesCount64(w.required)
				w.required |= wf.bit
			}
			w.byName[name] = wf
			w.fields = append(w.fields, wf)
		}
	}
	walk(t, nil)
	ts[t] = w
	return w
}

// lookupAfter is lookup for the member read after prev (nil: the first
// of an object), trying first the member that followed prev last time,
// and learning which did.
func (w *wireStruct) lookupAfter(prev *wireField, raw jsontext.Value, buf *[]byte) (*wireField, string) {
	guess := &w.first
	if prev != nil {
		guess = &prev.next
	}
	// A quoted name with no escape is raw's inside; one with an escape
	// never equals a member's name, which holds none.
	if g := *guess; g != nil && len(raw) == len(g.name)+2 && string(raw[1:len(raw)-1]) == g.name {
		return g, ""
	}
	f, name := w.lookup(raw, buf)
	if f != nil {
		*guess = f
	}
	return f, name
}

// lookup finds the member a quoted name read from the document names;
// nil and the name when there is none. (Invalid UTF-8 in a name names
// no member, whether it is replaced or not.)
func (w *wireStruct) lookup(raw jsontext.Value, buf *[]byte) (*wireField, string) {
	name := raw[1 : len(raw)-1]
	if bytes.IndexByte(name, '\\') >= 0 {
		*buf, _ = jsontext.AppendUnquote((*buf)[:0], raw)
		name = *buf
	}
	if f, ok := w.byName[string(name)]; ok {
		return f, ""
	}
	*buf, _ = jsontext.AppendUnquote((*buf)[:0], raw)
	return nil, string(*buf)
}
