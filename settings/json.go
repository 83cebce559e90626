package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// maxDepth bounds the nesting of JSON and XML documents: settings are
// shallow, and a bound keeps hostile input from costing time and memory
// quadratic in its depth.
const maxDepth = 256

// jsonSource holds a parsed JSON document by pointer. Containers keep the
// byte range of their raw JSON and compact it only when looked up.
type jsonSource struct {
	data []byte
	vals map[string]jsonValue
	// root is kept when a name is given twice somewhere, for Lookup to
	// find every reading of a key through it; nil otherwise.
	root *jsonNode
}

type jsonValue struct {
	text       string
	start, end int // raw JSON of an object or array; end == 0 for scalars
	line       int
	leaf       bool // listed by Keys: a scalar or an empty container
}

func (s *jsonSource) Lookup(key string) (Value, bool) {
	if s.root != nil && key != "" && strings.HasPrefix(key, "/") {
		names := strings.Split(key[1:], "/")
		steps := make([]step, len(names))
		for i, n := range names {
			steps[i] = step{name: n}
		}
		primary, others := walk(s.root, steps, pickLast)
		var v Value
		if primary.present {
			v = s.value(primary.node.(*jsonNode).v)
		}
		for _, o := range others {
			r := Reading{Line: o.node.(*jsonNode).v.line, Present: o.present}
			if o.present {
				r.Text = s.value(o.node.(*jsonNode).v).Text
			}
			v.Others = append(v.Others, r)
		}
		return v, primary.present
	}
	v, ok := s.vals[key]
	if !ok {
		return Value{}, false
	}
	return s.value(v), true
}

// value is the text of v: a container's compact JSON.
func (s *jsonSource) value(v jsonValue) Value {
	if v.end == 0 {
		return Value{Text: v.text, Line: v.line}
	}
	var b bytes.Buffer
	if err := json.Compact(&b, s.data[v.start:v.end]); err != nil {
		// The range was read by the decoder, so it is valid JSON.
		return Value{Text: string(s.data[v.start:v.end]), Line: v.line}
	}
	return Value{Text: b.String(), Line: v.line}
}

func (s *jsonSource) Keys() []string {
	var keys []string
	for k, v := range s.vals {
		if v.leaf {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// jsonNode is one value of the document; object members keep their order
// so that a name given twice can replace its first value.
type jsonNode struct {
	v     jsonValue
	names []string
	kids  []*jsonNode
	index map[string]int // object member name -> its place in names and kids
	array bool
	// earlier holds the values a name given more than once had before
	// its last, in document order.
	earlier map[string][]*jsonNode
}

func (n *jsonNode) children(name string) []tnode {
	i, ok := n.index[name]
	if n.array {
		var err error
		i, err = strconv.Atoi(name)
		ok = err == nil && i >= 0 && i < len(n.kids) && strconv.Itoa(i) == name
	}
	if !ok {
		return nil
	}
	out := make([]tnode, 0, len(n.earlier[name])+1)
	for _, e := range n.earlier[name] {
		out = append(out, e)
	}
	return append(out, n.kids[i])
}

type jsonParser struct {
	file  string
	data  []byte
	dec   *json.Decoder
	lines lineCounter
	warns []Warning
	dup   bool // some name is given more than once
}

// parseJSON reads a JSON document; the rules are documented on Parse.
func parseJSON(data []byte, file string) (Source, []Warning, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, nil, parseErr(file, 1, CodeUTF16OddLength, err.Error())
	}
	p := &jsonParser{file: file, data: text, dec: json.NewDecoder(bytes.NewReader(text)), lines: lineCounter{data: text}}
	p.dec.UseNumber()
	root, err := p.value(0)
	if err != nil {
		return nil, nil, err
	}
	if _, err := p.dec.Token(); err != io.EOF {
		if err == nil {
			return nil, nil, p.errorAt(p.start(), CodeJSONTextAfter, "text after the JSON document")
		}
		return nil, nil, p.wrap(err)
	}
	s := &jsonSource{data: text, vals: make(map[string]jsonValue)}
	flattenJSON(s.vals, "", root)
	if p.dup {
		s.root = root
	}
	return s, p.warns, nil
}

func flattenJSON(vals map[string]jsonValue, ptr string, n *jsonNode) {
	vals[ptr] = n.v
	for i, k := range n.kids {
		flattenJSON(vals, ptr+"/"+n.names[i], k)
	}
}

// start is the offset where the decoder's next token begins: the decoder
// reports where the last one ended, and separators are skipped here.
func (p *jsonParser) start() int {
	off := int(p.dec.InputOffset())
	for off < len(p.data) && strings.IndexByte(" \t\r\n,:", p.data[off]) >= 0 {
		off++
	}
	return off
}

func (p *jsonParser) errorAt(off int, code, msg string, args ...string) error {
	return parseErr(p.file, p.lines.at(off), code, msg, args...)
}

// wrap turns a decoder error into a ParseError at its line.
func (p *jsonParser) wrap(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return p.errorAt(int(se.Offset), CodeJSONSyntax, se.Error())
	}
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return p.errorAt(len(p.data), CodeJSONUnexpectedEnd, "unexpected end of JSON input")
	}
	return p.errorAt(int(p.dec.InputOffset()), CodeJSONSyntax, err.Error())
}

func (p *jsonParser) value(depth int) (*jsonNode, error) {
	if depth > maxDepth {
		return nil, p.errorAt(p.start(), CodeTooDeep, fmt.Sprintf("nested deeper than %d levels", maxDepth), "max", strconv.Itoa(maxDepth))
	}
	start := p.start()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.wrap(err)
	}
	n := &jsonNode{v: jsonValue{line: p.lines.at(start), leaf: true}}
	switch t := tok.(type) {
	case string:
		n.v.text = t
	case json.Number:
		n.v.text = string(t)
	case bool:
		n.v.text = strconv.FormatBool(t)
	case nil:
		// null: present, with empty text.
	case json.Delim:
		if t != '{' && t != '[' {
			return nil, p.errorAt(start, CodeJSONSyntax, fmt.Sprintf("unexpected %q", rune(t)))
		}
		if t == '{' {
			n.index = make(map[string]int)
		} else {
			n.array = true
		}
		for i := 0; p.dec.More(); i++ {
			name := strconv.Itoa(i)
			if t == '{' {
				keyStart := p.start()
				ktok, err := p.dec.Token()
				if err != nil {
					return nil, p.wrap(err)
				}
				k, ok := ktok.(string)
				if !ok {
					return nil, p.errorAt(keyStart, CodeJSONSyntax, "object member without a string name")
				}
				name = escapePointer(k)
			}
			kid, err := p.value(depth + 1)
			if err != nil {
				return nil, err
			}
			if j, dup := n.index[name]; dup && !n.array {
				first := n.kids[j]
				if e := n.earlier[name]; len(e) > 0 {
					first = e[0]
				}
				p.warns = addWarning(p.warns, p.file, kid.v.line, func() Warning {
					return warning(p.file, kid.v.line, CodeDuplicateName,
						fmt.Sprintf("name %q given again in an object (first at line %d); the value of line %d wins", name, first.v.line, kid.v.line),
						"name", name, "first_line", strconv.Itoa(first.v.line))
				})
				if n.earlier == nil {
					n.earlier = make(map[string][]*jsonNode)
				}
				n.earlier[name] = append(n.earlier[name], n.kids[j])
				n.kids[j] = kid
				p.dup = true
				continue
			}
			if !n.array {
				n.index[name] = len(n.kids)
			}
			n.names = append(n.names, name)
			n.kids = append(n.kids, kid)
		}
		if _, err := p.dec.Token(); err != nil { // the closing delimiter
			return nil, p.wrap(err)
		}
		n.v.start, n.v.end = start, int(p.dec.InputOffset())
		n.v.leaf = len(n.kids) == 0
	}
	return n, nil
}

// escapePointer escapes a name as a JSON pointer reference token.
func escapePointer(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}
