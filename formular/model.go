package formular

import (
	"bytes"
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/sverka/sverka/checksum"
)

// FormatVersion is the only version of the file format this package reads
// and writes: the first line of every formular is "sverka-formular 1".
const FormatVersion = 1

// Magic starts the first line of a formular, followed by a space and the
// format version.
const Magic = "sverka-formular"

// Known header keys.
const (
	KeyProduct           = "product"
	KeyVersion           = "version"
	KeyBuild             = "build"
	KeyFormularID        = "formular-id"
	KeyCertificate       = "certificate"
	KeyCertificateIssuer = "certificate-issuer"
	KeyProtectionClass   = "protection-class"
	KeyValidUntil        = "valid-until"
	KeySupportUntil      = "support-until"
)

// DateLayout is the layout of the date header fields (valid-until,
// support-until).
const DateLayout = "2006-01-02"

// Formular is a parsed formular. Parse returns it in canonical order: the
// entries of each file table sorted by path; header fields, tables and
// parameter rows in the order of the file.
type Formular struct {
	// Version is the format version of the file (FormatVersion).
	Version int
	Header  []Field
	Tables  []*Table
}

// Field is one "key: value" header line. Unknown keys are kept, in order.
type Field struct {
	Key, Value string
	Line       int
}

// Kind is the kind of a table.
type Kind string

// The table kinds.
const (
	// KindImage lists disk images (ISO files) by their file name.
	KindImage Kind = "image"
	// KindBoot lists what boots from an image: its system area, its El
	// Torito boot catalog and each boot entry's image (see BootTarget).
	KindBoot Kind = "boot"
	// KindMedia lists files of the installation kit, relative to the
	// medium's root (inside the image or a copied directory).
	KindMedia Kind = "media"
	// KindModules lists executable modules of the installed product,
	// relative to a root variable.
	KindModules Kind = "modules"
	// KindParameters lists constraints on settings values.
	KindParameters Kind = "parameters"
)

// kinds lists every table kind in the order the specification gives them.
var kinds = []Kind{KindImage, KindBoot, KindMedia, KindModules, KindParameters}

// Operating systems a modules table may declare with os=.
const (
	OSLinux   = "linux"
	OSWindows = "windows"
)

// formats are the settings source formats of a parameters table.
var formats = []string{"ini", "json", "xml", "kv", "reg", "registry"}

// Table is one table: a header line "[kind attributes... columns...]" and
// its rows.
type Table struct {
	Kind Kind
	// Line is the line of the table header.
	Line int
	// Columns are the digest columns of a file table, in declared order.
	// Every Entry has one digest per column.
	Columns []checksum.Column
	// Root is the root of a modules table as written: a variable
	// ("${INSTALLDIR}", "%ProgramFiles(x86)%") or an absolute path ("/").
	Root string
	// Defaults maps an operating system ("linux", "windows", ...) to the
	// root's default path there; the key "" is the default on any system.
	Defaults map[string]string
	// OS is "", "linux" or "windows". Windows tables compare names
	// case-insensitively and accept either separator in rows.
	OS string
	// Closed marks tables that list everything: for a file table, every
	// file of the whole tree under its root but the Exclude globs; for a
	// parameters table, every key of its source. Anything unlisted is a
	// failure.
	Closed bool
	// Exclude holds the glob patterns (path.Match syntax) of the paths a
	// file table leaves out (make --exclude), sorted, each once. A path
	// is left out when it, or a directory above it, matches a pattern as
	// a whole path relative to the root or by its base name.
	Exclude []string
	// HasMode marks modules tables with a permission column.
	HasMode bool
	// Source is where a parameters table reads its values ("" when it
	// comes from the command line); Format is how to read it.
	Source string
	Format string
	// Entries are the rows of a file table (image, boot, media,
	// modules), sorted by path; a boot table's in its own order (see
	// compareBoot).
	Entries []Entry
	// Params are the rows of a parameters table, in file order.
	Params []Param
}

// Entry is one row of a file table.
type Entry struct {
	// Path is '/'-separated and relative to the table's root; for an
	// image table it is the image's file name. It may hold any bytes
	// except NUL and '/' inside a name (file names need not be UTF-8).
	Path string
	// Sums holds the row's digests, one per table column in the
	// columns' order, one after the other: a column's is Sum's. Each is
	// in canonical byte order (the order rhash prints), whatever order
	// the column is written in. One slice, not one a column: a million
	// rows are 24 MB smaller.
	Sums []byte
	Size int64
	// Line is the row's line in its formular (32 bits, beside Mode: a
	// million rows are 8 MB smaller).
	Line int32
	// Mode holds the permission bits when the table declares mode.
	Mode uint32
}

// SumsWidth is the length of a row's Sums in a table of the columns
// cols: their digests' sizes.
func SumsWidth(cols []checksum.Column) int {
	n := 0
	for _, c := range cols {
		n += c.Alg.Size
	}
	return n
}

// Sum returns column col's digest of e, whose table's columns are cols;
// nil when e has none.
func (e *Entry) Sum(cols []checksum.Column, col int) []byte {
	return SumOf(cols, e.Sums, col)
}

// StrictlySorted says whether every row's path sorts after the one before
// (byte order): then no path is given twice.
func StrictlySorted(rows []Entry) bool {
	for i := 1; i < len(rows); i++ {
		if rows[i-1].Path >= rows[i].Path {
			return false
		}
	}
	return true
}

// SumOf returns column col's digest in sums, the digests of cols one
// after the other; nil when sums is too short to hold it.
func SumOf(cols []checksum.Column, sums []byte, col int) []byte {
	at := 0
	for _, c := range cols[:col] {
		at += c.Alg.Size
	}
	end := at + cols[col].Alg.Size
	if end > len(sums) {
		return nil
	}
	return sums[at:end:end]
}

// SplitSums returns sums, the digests of cols one after the other, a
// digest a column.
func SplitSums(cols []checksum.Column, sums []byte) [][]byte {
	if sums == nil {
		return nil
	}
	out := make([][]byte, len(cols))
	for i := range cols {
		out[i] = SumOf(cols, sums, i)
	}
	return out
}

// JoinSums returns digests, one a column, one after the other.
func JoinSums(digests [][]byte) []byte {
	n := 0
	for _, d := range digests {
		n += len(d)
	}
	out := make([]byte, 0, n)
	for _, d := range digests {
		out = append(out, d...)
	}
	return out
}

// SumsEqual says whether sums, the digests of cols one after the other,
// are got, a digest a column.
func SumsEqual(cols []checksum.Column, sums []byte, got [][]byte) bool {
	if len(got) != len(cols) {
		return false
	}
	at := 0
	for i, c := range cols {
		end := at + c.Alg.Size
		if end > len(sums) || !bytes.Equal(sums[at:end], got[i]) {
			return false
		}
		at = end
	}
	return at == len(sums)
}

// Get returns the value of a header key, or "" when it is absent.
func (f *Formular) Get(key string) string {
	v, _ := f.Lookup(key)
	return v
}

// Lookup returns the value of a header key and whether it is present.
func (f *Formular) Lookup(key string) (string, bool) {
	for _, h := range f.Header {
		if h.Key == key {
			return h.Value, true
		}
	}
	return "", false
}

// Set sets a header key, replacing its value in place or appending it.
func (f *Formular) Set(key, value string) {
	for i := range f.Header {
		if f.Header[i].Key == key {
			f.Header[i].Value = value
			return
		}
	}
	f.Header = append(f.Header, Field{Key: key, Value: value})
}

// Product returns the product name of the header.
func (f *Formular) Product() string { return f.Get(KeyProduct) }

// ValidUntil returns the certificate's last day of validity, whether the
// header gives one, and an error for a malformed date.
func (f *Formular) ValidUntil() (time.Time, bool, error) { return f.date(KeyValidUntil) }

// SupportUntil returns the end of the certificate's support period.
func (f *Formular) SupportUntil() (time.Time, bool, error) { return f.date(KeySupportUntil) }

func (f *Formular) date(key string) (time.Time, bool, error) {
	v, ok := f.Lookup(key)
	if !ok {
		return time.Time{}, false, nil
	}
	t, err := time.Parse(DateLayout, v)
	if err != nil {
		return time.Time{}, true, fmt.Errorf("%s: %q is not a date YYYY-MM-DD", key, v)
	}
	return t, true, nil
}

// TablesOf returns the tables of a kind, in file order.
func (f *Formular) TablesOf(kind Kind) []*Table {
	var out []*Table
	for _, t := range f.Tables {
		if t.Kind == kind {
			out = append(out, t)
		}
	}
	return out
}

// Windows reports whether the table uses Windows name semantics.
func (t *Table) Windows() bool { return t.OS == OSWindows }

// RootVar returns the name of the table's root variable ("INSTALLDIR",
// "ProgramFiles(x86)") and true, or false when the root is a literal path
// or the table has no root.
func (t *Table) RootVar() (string, bool) {
	if name, ok := strings.CutPrefix(t.Root, "${"); ok {
		if name, ok := strings.CutSuffix(name, "}"); ok {
			return name, true
		}
	}
	if len(t.Root) > 2 && t.Root[0] == '%' && t.Root[len(t.Root)-1] == '%' {
		return t.Root[1 : len(t.Root)-1], true
	}
	return "", false
}

// Default returns the root's default path on the operating system goos
// (as runtime.GOOS spells it), falling back to the default for any system.
func (t *Table) Default(goos string) (string, bool) {
	if p, ok := t.Defaults[goos]; ok {
		return p, true
	}
	p, ok := t.Defaults[""]
	return p, ok
}

// Excluded reports whether rel, a slash-separated path relative to the
// table's root, falls under one of its Exclude patterns: itself or a
// directory above it matches one. A Windows table matches without regard
// to letter case, as it compares names.
func (t *Table) Excluded(rel string) bool {
	if len(t.Exclude) == 0 {
		return false
	}
	for p := rel; p != "." && p != "/" && p != ""; p = path.Dir(p) {
		if t.ExcludeMatches(p) {
			return true
		}
	}
	return false
}

// ExcludeMatches reports whether the path p itself, whole or by its base
// name, matches an Exclude pattern (the directories above it aside: a
// walk that skips an excluded directory asks only this).
func (t *Table) ExcludeMatches(p string) bool {
	if len(t.Exclude) == 0 {
		return false
	}
	if t.Windows() {
		p = strings.ToLower(p)
	}
	base := path.Base(p)
	for _, g := range t.Exclude {
		if t.Windows() {
			g = strings.ToLower(g)
		}
		if ok, _ := path.Match(g, p); ok {
			return true
		}
		if ok, _ := path.Match(g, base); ok {
			return true
		}
	}
	return false
}

// NameKey returns the key under which the table compares a path: the path
// itself, or its upper-case folding in a Windows table.
func (t *Table) NameKey(path string) string {
	if t.Windows() {
		return strings.ToUpper(path)
	}
	return path
}
