package formular

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/sverka/sverka/checksum"
)

// ImportOptions tunes FromList.
type ImportOptions struct {
	// File names the list in messages.
	File string
	// StripPrefix is removed from every name (an absolute path a list was
	// made under); names must then be relative.
	StripPrefix string
}

// FromList turns the entries of a checksum list into a table of the given
// kind. Every entry must carry the same algorithms in the same byte order:
// a table has fixed columns. Names are cleaned ("./a" is "a") and must end
// up relative and without "..", as the formular requires; sizes the list
// does not give are written as unknown.
func FromList(kind Kind, entries []checksum.Entry, opt ImportOptions) (*Table, error) {
	if len(entries) == 0 {
		return nil, fmt.Errorf("%s: no entries", opt.File)
	}
	t := &Table{Kind: kind}
	for _, s := range entries[0].Sums {
		t.Columns = append(t.Columns, s.Col)
	}
	seen := map[string]int{}
	for _, e := range entries {
		if !sameColumns(t.Columns, e.Sums) {
			return nil, fmt.Errorf("%s line %d: the digests are not of the same algorithms as on line %d (%s): a table has one set of columns",
				opt.File, e.Line, entries[0].Line, columnNames(t.Columns))
		}
		name := e.Name
		if opt.StripPrefix != "" {
			var ok bool
			if name, ok = strings.CutPrefix(name, opt.StripPrefix); !ok {
				return nil, fmt.Errorf("%s line %d: %q does not start with %q", opt.File, e.Line, e.Name, opt.StripPrefix)
			}
		}
		name = strings.TrimPrefix(name, "./")
		if name != "" && !strings.HasPrefix(name, "/") {
			name = path.Clean(name)
		}
		if name == "" || name == "." || name == ".." || strings.HasPrefix(name, "../") || strings.HasPrefix(name, "/") {
			return nil, fmt.Errorf("%s line %d: %q is not a path inside the table's root (absolute names need --strip-prefix)", opt.File, e.Line, e.Name)
		}
		if prev, ok := seen[name]; ok {
			return nil, fmt.Errorf("%s line %d: %s is listed twice (first on line %d)", opt.File, e.Line, name, prev)
		}
		seen[name] = e.Line
		ent := Entry{Path: name, Size: e.Size}
		for _, s := range e.Sums {
			ent.Sums = append(ent.Sums, s.Digest...)
		}
		t.Entries = append(t.Entries, ent)
	}
	sort.Slice(t.Entries, func(i, j int) bool { return t.Entries[i].Path < t.Entries[j].Path })
	return t, nil
}

func sameColumns(cols []checksum.Column, sums []checksum.Sum) bool {
	if len(cols) != len(sums) {
		return false
	}
	for i, s := range sums {
		if s.Col.Alg != cols[i].Alg || s.Col.Reversed != cols[i].Reversed {
			return false
		}
	}
	return true
}
