package formular

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"sort"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/iso"
)

// MakeOptions tunes MakeTree.
type MakeOptions struct {
	// Exclude holds glob patterns (path.Match syntax) matched against the
	// slash-separated path relative to the root and against the base name.
	Exclude []string
	// Mode records each file's permission bits (a modules table's mode
	// column).
	Mode   bool
	Engine checksum.Options
}

// MakeTree hashes every regular file under root with every column's
// algorithm (each file read once, in parallel) and returns a table of the
// given kind listing them. Symbolic links and special files cannot be
// listed: they are returned as warnings, never silently dropped.
func MakeTree(ctx context.Context, kind Kind, root string, cols []checksum.Column, opt MakeOptions) (*Table, []string, error) {
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
		if excluded(rel, opt.Exclude) {
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
	algs := make([]*checksum.Algorithm, len(cols))
	for i, c := range cols {
		algs[i] = c.Alg
	}
	jobs := make([]checksum.Job, len(rels))
	for i, o := range order {
		jobs[i] = checksum.Job{Path: filepath.Join(root, filepath.FromSlash(rels[o]))}
	}
	t := &Table{Kind: kind, Columns: cols, Closed: true, HasMode: opt.Mode, Entries: make([]Entry, 0, len(rels))}
	err = checksum.HashFiles(ctx, jobs, algs, opt.Engine, func(r checksum.Result) error {
		if r.Err != nil {
			// A formular must not be made from a tree it could not read.
			return fmt.Errorf("%s: %w", r.Path, r.Err)
		}
		o := order[r.Index]
		e := Entry{Path: rels[o], Sums: r.Sums, Size: r.Size}
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

func excluded(rel string, patterns []string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, rel); ok {
			return true
		}
		if ok, _ := path.Match(p, path.Base(rel)); ok {
			return true
		}
	}
	return false
}

// MakeImage reads an ISO image (or a disc in a drive) once, start to end,
// and returns its [image] table (the image's file name, size and digests)
// and its [media] table (every member), both from that single pass.
func MakeImage(ctx context.Context, path string, cols []checksum.Column, opt MakeOptions) (image, media *Table, warnings []string, err error) {
	im, err := iso.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	defer im.Close()
	if n := len(im.Conflicts); n > 0 {
		// Readers of this image see other files than its members: a
		// formular made from it could never hold.
		return nil, nil, nil, fmt.Errorf("%s: its directory trees disagree in %d place(s), first: %v: readers would see other files than its members (an image whose Joliet names are cut short needs mastering again with -joliet-long)",
			path, n, im.Conflicts[0])
	}
	algs := make([]*checksum.Algorithm, len(cols))
	for i, c := range cols {
		algs[i] = c.Alg
	}
	so := iso.ScanOptions{ImageAlgs: algs, MemberAlgs: algs, Workers: opt.Engine.Workers, Progress: opt.Engine.Progress}
	sr, err := im.Scan(ctx, so)
	if err != nil {
		return nil, nil, nil, err
	}
	if sr.ImageErr != nil || sr.ImageRead < sr.Length {
		return nil, nil, nil, fmt.Errorf("%s: read %d of %d bytes: %v", path, sr.ImageRead, sr.Length, sr.ImageErr)
	}
	image = &Table{Kind: KindImage, Columns: cols, Entries: []Entry{{Path: filepath.Base(path), Sums: sr.ImageSums, Size: sr.ImageRead}}}
	media = &Table{Kind: KindMedia, Columns: cols, Closed: true}
	for i, m := range im.Members {
		if excluded(m.Name, opt.Exclude) {
			continue
		}
		ms := sr.Members[i]
		if ms.Err != nil {
			return nil, nil, nil, fmt.Errorf("%s: member %s: %w", path, m.Name, ms.Err)
		}
		media.Entries = append(media.Entries, Entry{Path: m.Name, Sums: ms.Sums, Size: ms.Read})
	}
	sort.Slice(media.Entries, func(i, j int) bool { return media.Entries[i].Path < media.Entries[j].Path })
	for _, l := range im.Symlinks {
		warnings = append(warnings, fmt.Sprintf("%s: symbolic link to %s not listed (links are not followed)", l.Name, l.Target))
	}
	return image, media, warnings, nil
}
