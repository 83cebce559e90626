package survey

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
)

// Options tunes Tree and Image.
type Options struct {
	// Exclude holds glob patterns (path.Match syntax) matched against the
	// slash-separated path relative to the root and against the base name.
	Exclude []string
	// Mode records each file's permission bits (a modules table's mode
	// column).
	Mode   bool
	Engine checksum.Options
}

// Tree hashes every regular file under root with every column's
// algorithm (each file read once, in parallel) and returns a table of the
// given kind listing them. Symbolic links and special files cannot be
// listed: they are returned as warnings, never silently dropped. A
// directory that cannot be listed is an error: a formular must not be
// made from a tree it could not read.
func Tree(ctx context.Context, kind formular.Kind, root string, cols []checksum.Column, opt Options) (*formular.Table, []string, error) {
	t := &formular.Table{Kind: kind, Columns: cols, Closed: true, HasMode: opt.Mode}
	if err := setExclude(t, opt.Exclude); err != nil {
		return nil, nil, err
	}
	files, warnings, err := list(ctx, t, root)
	if err != nil {
		return nil, nil, err
	}
	// The rows are made before the hashing, in their order, and each
	// result fills its own: the engine need not hold a result per file
	// to hand them over in order, and the digests of a million files go
	// into one array instead of two allocations each.
	t.Entries = make([]formular.Entry, len(files))
	modes := make([]fs.FileMode, len(files))
	for i, f := range files {
		t.Entries[i].Path, t.Entries[i].Size = f.rel, f.size
		if opt.Mode {
			t.Entries[i].Mode = uint32(f.mode.Perm())
		}
		modes[i] = f.mode
	}
	files = nil // the rows and the modes hold what is still needed
	if err := hashRows(ctx, t, root, modes, opt.Engine, checksum.Stretch); err != nil {
		return nil, nil, err
	}
	return t, warnings, nil
}

// hashRows fills the digests and sizes of t's rows, the files under root
// with the listing's modes, stretch files at a time in the rows' order
// (the order of the tree: a stretch keeps files of one part of it
// together).
func hashRows(ctx context.Context, t *formular.Table, root string, modes []fs.FileMode, engine checksum.Options, stretch int) error {
	fill := newSums(len(t.Entries), t.Columns)
	filled := 0
	// The path the walk opened: the root joined with the row's, as
	// the walk joins them, without cleaning each row's path again.
	root = filepath.Clean(root)
	job := func(i int) checksum.Job {
		e := &t.Entries[i]
		return checksum.Seen(checksum.JoinClean(root, e.Path), modes[i], e.Size)
	}
	engine.AnyOrder = true // each result fills its own row
	err := checksum.HashStretches(ctx, len(t.Entries), stretch, job, algsOf(t.Columns), engine, func(r checksum.Result) error {
		if r.Err != nil {
			// A formular must not be made from a tree it could not read.
			return fmt.Errorf("%s: %w", r.Path, r.Err)
		}
		e := &t.Entries[r.Index]
		e.Sums, e.Size = fill.keep(r.Index, r.Sums), r.Size
		filled++
		return nil
	})
	if err != nil {
		return err
	}
	if filled != len(t.Entries) {
		// Never a row without its digests, whatever the engine did.
		return fmt.Errorf("%d of %d files hashed", filled, len(t.Entries))
	}
	return nil
}

// sums holds the digests of a table's rows in two arrays: the bytes of
// every digest, a row's after the row before.
type sums struct {
	bytes []byte
	width int // bytes of a row's digests
	cols  []checksum.Column
}

func newSums(n int, cols []checksum.Column) *sums {
	width := formular.SumsWidth(cols)
	return &sums{bytes: make([]byte, n*width), width: width, cols: cols}
}

// keep copies row i's digests in and returns them as the row's Sums.
func (s *sums) keep(i int, got [][]byte) []byte {
	row := s.bytes[i*s.width : (i+1)*s.width : (i+1)*s.width]
	at := 0
	for j, c := range s.cols {
		copy(row[at:at+c.Alg.Size], got[j])
		at += c.Alg.Size
	}
	return row
}

// file is a regular file a walk found.
type file struct {
	rel  string
	mode fs.FileMode
	size int64
}

// list walks root for the regular files t lists, in the formular's order
// (bytewise over the whole path), and says what it passes over. It keeps
// of each file what its row needs: the names in blocks of their own, not
// the walk's joined paths; the records in blocks, not a slice grown and
// copied again and again (a million of them are 32 MB).
func list(ctx context.Context, t *formular.Table, root string) ([]file, []string, error) {
	var blocks [][]file
	var names names
	var warnings []string
	// The walk skips an excluded directory whole: a path reached is
	// excluded by its own name alone.
	err := checksum.Walk(ctx, root, checksum.WalkOptions{Skip: t.ExcludeMatches}, func(w checksum.Walked) error {
		switch w.Kind {
		case checksum.WalkDir:
		case checksum.WalkFile:
			info, err := w.Info()
			if err != nil {
				return err
			}
			if len(blocks) == 0 || len(blocks[len(blocks)-1]) == fileBlock {
				blocks = append(blocks, make([]file, 0, fileBlock))
			}
			last := &blocks[len(blocks)-1]
			*last = append(*last, file{rel: names.add(w.Rel), mode: info.Mode(), size: info.Size()})
		case checksum.WalkError:
			return w.Err
		default:
			warnings = append(warnings, fmt.Sprintf("%s: %v", w.Rel, w.Kind))
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	files := slices.Concat(blocks...)
	// The walk's order is by name within each directory.
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.rel, b.rel) })
	return files, warnings, nil
}

// fileBlock is how many records a block of the listing holds.
const fileBlock = 8192

// names keeps strings in large blocks: one allocation for thousands of
// names, not one each.
type names struct {
	b strings.Builder
}

// nameBlock is the size of a block of names.
const nameBlock = 1 << 20

// add returns a copy of s kept in the current block.
func (n *names) add(s string) string {
	if n.b.Cap()-n.b.Len() < len(s) {
		// A full block stays as it is: the strings cut from it are
		// never written over, a Builder only appends.
		n.b = strings.Builder{}
		n.b.Grow(max(nameBlock, len(s)))
	}
	at := n.b.Len()
	n.b.WriteString(s)
	return n.b.String()[at:]
}

// setExclude records the patterns a table is made without, sorted and
// each once, as the formular writes them: a closed table covers its whole
// tree, so verify must leave out what make left out.
func setExclude(t *formular.Table, patterns []string) error {
	for _, p := range patterns {
		if _, err := path.Match(p, ""); err != nil || p == "" {
			return fmt.Errorf("--exclude %q: not a glob pattern", p)
		}
	}
	t.Exclude = slices.Compact(slices.Sorted(slices.Values(patterns)))
	if len(t.Exclude) == 0 {
		t.Exclude = nil
	}
	return nil
}

// algsOf is the algorithm of each column.
func algsOf(cols []checksum.Column) []*checksum.Algorithm {
	algs := make([]*checksum.Algorithm, len(cols))
	for i, c := range cols {
		algs[i] = c.Alg
	}
	return algs
}
