package formular

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/internal/lazyre"
)

// ParseError is a formular that cannot be read, located by file and line.
type ParseError struct {
	File string
	Line int
	Err  error
}

func (e *ParseError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("formular line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("formular %s line %d: %v", e.File, e.Line, e.Err)
}

func (e *ParseError) Unwrap() error { return e.Err }

// Parse reads a formular. Any departure from the specification is an error
// naming the file and line; nothing is guessed. The signature must have
// been checked on data before: Parse trusts nothing and checks everything,
// but it cannot tell who wrote the file.
func Parse(data []byte, file string) (*Formular, error) {
	return ParseText(string(data), file)
}

// ParseTables reads a file of tables in the formular's syntax, with or
// without a version line and header of its own: tables written by hand,
// such as a safe-parameter table typed from a manual, to be added to a
// formular. Errors name the line of the file.
func ParseTables(data []byte, file string) ([]*Table, error) {
	if bytes.HasPrefix(data, []byte(Magic)) {
		f, err := Parse(data, file)
		if err != nil {
			return nil, err
		}
		return f.Tables, nil
	}
	f, err := Parse(append([]byte(Magic+" 1\n"), data...), file)
	var pe *ParseError
	if errors.As(err, &pe) {
		pe.Line-- // the line of the file, not of the version line added on top
	}
	if err != nil {
		return nil, err
	}
	// Rows and tables likewise: a message about a table names the line
	// of the file the user wrote.
	for _, t := range f.Tables {
		t.Line--
		for i := range t.Entries {
			t.Entries[i].Line--
		}
		for i := range t.Params {
			t.Params[i].Line--
		}
	}
	return f.Tables, nil
}

// ParseBytes is Parse without the copy: the strings of the result share
// data's memory, which saves copying the 10 MB of a large formular. data
// must never change afterwards, for as long as the result is used: a
// change would change the formular under its checked signature.
func ParseBytes(data []byte, file string) (*Formular, error) {
	return ParseText(unsafe.String(unsafe.SliceData(data), len(data)), file)
}

// ParseText is Parse of a formular's text: the strings of the result are
// cut from text, not copied.
func ParseText(text string, file string) (*Formular, error) {
	p := &parser{file: file, f: &Formular{}}
	if err := p.parse(text); err != nil {
		return nil, err
	}
	return p.f, nil
}

type parser struct {
	file string
	f    *Formular
	n    int // current line number
	cur  *Table
	// keys of the current table already seen, to the line they are on.
	seen map[string]int
	// line of the first table of a kind that may appear once.
	once map[Kind]int
	// sums is the block the rows' digests are decoded into.
	sums []byte
}

// sumsBlock is the size of a block of rows' digests.
const sumsBlock = 64 << 10

func (p *parser) errf(format string, args ...any) error {
	return &ParseError{File: p.file, Line: p.n, Err: fmt.Errorf(format, args...)}
}

func (p *parser) wrap(err error) error {
	return &ParseError{File: p.file, Line: p.n, Err: err}
}

func (p *parser) parse(text string) error {
	if text == "" {
		p.n = 1
		return p.errf("empty file: missing version line %q", versionLine())
	}
	lines := strings.Split(text, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) > math.MaxInt32 {
		// A row keeps its line in 32 bits; MaxSize is far below this.
		p.n = math.MaxInt32
		return p.errf("more than %d lines: a formular is at most %d bytes", math.MaxInt32, MaxSize)
	}
	p.once = map[Kind]int{}
	inHeader := true
	headerLine := map[string]int{}
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		p.n = i + 1
		if err := checkLine(line); err != nil {
			return p.wrap(err)
		}
		if i == 0 {
			if err := parseVersion(line); err != nil {
				return p.wrap(err)
			}
			p.f.Version = FormatVersion
			continue
		}
		if blankOrComment(line) {
			continue
		}
		if line[0] == '[' {
			t, err := p.tableHeader(line)
			if err != nil {
				return err
			}
			if err := p.finishTable(); err != nil {
				return err
			}
			// Sized for the lines up to the next table: a table of
			// 100,000 rows grown row by row is copied again and again.
			rows := 0
			for _, l := range lines[i+1:] {
				if strings.HasPrefix(l, "[") {
					break
				}
				rows++
			}
			if t.Kind != KindParameters && rows > 0 {
				t.Entries = make([]Entry, 0, rows)
			}
			p.f.Tables = append(p.f.Tables, t)
			p.cur = t
			inHeader = false
			if t.Kind != KindParameters && rows >= 2*rowsPerPart {
				p.seen = nil // rows finds paths given twice its own way
				if err := p.rows(lines, i+1, i+1+rows); err != nil {
					return err
				}
				i += rows
			} else {
				p.seen = make(map[string]int, rows)
			}
			continue
		}
		if inHeader {
			fl, err := parseField(line)
			if err != nil {
				return p.wrap(err)
			}
			if first, dup := headerLine[fl.Key]; dup {
				return p.errf("header key %q given twice (first on line %d)", fl.Key, first)
			}
			headerLine[fl.Key] = p.n
			fl.Line = p.n
			p.f.Header = append(p.f.Header, fl)
			continue
		}
		var err error
		if p.cur.Kind == KindParameters {
			err = p.param(line)
		} else {
			err = p.entry(line)
		}
		if err != nil {
			return err
		}
	}
	if err := p.finishTable(); err != nil {
		return err
	}
	if p.f.Version == 0 {
		p.n = 1
		return p.errf("missing version line %q", versionLine())
	}
	if len(p.f.Tables) == 0 {
		p.n = len(lines)
		return p.errf("no table: a formular lists at least one [image], [boot], [media], [modules] or [parameters] table")
	}
	return nil
}

func versionLine() string { return Magic + " " + strconv.Itoa(FormatVersion) }

// checkLine rejects what no line may hold: bytes that are not UTF-8 and
// control characters (CR included: formulars end lines with LF only).
func checkLine(line string) error {
	if !utf8.ValidString(line) {
		return errors.New(`not valid UTF-8 (a file name that is not UTF-8 is written with \xHH escapes on a line starting with \)`)
	}
	// Byte by byte: every byte of a multi-byte character is 0x80 or
	// above, so only a one-byte character can be a control; a rune loop
	// took a third of a large table's parse.
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '\r':
			return errors.New("carriage return: formulars end lines with LF only")
		case c < 0x20 || c == 0x7f:
			return fmt.Errorf(`control character U+%04X (write it in a path as \xHH on a line starting with \)`, c)
		}
	}
	return nil
}

func parseVersion(line string) error {
	if strings.HasPrefix(line, "\uFEFF") {
		return errors.New("the file starts with a byte order mark; save it as UTF-8 without BOM")
	}
	v, ok := strings.CutPrefix(line, Magic+" ")
	if !ok {
		return fmt.Errorf("missing version line: the first line must be %q", versionLine())
	}
	if v != strconv.Itoa(FormatVersion) {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			return fmt.Errorf("unsupported format version %d (this program reads version %d)", n, FormatVersion)
		}
		return fmt.Errorf("bad version line %q: the first line must be %q", line, versionLine())
	}
	return nil
}

var headerKeyRE = lazyre.New(`^[a-z][a-z0-9._-]*$`)
var protectionClassRE = lazyre.New(`^[1-6][АБВГ]?$`)

func parseField(line string) (Field, error) {
	key, value, ok := strings.Cut(line, ":")
	if !ok || !headerKeyRE().MatchString(key) {
		return Field{}, fmt.Errorf("expected a header line \"key: value\" (key in lower case) or a table \"[kind ...]\", got %q", line)
	}
	value = strings.Trim(value, " ")
	if err := checkField(key, value); err != nil {
		return Field{}, err
	}
	return Field{Key: key, Value: value}, nil
}

// checkField validates the values of the known header keys.
func checkField(key, value string) error {
	if !headerKeyRE().MatchString(key) {
		return fmt.Errorf("header key %q: lower-case letters, digits, '.', '_' and '-' only", key)
	}
	if err := checkText("header value", value); err != nil {
		return err
	}
	if value == "" || strings.Trim(value, " ") != value {
		return fmt.Errorf("header key %q: the value must be non-empty without surrounding spaces", key)
	}
	switch key {
	case KeyValidUntil, KeySupportUntil:
		if _, err := time.Parse(DateLayout, value); err != nil {
			return fmt.Errorf("%s: %q is not a date YYYY-MM-DD", key, value)
		}
	case KeyProtectionClass:
		if !protectionClassRE().MatchString(value) {
			return fmt.Errorf("%s: %q is not a class 1 to 6 with an optional letter А, Б, В or Г", key, value)
		}
	}
	return nil
}

// attr is one token of a table header: a flag or algorithm ("closed",
// "sha256") or an attribute "name=value".
type attr struct {
	name, value string
	hasValue    bool
}

func splitAttrs(s string) ([]attr, error) {
	var out []attr
	for {
		s = strings.TrimLeft(s, " ")
		if s == "" {
			return out, nil
		}
		end := strings.IndexAny(s, " =")
		if end < 0 {
			end = len(s)
		}
		a := attr{name: s[:end]}
		s = s[end:]
		if strings.HasPrefix(s, "=") {
			a.hasValue = true
			s = s[1:]
			if strings.HasPrefix(s, `"`) {
				v, rest, err := readQuoted(s)
				if err != nil {
					return nil, fmt.Errorf("attribute %s: %w", a.name, err)
				}
				if rest != "" && rest[0] != ' ' {
					return nil, fmt.Errorf("attribute %s: text right after the closing quote", a.name)
				}
				a.value, s = v, rest
			} else {
				end := strings.IndexByte(s, ' ')
				if end < 0 {
					end = len(s)
				}
				a.value, s = s[:end], s[end:]
				if strings.Contains(a.value, `"`) {
					return nil, fmt.Errorf("attribute %s: a quote inside an unquoted value", a.name)
				}
			}
		}
		out = append(out, a)
	}
}

// knownOS are the systems a default.OS attribute may name (runtime.GOOS).
var knownOS = []string{"linux", "windows", "darwin", "freebsd", "netbsd", "openbsd"}

// windowsVars are the Windows variables a root may use without declaring a
// default: Windows itself gives their values. Their spelling is canonical.
var windowsVars = []string{"ProgramFiles", "ProgramFiles(x86)", "ProgramData", "SystemRoot"}

var dollarVarRE = lazyre.New(`^\$\{[A-Za-z_][A-Za-z0-9_]*\}$`)
var percentVarRE = lazyre.New(`^%[A-Za-z_][A-Za-z0-9_()]*%$`)

func (p *parser) tableHeader(line string) (*Table, error) {
	inner, ok := strings.CutSuffix(line[1:], "]")
	if !ok {
		return nil, p.errf("table header %q does not end with ]", line)
	}
	attrs, err := splitAttrs(inner)
	if err != nil {
		return nil, p.wrap(err)
	}
	if len(attrs) == 0 || attrs[0].hasValue {
		return nil, p.errf("table header %q does not start with a kind (image, boot, media, modules, parameters)", line)
	}
	t := &Table{Kind: Kind(attrs[0].name), Line: p.n}
	if !slices.Contains(kinds, t.Kind) {
		return nil, p.errf("unknown table kind %q (known: image, boot, media, modules, parameters)", attrs[0].name)
	}
	if t.Kind == KindImage || t.Kind == KindBoot || t.Kind == KindMedia {
		if first, dup := p.once[t.Kind]; dup {
			return nil, p.errf("a second [%s] table (first on line %d): a formular has at most one", t.Kind, first)
		}
		p.once[t.Kind] = p.n
	}
	given := map[string]bool{}
	for _, a := range attrs[1:] {
		if given[a.name] && a.name != "exclude" {
			return nil, p.errf("[%s] table: %s given twice", t.Kind, a.name)
		}
		given[a.name] = true
		if err := t.setAttr(a); err != nil {
			return nil, p.errf("[%s] table: %v", t.Kind, err)
		}
	}
	if err := t.checkHeader(); err != nil {
		return nil, p.errf("[%s] table: %v", t.Kind, err)
	}
	return t, nil
}

func (t *Table) setAttr(a attr) error {
	name := a.name
	flag := func(dst *bool) error {
		if a.hasValue {
			return fmt.Errorf("%s takes no value", name)
		}
		*dst = true
		return nil
	}
	value := func(dst *string) error {
		if !a.hasValue || a.value == "" {
			return fmt.Errorf("%s needs a value (%s=...)", name, name)
		}
		if err := checkText(name, a.value); err != nil {
			return err
		}
		*dst = a.value
		return nil
	}
	switch {
	case name == "closed" && t.Kind != KindImage && t.Kind != KindBoot:
		return flag(&t.Closed)
	case name == "exclude" && (t.Kind == KindMedia || t.Kind == KindModules):
		var g string
		if err := value(&g); err != nil {
			return err
		}
		if _, err := path.Match(g, ""); err != nil {
			return fmt.Errorf("exclude=%s: %v", g, err)
		}
		if slices.Contains(t.Exclude, g) {
			return fmt.Errorf("exclude=%s given twice", g)
		}
		// Sorted as read: the canonical order, whatever the author's.
		i, _ := slices.BinarySearch(t.Exclude, g)
		t.Exclude = slices.Insert(t.Exclude, i, g)
		return nil
	case name == "mode" && t.Kind == KindModules:
		return flag(&t.HasMode)
	case name == "root" && t.Kind == KindModules:
		return value(&t.Root)
	case name == "os" && (t.Kind == KindModules || t.Kind == KindParameters):
		return value(&t.OS)
	case (name == "default" || strings.HasPrefix(name, "default.")) && t.Kind == KindModules:
		var v string
		if err := value(&v); err != nil {
			return err
		}
		os := strings.TrimPrefix(name, "default")
		if os != "" {
			if os = os[1:]; os == "" {
				return errors.New(`"default." names no system (default.linux=, default.windows=...)`)
			}
		}
		if t.Defaults == nil {
			t.Defaults = map[string]string{}
		}
		t.Defaults[os] = v
		return nil
	case name == "source" && t.Kind == KindParameters:
		return value(&t.Source)
	case name == "format" && t.Kind == KindParameters:
		return value(&t.Format)
	case a.hasValue:
		return fmt.Errorf("unknown attribute %q", name)
	case t.Kind == KindParameters:
		return fmt.Errorf("unknown attribute %q (a parameters table has no digest columns)", name)
	}
	c, err := checksum.ParseColumn(name)
	if err != nil {
		return fmt.Errorf("unknown attribute or algorithm %q: %v", name, err)
	}
	if c.String() != name {
		return fmt.Errorf("algorithm %q must be written %q", name, c.String())
	}
	for _, o := range t.Columns {
		if o.Alg == c.Alg {
			return fmt.Errorf("algorithm %s given twice", c.Alg.Name)
		}
	}
	t.Columns = append(t.Columns, c)
	return nil
}

// checkHeader checks what a table needs once all attributes are known.
func (t *Table) checkHeader() error {
	if t.Kind == KindParameters {
		if t.Format == "" {
			return fmt.Errorf("format= missing (one of %s)", strings.Join(formats, ", "))
		}
		if !slices.Contains(formats, t.Format) {
			return fmt.Errorf("unknown format %q (known: %s)", t.Format, strings.Join(formats, ", "))
		}
		if t.Format == "registry" && t.Source != "" {
			return errors.New("format=registry reads the live registry and takes no source=")
		}
		if t.OS != "" && t.OS != OSLinux && t.OS != OSWindows {
			return fmt.Errorf("unknown os=%s (known: linux, windows)", t.OS)
		}
		return nil
	}
	if len(t.Columns) == 0 {
		return errors.New("no digest column: name at least one algorithm")
	}
	if t.Kind != KindModules {
		return nil
	}
	switch t.OS {
	case "", OSLinux, OSWindows:
	default:
		return fmt.Errorf("unknown os=%s (known: linux, windows)", t.OS)
	}
	if t.HasMode && t.Windows() {
		return errors.New("mode is POSIX permission bits: not for an os=windows table")
	}
	for os, d := range t.Defaults {
		attr := "default"
		if os != "" {
			attr += "." + os
			if !slices.Contains(knownOS, os) {
				return fmt.Errorf("unknown system in %s (known: %s)", attr, strings.Join(knownOS, ", "))
			}
		}
		if !absRoot(d, os) {
			return fmt.Errorf("%s=%s is not an absolute path", attr, d)
		}
	}
	switch {
	case t.Root == "":
		return errors.New("root= missing (a variable such as ${INSTALLDIR} or %ProgramFiles%, or an absolute path)")
	case dollarVarRE().MatchString(t.Root):
		if len(t.Defaults) == 0 {
			return fmt.Errorf("unknown root variable %s: declare its default (default=PATH or default.OS=PATH)", t.Root)
		}
	case percentVarRE().MatchString(t.Root):
		if !t.Windows() {
			return fmt.Errorf("root %s is a Windows variable: the table needs os=windows", t.Root)
		}
		name := t.Root[1 : len(t.Root)-1]
		for _, w := range windowsVars {
			if strings.EqualFold(w, name) {
				t.Root = "%" + w + "%"
				return nil
			}
		}
		if len(t.Defaults) == 0 {
			return fmt.Errorf("unknown root variable %s (known: %%%s%%): declare its default (default=PATH)", t.Root, strings.Join(windowsVars, "%, %"))
		}
	case absRoot(t.Root, t.OS):
		if len(t.Defaults) != 0 {
			return errors.New("default= is for a root variable, not for a root path")
		}
	default:
		return fmt.Errorf("root=%s is neither a variable (${NAME}, %%NAME%%) nor an absolute path", t.Root)
	}
	return nil
}

// absRoot reports whether p is an absolute path on the system os ("" for
// either style).
func absRoot(p, os string) bool {
	posix := strings.HasPrefix(p, "/")
	win := len(p) >= 3 && isLetter(p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/') ||
		strings.HasPrefix(p, `\\`)
	switch os {
	case OSWindows:
		return win
	case "":
		return posix || win
	}
	return posix
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func (p *parser) finishTable() error {
	t := p.cur
	if t == nil {
		return nil
	}
	slices.SortStableFunc(t.Entries, t.compareRows)
	if t.Kind == KindBoot {
		return checkBootSlots(p.file, t.Entries)
	}
	return nil
}

// blankOrComment reports a line that holds nothing to read.
func blankOrComment(line string) bool {
	return strings.TrimLeft(line, " ") == "" || line[0] == '#'
}

// rowsPerPart is the fewest rows worth a goroutine of their own.
const rowsPerPart = 4096

// rows parses the rows of the current file table, lines[lo:hi], on
// several goroutines: the rows of a table of 100,000 modules are most of a
// formular's parse time. Paths given twice are found afterwards, in line
// order, so the error is the one a parse line by line gives: the first.
func (p *parser) rows(lines []string, lo, hi int) error {
	// Each part writes its rows into its own stretch of the table, which
	// is then closed up over blank and comment lines.
	t := p.cur
	t.Entries = t.Entries[:hi-lo]
	type part struct {
		first, n int
		err      error
	}
	parts := make([]part, min(runtime.GOMAXPROCS(0), (hi-lo)/rowsPerPart))
	size := (hi - lo + len(parts) - 1) / len(parts)
	var wg sync.WaitGroup
	for k := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := &parser{file: p.file, cur: t}
			pt := &parts[k]
			pt.first = lo + k*size
			last := min(lo+(k+1)*size, hi)
			out := t.Entries[pt.first-lo : last-lo]
			for j := pt.first; j < last; j++ {
				line := lines[j]
				q.n = j + 1
				if err := checkLine(line); err != nil {
					pt.err = q.wrap(err)
					return
				}
				if blankOrComment(line) {
					continue
				}
				e, err := q.row(line)
				if err != nil {
					pt.err = err
					return
				}
				out[pt.n] = e
				pt.n++
			}
		}()
	}
	wg.Wait()
	n := 0
	var err error
	for _, pt := range parts {
		n += copy(t.Entries[n:], t.Entries[pt.first-lo:pt.first-lo+pt.n])
		if pt.err != nil {
			err = pt.err
			break
		}
	}
	clear(t.Entries[n:])
	t.Entries = t.Entries[:n]
	// Paths given twice: the first in line order, unless the first error
	// comes before it.
	if dup := p.firstDuplicate(t.Entries); dup != nil {
		var pe *ParseError
		if err == nil || errors.As(err, &pe) && dup.Line < pe.Line {
			return dup
		}
	}
	return err
}

// firstDuplicate finds, among entries in line order, the path given twice
// whose second line comes first, as a parse line by line meets it.
func (p *parser) firstDuplicate(entries []Entry) *ParseError {
	t := p.cur
	if t.Windows() {
		// Names differ in case only: a map of their keys.
		p.seen = make(map[string]int, len(entries))
		for _, e := range entries {
			if err := p.claim(e); err != nil {
				return err
			}
		}
		return nil
	}
	// Sorted stably, a path given twice stands next to itself, its first
	// line first; the table is sorted so anyway, and one already in strict
	// order (as formular make writes it) has no path twice and is left as
	// it is: on a million rows the sort's merges cost a serial tenth of a
	// second.
	if StrictlySorted(entries) {
		return nil
	}
	slices.SortStableFunc(entries, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	var second *Entry
	first := 0
	for i := 1; i < len(entries); i++ {
		if entries[i].Path == entries[i-1].Path && (second == nil || entries[i].Line < second.Line) {
			at := i - 1
			for at > 0 && entries[at-1].Path == entries[i].Path {
				at--
			}
			second, first = &entries[i], int(entries[at].Line)
		}
	}
	if second != nil {
		return p.duplicate(*second, first)
	}
	return nil
}

func (p *parser) duplicate(e Entry, first int) *ParseError {
	return &ParseError{File: p.file, Line: int(e.Line), Err: fmt.Errorf("duplicate path %q (first on line %d)", e.Path, first)}
}

// entry parses a row of a file table and adds it.
func (p *parser) entry(line string) error {
	e, err := p.row(line)
	if err != nil {
		return err
	}
	return p.add(e)
}

// add appends a parsed row to the current table, refusing a path given
// twice.
func (p *parser) add(e Entry) error {
	if err := p.claim(e); err != nil {
		p.n = int(e.Line)
		return err
	}
	p.cur.Entries = append(p.cur.Entries, e)
	return nil
}

// claim records e's path as seen, or says where it was seen first.
func (p *parser) claim(e Entry) *ParseError {
	key := p.cur.NameKey(e.Path)
	if first, dup := p.seen[key]; dup {
		return p.duplicate(e, first)
	}
	p.seen[key] = int(e.Line)
	return nil
}

// row parses a row of a file table, line p.n:
// [\]<hex>... <size> [<mode>] <path>
// It reads the parser's table and nothing else of its state, so rows can
// be parsed by several parsers at once.
func (p *parser) row(line string) (Entry, error) {
	t := p.cur
	escaped := line[0] == '\\'
	s := line
	if escaped {
		s = s[1:]
	}
	// field cuts the next field off s; what names it for the error, and
	// is a function so that a million rows build no name they never need.
	field := func(what func() string) (string, error) {
		f, rest, ok := strings.Cut(s, " ")
		if !ok {
			want := fmt.Sprintf("%d digest(s), size", len(t.Columns))
			if t.HasMode {
				want += ", mode"
			}
			return "", p.errf("row has no %s: the table expects %s and path, separated by single spaces", what(), want)
		}
		s = rest
		return f, nil
	}
	e := Entry{Line: int32(p.n)}
	// The digests go into the parser's block: a million rows are not
	// a million allocations.
	if width := SumsWidth(t.Columns); cap(p.sums)-len(p.sums) < width {
		p.sums = make([]byte, 0, max(sumsBlock, width))
	}
	start := len(p.sums)
	for _, c := range t.Columns {
		h, err := field(func() string { return c.String() + " digest" })
		if err == nil {
			p.sums, err = c.AppendDecode(p.sums, h)
			if err != nil && isDecimal(h) {
				err = p.errf("row has fewer digests than the table's %d column(s) (%s)", len(t.Columns), columnNames(t.Columns))
			} else if err != nil {
				err = p.errf("column %s: %v", c, err)
			}
		}
		if err != nil {
			p.sums = p.sums[:start]
			return Entry{}, err
		}
	}
	e.Sums = p.sums[start:len(p.sums):len(p.sums)]
	sz, err := field(func() string { return "size" })
	if err != nil {
		return Entry{}, err
	}
	if e.Size, err = parseSize(sz); err != nil {
		if len(sz) >= 32 && isHex(sz) {
			return Entry{}, p.errf("row has more digests than the table's %d column(s) (%s)", len(t.Columns), columnNames(t.Columns))
		}
		return Entry{}, p.wrap(err)
	}
	if t.Kind == KindBoot && e.Size < 0 {
		return Entry{}, p.wrap(errBootSize)
	}
	if t.HasMode {
		m, err := field(func() string { return "mode" })
		if err != nil {
			return Entry{}, err
		}
		if e.Mode, err = parseMode(m); err != nil {
			return Entry{}, p.wrap(err)
		}
	}
	path := s
	if escaped {
		if path, err = unescapePath(s); err != nil {
			return Entry{}, p.wrap(err)
		}
	} else if strings.Contains(path, `\`) && !t.Windows() {
		return Entry{}, p.errf(`backslash in path %q: write the row escaped (a line starting with \, the backslash as \\)`, path)
	}
	if t.Windows() {
		path = strings.ReplaceAll(path, `\`, "/")
	}
	if err := checkPath(path, t); err != nil {
		return Entry{}, p.wrap(err)
	}
	e.Path = path
	return e, nil
}

func columnNames(cs []checksum.Column) string {
	var n []string
	for _, c := range cs {
		n = append(n, c.String())
	}
	return strings.Join(n, " ")
}

func isDecimal(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if unhex(s[i]) < 0 {
			return false
		}
	}
	return s != ""
}

// UnknownSize is the size of a row imported from a list that gives none
// (sha256sum's): written "-", and not compared by verify.
const UnknownSize = -1

func parseSize(s string) (int64, error) {
	if s == "-" {
		return UnknownSize, nil
	}
	if !isDecimal(s) || (len(s) > 1 && s[0] == '0') {
		return 0, fmt.Errorf("bad size %q: a decimal number of bytes without leading zeros", s)
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("bad size %q: too large", s)
	}
	return n, nil
}

func parseMode(s string) (uint32, error) {
	bad := fmt.Errorf("bad mode %q: 3 or 4 octal digits such as 0755", s)
	if len(s) < 3 || len(s) > 4 {
		return 0, bad
	}
	n, err := strconv.ParseUint(s, 8, 32)
	if err != nil {
		return 0, bad
	}
	return uint32(n), nil
}

// checkPath enforces the path rules: relative, no empty, "." or ".."
// component, no NUL; an image is a bare file name.
func checkPath(p string, t *Table) error {
	switch {
	case p == "":
		return errors.New("empty path")
	case strings.HasPrefix(p, "/"):
		return fmt.Errorf("absolute path %q: paths are relative to the table's root", p)
	case t.Windows() && len(p) >= 2 && isLetter(p[0]) && p[1] == ':':
		return fmt.Errorf("absolute path %q: paths are relative to the table's root", p)
	case strings.IndexByte(p, 0) >= 0:
		return fmt.Errorf("NUL byte in path %q", p)
	case t.Kind == KindImage && strings.Contains(p, "/"):
		return fmt.Errorf("image %q: an image is named by its file name, without directories", p)
	case t.Kind == KindBoot:
		_, err := ParseBootTarget(p)
		return err
	}
	for c := range strings.SplitSeq(p, "/") {
		switch c {
		case "":
			return fmt.Errorf("path %q has an empty component", p)
		case ".", "..":
			return fmt.Errorf("path %q has a %q component", p, c)
		}
	}
	return nil
}
