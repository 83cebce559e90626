package settings

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// xmlSource holds a parsed XML document: its tree, walked by Lookup, and
// the keys Keys lists, by canonical path ("/a[1]/b[2]"), spelled with
// indexes only where siblings share a name.
type xmlSource struct {
	doc   *xmlDoc
	names map[string]string // canonical path -> listed spelling, for listed keys
}

func (s *xmlSource) Lookup(key string) (Value, bool) {
	steps, ok := xmlSteps(key)
	if !ok {
		return Value{}, false
	}
	primary, others := walk(s.doc, steps, pickXML)
	var v Value
	if primary.present {
		r := xmlReading(primary)
		v.Text, v.Line = r.Text, r.Line
	}
	for _, o := range others {
		v.Others = append(v.Others, xmlReading(o))
	}
	return v, primary.present
}

// pickXML: a path without an index means the first element of the name,
// and an attribute given twice its last value.
func pickXML(st step, kids []tnode) int {
	if strings.HasPrefix(st.name, "@") {
		return len(kids) - 1
	}
	return 0
}

func xmlReading(r reached) Reading {
	switch n := r.node.(type) {
	case *xmlNode:
		if r.present {
			return Reading{Text: strings.TrimSpace(n.text.String()), Line: n.line, Present: true}
		}
		return Reading{Line: n.line}
	case *xmlAttr:
		return Reading{Text: n.value, Line: n.line, Present: r.present}
	case *xmlDoc:
		return Reading{Line: n.root.line}
	}
	return Reading{}
}

func (s *xmlSource) Keys() []string {
	keys := make([]string, 0, len(s.names))
	for _, k := range s.names {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// xmlSteps reads a key as steps: element names with their index (0 where
// the key gives none), and an attribute, "@name", as the last step only.
func xmlSteps(path string) ([]step, bool) {
	if !strings.HasPrefix(path, "/") || len(path) < 2 {
		return nil, false
	}
	parts := strings.Split(path[1:], "/")
	steps := make([]step, 0, len(parts))
	for i, st := range parts {
		if strings.HasPrefix(st, "@") {
			if i != len(parts)-1 || i == 0 || len(st) < 2 {
				return nil, false
			}
			steps = append(steps, step{name: st})
			continue
		}
		name, idx := st, 0
		if open := strings.IndexByte(st, '['); open >= 0 {
			if !strings.HasSuffix(st, "]") {
				return nil, false
			}
			var s string
			name, s = st[:open], st[open+1:len(st)-1]
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || strconv.Itoa(n) != s {
				return nil, false
			}
			idx = n
		}
		if name == "" || strings.HasPrefix(name, "@") {
			return nil, false
		}
		steps = append(steps, step{name: name, index: idx})
	}
	return steps, true
}

// xmlDoc is the document above its root element.
type xmlDoc struct{ root *xmlNode }

func (d *xmlDoc) children(name string) []tnode {
	if d.root != nil && d.root.name == name {
		return []tnode{d.root}
	}
	return nil
}

// xmlAttr is one attribute of an element, as a step "@name" reaches it.
type xmlAttr struct {
	value string
	line  int
}

func (*xmlAttr) children(string) []tnode { return nil }

// xmlNode is an element while the document is read.
type xmlNode struct {
	parent *xmlNode
	name   string
	index  int // 1-based among siblings of the same name
	text   strings.Builder
	line   int
	kids   []*xmlNode
	byName map[string][]tnode // kids by name, in document order
	attrs  []xml.Attr         // one per name, the last value of a name given twice
	every  map[string][]tnode // "@name" -> every value given, in document order
}

func (n *xmlNode) children(name string) []tnode {
	if strings.HasPrefix(name, "@") {
		return n.every[name]
	}
	return n.byName[name]
}

// parseXML reads an XML document; the rules are documented on Parse.
func parseXML(data []byte, file string) (Source, []Warning, error) {
	utf16 := bytes.HasPrefix(data, bomUTF16LE) || bytes.HasPrefix(data, bomUTF16BE)
	text, err := decodeText(data)
	if err != nil {
		return nil, nil, parseErr(file, 1, CodeUTF16OddLength, err.Error())
	}
	dec := xml.NewDecoder(bytes.NewReader(text))
	dec.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if utf16 {
			return r, nil // already decoded, as its byte order mark says
		}
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, fmt.Errorf("unknown encoding %q", label)
		}
		return enc.NewDecoder().Reader(r), nil
	}
	fail := func(err error) error {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return parseErr(file, se.Line, CodeXMLSyntax, se.Msg)
		}
		line, _ := dec.InputPos()
		return parseErr(file, line, CodeXMLSyntax, err.Error())
	}

	var root, cur *xmlNode
	var warns []Warning
	depth := 0
	for {
		line, _ := dec.InputPos()
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fail(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if cur == nil && root != nil {
				return nil, nil, parseErr(file, line, CodeXMLSecondRoot, "second root element <"+t.Name.Local+">", "element", t.Name.Local)
			}
			if depth++; depth > maxDepth {
				return nil, nil, parseErr(file, line, CodeTooDeep, fmt.Sprintf("nested deeper than %d levels", maxDepth), "max", strconv.Itoa(maxDepth))
			}
			n := &xmlNode{parent: cur, name: t.Name.Local, index: 1, line: line}
			seen := make(map[string]int, len(t.Attr))
			for _, a := range t.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					continue // namespace declarations are not settings
				}
				if n.every == nil {
					n.every = make(map[string][]tnode)
				}
				n.every["@"+a.Name.Local] = append(n.every["@"+a.Name.Local], &xmlAttr{value: a.Value, line: line})
				if i, dup := seen[a.Name.Local]; dup {
					warns = addWarning(warns, file, line, func() Warning {
						return warning(file, line, CodeDuplicateAttribute,
							fmt.Sprintf("attribute %q given twice in <%s>; the last wins", a.Name.Local, t.Name.Local),
							"attribute", a.Name.Local, "element", t.Name.Local)
					})
					n.attrs[i] = a
					continue
				}
				seen[a.Name.Local] = len(n.attrs)
				n.attrs = append(n.attrs, a)
			}
			if cur == nil {
				root = n
			} else {
				if cur.byName == nil {
					cur.byName = make(map[string][]tnode)
				}
				cur.byName[n.name] = append(cur.byName[n.name], n)
				n.index = len(cur.byName[n.name])
				cur.kids = append(cur.kids, n)
			}
			cur = n
		case xml.EndElement:
			// The decoder checks that end tags match.
			cur = cur.parent
			depth--
		case xml.CharData:
			if cur != nil {
				cur.text.Write(t)
			} else if lead := len(t) - len(bytes.TrimLeft(t, " \t\r\n")); lead < len(t) {
				// The decoder turns a lone "\r" into "\n" but does not count
				// it as a line: never go past where the text ends.
				end, _ := dec.InputPos()
				line = min(line+bytes.Count(t[:lead], []byte{'\n'}), end)
				return nil, nil, parseErr(file, line, CodeXMLTextOutsideRoot, "text outside the root element")
			}
		}
	}
	if root == nil {
		line, _ := dec.InputPos()
		return nil, nil, parseErr(file, line, CodeXMLNoRoot, "no root element")
	}
	s := &xmlSource{doc: &xmlDoc{root: root}, names: make(map[string]string)}
	s.add(root, "", "", file, &warns)
	slices.SortStableFunc(warns, func(a, b Warning) int { return a.Line - b.Line })
	return s, warns, nil
}

// add lists the keys of n and its subtree under the canonical path c and
// the listed path l of its parent, and warns, in document order, of each
// element name repeated under one parent.
func (s *xmlSource) add(n *xmlNode, c, l, file string, warns *[]Warning) {
	c += "/" + n.name + "[" + strconv.Itoa(n.index) + "]"
	parent := l
	l += "/" + n.name
	if n.parent != nil {
		if sib := n.parent.byName[n.name]; len(sib) > 1 {
			l += "[" + strconv.Itoa(n.index) + "]"
			if n.index == 2 {
				path, first := parent+"/"+n.name, sib[0].(*xmlNode).line
				*warns = addWarning(*warns, file, n.line, func() Warning {
					return warning(file, n.line, CodeDuplicateElement,
						fmt.Sprintf("element %q given %d times (first at line %d); a key without an index is read in each", path, len(sib), first),
						"element", path, "count", strconv.Itoa(len(sib)), "first_line", strconv.Itoa(first))
				})
			}
		}
	}
	if len(n.kids) == 0 && (len(n.attrs) == 0 || strings.TrimSpace(n.text.String()) != "") {
		s.names[c] = l
	}
	for _, a := range n.attrs {
		s.names[c+"/@"+a.Name.Local] = l + "/@" + a.Name.Local
	}
	for _, k := range n.kids {
		s.add(k, c, l, file, warns)
	}
}
