package survey

import (
	"context"
	"fmt"
	"io/fs"
	"path"
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
	jobs := make([]checksum.Job, len(files))
	for i, f := range files {
		jobs[i] = checksum.Seen(f.path, f.mode, f.size)
	}
	t.Entries = make([]formular.Entry, 0, len(files))
	err = checksum.HashFiles(ctx, jobs, algsOf(cols), opt.Engine, func(r checksum.Result) error {
		if r.Err != nil {
			// A formular must not be made from a tree it could not read.
			return fmt.Errorf("%s: %w", r.Path, r.Err)
		}
		e := formular.Entry{Path: files[r.Index].rel, Sums: r.Sums, Size: r.Size}
		if opt.Mode {
			e.Mode = uint32(files[r.Index].mode.Perm())
		}
		t.Entries = append(t.Entries, e)
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	return t, warnings, nil
}

// file is a regular file a walk found.
type file struct {
	path, rel string
	mode      fs.FileMode
	size      int64
}

// list walks root for the regular files t lists, in the formular's order
// (bytewise over the whole path), and says what it passes over.
func list(ctx context.Context, t *formular.Table, root string) ([]file, []string, error) {
	var files []file
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
			files = append(files, file{path: w.Path, rel: w.Rel, mode: info.Mode(), size: info.Size()})
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
	// The walk's order is by name within each directory.
	slices.SortFunc(files, func(a, b file) int { return strings.Compare(a.rel, b.rel) })
	return files, warnings, nil
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
