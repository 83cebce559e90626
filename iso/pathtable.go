package iso

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
)

// pathEntry is a directory by its path and location, as a path table or
// a directory tree has it.
type pathEntry struct {
	path string // with a trailing slash; "" for the root
	loc  int64  // byte offset of its extent
}

// maxPathTable bounds a path table; a real one is a few kilobytes.
const maxPathTable = 16 << 20

// checkPathTables holds the type L and type M path tables of a volume
// descriptor to the directory tree t read from it. Windows finds a
// directory through the path table, others through the directory
// records: a path table that names other directories, or puts them
// elsewhere, would show Windows another tree.
func (w *walker) checkPathTables(vd []byte, off int64, t *tree) error {
	size := int64(binary.LittleEndian.Uint32(vd[132:]))
	if size > maxPathTable {
		return fmt.Errorf("volume descriptor at byte offset %d: implausible path table size %d", off, size)
	}
	tables := []struct {
		loc   int64
		order binary.ByteOrder
	}{
		{int64(binary.LittleEndian.Uint32(vd[140:])) * w.bs, binary.LittleEndian},
		{int64(binary.BigEndian.Uint32(vd[148:])) * w.bs, binary.BigEndian},
	}
	want := slices.Clone(t.dirs)
	sortEntries(want)
	for _, pt := range tables {
		if pt.loc == 0 && pt.order == binary.BigEndian {
			continue // a type M table is optional to some tools; none is read then
		}
		if w.budget -= size; w.budget < 0 {
			return fmt.Errorf("path table at byte offset %d: the directories add up to more than the image: the tree is corrupt", pt.loc)
		}
		b, err := w.readAt(pt.loc, size, "path table")
		if err != nil {
			return err
		}
		got, err := parsePathTable(b, pt.loc, w.bs, pt.order, t.name)
		if err != nil {
			return err
		}
		sortEntries(got)
		if !slices.Equal(got, want) {
			return fmt.Errorf("path table at byte offset %d: %s", pt.loc, pathTableDiff(got, want, treeTitle[t.name]))
		}
	}
	return nil
}

// parsePathTable reads the entries of a path table at byte offset at.
func parsePathTable(b []byte, at, bs int64, order binary.ByteOrder, treeName string) ([]pathEntry, error) {
	var out []pathEntry
	for pos := 0; pos < len(b); {
		if pos+8 > len(b) {
			if strings.Trim(string(b[pos:]), "\x00") == "" {
				break // padding
			}
			return nil, fmt.Errorf("path table entry at byte offset %d runs past the table", at+int64(pos))
		}
		n := int(b[pos])
		if n == 0 {
			if strings.Trim(string(b[pos:]), "\x00") == "" {
				break
			}
			return nil, fmt.Errorf("path table entry at byte offset %d: identifier of length 0", at+int64(pos))
		}
		if pos+8+n > len(b) {
			return nil, fmt.Errorf("path table entry at byte offset %d runs past the table", at+int64(pos))
		}
		loc := int64(order.Uint32(b[pos+2:])) // in blocks until scaled below
		parent := int(order.Uint16(b[pos+6:]))
		id := b[pos+8 : pos+8+n]
		var path string
		switch {
		case len(out) == 0:
			if parent != 1 || n != 1 || id[0] != 0 {
				return nil, fmt.Errorf("path table entry at byte offset %d: the first entry is not the root", at+int64(pos))
			}
		case parent < 1 || parent > len(out):
			return nil, fmt.Errorf("path table entry at byte offset %d: parent %d is not an earlier entry", at+int64(pos), parent)
		default:
			name := stripVersion(string(id))
			if treeName == TreeJoliet {
				name = stripVersion(decodeUCS2(id))
			}
			path = out[parent-1].path + name + "/"
		}
		out = append(out, pathEntry{path: path, loc: (loc + int64(b[pos+1])) * bs})
		pos += 8 + n + n%2
	}
	return out, nil
}

func sortEntries(e []pathEntry) {
	slices.SortFunc(e, func(a, b pathEntry) int {
		return cmp.Or(strings.Compare(a.path, b.path), cmp.Compare(a.loc, b.loc))
	})
}

// pathTableDiff says the first difference between a path table and the
// tree, both sorted.
func pathTableDiff(got, want []pathEntry, tree string) string {
	show := func(p string) string { return quoteDir(p) }
	for i := 0; ; i++ {
		switch {
		case i >= len(got):
			return fmt.Sprintf("lacks directory %s of the %s tree", show(want[i].path), tree)
		case i >= len(want) || got[i].path < want[i].path:
			return fmt.Sprintf("lists directory %s, which the %s tree does not hold", show(got[i].path), tree)
		case got[i].path > want[i].path:
			return fmt.Sprintf("lacks directory %s of the %s tree", show(want[i].path), tree)
		case got[i].loc != want[i].loc:
			return fmt.Sprintf("puts directory %s at byte offset %d, the %s tree at %d", show(got[i].path), got[i].loc, tree, want[i].loc)
		}
	}
}
