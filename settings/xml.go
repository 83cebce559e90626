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

// xmlSource holds a parsed XML document. Values are indexed by the
// canonical path, which gives every element step its index ("/a[1]/b[2]");
// Keys spells indexes only where siblings share a name.
type xmlSource struct {
	vals  map[string]Value
	names map[string]string // canonical path -> listed spelling, for listed keys
}

func (s *xmlSource) Lookup(key string) (Value, bool) {
	c, ok := canonicalXMLPath(key)
	if !ok {
		return Value{}, false
	}
	v, ok := s.vals[c]
	return v, ok
}

func (s *xmlSource) Keys() []string {
	keys := make([]string, 0, len(s.names))
	for _, k := range s.names {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// canonicalXMLPath gives every element step of path an index, [1] where it
// has none, and checks its shape.
func canonicalXMLPath(path string) (string, bool) {
	if !strings.HasPrefix(path, "/") || len(path) < 2 {
		return "", false
	}
	steps := strings.Split(path[1:], "/")
	var b strings.Builder
	for i, st := range steps {
		b.WriteByte('/')
		if strings.HasPrefix(st, "@") {
			if i != len(steps)-1 || i == 0 || len(st) < 2 {
				return "", false
			}
			b.WriteString(st)
			continue
		}
		name, idx := st, "1"
		if open := strings.IndexByte(st, '['); open >= 0 {
			if !strings.HasSuffix(st, "]") {
				return "", false
			}
			name, idx = st[:open], st[open+1:len(st)-1]
			if n, err := strconv.Atoi(idx); err != nil || n < 1 || strconv.Itoa(n) != idx {
				return "", false
			}
		}
		if name == "" {
			return "", false
		}
		b.WriteString(name)
		b.WriteByte('[')
		b.WriteString(idx)
		b.WriteByte(']')
	}
	return b.String(), true
}

// xmlNode is an element while the document is read.
type xmlNode struct {
	parent *xmlNode
	name   string
	index  int            // 1-based among siblings of the same name
	counts map[string]int // children seen per name
	text   strings.Builder
	line   int
	kids   []*xmlNode
	attrs  []xml.Attr
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
				if i, dup := seen[a.Name.Local]; dup {
					warns = append(warns, warning(file, line, CodeDuplicateAttribute,
						fmt.Sprintf("attribute %q given twice in <%s>; the last wins", a.Name.Local, t.Name.Local),
						"attribute", a.Name.Local, "element", t.Name.Local))
					n.attrs[i] = a
					continue
				}
				seen[a.Name.Local] = len(n.attrs)
				n.attrs = append(n.attrs, a)
			}
			if cur == nil {
				root = n
			} else {
				if cur.counts == nil {
					cur.counts = make(map[string]int)
				}
				cur.counts[n.name]++
				n.index = cur.counts[n.name]
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
	s := &xmlSource{vals: make(map[string]Value), names: make(map[string]string)}
	s.add(root, "", "")
	return s, warns, nil
}

// add records n and its subtree under the canonical path c and the listed
// path l of its parent.
func (s *xmlSource) add(n *xmlNode, c, l string) {
	c += "/" + n.name + "[" + strconv.Itoa(n.index) + "]"
	l += "/" + n.name
	if n.parent != nil && n.parent.counts[n.name] > 1 {
		l += "[" + strconv.Itoa(n.index) + "]"
	}
	s.vals[c] = Value{Text: strings.TrimSpace(n.text.String()), Line: n.line}
	if len(n.kids) == 0 && (len(n.attrs) == 0 || strings.TrimSpace(n.text.String()) != "") {
		s.names[c] = l
	}
	for _, a := range n.attrs {
		s.vals[c+"/@"+a.Name.Local] = Value{Text: a.Value, Line: n.line}
		s.names[c+"/@"+a.Name.Local] = l + "/@" + a.Name.Local
	}
	for _, k := range n.kids {
		s.add(k, c, l)
	}
}
