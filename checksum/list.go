package checksum

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unsafe"
)

// Format names a checksum list layout.
type Format string

// The list formats ReadList understands.
const (
	// FormatAuto reads GNU lines, BSD tag lines, rhash's several-digest
	// lines and hashdeep files (recognised by their "%%%%" header).
	FormatAuto Format = "auto"
	// FormatGNU is what sha256sum and its siblings write and read: digest
	// lines ("hex  name", "hex *name", a leading backslash for escaped
	// names) and the BSD tag lines of their --tag option, mixed.
	FormatGNU Format = "gnu"
	// FormatBSD is tag lines only: "SHA256 (name) = hex".
	FormatBSD Format = "bsd"
	// FormatHashdeep is hashdeep's CSV-like file with its "%%%%" header.
	FormatHashdeep Format = "hashdeep"
	// FormatRhash is rhash's default and --simple output: "hex  name" for
	// one algorithm, "name  hex  hex ..." for several.
	FormatRhash Format = "rhash"
	// FormatRhashBSD is rhash's --bsd output: tag lines, names unescaped.
	FormatRhashBSD Format = "rhash-bsd"
	// FormatDpkg is a dpkg md5sums file: "md5hex  path".
	FormatDpkg Format = "dpkg"
	// FormatGostsum is gostsum's output: GOST R 34.11-94 with CryptoPro
	// parameters (gost94 with -a gost94, gostsum -t), byte-reversed
	// relative to rhash, "hex name" with one space.
	FormatGostsum Format = "gostsum"
	// FormatGost12sum is gost12sum's output: Streebog-256, or -512 when
	// the digest has 128 hex digits, "hex name" with one space.
	FormatGost12sum Format = "gost12sum"
)

// Formats returns every format name ReadList accepts.
func Formats() []Format {
	return []Format{FormatAuto, FormatGNU, FormatBSD, FormatHashdeep, FormatRhash,
		FormatRhashBSD, FormatDpkg, FormatGostsum, FormatGost12sum}
}

// ParseFormat checks a format name given by a user.
func ParseFormat(s string) (Format, error) {
	for _, f := range Formats() {
		if string(f) == s {
			return f, nil
		}
	}
	names := make([]string, 0, len(Formats()))
	for _, f := range Formats() {
		names = append(names, string(f))
	}
	return "", fmt.Errorf("unknown list format %q (known: %s)", s, strings.Join(names, ", "))
}

// Sum is one digest of a list entry.
type Sum struct {
	// Col is the algorithm and the byte order the list wrote it in.
	Col Column
	// Digest is in canonical order (rhash's), whatever Col.Reversed says.
	Digest []byte
	// ByLength says the algorithm was told by the digest's length alone
	// (no tag, no -a, no format naming it) although other algorithms have
	// that length: an assumption, which the caller says.
	ByLength bool
}

// Entry is one file named by a checksum list.
type Entry struct {
	// Line is the 1-based line the entry was read from.
	Line int
	// Name is the file name as raw bytes, unescaped; it need not be UTF-8.
	Name string
	// Size is the file size in bytes, or -1 when the list gives none.
	Size int64
	// Sums holds one or more digests, in the list's column order.
	Sums []Sum
	// Binary records GNU's "*" marker; it changes nothing on POSIX.
	Binary bool
}

// LineError is a malformed line of a list.
type LineError struct {
	File string
	Line int
	Err  error
}

func (e LineError) Error() string {
	if e.File == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("%s line %d: %v", e.File, e.Line, e.Err)
}

func (e LineError) Unwrap() error { return e.Err }

// MaxLineErrors is the most malformed lines a list's reading keeps, each
// with its reason. The rest are counted in one more LineError, on the
// last of them, whose Err is a *MoreLineErrors: a gigabyte of malformed
// lines, half a billion, would otherwise take tens of gigabytes to report,
// and a terminal hours to show.
const MaxLineErrors = 1000

// MoreLineErrors counts the malformed lines of a list beyond
// MaxLineErrors, up to the line of the LineError that holds it.
type MoreLineErrors struct{ N int }

func (m *MoreLineErrors) Error() string {
	if m.N == 1 {
		return "1 more malformed line, this one"
	}
	return fmt.Sprintf("%d more malformed lines up to this one, not shown one by one", m.N)
}

// BadLines is how many malformed lines bad, as a list's reading returns
// it, stands for.
func BadLines(bad []LineError) int {
	if n := len(bad); n > 0 {
		if m, ok := bad[n-1].Err.(*MoreLineErrors); ok {
			return n - 1 + m.N
		}
	}
	return len(bad)
}

// addBad adds the malformed line e to bad, counting it in bad's last
// LineError once MaxLineErrors are kept.
func addBad(bad []LineError, e LineError) []LineError {
	switch {
	case len(bad) < MaxLineErrors:
		return append(bad, e)
	case len(bad) == MaxLineErrors:
		return append(bad, LineError{File: e.File, Line: e.Line, Err: &MoreLineErrors{N: 1}})
	}
	last := &bad[len(bad)-1]
	last.Line = e.Line
	last.Err.(*MoreLineErrors).N++
	return bad
}

// ReadOptions says how to read a list.
type ReadOptions struct {
	// Format is the list layout; "" means FormatAuto.
	Format Format
	// Algs are the algorithms given with -a. They decide the algorithm of
	// lines that do not name it; lines with a tag or a header keep theirs.
	Algs []*Algorithm
	// Defaults says Algs are the caller's defaults, not the user's -a:
	// messages then do not blame an -a nobody gave.
	Defaults bool
	// Reversed is rhash's --gost-reverse: GOST R 34.11-94 digests are
	// written byte-reversed. See GOSTReverseColumn.
	Reversed bool
	// File names the list in messages.
	File string
	// lines is the most entries the list can give, if known (ParseList):
	// the entries are then made at once instead of grown (growing by a
	// quarter at a time, a million entries cost five times their size
	// in copies and fresh memory).
	lines int
}

// nameBlocks copies names into blocks of their own, a block shared by
// many names.
type nameBlocks struct{ block []byte }

// keep returns a copy of name that shares no memory with it.
func (b *nameBlocks) keep(name string) string {
	if name == "" {
		return ""
	}
	if cap(b.block)-len(b.block) < len(name) {
		b.block = make([]byte, 0, max(64<<10, len(name)))
	}
	at := len(b.block)
	b.block = append(b.block, name...)
	return unsafe.String(&b.block[at], len(name))
}

// maxLine bounds the memory one line may take; longer lines are reported
// and skipped. File names are far shorter on every system.
const maxLine = 256 << 10

// ReadList reads a checksum list.
//
// Each digest's algorithm comes from the line's tag (BSD lines), from the
// header (hashdeep), from the format (dpkg, gostsum, gost12sum), else from
// opt.Algs, else from its length when exactly one registered algorithm has
// that many hex digits. Anything else is a LineError asking for -a: 64 hex
// digits may be sha256, blake3, Streebog-256 or either GOST R 34.11-94,
// and no line is ever tried against several algorithms. Byte order comes
// from opt.Reversed or from the format (gostsum), never from the digests.
//
// Digest-first lines are read as GNU coreutils reads them. The digest is
// followed by a blank, then by a second blank or "*" (binary) and the
// name. A list whose first such line has a single blank before the name
// (gostsum, gost12sum and BSD "md5 -r" write that) is read in that layout
// to its end: the name is everything after the one blank, and a line with
// two blanks then names a file starting with a blank. Mixing the two
// layouts is a LineError, as in GNU, so a renamed file cannot hide behind
// a leading blank. The layout never chooses an algorithm or a byte order:
// a gostsum list read as "auto" needs -a gost94-cryptopro and
// --gost-reverse, or format "gostsum" which implies both.
//
// Upper-case hex is accepted, CRLF line ends are read as LF, a leading
// UTF-8 byte order mark is dropped, blank lines and lines starting with
// "#" are skipped (and ";" in rhash and auto, rhash's SFV comments).
// Everything after the digest separator is the name, trailing blanks
// included, as in GNU; blanks after a digest that ends a line are ignored.
//
// bad holds the malformed lines (the first MaxLineErrors, then a count of
// the rest: BadLines says how many); err is an I/O error or a problem of the
// whole list (a hashdeep header without any usable column, -a naming
// algorithms the format cannot hold).
func ReadList(r io.Reader, opt ReadOptions) (entries []Entry, bad []LineError, err error) {
	p, err := newListParser(opt)
	if err != nil {
		return nil, nil, p.wrap(err)
	}
	if opt.lines > 0 {
		entries = make([]Entry, 0, opt.lines)
	}
	br := bufio.NewReaderSize(r, 64<<10)
	var long []byte // a line longer than br's buffer, gathered
	var names nameBlocks
	for lineNo := 1; ; lineNo++ {
		raw, tooLong, rerr := readLine(br, &long)
		if rerr != nil && rerr != io.EOF {
			return entries, bad, p.wrap(rerr)
		}
		if rerr == io.EOF && len(raw) == 0 && !tooLong {
			return entries, bad, nil
		}
		if tooLong {
			bad = addBad(bad, LineError{opt.File, lineNo, fmt.Errorf("line longer than %d bytes", maxLine)})
		} else {
			line := trimEOL(raw)
			if lineNo == 1 {
				line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
			}
			// The line is parsed where it lies, in br's buffer or in
			// long, until the next read: parseLine keeps nothing of it
			// (the name is copied below, the digests decoded, the
			// errors formatted). A copy of each line was as much
			// garbage as the list is long, and fresh memory.
			e, skip, perr := p.parseLine(unsafe.String(unsafe.SliceData(line), len(line)))
			switch {
			case perr != nil && p.fatal:
				return entries, bad, LineError{opt.File, lineNo, perr}
			case perr != nil:
				bad = addBad(bad, LineError{opt.File, lineNo, perr})
			case !skip:
				// The name alone is kept, not the line it was cut
				// from: a million lines of a list are 100 MB.
				e.Line, e.Name = lineNo, names.keep(e.Name)
				entries = append(entries, e)
			}
		}
		if rerr == io.EOF {
			return entries, bad, nil
		}
	}
}

// ParseList is ReadList of a list held in memory: its lines counted
// first, the entries are made once rather than grown (a 100,000-line
// list parsed in half the time, with half the memory allocated).
func ParseList(data []byte, opt ReadOptions) (entries []Entry, bad []LineError, err error) {
	opt.lines = entriesFor(bytes.Count(data, []byte{'\n'}), int64(len(data)))
	return ReadList(bytes.NewReader(data), opt)
}

// entriesFor is how many entries to make at once for a list of size
// bytes holding lineEnds line ends. No more than its bytes could fill: a
// line that gives an entry holds at least the shortest digest, a blank
// and a name's byte, and a list of a billion empty lines must not ask
// for 64 GB. Nor more than maxMadeEntries: a gigabyte of 9-byte malformed
// lines asked for 107 million (6.8 GB), a live object that held the
// collector off while the lines' errors piled up to 2.9 GB resident;
// a longer list grows its entries past that as they come.
func entriesFor(lineEnds int, size int64) int {
	return min(lineEnds+1, int(size/int64(shortestHex()+2))+1, maxMadeEntries)
}

// maxMadeEntries is the most entries made before a list is read: 2
// million, 128 MB, twice the million-line lists the rows bench checks.
const maxMadeEntries = 1 << 21

// readLine reads one line, its "\n" included: a line that fits br's
// buffer is returned where it lies there, valid until br's next read; a
// longer one is gathered in *long. A line longer than maxLine is consumed
// but not kept.
func readLine(br *bufio.Reader, long *[]byte) ([]byte, bool, error) {
	frag, err := br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return frag, len(frag) > maxLine, err
	}
	buf := append((*long)[:0], frag...)
	tooLong := len(buf) > maxLine
	for err == bufio.ErrBufferFull {
		frag, err = br.ReadSlice('\n')
		if !tooLong && len(buf)+len(frag) <= maxLine {
			buf = append(buf, frag...)
		} else {
			tooLong = true
			buf = buf[:0]
		}
	}
	*long = buf
	return buf, tooLong, err
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte("\n"))
	return bytes.TrimSuffix(b, []byte("\r"))
}

// candidates is the set of algorithms a digest without a tag may have,
// and what the user should be told it came from.
type candidates struct {
	algs []*Algorithm
	from string // "" for the registry
}

// listParser holds what one list's lines share.
type listParser struct {
	opt    ReadOptions
	format Format
	cands  candidates
	// single is GNU's layout memory: -1 undecided, 0 two characters
	// between digest and name, 1 a single blank.
	single int
	// fixed is the column of formats that imply one (gostsum).
	fixed *Column
	// hashdeep state.
	hd *hashdeepHeader
	// fatal makes the current parse error a whole-list error.
	fatal bool
	// sawLine tells auto whether a line came before a hashdeep header.
	sawLine bool
	// byLength is set when the candidates are the caller's defaults, told
	// apart by length only (no -a, no format naming the algorithm).
	byLength bool
	// digests and sums are blocks the entries' digests and their Sums
	// are cut from: one allocation for a kit's thousands of lines, not
	// two a line.
	digests []byte
	sums    []Sum
}

// blockBytes is the size of a block of digests; a block of Sums holds
// blockSums.
const (
	blockBytes = 64 << 10
	blockSums  = 1024
)

// decode reads the digest h of column col into the block of digests.
func (p *listParser) decode(col Column, h string) ([]byte, error) {
	if n := col.Alg.Size; cap(p.digests)-len(p.digests) < n {
		p.digests = make([]byte, 0, max(blockBytes, n))
	}
	at := len(p.digests)
	d, err := col.AppendDecode(p.digests, h)
	if err != nil {
		return nil, err
	}
	p.digests = d
	return d[at:len(d):len(d)], nil
}

// one returns a Sum alone, cut from the block of Sums: appending to it
// copies it out rather than into the next entry's.
func (p *listParser) one(s Sum) []Sum {
	if len(p.sums) == cap(p.sums) {
		p.sums = make([]Sum, 0, blockSums)
	}
	p.sums = append(p.sums, s)
	n := len(p.sums)
	return p.sums[n-1 : n : n]
}

func newListParser(opt ReadOptions) (*listParser, error) {
	p := &listParser{opt: opt, format: opt.Format, single: -1}
	if p.format == "" {
		p.format = FormatAuto
	}
	if _, err := ParseFormat(string(p.format)); err != nil {
		return p, err
	}
	p.cands = candidates{algs: Algorithms()}
	if len(opt.Algs) > 0 {
		p.cands = candidates{algs: opt.Algs, from: "-a " + algNames(opt.Algs)}
		if opt.Defaults {
			p.cands.from = "the algorithms read without -a (" + algNames(opt.Algs) + ")"
			p.byLength = true
		}
	}
	switch p.format {
	case FormatDpkg:
		md5, err := Lookup("md5")
		if err != nil {
			return p, err
		}
		if len(opt.Algs) > 0 && !hasAlg(opt.Algs, md5) {
			return p, fmt.Errorf("dpkg md5sums lists hold md5 digests, not %s", algNames(opt.Algs))
		}
		p.cands = candidates{algs: []*Algorithm{md5}, from: "dpkg md5sums"}
	case FormatGostsum:
		// gostsum uses CryptoPro parameters unless run with -t; its
		// digests are always byte-reversed against rhash's order.
		name := "gost94-cryptopro"
		if len(opt.Algs) > 0 {
			if len(opt.Algs) != 1 || (opt.Algs[0].Name != "gost94" && opt.Algs[0].Name != "gost94-cryptopro") {
				return p, fmt.Errorf("gostsum lists hold GOST R 34.11-94 digests: -a gost94-cryptopro (the default) or -a gost94 (gostsum -t), not %s", algNames(opt.Algs))
			}
			name = opt.Algs[0].Name
		}
		a, err := Lookup(name)
		if err != nil {
			return p, fmt.Errorf("gostsum lists need %s: %w", name, err)
		}
		p.fixed = &Column{Alg: a, Reversed: true}
	case FormatGost12sum:
		var algs []*Algorithm
		for _, n := range []string{"gost12-256", "gost12-512"} {
			a, err := Lookup(n)
			if err != nil {
				return p, fmt.Errorf("gost12sum lists need %s: %w", n, err)
			}
			if len(opt.Algs) == 0 || hasAlg(opt.Algs, a) {
				algs = append(algs, a)
			}
		}
		if len(algs) == 0 {
			return p, fmt.Errorf("gost12sum lists hold gost12-256 or gost12-512 digests, not %s", algNames(opt.Algs))
		}
		p.cands = candidates{algs: algs, from: "gost12sum"}
	}
	return p, nil
}

func (p *listParser) wrap(err error) error {
	if p.opt.File == "" {
		return err
	}
	return fmt.Errorf("%s: %w", p.opt.File, err)
}

// GOSTReverseColumn is the column rhash's --gost-reverse gives digests
// of a. rhash reverses only GOST R 34.11-94 digests (gost94 and
// gost94-cryptopro); Streebog is printed in one order by every tool, and
// the flag leaves it alone.
func GOSTReverseColumn(a *Algorithm, gostReverse bool) Column {
	return Column{Alg: a, Reversed: gostReverse && a.GOST && strings.HasPrefix(a.Name, "gost94")}
}

// GOSTReverseColumns is GOSTReverseColumn of each algorithm.
func GOSTReverseColumns(algs []*Algorithm, gostReverse bool) []Column {
	cols := make([]Column, len(algs))
	for i, a := range algs {
		cols[i] = GOSTReverseColumn(a, gostReverse)
	}
	return cols
}

func (p *listParser) column(a *Algorithm) Column {
	if p.fixed != nil && p.fixed.Alg == a {
		return *p.fixed
	}
	return GOSTReverseColumn(a, p.opt.Reversed)
}

var errNotList = errors.New("not a checksum line")

// parseLine reads one line, s, which is a view of the reader's buffer:
// nothing it returns may hold a piece of s but e.Name, which ReadList
// copies (a digest is decoded, an error formatted), or the next line
// read would change it.
func (p *listParser) parseLine(s string) (e Entry, skip bool, err error) {
	p.fatal = false
	if strings.TrimLeft(s, " \t") == "" {
		return e, true, nil
	}
	if p.format == FormatAuto && !p.sawLine && strings.HasPrefix(s, "%%%%") {
		p.format = FormatHashdeep
	}
	p.sawLine = true
	if p.format == FormatHashdeep {
		return p.hashdeepLine(s)
	}
	if s[0] == '#' || (s[0] == ';' && (p.format == FormatAuto || p.format == FormatRhash)) {
		return e, true, nil
	}
	switch p.format {
	case FormatGNU, FormatBSD, FormatRhashBSD:
		unescape := p.format != FormatRhashBSD
		e, ok, err := p.tagLine(s, unescape)
		if ok || p.format != FormatGNU {
			if !ok {
				err = errors.New("not a tag line: expected \"TAG (NAME) = DIGEST\"")
			}
			return e, false, err
		}
		e, err = p.digestFirst(s, true)
		if err == errNotList {
			err = errors.New("not a checksum line: expected \"DIGEST  NAME\" or \"TAG (NAME) = DIGEST\"")
		}
		return e, false, err
	case FormatAuto, FormatRhash:
		unescape := p.format == FormatAuto
		if e, ok, err := p.tagLine(s, unescape); ok {
			return e, false, err
		}
		if p.startsWithDigest(s, unescape) {
			e, err := p.digestFirst(s, unescape)
			return e, false, err
		}
		if e, ok, err := p.nameFirst(s); ok {
			return e, false, err
		}
		e, err := p.digestFirst(s, unescape)
		if err == errNotList {
			err = errors.New("not a checksum line: expected \"DIGEST  NAME\", \"TAG (NAME) = DIGEST\" or rhash's \"NAME  DIGEST  DIGEST\"")
		}
		return e, false, err
	case FormatDpkg:
		e, err := p.digestFirst(s, false)
		if err == errNotList {
			err = errors.New("not a dpkg md5sums line: expected \"MD5  PATH\"")
		}
		return e, false, err
	case FormatGostsum, FormatGost12sum:
		e, err := p.gostLine(s)
		return e, false, err
	}
	return e, false, fmt.Errorf("unknown list format %q", p.format)
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

func skipBlanks(s string, i int) int {
	for i < len(s) && isBlank(s[i]) {
		i++
	}
	return i
}

func isHexDigit(c byte) bool { return hexVal[c] != notHex }

func isHex(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return false
		}
	}
	return true
}

func isTagChar(c byte) bool { return tagChars[c] }

// tagChars are the bytes an algorithm's tag is made of, looked up for the
// reason hexVal is.
var tagChars = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_'
	}
	return t
}()

// checkName rejects names no file can have.
func checkName(name string) error {
	if name == "" {
		return errors.New("empty file name")
	}
	if strings.IndexByte(name, 0) >= 0 {
		return errors.New("file name holds a NUL byte")
	}
	return nil
}

// tagLine reads "TAG (name) = hex", rhash's "TAG   (name) = hex" and,
// when unescape is set, GNU's escaped "\TAG (name) = hex". ok reports
// whether the line has that shape; err is then about its content.
func (p *listParser) tagLine(s string, unescape bool) (e Entry, ok bool, err error) {
	i := skipBlanks(s, 0)
	escaped := false
	if unescape && i < len(s) && s[i] == '\\' {
		escaped = true
		i++
	}
	j := i
	for j < len(s) && isTagChar(s[j]) {
		j++
	}
	tag := s[i:j]
	// A tag always has a letter beyond f; a digest never has.
	if tag == "" || isHex(tag) {
		return e, false, nil
	}
	k := skipBlanks(s, j)
	if k >= len(s) || s[k] != '(' {
		return e, false, nil
	}
	rest := s[k+1:]
	// The digest cannot hold ")", so the last one closes the name.
	end := strings.LastIndexByte(rest, ')')
	if end < 0 {
		return e, false, nil
	}
	name, after := rest[:end], rest[end+1:]
	m := skipBlanks(after, 0)
	if m >= len(after) || after[m] != '=' {
		return e, false, nil
	}
	digest := strings.Trim(after[m+1:], " \t")
	if digest == "" {
		return e, true, errors.New("no digest after \"=\"")
	}
	a, err := Lookup(tag)
	if err != nil {
		return e, true, fmt.Errorf("algorithm %s is not supported (supported: %s)", tag, strings.Join(Names(), ", "))
	}
	col := p.column(a)
	sum, err := p.decode(col, digest)
	if err != nil {
		return e, true, err
	}
	if escaped {
		if name, err = UnescapeName(name); err != nil {
			return e, true, err
		}
	}
	if err := checkName(name); err != nil {
		return e, true, err
	}
	return Entry{Name: name, Size: -1, Sums: p.one(Sum{Col: col, Digest: sum})}, true, nil
}

// startsWithDigest reports whether s opens with a hex token that has the
// length of some registered algorithm, followed by a blank or the end.
func (p *listParser) startsWithDigest(s string, unescape bool) bool {
	i := skipBlanks(s, 0)
	if unescape && i < len(s) && s[i] == '\\' {
		i++
	}
	j := i
	for j < len(s) && !isBlank(s[j]) {
		j++
	}
	return isHex(s[i:j]) && hexLenCount(j-i) > 0
}

// pick chooses the algorithm of an untagged digest of n hex digits.
func (c candidates) pick(n int) (*Algorithm, error) {
	var m []*Algorithm
	for _, a := range c.algs {
		if a.HexLen() == n {
			m = append(m, a)
		}
	}
	switch {
	case len(m) == 1:
		return m[0], nil
	case len(m) == 0 && c.from != "":
		return nil, fmt.Errorf("%d hex digits fit no algorithm of %s", n, c.from)
	case len(m) == 0:
		return nil, fmt.Errorf("%d hex digits: no supported algorithm has this length", n)
	case strings.HasPrefix(c.from, "-a "):
		return nil, fmt.Errorf("%d hex digits fit %s of -a: give one", n, algNames(m))
	default:
		return nil, fmt.Errorf("%d hex digits could be %s: name the algorithm with -a", n, algList(m))
	}
}

// digestFirst reads GNU's "hex  name", "hex *name" and, in a list that
// starts so, "hex name". With unescape, a leading backslash means the name
// is escaped.
func (p *listParser) digestFirst(s string, unescape bool) (e Entry, err error) {
	i := skipBlanks(s, 0)
	escaped := false
	if unescape && i < len(s) && s[i] == '\\' {
		escaped = true
		i++
	}
	j := i
	for j < len(s) && !isBlank(s[j]) {
		j++
	}
	tok := s[i:j]
	// No algorithm has fewer than 8 hex digits: such a token is a word.
	if len(tok) < 8 || !isHex(tok) {
		return e, errNotList
	}
	a, err := p.cands.pick(len(tok))
	if err != nil {
		return e, err
	}
	col := p.column(a)
	sum, err := p.decode(col, tok)
	if err != nil {
		return e, err
	}
	if j+1 >= len(s) {
		return e, errors.New("no file name after the digest")
	}
	rest := s[j+1:]
	var name string
	binary := false
	single := p.single
	switch {
	case p.single == 1:
		name = rest
	case len(rest) == 1 || (rest[0] != ' ' && rest[0] != '*'):
		if p.single == 0 {
			return e, errors.New("one blank between digest and name, where earlier lines have two (\"DIGEST  NAME\")")
		}
		single, name = 1, rest
	default:
		single, binary, name = 0, rest[0] == '*', rest[1:]
	}
	if escaped {
		if name, err = UnescapeName(name); err != nil {
			return e, err
		}
	}
	if err := checkName(name); err != nil {
		return e, err
	}
	if single == 1 {
		if err := p.singleBlankTool(len(tok)); err != nil {
			p.fatal = true
			return e, err
		}
	}
	p.single = single
	return Entry{Name: name, Size: -1, Sums: p.one(Sum{col, sum, p.assumed(a)}), Binary: binary}, nil
}

// rhashOrder is the order rhash prints several digests in, whatever the
// order of its options: its internal algorithm numbering.
var rhashOrder = map[string]int{
	"md5": 2, "sha1": 3, "gost94": 11, "gost94-cryptopro": 12,
	"gost12-256": 14, "gost12-512": 15, "sha256": 17, "sha512": 19, "blake3": 31,
}

func rhashRank(a *Algorithm) int {
	if r, ok := rhashOrder[a.Name]; ok {
		return r
	}
	return 1000
}

// nameFirst reads rhash's "name  hex  hex ..." (two or more digests, two
// spaces apart). ok reports whether the line has that shape.
//
// The columns carry no names: rhash prints them in its fixed order. A
// column takes the only candidate algorithm of its length; columns sharing
// a length take the same number of candidates of that length in rhash's
// order. Columns whose length fits no candidate (rhash --crc32) are
// skipped if another column is usable.
func (p *listParser) nameFirst(s string) (e Entry, ok bool, err error) {
	t := strings.TrimRight(s, " \t")
	var toks []string
	for {
		j := strings.LastIndex(t, "  ")
		if j < 0 {
			break
		}
		tok := t[j+2:]
		if len(tok) < 8 || len(tok)%2 != 0 || !isHex(tok) {
			break
		}
		toks = append(toks, tok)
		t = t[:j]
	}
	if len(toks) < 2 || t == "" {
		return e, false, nil
	}
	for l, r := 0, len(toks)-1; l < r; l, r = l+1, r-1 {
		toks[l], toks[r] = toks[r], toks[l]
	}
	algs, err := p.assignColumns(toks)
	if err != nil {
		return e, true, err
	}
	e = Entry{Name: t, Size: -1}
	for i, a := range algs {
		if a == nil {
			continue
		}
		col := p.column(a)
		sum, err := p.decode(col, toks[i])
		if err != nil {
			return e, true, fmt.Errorf("column %d: %w", i+1, err)
		}
		e.Sums = append(e.Sums, Sum{Col: col, Digest: sum, ByLength: p.assumed(a)})
	}
	if err := checkName(t); err != nil {
		return e, true, err
	}
	return e, true, nil
}

// assumed says whether a, chosen for an untagged digest, was told by its
// length alone among several algorithms of that length.
func (p *listParser) assumed(a *Algorithm) bool {
	return p.byLength && hexLenCount(a.HexLen()) > 1
}

// singleBlankTool refuses to tell the algorithm of a list in the one-blank
// layout by its length: gost12sum and gostsum write that layout with the
// same lengths as sha256 and sha512, so the layout names a GOST tool, but
// not which one, and reading such a list as SHA-2 fails every file (or,
// imported, writes a table that does). With -a or --from the list says it.
func (p *listParser) singleBlankTool(n int) error {
	if !p.byLength || hexLenCount(n) < 2 {
		return nil
	}
	var tools string
	switch n {
	case 64:
		tools = "gost12-256 (gost12sum: --from gost12sum), gost94-cryptopro (gostsum: --from gostsum) or sha256 (-a sha256)"
	case 128:
		tools = "gost12-512 (gost12sum -l: --from gost12sum) or sha512 (-a sha512)"
	default:
		tools = algList(ByHexLen(n)) + " (name one with -a)"
	}
	return fmt.Errorf("one blank between digest and name is the layout of gost12sum and gostsum, not of sha256sum: "+
		"%d hex digits could be %s; the length alone does not say which", n, tools)
}

func (p *listParser) assignColumns(toks []string) ([]*Algorithm, error) {
	out := make([]*Algorithm, len(toks))
	byLen := map[int][]int{}
	var lens []int
	for i, t := range toks {
		if _, seen := byLen[len(t)]; !seen {
			lens = append(lens, len(t))
		}
		byLen[len(t)] = append(byLen[len(t)], i)
	}
	usable := false
	for _, n := range lens {
		cols := byLen[n]
		var m []*Algorithm
		for _, a := range p.cands.algs {
			if a.HexLen() == n {
				m = append(m, a)
			}
		}
		sort.SliceStable(m, func(i, j int) bool { return rhashRank(m[i]) < rhashRank(m[j]) })
		switch {
		case len(m) == 0:
			continue
		case len(m) == len(cols) && (len(m) == 1 || p.cands.from != ""):
			// Several columns of one length are told apart only by
			// algorithms the user or the format named.
			for k, c := range cols {
				out[c] = m[k]
			}
			usable = true
		case p.cands.from != "":
			return nil, fmt.Errorf("%d columns of %d hex digits, but %s names %d algorithm(s) of that length (%s): name one per column",
				len(cols), n, p.cands.from, len(m), algNames(m))
		default:
			return nil, fmt.Errorf("%d columns of %d hex digits could be %s: name the algorithms with -a", len(cols), n, algList(m))
		}
	}
	if !usable {
		if p.cands.from != "" {
			return nil, fmt.Errorf("no column fits %s", p.cands.from)
		}
		return nil, errors.New("no column has the length of a supported algorithm")
	}
	return out, nil
}

// gostLine reads gostsum's and gost12sum's "hex name": one space, the
// rest of the line is the name, unescaped.
func (p *listParser) gostLine(s string) (e Entry, err error) {
	sp := strings.IndexByte(s, ' ')
	if sp < 0 {
		sp = len(s)
	}
	tok := s[:sp]
	if !isHex(tok) {
		return e, fmt.Errorf("not a %s line: expected \"DIGEST NAME\"", p.format)
	}
	var col Column
	if p.fixed != nil {
		col = *p.fixed
	} else {
		a, err := p.cands.pick(len(tok))
		if err != nil {
			return e, err
		}
		col = p.column(a)
	}
	sum, err := p.decode(col, tok)
	if err != nil {
		return e, err
	}
	if sp+1 >= len(s) {
		return e, errors.New("no file name after the digest")
	}
	name := s[sp+1:]
	if err := checkName(name); err != nil {
		return e, err
	}
	return Entry{Name: name, Size: -1, Sums: p.one(Sum{Col: col, Digest: sum})}, nil
}

// hashdeepHeader is the column layout of "%%%% size,md5,...,filename".
type hashdeepHeader struct {
	// cols has one slot per field: a digest column, or nil for size,
	// filename and unsupported algorithms.
	cols    []*Column
	sizeAt  int // -1 if there is no size column
	nfields int
}

func (p *listParser) hashdeepLine(s string) (e Entry, skip bool, err error) {
	if strings.HasPrefix(s, "##") {
		return e, true, nil
	}
	if rest, ok := strings.CutPrefix(s, "%%%%"); ok {
		rest = strings.Trim(rest, " \t")
		if strings.HasPrefix(rest, "HASHDEEP-") {
			return e, true, nil
		}
		hd, err := p.hashdeepColumns(rest)
		if err != nil {
			p.fatal = true
			return e, false, err
		}
		p.hd = hd
		return e, true, nil
	}
	if p.hd == nil {
		return e, false, errors.New("hashdeep line before the \"%%%% size,...,filename\" header")
	}
	fields := strings.SplitN(s, ",", p.hd.nfields)
	if len(fields) != p.hd.nfields {
		return e, false, fmt.Errorf("%d fields, the header names %d", len(fields), p.hd.nfields)
	}
	e = Entry{Size: -1, Name: fields[p.hd.nfields-1]}
	if p.hd.sizeAt >= 0 {
		n, err := strconv.ParseInt(fields[p.hd.sizeAt], 10, 64)
		if err != nil || n < 0 {
			return e, false, fmt.Errorf("size %q is not a byte count", fields[p.hd.sizeAt])
		}
		e.Size = n
	}
	for i, c := range p.hd.cols {
		if c == nil {
			continue
		}
		sum, err := p.decode(*c, fields[i])
		if err != nil {
			return e, false, err
		}
		e.Sums = append(e.Sums, Sum{Col: *c, Digest: sum})
	}
	if err := checkName(e.Name); err != nil {
		return e, false, err
	}
	return e, false, nil
}

func (p *listParser) hashdeepColumns(spec string) (*hashdeepHeader, error) {
	names := strings.Split(spec, ",")
	if len(names) < 2 || strings.ToLower(strings.TrimSpace(names[len(names)-1])) != "filename" {
		return nil, fmt.Errorf("hashdeep header %q does not end with the filename column", spec)
	}
	hd := &hashdeepHeader{sizeAt: -1, nfields: len(names), cols: make([]*Column, len(names))}
	var unsupported []string
	usable := false
	for i, n := range names[:len(names)-1] {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "size" {
			if hd.sizeAt >= 0 {
				return nil, errors.New("hashdeep header names the size column twice")
			}
			hd.sizeAt = i
			continue
		}
		a, err := Lookup(n)
		if err != nil {
			unsupported = append(unsupported, n)
			continue
		}
		col := p.column(a)
		hd.cols[i] = &col
		usable = true
	}
	if !usable {
		if len(unsupported) == 0 {
			return nil, errors.New("hashdeep header names no digest column")
		}
		return nil, fmt.Errorf("hashdeep list holds only %s digests, which are not supported (supported: %s)",
			strings.Join(unsupported, ", "), strings.Join(Names(), ", "))
	}
	return hd, nil
}

func algNames(algs []*Algorithm) string {
	n := make([]string, len(algs))
	for i, a := range algs {
		n[i] = a.Name
	}
	return strings.Join(n, ",")
}

// algList names algorithms for a sentence.
func algList(algs []*Algorithm) string {
	n := make([]string, len(algs))
	for i, a := range algs {
		n[i] = a.Name
	}
	return strings.Join(n, ", ")
}

func hasAlg(algs []*Algorithm, a *Algorithm) bool {
	for _, b := range algs {
		if b == a {
			return true
		}
	}
	return false
}
