package formular

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
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
	t := &Table{Kind: kind, Columns: cols, Closed: true, HasMode: opt.Mode}
	if err := t.setExclude(opt.Exclude); err != nil {
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
	algs := make([]*checksum.Algorithm, len(cols))
	for i, c := range cols {
		algs[i] = c.Alg
	}
	jobs := make([]checksum.Job, len(rels))
	for i, o := range order {
		jobs[i] = checksum.Job{Path: filepath.Join(root, filepath.FromSlash(rels[o]))}
	}
	t.Entries = make([]Entry, 0, len(rels))
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

// setExclude records the patterns a table is made without, sorted and
// each once, as the formular writes them: a closed table covers its whole
// tree, so verify must leave out what make left out.
func (t *Table) setExclude(patterns []string) error {
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

// MakeImage reads an ISO image (or a disc in a drive) once, start to end,
// and returns its [image] table (the image's file name, size and digests),
// its [boot] table (what boots: see docs/formular.md) and its [media] table
// (every member), all from that single pass.
func MakeImage(ctx context.Context, path string, cols []checksum.Column, opt MakeOptions) (image, boot, media *Table, warnings []string, err error) {
	media = &Table{Kind: KindMedia, Columns: cols, Closed: true}
	if err := media.setExclude(opt.Exclude); err != nil {
		return nil, nil, nil, nil, err
	}
	im, err := iso.Open(path)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	defer im.Close()
	if n := len(im.Conflicts); n > 0 {
		// Readers of this image see other files than its members: a
		// formular made from it could never hold.
		return nil, nil, nil, nil, fmt.Errorf("%s: its directory trees disagree in %d place(s), first: %v: readers would see other files than its members (an image whose Joliet names are cut short needs mastering again with -joliet-long)",
			path, n, im.Conflicts[0])
	}
	algs := make([]*checksum.Algorithm, len(cols))
	for i, c := range cols {
		algs[i] = c.Alg
	}
	targets, extra, err := BootTargets(im)
	if err != nil {
		// A formular must not be made from an image whose boot catalog
		// cannot be read: what boots would go unrecorded.
		return nil, nil, nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	so := iso.ScanOptions{ImageAlgs: algs, MemberAlgs: algs, Workers: opt.Engine.Workers, Progress: opt.Engine.Progress,
		Extra: extra, ExtraAlgs: algs}
	sr, err := im.Scan(ctx, so)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if sr.ImageErr != nil || sr.ImageRead < sr.Length {
		return nil, nil, nil, nil, fmt.Errorf("%s: read %d of %d bytes: %v", path, sr.ImageRead, sr.Length, sr.ImageErr)
	}
	image = &Table{Kind: KindImage, Columns: cols, Entries: []Entry{{Path: filepath.Base(path), Sums: sr.ImageSums, Size: sr.ImageRead}}}
	boot = &Table{Kind: KindBoot, Columns: cols}
	for i, b := range targets {
		ms := sr.Extra[i]
		if ms.Err != nil {
			return nil, nil, nil, nil, fmt.Errorf("%s: %s: %w", path, b.Slot(), ms.Err)
		}
		boot.Entries = append(boot.Entries, Entry{Path: b.String(), Sums: ms.Sums, Size: ms.Read})
	}
	for i, m := range im.Members {
		if media.Excluded(m.Name) {
			continue
		}
		ms := sr.Members[i]
		if ms.Err != nil {
			return nil, nil, nil, nil, fmt.Errorf("%s: member %s: %w", path, m.Name, ms.Err)
		}
		media.Entries = append(media.Entries, Entry{Path: m.Name, Sums: ms.Sums, Size: ms.Read})
	}
	sort.Slice(media.Entries, func(i, j int) bool { return media.Entries[i].Path < media.Entries[j].Path })
	for _, l := range im.Symlinks {
		warnings = append(warnings, fmt.Sprintf("%s: symbolic link to %s not listed (links are not followed)", l.Name, l.Target))
	}
	return image, boot, media, warnings, nil
}

// BootTargets lists what boots from an image, as the rows of a [boot]
// table name it, with the bytes each row hashes: the system area, and
// when the image has an El Torito boot record, its catalog and every
// bootable entry's image. An entry whose image is a file of the image is
// named with that file (the first by name of its hard links). An error
// means the boot catalog cannot be read.
func BootTargets(im *iso.Image) ([]BootTarget, [][]iso.Extent, error) {
	targets := []BootTarget{{What: BootSystemArea}}
	extra := [][]iso.Extent{{im.SystemArea()}}
	et := im.ElTorito
	if et == nil {
		return targets, extra, nil
	}
	if et.Err != nil {
		return nil, nil, et.Err
	}
	targets = append(targets, BootTarget{What: BootCatalog})
	extra = append(extra, []iso.Extent{et.Catalog})
	for _, e := range et.Entries {
		targets = append(targets, EntryTarget(e, ""))
		extra = append(extra, e.Image)
	}
	return targets, extra, nil
}

// EntryTarget describes a boot entry as a row names it; of the files the
// entry's image is, it names prefer when that is one of them, else the
// first.
func EntryTarget(e iso.BootEntry, prefer string) BootTarget {
	b := BootTarget{What: BootElTorito, N: e.N, Platform: iso.PlatformName(e.Platform), Emulation: iso.EmulationName(e.Emulation)}
	if len(e.Files) > 0 {
		b.File = e.Files[0]
		if slices.Contains(e.Files, prefer) {
			b.File = prefer
		}
	}
	return b
}
