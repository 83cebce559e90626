package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// The items of a report are decoded for the schema validator here rather
// than by encoding/json: the validator needs the generic tree
// (map[string]any, []any, string, json.Number, bool, nil), and building it
// through encoding/json's reflection costs more than validating it. The
// tree is exactly the one jsonschema.UnmarshalJSON gives for the same
// bytes (FuzzParseValue holds them equal), so the schema sees the same
// document either way.

// maxDepth is encoding/json's nesting limit.
const maxDepth = 10000

var errSyntax = errors.New("invalid JSON")

// cursor is a place in JSON text: what the value parser and the layout
// scan of a whole report share.
type cursor struct {
	data []byte
	pos  int
}

func (c *cursor) at(b byte) bool { return c.pos < len(c.data) && c.data[c.pos] == b }

func (c *cursor) space() {
	for c.pos < len(c.data) {
		switch c.data[c.pos] {
		case ' ', '\t', '\n', '\r':
			c.pos++
		default:
			return
		}
	}
}

// next moves past what follows a member or element: a comma, with more
// to come, or close, which ends the object or array. Anything else is not
// JSON (ok false).
func (c *cursor) next(close byte) (done, ok bool) {
	c.space()
	switch {
	case c.at(','):
		c.pos++
		c.space()
		return false, true
	case c.at(close):
		c.pos++
		return true, true
	}
	return false, false
}

// valueParser reads one JSON value from data. Offsets in its errors are
// those of data plus base, so that they name a place in the whole report.
type valueParser struct {
	cursor
	base  int
	depth int
	limit int    // deepest nesting allowed
	buf   []byte // scratch for unescaping strings
}

// parseValue decodes data, a single JSON value with optional white space
// around it. A syntax error is errSyntax; a number beyond checkNumber's
// limits is reported as checkNumbers reports it.
func parseValue(data []byte, base int) (any, error) {
	return parseValueNested(data, base, maxDepth)
}

// parseValueNested is parseValue with objects and arrays nested at most
// limit deep; deeper is reported as checkLimits reports it.
func parseValueNested(data []byte, base, limit int) (any, error) {
	p := valueParser{cursor: cursor{data: data}, base: base, limit: limit}
	p.space()
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos != len(p.data) {
		return nil, errSyntax
	}
	return v, nil
}

func (p *valueParser) value() (any, error) {
	if p.pos >= len(p.data) {
		return nil, errSyntax
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object()
	case c == '[':
		return p.array()
	case c == '"':
		return p.string()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	}
	return nil, errSyntax
}

func (p *valueParser) literal(word string) error {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return errSyntax
	}
	p.pos += len(word)
	return nil
}

func (p *valueParser) enter() error {
	p.depth++
	if p.depth > p.limit {
		if p.limit < maxDepth {
			return tooDeep(p.base + p.pos)
		}
		return errSyntax
	}
	return nil
}

func tooDeep(off int) error {
	return fmt.Errorf("report nests deeper than %d levels at offset %d", maxNesting, off)
}

func (p *valueParser) object() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++ // {
	m := map[string]any{}
	p.space()
	if p.at('}') {
		p.pos++
		p.depth--
		return m, nil
	}
	for {
		if !p.at('"') {
			return nil, errSyntax
		}
		k, err := p.string()
		if err != nil {
			return nil, err
		}
		p.space()
		if !p.at(':') {
			return nil, errSyntax
		}
		p.pos++
		p.space()
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		m[k] = v // the last of duplicate keys wins, as in encoding/json
		done, ok := p.next('}')
		if !ok {
			return nil, errSyntax
		}
		if done {
			p.depth--
			return m, nil
		}
	}
}

func (p *valueParser) array() (any, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++ // [
	a := []any{}
	p.space()
	if p.at(']') {
		p.pos++
		p.depth--
		return a, nil
	}
	for {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		a = append(a, v)
		done, ok := p.next(']')
		if !ok {
			return nil, errSyntax
		}
		if done {
			p.depth--
			return a, nil
		}
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// number reads a number by the JSON grammar and keeps its text, as
// json.Decoder.UseNumber does.
func (p *valueParser) number() (any, error) {
	d, start := p.data, p.pos
	i := start
	if d[i] == '-' {
		i++
	}
	switch {
	case i < len(d) && d[i] == '0':
		i++
	case i < len(d) && d[i] >= '1' && d[i] <= '9':
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	default:
		return nil, errSyntax
	}
	if i < len(d) && d[i] == '.' {
		i++
		if i >= len(d) || !isDigit(d[i]) {
			return nil, errSyntax
		}
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	if i < len(d) && (d[i] == 'e' || d[i] == 'E') {
		i++
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			i++
		}
		if i >= len(d) || !isDigit(d[i]) {
			return nil, errSyntax
		}
		for i < len(d) && isDigit(d[i]) {
			i++
		}
	}
	p.pos = i
	if err := checkNumber(d[start:i], p.base+start); err != nil {
		return nil, err
	}
	return json.Number(d[start:i]), nil
}

// string reads a string as encoding/json does: escapes resolved, a lone
// or broken surrogate and each byte of invalid UTF-8 turned into U+FFFD.
func (p *valueParser) string() (string, error) {
	d := p.data
	p.pos++ // "
	start := p.pos
	// Most strings hold nothing to unescape or replace.
	for i := start; i < len(d); {
		c := d[i]
		switch {
		case c == '"':
			p.pos = i + 1
			return string(d[start:i]), nil
		case c == '\\':
			return p.unescape(start)
		case c < 0x20:
			return "", errSyntax
		case c < utf8.RuneSelf:
			i++
		default:
			r, n := utf8.DecodeRune(d[i:])
			if r == utf8.RuneError && n == 1 {
				return p.unescape(start)
			}
			i += n
		}
	}
	return "", errSyntax
}

func (p *valueParser) unescape(start int) (string, error) {
	d := p.data
	b := p.buf[:0]
	for i := start; i < len(d); {
		c := d[i]
		switch {
		case c == '"':
			p.pos = i + 1
			p.buf = b
			return string(b), nil
		case c < 0x20:
			return "", errSyntax
		case c == '\\':
			if i+1 >= len(d) {
				return "", errSyntax
			}
			switch e := d[i+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r := hex4(d[i+2:])
				if r < 0 {
					return "", errSyntax
				}
				i += 6
				if utf16.IsSurrogate(r) {
					// A valid pair is consumed whole; otherwise the
					// first half alone becomes U+FFFD and what follows
					// is read on its own, as encoding/json does.
					if r2 := hex4Escape(d[i:]); r2 >= 0 {
						if dec := utf16.DecodeRune(r, r2); dec != unicode.ReplacementChar {
							b = utf8.AppendRune(b, dec)
							i += 6
							continue
						}
					}
					r = unicode.ReplacementChar
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				return "", errSyntax
			}
			i += 2
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, n := utf8.DecodeRune(d[i:])
			b = utf8.AppendRune(b, r) // RuneError for an invalid byte
			i += n
		}
	}
	return "", errSyntax
}

// hex4 returns the value of four hex digits at the start of s, or -1.
func hex4(s []byte) rune {
	if len(s) < 4 {
		return -1
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// hex4Escape returns the value of a \uXXXX escape at the start of s, or -1.
func hex4Escape(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	return hex4(s[2:])
}

// Limits on numbers, far beyond any a report holds (sizes are int64, the
// duration a float64).
const (
	maxNumberLen = 40
	maxExponent  = 400
)

// checkNumber rejects a number the validator would turn into a huge exact
// rational: 1e999999 takes it minutes or makes it fail, and no report
// holds such a number. off is where num starts in the report.
func checkNumber(num []byte, off int) error {
	if len(num) > maxNumberLen {
		return fmt.Errorf("report has a number too long at offset %d", off)
	}
	for k, c := range num {
		if c == 'e' || c == 'E' {
			exp := num[k+1:]
			for len(exp) > 0 && (exp[0] == '+' || exp[0] == '-' || exp[0] == '0') {
				exp = exp[1:]
			}
			if len(exp) > 3 || len(exp) == 3 && string(exp) > strconv.Itoa(maxExponent) {
				return fmt.Errorf("report has a number out of range at offset %d: %s", off, num)
			}
			break
		}
	}
	return nil
}

// checkNumbers applies checkNumber to every number in data, which starts
// at offset base of the report. It needs no valid JSON: it runs before
// the validator sees the document.
func checkNumbers(data []byte, base int) error {
	depth := 0
	return checkLimits(data, base, &depth)
}

// checkLimits is checkNumbers that also refuses objects and arrays nested
// deeper than maxNesting; depth carries the nesting from one piece of a
// report to the next. A string's content is skipped, a quote ends it
// unless escaped.
func checkLimits(data []byte, base int, depth *int) error {
	inString := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
			continue
		case '{', '[':
			if *depth++; *depth > maxNesting {
				return tooDeep(base + i)
			}
			continue
		case '}', ']':
			*depth--
			continue
		}
		if c != '-' && (c < '0' || c > '9') {
			continue
		}
		j := i
		for j < len(data) && isNumberByte(data[j]) {
			j++
		}
		if err := checkNumber(data[i:j], base+i); err != nil {
			return err
		}
		i = j - 1
	}
	return nil
}

func isNumberByte(c byte) bool {
	return isDigit(c) || c == '+' || c == '-' || c == '.' || c == 'e' || c == 'E'
}
