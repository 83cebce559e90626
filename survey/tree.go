package survey

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"sort"

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
// listed: they are returned as warnings, never silently dropped.
func Tree(ctx context.Context, kind formular.Kind, root string, cols []checksum.Column, opt Options) (*formular.Table, []string, error) {
	t := &formular.Table{Kind: kind, Columns: cols, Closed: true, HasMode: opt.Mode}
	if err := setExclude(t, opt.Exclude); err != nil {
		return nil, nil, err
	}
	var rels []string
	var modes []uint32
	var warnings []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if rel == "." {
			return nil
		}
		// The walk skips an excluded directory whole: a path reached is
		// excluded by its own name alone.
		if t.ExcludeMatches(rel) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir():
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			rels = append(rels, rel)
			modes = append(modes, uint32(info.Mode().Perm()))
		case d.Type()&fs.ModeSymlink != 0:
			warnings = append(warnings, fmt.Sprintf("%s: symbolic link not listed (links are not followed)", rel))
		default:
			warnings = append(warnings, fmt.Sprintf("%s: not a regular file, not listed", rel))
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	// WalkDir's lexical order is by name within each directory; the
	// formular's is bytewise over the whole path.
	order := make([]int, len(rels))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return rels[order[a]] < rels[order[b]] })
	algs := algsOf(cols)
	jobs := make([]checksum.Job, len(rels))
	for i, o := range order {
		jobs[i] = checksum.Job{Path: filepath.Join(root, filepath.FromSlash(rels[o]))}
	}
	t.Entries = make([]formular.Entry, 0, len(rels))
	err = checksum.HashFiles(ctx, jobs, algs, opt.Engine, func(r checksum.Result) error {
		if r.Err != nil {
			// A formular must not be made from a tree it could not read.
			return fmt.Errorf("%s: %w", r.Path, r.Err)
		}
		o := order[r.Index]
		e := formular.Entry{Path: rels[o], Sums: r.Sums, Size: r.Size}
		if opt.Mode {
			e.Mode = modes[o]
		}
		t.Entries = append(t.Entries, e)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return t, warnings, nil
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
