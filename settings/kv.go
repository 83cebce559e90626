package settings

import (
	"errors"
	"strings"
)

// parseKV reads a key=value file; the rules are documented on Parse.
func parseKV(data []byte, file string) (Source, []Warning, error) {
	ls, err := textLines(data, file)
	if err != nil {
		return nil, nil, err
	}
	t := newTable()
	var warns []Warning
	for i := 0; i < len(ls); i++ {
		n := i + 1
		// Only the left is trimmed: a quote left open keeps its blanks.
		l := strings.TrimLeft(ls[i], " \t")
		if strings.TrimSpace(l) == "" || l[0] == '#' {
			continue
		}
		if rest, ok := strings.CutPrefix(l, "export"); ok && rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
			l = strings.TrimLeft(rest, " \t")
			if !strings.Contains(l, "=") && validKVKey(strings.TrimSpace(l)) {
				continue // "export NAME" exports a variable set elsewhere
			}
		}
		eq := strings.IndexByte(l, '=')
		if eq < 0 {
			return nil, nil, parseErr(file, n, CodeKVBadLine, "not a key=value, comment or blank line: "+quoteShort(l), "text", quoteShort(l))
		}
		key := strings.TrimSpace(l[:eq])
		if !validKVKey(key) {
			return nil, nil, parseErr(file, n, CodeKVBadKey, "bad key "+quoteShort(key), "key", quoteShort(key))
		}
		val, more, err := kvValue(l[eq+1:], ls[i+1:])
		if err != nil {
			return nil, nil, parseErr(file, n, CodeKVQuoteOpen, err.Error())
		}
		i += more
		warns = t.set(warns, file, key, Value{Text: val, Line: n})
	}
	return t, warns, nil
}

func validKVKey(k string) bool {
	return k != "" && !strings.ContainsAny(k, " \t\"'=#")
}

// kvValue reads the value starting at v, taking further lines from next
// while a quote is open; it returns the value and how many of next it used.
// Quoted and unquoted pieces join as in the shell: a"b"'c' is abc.
func kvValue(line string, next []string) (string, int, error) {
	var b strings.Builder
	v := []byte(line) // grows by whole lines while a quote is open
	used := 0
	for i := 0; i < len(v); {
		c := v[i]
		switch {
		case b.Len() == 0 && (c == ' ' || c == '\t'):
			i++ // blanks before the value, as in "key = value"
		case c == '#' && i > 0 && (v[i-1] == ' ' || v[i-1] == '\t'):
			return strings.TrimRight(b.String(), " \t"), used, nil
		case c == '\'' || c == '"':
			// Find the closing quote, on this line or a following one.
			j := i + 1
			for {
				for j < len(v) && v[j] != c {
					if c == '"' && v[j] == '\\' && j+1 < len(v) {
						j++
					}
					j++
				}
				if j < len(v) {
					break
				}
				if used == len(next) {
					return "", used, errors.New("quote " + string(c) + " not closed")
				}
				v = append(append(v, '\n'), next[used]...)
				used++
			}
			if c == '\'' {
				b.Write(v[i+1 : j])
			} else {
				b.WriteString(unescapeDouble(string(v[i+1 : j])))
			}
			i = j + 1
		default:
			b.WriteByte(c)
			i++
		}
	}
	return strings.TrimRight(b.String(), " \t"), used, nil
}

// unescapeDouble undoes the backslash escapes the shell honours inside
// double quotes; any other backslash stays.
func unescapeDouble(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			switch s[i+1] {
			case '"', '\\', '$', '`':
				i++
			case '\n':
				i++
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
