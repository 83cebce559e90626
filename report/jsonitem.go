package report

import (
	"bufio"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/sverka/sverka/verify"
)

// A report may list a whole kit, so items are written by hand rather than
// through reflection and re-indentation: the bytes are exactly those
// encoding/json writes for jsonItem with the same indentation and HTML
// escaping off (TestItemEncodingMatchesEncodingJSON holds them equal), at
// a fraction of the cost.

// itemWriter writes one jsonItem as indented JSON whose first line is
// already placed and whose fields sit at depth+1.
type itemWriter struct {
	w     *bufio.Writer
	ind   string // indentation of the item's closing brace
	first bool
	buf   []byte
}

func writeItem(w *bufio.Writer, j *jsonItem, depth int, buf []byte) []byte {
	iw := itemWriter{w: w, ind: indent(depth), first: true, buf: buf}
	w.WriteByte('{')
	iw.str("name", j.Name, false)
	iw.str("name_b64", j.NameB64, true)
	if j.Line != 0 {
		iw.key("line")
		iw.int(int64(j.Line))
	}
	iw.str("status", string(j.Status), false)
	iw.key("failure")
	if j.Failure {
		w.WriteString("true")
	} else {
		w.WriteString("false")
	}
	if j.Size != 0 {
		iw.key("size")
		iw.int(j.Size)
	}
	if j.ActualSize != nil {
		iw.key("actual_size")
		iw.int(*j.ActualSize)
	}
	iw.digests("expected", j.Expected)
	iw.digests("actual", j.Actual)
	if len(j.Differs) > 0 {
		iw.key("differs")
		w.WriteByte('[')
		for i, d := range j.Differs {
			if i > 0 {
				w.WriteByte(',')
			}
			iw.nl("    ")
			iw.quote(d)
		}
		iw.nl("  ]")
	}
	iw.str("other", j.Other, true)
	iw.str("other_b64", j.OtherB64, true)
	iw.str("mode", j.Mode, true)
	iw.str("actual_mode", j.ActualMode, true)
	iw.str("allowed", j.Allowed, true)
	iw.str("value", j.Value, true)
	iw.str("value_b64", j.ValueB64, true)
	if j.HasValue {
		iw.key("has_value")
		w.WriteString("true")
	}
	iw.str("note", j.Note, true)
	iw.str("detail", j.Detail, true)
	iw.str("detail_b64", j.DetailB64, true)
	iw.str("detail_code", j.DetailCode, true)
	iw.strMap("detail_args", j.DetailArgs)
	iw.strMap("detail_args_b64", j.DetailArgsB64)
	iw.str("hint", j.Hint, true)
	iw.str("hint_code", j.HintCode, true)
	iw.strMap("hint_args", j.HintArgs)
	iw.nl("}")
	return iw.buf
}

func (iw *itemWriter) key(k string) {
	if !iw.first {
		iw.w.WriteByte(',')
	}
	iw.first = false
	iw.nl("  \"")
	iw.w.WriteString(k)
	iw.w.WriteString("\": ")
}

// nl starts a new line at the item's indentation, followed by s.
func (iw *itemWriter) nl(s string) {
	iw.w.WriteByte('\n')
	iw.w.WriteString(iw.ind)
	iw.w.WriteString(s)
}

func (iw *itemWriter) str(k, v string, omitEmpty bool) {
	if omitEmpty && v == "" {
		return
	}
	iw.key(k)
	iw.quote(v)
}

// strMap writes a map of strings with its keys sorted, as encoding/json
// does; an empty map is left out.
func (iw *itemWriter) strMap(k string, m map[string]string) {
	if len(m) == 0 {
		return
	}
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	iw.key(k)
	iw.w.WriteByte('{')
	for i, key := range keys {
		if i > 0 {
			iw.w.WriteByte(',')
		}
		iw.nl("    ")
		iw.quote(key)
		iw.w.WriteString(": ")
		iw.quote(m[key])
	}
	iw.nl("  }")
}

func (iw *itemWriter) int(n int64) {
	iw.buf = strconv.AppendInt(iw.buf[:0], n, 10)
	iw.w.Write(iw.buf)
}

func (iw *itemWriter) quote(s string) {
	iw.buf = appendJSONString(iw.buf[:0], s)
	iw.w.Write(iw.buf)
}

func (iw *itemWriter) digests(k string, ds []verify.Digest) {
	if len(ds) == 0 {
		return
	}
	iw.key(k)
	iw.w.WriteByte('[')
	for i, d := range ds {
		if i > 0 {
			iw.w.WriteByte(',')
		}
		iw.nl("    {")
		iw.nl(`      "alg": `)
		iw.quote(d.Alg)
		iw.w.WriteByte(',')
		iw.nl(`      "hex": `)
		iw.quote(d.Hex)
		iw.nl("    }")
	}
	iw.nl("  ]")
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string the way encoding/json does
// with HTML escaping off: invalid UTF-8 becomes U+FFFD, and U+2028 and
// U+2029 are escaped for JavaScript's sake.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
