package report

import (
	"bytes"
	"math/bits"
	"reflect"
	"strings"

	"github.com/go-json-experiment/json/jsontext"
)

// The reader learns the members of the wire types from their tags, so
// that the tags stay the one place a member is spelt.

// wireTypes are the wire types met so far, by Go type.
type wireTypes map[reflect.Type]*wireStruct

// wireStruct is a wire type's members by JSON name.
type wireStruct struct {
	byName   map[string]*wireField
	fields   []*wireField // in declaration order
	required uint64       // the bits of the required members
}

type wireField struct {
	name     string
	index    []int
	required bool   // neither omitempty nor omitzero: the document must have it
	bit      uint64 // its bit in a set of members seen, if required
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
			wf := &wireField{name: name, index: idx}
			if !strings.Contains(opts, "omitempty") && !strings.Contains(opts, "omitzero") {
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
