package settings

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Registry value types, as winnt.h numbers them; the others read as hex.
const (
	regSZ             = 1
	regExpandSZ       = 2
	regBinary         = 3
	regDword          = 4
	regDwordBigEndian = 5
	regLink           = 6
	regMultiSZ        = 7
	regQword          = 11
)

const (
	defaultValueName = "(Default)"
	regeditHeader5   = "Windows Registry Editor Version 5.00"
	regeditHeader4   = "REGEDIT4"
)

// hives maps the names of the root keys, full and abbreviated, upper case,
// to the abbreviation keys are listed with.
var hives = map[string]string{
	"HKEY_LOCAL_MACHINE":  "HKLM",
	"HKEY_CURRENT_USER":   "HKCU",
	"HKEY_CLASSES_ROOT":   "HKCR",
	"HKEY_USERS":          "HKU",
	"HKEY_CURRENT_CONFIG": "HKCC",
	"HKLM":                "HKLM",
	"HKCU":                "HKCU",
	"HKCR":                "HKCR",
	"HKU":                 "HKU",
	"HKCC":                "HKCC",
}

// splitRegKey splits a key path into its hive's abbreviation and the path
// below it, without leading or trailing backslashes.
func splitRegKey(path string) (hive, rest string, ok bool) {
	h, rest, _ := strings.Cut(path, `\`)
	hive, ok = hives[strings.ToUpper(h)]
	return hive, strings.Trim(rest, `\`), ok
}

// foldRegAddress turns a value address as a table writes it into the form
// values are stored under: hive abbreviated, upper case (registry names
// compare case-insensitively).
func foldRegAddress(key string) string {
	if h, rest, ok := strings.Cut(key, `\`); ok {
		if abbr, known := hives[strings.ToUpper(h)]; known {
			key = abbr + `\` + rest
		}
	}
	return strings.ToUpper(key)
}

// regBuilder collects registry values, from an export or the live registry.
type regBuilder struct {
	file  string
	t     *table
	warns []Warning
}

func newRegBuilder(file string) *regBuilder {
	t := newTable()
	t.fold = foldRegAddress
	t.names = make(map[string]string)
	return &regBuilder{file: file, t: t}
}

// address is how a value is listed: key path (hive abbreviated) and value
// name, the unnamed default value as "(Default)".
func regAddress(key, name string) string {
	if name == "" {
		name = defaultValueName
	}
	return key + `\` + name
}

func (b *regBuilder) put(key, name string, v Value) {
	addr := regAddress(key, name)
	f := strings.ToUpper(addr)
	if old, dup := b.t.vals[f]; dup {
		b.warns = addWarning(b.warns, b.file, v.Line, func() Warning {
			return warning(b.file, v.Line, CodeDuplicateValue,
				fmt.Sprintf("value %q set again (first at line %d); the value of line %d wins", addr, firstLine(old), v.Line),
				"value", addr, "first_line", strconv.Itoa(firstLine(old)))
		})
		// An import of the file leaves the last value, but a file that
		// gives a value twice is no export: every value is a reading.
		v.Others = append(old.Others, Reading{Text: old.Text, Line: old.Line, Present: true})
	}
	b.t.vals[f] = v
	b.t.names[f] = addr
}

func (b *regBuilder) deleteValue(key, name string) {
	f := strings.ToUpper(regAddress(key, name))
	delete(b.t.vals, f)
	delete(b.t.names, f)
}

func (b *regBuilder) deleteKey(key string) {
	prefix := strings.ToUpper(key) + `\`
	for f := range b.t.vals {
		if strings.HasPrefix(f, prefix) {
			delete(b.t.vals, f)
			delete(b.t.names, f)
		}
	}
}

// parseReg reads a regedit export; the rules are documented on Parse.
func parseReg(data []byte, file string) (Source, []Warning, error) {
	ls, err := textLines(data, file)
	if err != nil {
		return nil, nil, err
	}
	first := 0
	for first < len(ls) && strings.TrimSpace(ls[first]) == "" {
		first++
	}
	if first == len(ls) {
		return nil, nil, parseErr(file, 1, CodeRegEmpty, "empty file, not a registry export")
	}
	var wide bool // version 5 strings are UTF-16LE; REGEDIT4 ones are bytes
	switch strings.TrimSpace(ls[first]) {
	case regeditHeader5:
		wide = true
	case regeditHeader4:
	default:
		return nil, nil, parseErr(file, first+1, CodeRegBadHeader, fmt.Sprintf("not a registry export: want %q or %q, got %s", regeditHeader5, regeditHeader4, quoteShort(ls[first])), "text", quoteShort(ls[first]))
	}

	b := newRegBuilder(file)
	key := "" // current key, hive abbreviated; "" before the first or after a deletion
	for i := first + 1; i < len(ls); i++ {
		n := i + 1
		l := strings.TrimSpace(ls[i])
		switch {
		case l == "" || l[0] == ';':
			continue
		case l[0] == '[':
			if !strings.HasSuffix(l, "]") {
				return nil, nil, parseErr(file, n, CodeRegKeyUnclosed, "key line without closing \"]\"")
			}
			path, del := strings.CutPrefix(l[1:len(l)-1], "-")
			hive, rest, ok := splitRegKey(path)
			if !ok {
				return nil, nil, parseErr(file, n, CodeRegUnknownRoot, "unknown root key in "+quoteShort(path), "key", quoteShort(path))
			}
			key = hive
			if rest != "" {
				key += `\` + rest
			}
			if del {
				b.deleteKey(key)
				b.warns = addWarning(b.warns, file, n, func() Warning {
					return warning(file, n, CodeDeletesKey, "deletes key "+key+": a change to the registry, not an export of it", "key", key)
				})
				key = ""
			}
			continue
		case l[0] != '"' && l[0] != '@':
			return nil, nil, parseErr(file, n, CodeRegBadLine, "not a key, value, comment or blank line: "+quoteShort(l), "text", quoteShort(l))
		}
		if key == "" {
			return nil, nil, parseErr(file, n, CodeRegValueOutsideKey, "value outside of a key")
		}
		name, rest, err := regValueName(l)
		if err != nil {
			return nil, nil, parseErr(file, n, CodeRegBadValueName, err.Error())
		}
		rest, ok := strings.CutPrefix(strings.TrimLeft(rest, " \t"), "=")
		if !ok {
			return nil, nil, parseErr(file, n, CodeRegNoEquals, "value name without \"=\"")
		}
		rest = strings.TrimLeft(rest, " \t")
		if strings.HasPrefix(strings.ToLower(rest), "hex") && strings.HasSuffix(rest, `\`) {
			// Long binary data continues over lines ending in a backslash.
			var b strings.Builder
			for strings.HasSuffix(rest, `\`) && i+1 < len(ls) {
				b.WriteString(rest[:len(rest)-1])
				i++
				rest = strings.TrimSpace(ls[i])
			}
			b.WriteString(rest)
			rest = b.String()
		}
		if rest == "-" {
			b.deleteValue(key, name)
			b.warns = addWarning(b.warns, file, n, func() Warning {
				return warning(file, n, CodeDeletesValue, "deletes value "+regAddress(key, name)+": a change to the registry, not an export of it", "value", regAddress(key, name))
			})
			continue
		}
		text, err := regData(rest, wide)
		if err != nil {
			return nil, nil, parseErr(file, n, CodeRegBadData, err.Error())
		}
		b.put(key, name, Value{Text: text, Line: n})
	}
	return b.t, b.warns, nil
}

// regValueName reads the value name at the start of l: @ for the default
// value or a quoted name with \\ and \" escapes. It returns the rest of l.
func regValueName(l string) (name, rest string, err error) {
	if l[0] == '@' {
		return "", l[1:], nil
	}
	s, rest, err := regString(l)
	if err != nil {
		return "", "", fmt.Errorf("value name: %w", err)
	}
	return s, rest, nil
}

// regString reads the quoted string at the start of s, undoing regedit's
// \\ and \" escapes; any other backslash stays as written.
func regString(s string) (string, string, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			return b.String(), s[i+1:], nil
		case c == '\\' && i+1 < len(s) && (s[i+1] == '\\' || s[i+1] == '"'):
			b.WriteByte(s[i+1])
			i++
		default:
			b.WriteByte(c)
		}
	}
	return "", "", fmt.Errorf("quote not closed")
}

// regData reads the data of a value line: a quoted string, dword:, hex: or
// hex(N):, and returns it as text.
func regData(s string, wide bool) (string, error) {
	lower := strings.ToLower(s)
	switch {
	case strings.HasPrefix(s, `"`):
		v, rest, err := regString(s)
		if err != nil {
			return "", fmt.Errorf("string data: %w", err)
		}
		if strings.TrimSpace(rest) != "" {
			return "", fmt.Errorf("text after string data: %s", quoteShort(rest))
		}
		return v, nil
	case strings.HasPrefix(lower, "dword:"):
		d := strings.TrimSpace(s[len("dword:"):])
		if len(d) == 0 || len(d) > 8 {
			return "", fmt.Errorf("dword data %s: want 1 to 8 hex digits", quoteShort(d))
		}
		v, err := strconv.ParseUint(d, 16, 32)
		if err != nil {
			return "", fmt.Errorf("dword data %s: want hex digits", quoteShort(d))
		}
		return strconv.FormatUint(v, 10), nil
	case strings.HasPrefix(lower, "hex"):
		typ := uint64(regBinary)
		rest := s[len("hex"):]
		if strings.HasPrefix(rest, "(") {
			end := strings.IndexByte(rest, ')')
			if end < 0 {
				return "", fmt.Errorf("hex data type without \")\"")
			}
			t, err := strconv.ParseUint(rest[1:end], 16, 32)
			if err != nil {
				return "", fmt.Errorf("hex data type %s: want a hex number", quoteShort(rest[1:end]))
			}
			typ, rest = t, rest[end+1:]
		}
		rest, ok := strings.CutPrefix(rest, ":")
		if !ok {
			return "", fmt.Errorf("hex data without \":\"")
		}
		data, err := regHexBytes(rest)
		if err != nil {
			return "", err
		}
		return regText(uint32(typ), data, wide), nil
	}
	return "", fmt.Errorf("unknown value data %s", quoteShort(s))
}

// regHexBytes reads comma-separated two-digit hex bytes.
func regHexBytes(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	parts := strings.Split(s, ",")
	out := make([]byte, 0, len(parts))
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" && i == len(parts)-1 {
			break // a trailing comma
		}
		v, err := strconv.ParseUint(p, 16, 8)
		if err != nil || len(p) > 2 {
			return nil, fmt.Errorf("hex data: byte %d is %s, want two hex digits", i+1, quoteShort(p))
		}
		out = append(out, byte(v))
	}
	return out, nil
}

// regText reads registry data of type typ as text; wide is false for the
// single-byte strings of REGEDIT4. The live registry's data reads the same.
func regText(typ uint32, data []byte, wide bool) string {
	switch typ {
	case regSZ, regExpandSZ, regLink:
		return firstString(data, wide)
	case regMultiSZ:
		return strings.Join(regStrings(data, wide), "\n")
	case regDword:
		if len(data) == 4 {
			return strconv.FormatUint(uint64(binary.LittleEndian.Uint32(data)), 10)
		}
	case regDwordBigEndian:
		if len(data) == 4 {
			return strconv.FormatUint(uint64(binary.BigEndian.Uint32(data)), 10)
		}
	case regQword:
		if len(data) == 8 {
			return strconv.FormatUint(binary.LittleEndian.Uint64(data), 10)
		}
	}
	return hex.EncodeToString(data)
}

// firstString is a string value: the data up to its terminating NUL.
func firstString(data []byte, wide bool) string {
	s := regStrings(data, wide)
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// regStrings splits NUL-terminated strings, UTF-16LE when wide (an odd
// last byte is no character), dropping the terminating NULs.
func regStrings(data []byte, wide bool) []string {
	var s string
	if wide {
		units := make([]uint16, len(data)/2)
		for i := range units {
			units[i] = binary.LittleEndian.Uint16(data[2*i:])
		}
		s = string(utf16.Decode(units))
	} else {
		s = string(data)
	}
	s = strings.TrimRight(s, "\x00")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\x00")
}
