// Package config reads the configuration file of the periodic check
// (/etc/sverka/verify.conf): one "key = value" a line, strictly. A file
// that an administrator mistyped must stop the check with the file and
// line named, never be half-read: a misspelt key would otherwise leave a
// source unchecked and the verdict would speak for less than intended.
//
// Which keys a file may hold is the caller's to say (verify takes its own
// flags' names); this package knows the syntax only, and the period.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sverka/sverka/internal/near"
	"github.com/sverka/sverka/internal/regular"
)

// MaxSize is the largest configuration file read: a few dozen lines are
// usual; anything near this is not a configuration file.
const MaxSize = 64 << 10

// Entry is one "key = value" line.
type Entry struct {
	Key, Value string
	Line       int
}

// File is a configuration file as read: its entries in file order.
type File struct {
	Path    string
	Entries []Entry
}

// Keys are the keys a file may hold; a key whose value is true may be
// given on several lines (a list), any other only once.
type Keys map[string]bool

// Read reads the configuration file at path: a regular file of at most
// MaxSize bytes.
func Read(path string, keys Keys) (*File, error) {
	data, err := regular.ReadFile(path, MaxSize, "a configuration file")
	if err != nil {
		return nil, err
	}
	return Parse(data, path, keys)
}

// Parse reads a configuration file's bytes; path names it in errors.
//
// Lines are "key = value", blank, or comments: "#" or ";" as the first
// character that is not a blank. The value is the rest of the line with
// the blanks at its ends removed; it is taken literally (no quotes, no
// escapes, "#" inside it is part of it) and must not be empty. A key is
// lower-case letters, digits and hyphens. A UTF-8 byte order mark and
// CRLF line ends (Notepad's) are accepted; anything else not UTF-8 text,
// an unknown key, a key given twice that is no list, and a line without
// "=" are errors naming the line.
func Parse(data []byte, path string, keys Keys) (*File, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	f := &File{Path: path}
	first := map[string]int{}
	for n, raw := range bytes.Split(data, []byte("\n")) {
		line := n + 1
		errf := func(format string, a ...any) error {
			return fmt.Errorf("%s line %d: %s", path, line, fmt.Sprintf(format, a...))
		}
		raw = bytes.TrimSuffix(raw, []byte("\r"))
		if !utf8.Valid(raw) {
			return nil, errf("not UTF-8 text")
		}
		s := string(raw)
		if i := strings.IndexFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }); i >= 0 {
			return nil, errf("a control character (%U) at column %d", s[i], utf8.RuneCountInString(s[:i])+1)
		}
		t := strings.Trim(s, " \t")
		if t == "" || t[0] == '#' || t[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(t, "=")
		if !ok {
			return nil, errf("%q is not \"key = value\"", clip(t))
		}
		k, v = strings.Trim(k, " \t"), strings.Trim(v, " \t")
		if !validKey(k) {
			return nil, errf("%q is not a key (lower-case letters, digits and hyphens)", clip(k))
		}
		repeatable, known := keys[k]
		if !known {
			if m := near.Name(k, names(keys)); m != "" {
				return nil, errf("unknown key %q; did you mean %q?", k, m)
			}
			return nil, errf("unknown key %q; the keys are %s", k, strings.Join(names(keys), ", "))
		}
		if v == "" {
			return nil, errf("%s has no value", k)
		}
		if prev, dup := first[k]; dup && !repeatable {
			return nil, errf("%s given again (first on line %d); it takes one value", k, prev)
		}
		if _, dup := first[k]; !dup {
			first[k] = line
		}
		f.Entries = append(f.Entries, Entry{Key: k, Value: v, Line: line})
	}
	return f, nil
}

// Get is the entry of key, and whether the file gives it; for a list, the
// first.
func (f *File) Get(key string) (Entry, bool) {
	for _, e := range f.Entries {
		if e.Key == key {
			return e, true
		}
	}
	return Entry{}, false
}

// Errorf is an error about an entry, naming the file and its line.
func (f *File) Errorf(e Entry, format string, a ...any) error {
	return fmt.Errorf("%s line %d: %s: %s", f.Path, e.Line, e.Key, fmt.Sprintf(format, a...))
}

func validKey(k string) bool {
	if k == "" || k[0] == '-' {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// names are the keys, sorted.
func names(keys Keys) []string {
	var n []string
	for k := range keys {
		n = append(n, k)
	}
	slices.Sort(n)
	return n
}

// clip shortens what an error quotes from a long line.
func clip(s string) string {
	if len(s) <= 60 {
		return s
	}
	i := 57
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "..."
}

// ParsePeriod reads a period: a whole number and a unit, m (minutes), h
// (hours), d (days) or w (weeks): "30m", "36h", "1d", "2w". A period is
// at least a minute and at most ten years.
func ParsePeriod(s string) (time.Duration, error) {
	units := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	if len(s) < 2 {
		return 0, fmt.Errorf("period %q: expected a number and a unit: 30m, 12h, 1d or 2w", s)
	}
	unit, ok := units[s[len(s)-1]]
	num := s[:len(s)-1]
	if !ok || num[0] < '0' || num[0] > '9' {
		return 0, fmt.Errorf("period %q: expected a number and a unit: 30m, 12h, 1d or 2w", s)
	}
	n, err := strconv.ParseUint(num, 10, 32)
	switch {
	case errors.Is(err, strconv.ErrRange):
		return 0, fmt.Errorf("period %q: must be at least 1m and at most ten years", s)
	case err != nil:
		return 0, fmt.Errorf("period %q: expected a whole number before the unit: 30m, 12h, 1d or 2w", s)
	}
	// Bounded before the product is made: 17000w would wrap around to a
	// negative duration.
	if n == 0 || n > uint64(10*365*24*time.Hour/unit) {
		return 0, fmt.Errorf("period %q: must be at least 1m and at most ten years", s)
	}
	return time.Duration(n) * unit, nil
}
