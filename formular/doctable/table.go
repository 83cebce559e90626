package doctable

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/internal/lazyre"
)

// Row is one file of a checksum table.
type Row struct {
	// Line is the first line of the row in the text; for a DOCX, the
	// number of the table row, counting rows of all tables from the start
	// of the document.
	Line int
	// Name is the file name as printed, wrapped pieces joined.
	Name string
	// Size is the size column's value, -1 if the table has none.
	Size int64
	// Digests holds one digest per digest column, left to right.
	Digests []Digest
}

// Digest is one digest of a row.
type Digest struct {
	Col checksum.Column
	// Hex is the digest as found, spaces and line breaks removed.
	Hex string
	// Sum is the digest in canonical byte order (see checksum.Column).
	Sum []byte
}

// Skipped is a line (for a DOCX, a table row) that could not be used.
type Skipped struct {
	Line int
	Text string
	Why  string
	// Candidate marks a line that looks like a table header (it names a
	// checksum column among others) but was not read as one; Why says why.
	Candidate bool
}

// candidatePrefix opens the reason of a candidate header line.
const candidatePrefix = "not read as a table header: "

// noTable is the error of a document in which no checksum table was
// found: it lists the lines that looked like a table header and why each
// was not one, so that the user sees what to fix.
func noTable(file, unit string, skipped []Skipped) error {
	return fmt.Errorf("%s: no checksum table found%s", file, candidateList(unit, skipped))
}

// candidateList lists the candidate header lines of skipped, one a line,
// "" if there are none; unit is "line", or "row" for a DOCX.
func candidateList(unit string, skipped []Skipped) string {
	var b strings.Builder
	for _, s := range skipped {
		if !s.Candidate {
			continue
		}
		if b.Len() == 0 {
			fmt.Fprintf(&b, "\n%ss that look like a table header but are not read as one:", unit)
		}
		fmt.Fprintf(&b, "\n  %s %d: %s: %s", unit, s.Line, s.Text, strings.TrimPrefix(s.Why, candidatePrefix))
	}
	return b.String()
}

// kindName names a column kind in messages.
func kindName(k colKind) string {
	switch k {
	case colNum:
		return "number"
	case colName:
		return "file name"
	case colSize:
		return "size"
	case colDate:
		return "date"
	case colDigest:
		return "checksum"
	}
	return "not recognised"
}

// missingColumns says what a header lacks to be a checksum table's: a
// file column or a checksum column; "" if it has both.
func missingColumns(cols []column) string {
	var name, digest bool
	var have []string
	for _, c := range cols {
		name = name || c.kind == colName
		digest = digest || c.kind == colDigest
		have = append(have, fmt.Sprintf("%q %s", c.title, kindName(c.kind)))
	}
	switch {
	case name && digest:
		return ""
	case !name:
		return "no column names the file (columns read: " + strings.Join(have, ", ") + ")"
	}
	return "no column names a checksum (columns read: " + strings.Join(have, ", ") + ")"
}

// candidateCells reports whether the cells of a line look like a table
// header: two or more cells, one of them naming a checksum.
func candidateCells(cells []string) bool {
	if len(cells) < 2 {
		return false
	}
	for _, c := range cells {
		if longestHexRun(c) < 8 && classify(c).kind == colDigest {
			return true
		}
	}
	return false
}

// Options settles what the document leaves open.
type Options struct {
	// Algs names the algorithms of digest columns whose header does not
	// say (or says only "GOST R 34.11-94", which has two parameter sets).
	Algs []*checksum.Algorithm
	// Reversed reads GOST digests in the reversed byte order (gostsum's,
	// rhash --gost-reverse).
	Reversed bool
}

type colKind int

const (
	colOther colKind = iota
	colNum
	colName
	colSize
	colDate
	colDigest
)

// spec is what a column header says about its column.
type spec struct {
	kind colKind
	// For digest columns: the algorithm if the header names one
	// unambiguously, else the family ("gost12", "gost94", "sha2", "") and the
	// length in hex digits if the header gives it.
	alg         *checksum.Algorithm
	family      string
	hexLen      int
	unsupported string // an algorithm named in the header that is not supported
}

var (
	reDash    = strings.NewReplacer("—", "-", "–", "-", "‐", "-", "‑", "-", "−", "-")
	reNoise   = lazyre.New(`(?i)^(-\s*)?(лист|листов|стр\.?|страница|page|с\.)?\s*\d{1,4}(\s*(из|of|/)\s*\d{1,4})?(\s*-)?$`)
	reInteger = lazyre.New(`^\d+\.?$`)
	reSizeVal = lazyre.New(`^\d{1,3}([ ,.']\d{3})+$|^\d+$`)
	reHexTok  = lazyre.New(`^[0-9a-fA-F]+$`)
)

// compact lowercases s and keeps only letters and digits, so that
// "SHA-256", "SHA 256" and "sha256" compare equal.
func compact(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// algNames maps the spellings a header may use (compacted) to registered
// names; "" marks an algorithm sverka does not support. Order matters:
// longer spellings that contain shorter ones come first.
var algNames = []struct{ key, name string }{
	{"sha512224", ""}, {"sha512256", ""},
	{"sha384", ""}, {"sha224", ""}, {"sha512", "sha512"}, {"sha256", "sha256"},
	{"sha3", ""}, {"sha1", "sha1"}, {"md5", "md5"}, {"md4", ""},
	{"blake3", "blake3"}, {"blake2", ""}, {"crc32", ""}, {"crc", ""},
	{"whirlpool", ""}, {"ripemd", ""}, {"tiger", ""}, {"edonr", ""},
	{"has160", ""}, {"adler", ""}, {"xxh", ""}, {"tth", ""}, {"ed2k", ""},
}

// algDisplay is the spelling of an unsupported algorithm in messages.
func algDisplay(key string) string { return strings.ToUpper(key) }

// gostStandards are the numbers of the Streebog standards: the Russian
// GOST R 34.11-2012 and the interstate GOST 34.11-2018, the same function.
var gostStandards = []string{"34.11-2012", "34.11-2018"}

// reBits finds a digest length a header states in bits: "256 бит",
// "(512)", "длина хэш-кода 256 бит", "Стрибог-256".
var reBits = lazyre.New(`(^|[^0-9])(256|512)([^0-9]|$)`)

// statedHexLen is the digest length, in hex digits, that a flattened
// header states in bits once the standards' numbers are taken out; 0 when
// it states none, or both 256 and 512 ("256/512").
func statedHexLen(flat string) int {
	for _, std := range append(gostStandards, "34.11-94") {
		flat = strings.ReplaceAll(flat, std, " ")
	}
	m := reBits().FindStringSubmatch(flat)
	if m == nil || strings.Contains(flat, "256") && strings.Contains(flat, "512") {
		return 0
	}
	if m[2] == "512" {
		return 128
	}
	return 64
}

// classify reads a column header. Real formulars word a checksum header
// in many ways («Контрольная сумма (ГОСТ Р 34.11-2012, 256 бит)», «КС ГОСТ
// Р 34.11-94», «Хэш-функция», «SHA-256»): the standard or algorithm named
// and the length in bits decide the algorithm; what they leave open the
// digests' length settles later.
func classify(title string) spec {
	t := strings.ToLower(reDash.Replace(title))
	t = strings.ReplaceAll(t, "ё", "е")
	ct := compact(t)
	flat := strings.Join(strings.Fields(t), "")
	bits := statedHexLen(flat)
	// GOST first: "34.11-2012" contains no algorithm name of the list,
	// but a header may say "ГОСТ Р 34.11-2012 (SHA-256 не применяется)"
	// rarely enough to ignore.
	gost12 := strings.Contains(ct, "стрибог") || strings.Contains(ct, "streebog")
	for _, std := range gostStandards {
		gost12 = gost12 || strings.Contains(flat, std)
	}
	if gost12 {
		return spec{kind: colDigest, family: "gost12", hexLen: bits}
	}
	if strings.Contains(flat, "34.11-94") {
		return spec{kind: colDigest, family: "gost94", hexLen: 64}
	}
	// "SHA-2" with its length in bits: "SHA-2 (256 бит)", "SHA2-512".
	if i := strings.Index(ct, "sha2"); i >= 0 && !strings.HasPrefix(ct[i:], "sha224") && !strings.HasPrefix(ct[i:], "sha256") {
		switch bits {
		case 64:
			return lookupSpec("sha256")
		case 128:
			return lookupSpec("sha512")
		}
		return spec{kind: colDigest, family: "sha2"}
	}
	for _, a := range algNames {
		if strings.Contains(ct, a.key) {
			if a.name == "" {
				return spec{kind: colDigest, unsupported: algDisplay(a.key)}
			}
			return lookupSpec(a.name)
		}
	}
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(t, w) {
				return true
			}
		}
		return false
	}
	word := func(words ...string) bool {
		for _, f := range strings.FieldsFunc(t, func(r rune) bool { return !unicode.IsLetter(r) }) {
			for _, w := range words {
				if f == w {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("контрольн", "хэш", "хеш", "checksum", "hash", "digest", "дайджест", "сумм") || word("кс"):
		return spec{kind: colDigest, hexLen: bits}
	case has("размер", "size", "объем", "байт", "bytes"):
		return spec{kind: colSize}
	case has("дата", "date", "время", "time"):
		return spec{kind: colDate}
	case has("имя", "файл", "наименование", "name", "file", "path", "путь", "модул"):
		return spec{kind: colName}
	}
	switch strings.TrimSpace(strings.Trim(strings.TrimSpace(t), ".")) {
	case "№", "n", "no", "#", "№ п/п", "п/п", "номер", "nn":
		return spec{kind: colNum}
	}
	if strings.HasPrefix(strings.TrimSpace(t), "№") {
		return spec{kind: colNum}
	}
	return spec{kind: colOther}
}

// lookupSpec is the spec of a column whose header names a registered
// algorithm.
func lookupSpec(name string) spec {
	alg, err := checksum.Lookup(name)
	if err != nil {
		return spec{kind: colDigest, unsupported: name}
	}
	return spec{kind: colDigest, alg: alg, hexLen: alg.HexLen()}
}

// Column titles are short; a long cell is a title only when it reads as
// one (it names a column, is not a sentence or a path): «Контрольная сумма
// по ГОСТ Р 34.11-2012 (Стрибог), 256 бит» is 56 characters.
const (
	shortTitle    = 40
	longTitle     = 120
	longTitleWord = 16
)

// headerFragment reports whether s could be a piece of a wrapped column
// header ("(256)", "байт", "п/п"): short, not a number, not a digest.
func headerFragment(s string) bool { return fragmentWhy(s) == "" }

// fragmentWhy says why s cannot be a piece of a column header, "" if it
// can.
func fragmentWhy(s string) string {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "empty"
	case reInteger().MatchString(s):
		return fmt.Sprintf("%q is a number, not a column title", s)
	case longestHexRun(s) >= 8:
		return fmt.Sprintf("%q holds hex digits, as a table row does", s)
	case !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || r == '(' || r == ')' || r == '№' || r == ',' }):
		return fmt.Sprintf("%q is not a column title", s)
	}
	n := utf8.RuneCountInString(s)
	if n <= shortTitle {
		return ""
	}
	switch {
	case n > longTitle || len(strings.Fields(s)) > longTitleWord:
		return fmt.Sprintf("%q is too long for a column title", s)
	case strings.ContainsAny(s, `/\`) || strings.HasSuffix(s, "."):
		return fmt.Sprintf("%q reads as a path or a sentence, not a column title", s)
	case classify(s).kind == colOther:
		return fmt.Sprintf("%q is too long for a column title and names no column", s)
	}
	return ""
}

// headerCell reports whether s reads as a column title by itself.
func headerCell(s string) bool {
	return headerFragment(s) && classify(s).kind != colOther
}

func longestHexRun(s string) int {
	best, n := 0, 0
	for _, r := range s {
		if r < utf8.RuneSelf && reHexTok().MatchString(string(r)) {
			n++
			best = max(best, n)
		} else {
			n = 0
		}
	}
	return best
}

// hexGroups returns s with spaces removed if s is hex digits in groups
// separated by spaces, as printed formulars write them.
func hexGroups(s string) (string, bool) {
	f := strings.Fields(s)
	if len(f) == 0 {
		return "", false
	}
	for _, g := range f {
		if !reHexTok().MatchString(g) {
			return "", false
		}
	}
	return strings.Join(f, ""), true
}

// parseSize reads a size cell ("1 234 567", "1234567").
func parseSize(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if !reSizeVal().MatchString(s) {
		return 0, false
	}
	s = strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// joinName joins the pieces of a file name wrapped in its cell. A break
// after a hyphen, slash, dot or underscore is where the renderer wrapped
// a name without spaces; any other break stood for a space.
func joinName(a, b string) string {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	switch {
	case a == "":
		return b
	case b == "":
		return a
	case strings.ContainsRune("-_/.\\", rune(a[len(a)-1])), strings.ContainsRune("-_/.\\", rune(b[0])):
		return a + b
	}
	return a + " " + b
}

// columnNumbers reports whether cells are "1", "2", ... "n": the row of
// column numbers Russian documents print under a table's header.
func columnNumbers(cells []string) bool {
	if len(cells) < 3 {
		return false
	}
	for i, c := range cells {
		if strings.TrimSpace(c) != strconv.Itoa(i+1) {
			return false
		}
	}
	return true
}

// resolver turns digest column specs into algorithms once the lengths of
// their digests are known.
type resolver struct {
	opt  Options
	used map[int]int // hex length -> how many by-length columns took an -a algorithm
}

func newResolver(opt Options) *resolver { return &resolver{opt: opt, used: map[int]int{}} }

// resolve picks the algorithm of a digest column with the given header
// spec whose digests have hexLen digits. title names the column in errors.
func (r *resolver) resolve(s spec, hexLen int, title string) (checksum.Column, error) {
	col := func(a *checksum.Algorithm) checksum.Column {
		return checksum.GOSTReverseColumn(a, r.opt.Reversed)
	}
	if s.unsupported != "" {
		return checksum.Column{}, fmt.Errorf("column %q: algorithm %s is not supported", title, s.unsupported)
	}
	if s.alg != nil {
		return col(s.alg), nil
	}
	lookup := func(name string) (checksum.Column, error) {
		a, err := checksum.Lookup(name)
		if err != nil {
			return checksum.Column{}, fmt.Errorf("column %q: %v", title, err)
		}
		return col(a), nil
	}
	switch s.family {
	case "sha2":
		switch hexLen {
		case 64:
			return lookup("sha256")
		case 128:
			return lookup("sha512")
		}
		return checksum.Column{}, fmt.Errorf("column %q: a SHA-2 digest here has 64 or 128 hex digits, not %d", title, hexLen)
	case "gost12":
		switch hexLen {
		case 64:
			return lookup("gost12-256")
		case 128:
			return lookup("gost12-512")
		}
		return checksum.Column{}, fmt.Errorf("column %q: a GOST R 34.11-2012 digest has 64 or 128 hex digits, not %d", title, hexLen)
	case "gost94":
		if hexLen != 64 {
			return checksum.Column{}, fmt.Errorf("column %q: a GOST R 34.11-94 digest has 64 hex digits, not %d", title, hexLen)
		}
		// CryptoPro parameters are what certified tools use; the test
		// parameters only when asked for.
		for _, a := range r.opt.Algs {
			if a.Name == "gost94" || a.Name == "gost94-cryptopro" {
				return col(a), nil
			}
		}
		return lookup("gost94-cryptopro")
	}
	var given []*checksum.Algorithm
	for _, a := range r.opt.Algs {
		if a.HexLen() == hexLen {
			given = append(given, a)
		}
	}
	if i := r.used[hexLen]; i < len(given) {
		r.used[hexLen]++
		return col(given[i]), nil
	}
	cands := checksum.ByHexLen(hexLen)
	switch {
	case len(cands) == 1 && len(given) == 0:
		return col(cands[0]), nil
	case len(cands) == 0:
		return checksum.Column{}, fmt.Errorf("column %q: no supported algorithm has %d hex digits", title, hexLen)
	}
	var names []string
	for _, a := range cands {
		names = append(names, a.Name)
	}
	return checksum.Column{}, fmt.Errorf("column %q: %d hex digits could be %s: say which with -a", title, hexLen, strings.Join(names, ", "))
}

// decode checks a digest against its column.
func decode(c checksum.Column, h string) (Digest, error) {
	sum, err := c.Decode(strings.ToLower(h))
	if err != nil {
		return Digest{}, err
	}
	return Digest{Col: c, Hex: h, Sum: sum}, nil
}

// validLens are the digest lengths, in hex digits, of the registered
// algorithms, shortest first.
func validLens() []int {
	seen := map[int]bool{}
	var out []int
	for _, a := range checksum.Algorithms() {
		if !seen[a.HexLen()] {
			seen[a.HexLen()] = true
			out = append(out, a.HexLen())
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// specLens are the lengths a column's digests may have.
func specLens(s spec) []int {
	switch {
	case s.hexLen != 0:
		return []int{s.hexLen}
	case s.family == "gost12", s.family == "sha2":
		return []int{64, 128}
	}
	return validLens()
}
