package checksum

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// WalkKind says what a walk met at a path.
type WalkKind uint8

const (
	// WalkFile is a regular file (with WalkOptions.Follow, also a link to
	// one).
	WalkFile WalkKind = iota
	// WalkDir is a directory, met before what it holds.
	WalkDir
	// WalkSymlink is a symbolic link the walk did not follow.
	WalkSymlink
	// WalkSpecial is a FIFO, socket, device or other file that is not
	// regular: reading one may block forever or never end.
	WalkSpecial
	// WalkLoop is a directory reached again through a symbolic link: it
	// is not walked a second time.
	WalkLoop
	// WalkError is a directory that could not be listed, or a link that
	// could not be followed: Walked.Err says why.
	WalkError
)

// String says what the walk did with a path of this kind, as every
// command words it: "dir/link: symbolic link not followed".
func (k WalkKind) String() string {
	switch k {
	case WalkFile:
		return "regular file"
	case WalkDir:
		return "directory"
	case WalkSymlink:
		return "symbolic link not followed"
	case WalkSpecial:
		return "skipped: not a regular file"
	case WalkLoop:
		return "directory already visited (symbolic link loop), skipped"
	}
	return "could not be read"
}

// WalkOptions is a walk's policy.
type WalkOptions struct {
	// Follow follows symbolic links below the root: a link to a
	// directory is walked (once: one reached again, or leading to a
	// directory above the link, is a WalkLoop), a
	// link to a file is met as that file. Without it a link is met as
	// a WalkSymlink and never opened, and a directory that turns into a
	// link once listed is refused, not followed. The root, named by the
	// caller, is followed either way.
	Follow bool
	// Skip, if set, leaves out the path rel (slash-separated, relative to
	// the root) and, for a directory, everything under it: the walk
	// neither reports nor opens it.
	Skip func(rel string) bool
}

// Walked is one path a walk met.
type Walked struct {
	Kind WalkKind
	// Path is the root joined with Rel: where the path is opened.
	Path string
	// Rel is the path relative to the root, slash-separated.
	Rel string
	// Entry is the path's entry in its directory's listing (for a
	// followed link, the link's); nil for a WalkError of the root.
	Entry fs.DirEntry
	// Err says why a WalkError could not be read.
	Err error
	// followed marks a link met as what it leads to.
	followed bool
}

// Info is the path's file information: for a followed link, of what it
// leads to; else of the path itself, the link not followed.
func (w Walked) Info() (fs.FileInfo, error) {
	if w.followed || w.Entry == nil {
		return os.Stat(w.Path)
	}
	return w.Entry.Info()
}

// Walk meets every path under root, depth first, each directory's entries
// in the order of their names (a directory's contents then come before a
// sibling that sorts after its name), and calls visit for each, the
// root's own directory aside. The directories are opened as OpenDir opens
// them, leaving no access time. A directory that cannot be listed is met
// as a WalkError, and the walk goes on with what it could list: visit
// decides whether that ends it. Walk stops at the first error visit
// returns, or when ctx is done, and returns it.
func Walk(ctx context.Context, root string, opt WalkOptions, visit func(Walked) error) error {
	w := walker{opt: opt, visit: visit}
	if opt.Follow {
		w.seen = map[string]bool{}
		if !w.enter(root, false) {
			return visit(Walked{Kind: WalkLoop, Path: root, Rel: "."})
		}
	}
	return w.dir(ctx, root, ".", false)
}

// JoinClean is filepath.Join(dir, rel) for a dir that filepath.Clean
// leaves as it is and a rel of names joined by '/' with no empty, "." or
// ".." name (a table's path, a walk's Rel, a directory entry's name), or
// a rel of "." (dir itself): there is nothing to clean, and cleaning it
// again for each of 100,000 files cost a check a fiftieth of its time.
// Any other dir (the root, a volume) is joined by filepath.Join.
func JoinClean(dir, rel string) string {
	if dir == "" || dir == "." || os.IsPathSeparator(dir[len(dir)-1]) || filepath.VolumeName(dir) == dir ||
		rel == "" || rel == "." {
		return filepath.Join(dir, filepath.FromSlash(rel))
	}
	return dir + string(filepath.Separator) + filepath.FromSlash(rel)
}

type walker struct {
	opt   WalkOptions
	visit func(Walked) error
	// seen holds the real paths of the root and of the directories
	// reached through links, when links are followed.
	seen map[string]bool
}

// enter records the directory path as walked, and says false if it was
// already, or if path is a link inside the directory it leads to: a
// plain directory above the link is not in seen, and would be walked
// once more before its own links were caught.
func (w *walker) enter(path string, link bool) bool {
	real, err := realPath(path)
	if err != nil {
		return true // the listing says what is wrong
	}
	if w.seen[real] {
		return false
	}
	if link {
		if parent, err := realPath(filepath.Dir(path)); err == nil && within(parent, real) {
			return false
		}
	}
	w.seen[real] = true
	return true
}

// realPath is path with no link in it, absolute: a root given as "."
// and a link back to it are then one path.
func realPath(path string) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", err
	}
	return filepath.Abs(real)
}

// within says whether the cleaned path p is dir or lies under it.
func within(p, dir string) bool {
	if p == dir {
		return true
	}
	if !strings.HasSuffix(dir, string(filepath.Separator)) {
		dir += string(filepath.Separator)
	}
	return strings.HasPrefix(p, dir)
}

// dir lists the directory path, named rel, and meets what it holds;
// follow opens it through a link in its last element.
func (w *walker) dir(ctx context.Context, path, rel string, follow bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ents, err := ReadDir(path, rel != "." && !follow)
	if err != nil {
		if err := w.visit(Walked{Kind: WalkError, Path: path, Rel: rel, Err: err}); err != nil {
			return err
		}
	}
	slices.SortFunc(ents, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	// path is the root as given, or a path joined here: cleaned once, as
	// Join cleaned each entry's path.
	clean := filepath.Clean(path)
	for _, e := range ents {
		p := JoinClean(clean, e.Name())
		r := e.Name()
		if rel != "." {
			r = rel + "/" + r
		}
		if w.opt.Skip != nil && w.opt.Skip(r) {
			continue
		}
		if err := w.entry(ctx, Walked{Path: p, Rel: r, Entry: e}); err != nil {
			return err
		}
	}
	return nil
}

// entry meets one listed entry, and walks it if it is a directory.
func (w *walker) entry(ctx context.Context, f Walked) error {
	t := f.Entry.Type()
	switch {
	case t.IsDir():
		f.Kind = WalkDir
		if err := w.visit(f); err != nil {
			return err
		}
		return w.dir(ctx, f.Path, f.Rel, false)
	case t.IsRegular():
		f.Kind = WalkFile
		return w.visit(f)
	case t&fs.ModeSymlink != 0 && w.opt.Follow:
		return w.link(ctx, f)
	case t&fs.ModeSymlink != 0:
		f.Kind = WalkSymlink
		return w.visit(f)
	}
	f.Kind = WalkSpecial
	return w.visit(f)
}

// link meets a symbolic link as what it leads to.
func (w *walker) link(ctx context.Context, f Walked) error {
	f.followed = true
	fi, err := os.Stat(f.Path)
	switch {
	case err != nil:
		f.Kind, f.Err = WalkError, err
		return w.visit(f)
	case fi.IsDir() && !w.enter(f.Path, true):
		f.Kind = WalkLoop
		return w.visit(f)
	case fi.IsDir():
		f.Kind = WalkDir
		if err := w.visit(f); err != nil {
			return err
		}
		return w.dir(ctx, f.Path, f.Rel, true)
	case fi.Mode().IsRegular():
		f.Kind = WalkFile
	default:
		f.Kind = WalkSpecial
	}
	return w.visit(f)
}
