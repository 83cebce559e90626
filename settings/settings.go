package settings

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/sverka/sverka/internal/regular"
)

// Value is the actual value of one parameter as its source holds it.
type Value struct {
	// Text is the value as text, read the way the product reads it:
	// quotes removed, numbers as written, registry data decoded.
	Text string
	// Line is the 1-based line of the value in its file, 0 where the source
	// has no lines (the live registry).
	Line int
	// Others are the other readings of a key the source gives more than
	// once (a repeated INI or key=value key, JSON name, registry value, XML
	// element or attribute), in file order; nil when it gives it once.
	// Programs differ in which occurrence they take (Windows'
	// GetPrivateProfileString the first, most others the last), so a
	// checker must judge every reading, not just Text. Lookup may report
	// the key absent and still return Others: a JSON name given twice
	// whose last value lacks the key, an XML element repeated where only
	// a later copy holds it.
	Others []Reading
}

// Reading is one value a program could read for a key given more than
// once. Present is false for a reading in which the key is absent, at Line
// the element or object that lacks it.
type Reading struct {
	Text    string
	Line    int
	Present bool
}

// Options say how to read a settings file beyond its format.
type Options struct {
	// Windows reads the file as Windows programs do: INI section and key
	// names compare case-insensitively, as GetPrivateProfileString
	// compares them. The other formats read the same either way (.reg
	// names are case-insensitive always; JSON, XML and key=value names
	// never are).
	Windows bool
}

// Warning is something suspicious in a source that does not stop it from
// being read, such as a duplicated key.
type Warning struct {
	File string
	Line int
	Msg  string // the English sentence
	// Code names the kind of warning (one of the Code constants) and Args
	// the values its sentence names, so that a report can say it in its
	// reader's language.
	Code string
	Args map[string]string
	// more counts the warnings CodeMoreWarnings stands for, until
	// moreWarnings says it in Args.
	more int
}

func warning(file string, line int, code, msg string, kv ...string) Warning {
	return Warning{File: file, Line: line, Msg: msg, Code: code, Args: argMap(kv)}
}

// MaxWarnings is the most warnings a source keeps whole. The rest are
// counted in one more, on the last of them (CodeMoreWarnings): a 64 MiB
// file of one key set ten million times took 16 GB and 100 s to check,
// and wrote a report of a gigabyte.
const MaxWarnings = 100

// addWarning appends the warning mk makes, of file at line, to warns:
// the first MaxWarnings whole, the rest counted in the one after them,
// unmade (ten million repetitions of a key made as many sentences and
// maps only to drop them: 12 GB and 30 s for a 64 MiB file);
// moreWarnings words the count.
func addWarning(warns []Warning, file string, line int, mk func() Warning) []Warning {
	switch {
	case len(warns) < MaxWarnings:
		return append(warns, mk())
	case len(warns) == MaxWarnings:
		return append(warns, Warning{File: file, Line: line, Code: CodeMoreWarnings, more: 1})
	}
	more := &warns[len(warns)-1]
	more.Line = line
	more.more++
	return warns
}

// moreWarnings words the count of warnings beyond MaxWarnings, if warns
// ends with one.
func moreWarnings(warns []Warning) []Warning {
	if n := len(warns); n > 0 && warns[n-1].Code == CodeMoreWarnings {
		w := &warns[n-1]
		count, last := strconv.Itoa(w.more), strconv.Itoa(w.Line)
		w.Args = map[string]string{"count": count, "last_line": last}
		w.Msg = fmt.Sprintf("%s more warnings up to line %s, not shown one by one", count, last)
		w.more = 0
	}
	return warns
}

func (w Warning) String() string {
	return fmt.Sprintf("settings %s line %d: %s", w.File, w.Line, w.Msg)
}

// ParseError is a source that cannot be read as its format: the file and
// the 1-based line where reading stopped, 0 when the file as a whole is
// refused.
type ParseError struct {
	File string
	Line int
	Msg  string // the English sentence
	// Code names the kind of error (one of the Code constants) and Args
	// the values its sentence names, as for Warning.
	Code string
	Args map[string]string
}

func (e *ParseError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("settings %s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("settings %s line %d: %s", e.File, e.Line, e.Msg)
}

func parseErr(file string, line int, code, msg string, kv ...string) *ParseError {
	return &ParseError{File: file, Line: line, Msg: msg, Code: code, Args: argMap(kv)}
}

func argMap(kv []string) map[string]string {
	if len(kv) < 2 {
		return nil
	}
	m := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// Codes of warnings and parse errors, and the Args each one carries. Text
// args quoted by the English sentence ("text", "key" of a parse error) hold
// it quoted and shortened, as the sentence shows it.
const (
	// Warnings.
	CodeDuplicateKey       = "duplicate-key"       // ini, kv: key, first_line
	CodeDuplicateName      = "duplicate-name"      // json: name, first_line
	CodeDuplicateValue     = "duplicate-value"     // reg: value, first_line
	CodeDuplicateAttribute = "duplicate-attribute" // xml: attribute, element
	CodeDuplicateElement   = "duplicate-element"   // xml: element, count, first_line
	CodeDeletesKey         = "deletes-key"         // reg: key
	CodeDeletesValue       = "deletes-value"       // reg: value
	CodeMoreWarnings       = "more-warnings"       // count, last_line

	// Parse errors of every format.
	CodeUTF16OddLength = "utf16-odd-length"
	CodeTooLarge       = "too-large"      // max_mib
	CodeUnknownFormat  = "unknown-format" // format, known
	CodeRegistryFormat = "registry-not-a-file"
	CodeTooDeep        = "too-deep" // json, xml: max

	CodeINISectionUnclosed  = "ini-section-unclosed"
	CodeINITextAfterSection = "ini-text-after-section" // text
	CodeINIEmptySection     = "ini-empty-section"
	CodeINIBadLine          = "ini-bad-line" // text
	CodeININoKey            = "ini-no-key"

	CodeKVBadLine   = "kv-bad-line" // text
	CodeKVBadKey    = "kv-bad-key"  // key
	CodeKVQuoteOpen = "kv-quote-open"

	CodeRegEmpty           = "reg-empty"
	CodeRegBadHeader       = "reg-bad-header" // text
	CodeRegKeyUnclosed     = "reg-key-unclosed"
	CodeRegUnknownRoot     = "reg-unknown-root" // key
	CodeRegBadLine         = "reg-bad-line"     // text
	CodeRegValueOutsideKey = "reg-value-outside-key"
	CodeRegBadValueName    = "reg-bad-value-name"
	CodeRegNoEquals        = "reg-no-equals"
	CodeRegBadData         = "reg-bad-data"

	// The decoder's own sentence, in English only, stays in Msg.
	CodeJSONSyntax        = "json-syntax"
	CodeJSONUnexpectedEnd = "json-unexpected-end"
	CodeJSONTextAfter     = "json-text-after"

	CodeXMLSyntax          = "xml-syntax"
	CodeXMLSecondRoot      = "xml-second-root" // element
	CodeXMLTextOutsideRoot = "xml-text-outside-root"
	CodeXMLNoRoot          = "xml-no-root"
)

// Codes returns every code a Warning or ParseError may carry.
func Codes() []string {
	return []string{
		CodeDuplicateKey, CodeDuplicateName, CodeDuplicateValue, CodeDuplicateAttribute, CodeDuplicateElement,
		CodeDeletesKey, CodeDeletesValue, CodeMoreWarnings,
		CodeUTF16OddLength, CodeTooLarge, CodeUnknownFormat, CodeRegistryFormat, CodeTooDeep,
		CodeINISectionUnclosed, CodeINITextAfterSection, CodeINIEmptySection, CodeINIBadLine, CodeININoKey,
		CodeKVBadLine, CodeKVBadKey, CodeKVQuoteOpen,
		CodeRegEmpty, CodeRegBadHeader, CodeRegKeyUnclosed, CodeRegUnknownRoot, CodeRegBadLine,
		CodeRegValueOutsideKey, CodeRegBadValueName, CodeRegNoEquals, CodeRegBadData,
		CodeJSONSyntax, CodeJSONUnexpectedEnd, CodeJSONTextAfter,
		CodeXMLSyntax, CodeXMLSecondRoot, CodeXMLTextOutsideRoot, CodeXMLNoRoot,
	}
}

// Source holds the parameter values of one settings file or registry tree.
type Source interface {
	// Lookup returns the value addressed by key, in the addressing of the
	// source's format, and whether the source holds it.
	Lookup(key string) (Value, bool)
	// Keys returns every key the source holds, sorted, each spelled so that
	// Lookup finds it. Containers (JSON objects and arrays, XML elements
	// with child elements) are not listed: their contents are.
	Keys() []string
}

// MaxFileSize bounds what Open reads: settings files are small, and a huge
// file must not exhaust memory. A path naming a FIFO or a device is refused
// before anything is read.
const MaxFileSize = 64 << 20

// Formats returns the names of the file formats Open and Parse accept.
// The live Windows registry is read by OpenRegistry instead.
func Formats() []string {
	return []string{"ini", "json", "kv", "reg", "xml"}
}

// Open reads the settings file at path in the given format (one of Formats).
// The file is opened read-only and never written, without waiting: a FIFO,
// a device or a directory in its place is refused, naming what it is.
func Open(path, format string) (Source, []Warning, error) {
	return OpenWith(path, format, Options{})
}

// OpenWith is Open with options.
func OpenWith(path, format string, o Options) (Source, []Warning, error) {
	if !slices.Contains(Formats(), strings.ToLower(format)) {
		return nil, nil, unknownFormat(path, format)
	}
	f, err := regular.Open(path)
	var nr *regular.NotRegularError
	if errors.As(err, &nr) {
		return nil, nil, fmt.Errorf("settings %w", err) // the error names the file
	}
	if err != nil {
		return nil, nil, fmt.Errorf("settings %s: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("settings %s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return nil, nil, parseErr(path, 0, CodeTooLarge, fmt.Sprintf("larger than %d MiB, not a settings file", MaxFileSize>>20),
			"max_mib", strconv.Itoa(MaxFileSize>>20))
	}
	return ParseWith(data, path, format, o)
}

// Parse reads settings from data in the given format; file names the data
// in errors and warnings. The formats and their addressing:
//
// A key given more than once is read with its value in Text (the last one,
// or the first for XML elements) and the other values in Others, with a
// warning naming both lines.
//
// ini: "Section.Key", or "Key" for keys before the first section. Names are
// case-sensitive, unless Options.Windows: then, as GetPrivateProfileString
// reads them, "[scan]" and "[Scan]" are one section, a key in any case is
// found, and two keys differing only in case are one key given twice (Keys
// lists the last spelling). Lines starting with ";" or "#" are
// comments; there are no inline comments, as in Windows. Names and values
// are trimmed, and a value wholly enclosed in double or single quotes loses
// them. A key given twice in a section: the last value is Text. Any other
// line is an error.
//
// json: a JSON pointer, "/update/threads", with "~0" for "~" and "~1" for
// "/" in names and 0-based array indexes; "" is the whole document. Strings
// read unquoted, numbers exactly as written, true and false as such, null as
// present with empty text. Objects and arrays are present, their text the
// compact JSON. A name given twice in an object: the last value is Text,
// and a key through the name has a reading in each of its values.
//
// xml: "/root/child/leaf" for the trimmed text of an element, ".../@name" for
// an attribute; a step may carry a 1-based index, "/a/b[2]", and a step
// without one means its first match, and has a reading in every match (an
// element repeated under one parent is warned about once, at its second
// copy). Keys lists indexes only where siblings share a name. An attribute
// given twice in an element: the last is Text. Namespace prefixes are
// dropped (local names only). An
// attribute's line is its element's. An empty element with attributes is
// listed by its attributes only. Encodings other than UTF-8 and UTF-16
// are decoded as the XML declaration names them.
//
// kv: "KEY=value" or "key = value" lines, with an optional "export " prefix;
// "#" starts a comment line, and in unquoted values a comment after
// whitespace. Double quotes take the shell's backslash escapes (\" \\ \$ \`),
// single quotes none; a quoted value may span lines. Variables are not
// expanded. Keys are case-sensitive; a repeated key: the last is Text.
//
// reg: `HKLM\Path\Key\Value`, the hive abbreviated (HKLM, HKCU, HKCR, HKU,
// HKCC) or spelled in full; key paths and value names are case-insensitive
// as in Windows, whatever the Options (two values differing only in case
// are one value given twice); a key's default
// value ("@=") is `HKLM\Path\Key\(Default)`, as regedit shows it (a value
// really named "(Default)" cannot be told from it). Data read
// as text: REG_SZ and REG_EXPAND_SZ as the string (variables not expanded),
// dword, qword and hex(4)/hex(5)/hex(b) as unsigned decimal, REG_MULTI_SZ as
// its strings joined with "\n", anything else (hex:, REG_NONE, resource
// lists) as lowercase hex digits. Deletions ("[-Key]", "Name"=-) are applied
// in file order, as importing the file would, each with a warning since an
// export holds none.
//
// Every text format may start with a UTF-8 byte order mark, or be UTF-16
// with one.
func Parse(data []byte, file, format string) (Source, []Warning, error) {
	return ParseWith(data, file, format, Options{})
}

// ParseWith is Parse with options.
func ParseWith(data []byte, file, format string, o Options) (Source, []Warning, error) {
	var src Source
	var warns []Warning
	var err error
	switch strings.ToLower(format) {
	case "ini":
		src, warns, err = parseINI(data, file, o.Windows)
	case "json":
		src, warns, err = parseJSON(data, file)
	case "xml":
		src, warns, err = parseXML(data, file)
	case "kv":
		src, warns, err = parseKV(data, file)
	case "reg":
		src, warns, err = parseReg(data, file)
	default:
		return nil, nil, unknownFormat(file, format)
	}
	return src, moreWarnings(warns), err
}

func unknownFormat(file, format string) error {
	if strings.EqualFold(format, "registry") {
		return parseErr(file, 0, CodeRegistryFormat, "the live registry is not a file format; read it with OpenRegistry")
	}
	known := strings.Join(Formats(), ", ")
	return parseErr(file, 0, CodeUnknownFormat, fmt.Sprintf("unknown format %q (known: %s)", format, known),
		"format", format, "known", known)
}

// table is the Source of the line-oriented formats: a map from the key as
// looked up to its value, with the keys as listed.
type table struct {
	vals map[string]Value
	// fold maps a key as asked to the form vals is indexed by; nil means
	// the key is used as given.
	fold func(string) string
	// names maps the form vals is indexed by to the spelling Keys lists,
	// where they differ.
	names map[string]string
}

func newTable() *table { return &table{vals: make(map[string]Value)} }

func (t *table) Lookup(key string) (Value, bool) {
	if t.fold != nil {
		key = t.fold(key)
	}
	v, ok := t.vals[key]
	return v, ok
}

func (t *table) Keys() []string {
	keys := make([]string, 0, len(t.vals))
	for k := range t.vals {
		if n, ok := t.names[k]; ok {
			k = n
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// set stores a value under key, adding to warns a warning if the key was
// already set: the last value is the Value's Text, the earlier ones its
// Others.
func (t *table) set(warns []Warning, file, key string, v Value) []Warning {
	f := key
	if t.fold != nil {
		f = t.fold(key)
	}
	if f != key {
		t.names[f] = key
	} else if t.names != nil {
		delete(t.names, f)
	}
	old, dup := t.vals[f]
	if dup {
		v.Others = append(old.Others, Reading{Text: old.Text, Line: old.Line, Present: true})
	}
	t.vals[f] = v
	if !dup {
		return warns
	}
	return addWarning(warns, file, v.Line, func() Warning {
		return warning(file, v.Line, CodeDuplicateKey,
			fmt.Sprintf("key %q set again (first at line %d); the value of line %d wins", key, firstLine(old), v.Line),
			"key", key, "first_line", strconv.Itoa(firstLine(old)))
	})
}

// firstLine is the line where a key given more than once was first given.
func firstLine(v Value) int {
	if len(v.Others) > 0 {
		return v.Others[0].Line
	}
	return v.Line
}

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decodeText turns data into UTF-8 text: a UTF-8 byte order mark is
// dropped, and UTF-16 with a byte order mark (as Windows tools write it) is
// decoded. Anything else is taken as UTF-8 and left alone.
func decodeText(data []byte) ([]byte, error) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return data[len(bomUTF8):], nil
	case bytes.HasPrefix(data, bomUTF16LE):
		return decodeUTF16(data[2:], false)
	case bytes.HasPrefix(data, bomUTF16BE):
		return decodeUTF16(data[2:], true)
	}
	return data, nil
}

func decodeUTF16(b []byte, bigEndian bool) ([]byte, error) {
	if len(b)%2 != 0 {
		return nil, errors.New("UTF-16 text with an odd number of bytes")
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
	}
	return []byte(string(utf16.Decode(u))), nil
}

// lines splits text into lines without their "\n" or "\r\n" ends.
func lines(text []byte) []string {
	s := strings.Split(string(text), "\n")
	for i, l := range s {
		s[i] = strings.TrimSuffix(l, "\r")
	}
	return s
}

// textLines decodes data and splits it into lines, reporting an encoding
// problem as a ParseError at line 1.
func textLines(data []byte, file string) ([]string, error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, parseErr(file, 1, CodeUTF16OddLength, err.Error())
	}
	return lines(text), nil
}

// lineCounter turns byte offsets into 1-based line numbers, cheaply when
// the offsets grow, as they do while a decoder walks its input.
type lineCounter struct {
	data []byte
	off  int
	line int
}

func (c *lineCounter) at(off int) int {
	off = min(max(off, 0), len(c.data))
	if off < c.off {
		c.off, c.line = 0, 0
	}
	c.line += bytes.Count(c.data[c.off:off], []byte{'\n'})
	c.off = off
	return c.line + 1
}
