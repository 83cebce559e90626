package settings

import (
	"strconv"
	"strings"
)

// parseINI reads an INI file; the rules are documented on Parse. windows
// folds the case of section and key names, as Windows does.
func parseINI(data []byte, file string, windows bool) (Source, []Warning, error) {
	ls, err := textLines(data, file)
	if err != nil {
		return nil, nil, err
	}
	t := newTable()
	if windows {
		t.fold = strings.ToUpper
		t.names = make(map[string]string)
	}
	var warns []Warning
	section := ""
	for i, raw := range ls {
		n := i + 1
		l := strings.TrimSpace(raw)
		switch {
		case l == "" || l[0] == ';' || l[0] == '#':
			continue
		case l[0] == '[':
			end := strings.IndexByte(l, ']')
			if end < 0 {
				return nil, nil, parseErr(file, n, CodeINISectionUnclosed, "section header without closing \"]\"")
			}
			if rest := strings.TrimSpace(l[end+1:]); rest != "" && rest[0] != ';' && rest[0] != '#' {
				return nil, nil, parseErr(file, n, CodeINITextAfterSection, "text after section header: "+quoteShort(rest), "text", quoteShort(rest))
			}
			section = strings.TrimSpace(l[1:end])
			if section == "" {
				return nil, nil, parseErr(file, n, CodeINIEmptySection, "empty section name")
			}
			continue
		}
		eq := strings.IndexByte(l, '=')
		if eq < 0 {
			return nil, nil, parseErr(file, n, CodeINIBadLine, "not a section, key=value, comment or blank line: "+quoteShort(l), "text", quoteShort(l))
		}
		key := strings.TrimSpace(l[:eq])
		if key == "" {
			return nil, nil, parseErr(file, n, CodeININoKey, "key=value line without a key")
		}
		if section != "" {
			key = section + "." + key
		}
		warns = t.set(warns, file, key, Value{Text: unquoteINI(strings.TrimSpace(l[eq+1:])), Line: n})
	}
	return t, warns, nil
}

// unquoteINI removes one pair of quotes enclosing the whole value, as
// GetPrivateProfileString does; nothing inside is unescaped.
func unquoteINI(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// quoteShort quotes s for an error message, cut to a readable length.
func quoteShort(s string) string {
	const limit = 60
	if r := []rune(s); len(r) > limit {
		s = string(r[:limit]) + "..."
	}
	return strconv.Quote(s)
}
