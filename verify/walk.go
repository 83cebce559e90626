package verify

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"sync"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
)

// lister lists what lies under a table's root: the whole tree for a kit
// or a closed table, walked without following links, then the
// directories holding listed files that the walk did not reach (through
// a link, under an excluded directory) or, for an open table, all of
// them. Each directory is listed once.
type lister struct {
	root string
	t    *formular.Table
	m    *matcher
	opt  TreeOptions
	res  *dirResolver

	// seen are the entries found, with their type only until describe;
	// ents their directory entries by index in seen, kept only for what
	// describe will ask about: not a listed regular file, which is read.
	// On a million rows the entries of all would hold 100 MB to the end.
	seen []found
	ents map[int]fs.DirEntry
	// asRow marks the rows found as a regular file under the row's own
	// name, which have no entry in seen: all that is needed of them is
	// their reading, kept by row (see CheckTree). A million entries of
	// 72 bytes would be held to the end for nothing but an OK.
	asRow rowSet
	// hostDirs maps a directory, named as in seen, to where it is on this
	// machine when that is not under its own name below root (it was
	// reached through a link). Made only when needed: on this host it is
	// read while the directories are listed.
	hostDirs map[string]string
	// unreadable holds the directories that could not be listed, by
	// matcher key.
	unreadable map[string]unreadableDir
	// walked holds the keys of the directories the walk listed.
	walked map[string]bool
	// dirs are the directories holding listed files, by key; parents
	// the keys of every directory above them.
	dirs    map[string]string
	parents map[string]bool
	// pathLinks are the links the walk met where a directory above
	// listed files stands: the way to them, reported only when it leads
	// nowhere.
	pathLinks []int
}

type unreadableDir struct {
	rel string
	err error
}

func newLister(root string, m *matcher, opt TreeOptions) *lister {
	// Cleaned as a join would clean it, so that a path is joined to it
	// as it is (checksum.JoinClean).
	root = filepath.Clean(root)
	return &lister{root: root, t: m.t, m: m, opt: opt,
		res: &dirResolver{root: root, jail: opt.Jail, fold: m.fold, follow: !opt.Recursive}}
}

// scan lists the tree. The entries come back with their type only;
// describe fills in the rest. It stops when ctx is done: a tree of a
// million files must not hold an interrupted check.
func (l *lister) scan(ctx context.Context) {
	t := l.t
	l.unreadable = map[string]unreadableDir{}
	l.walked = map[string]bool{}
	l.seen = nil
	l.asRow = newRowSet(len(t.Entries))
	l.ents = map[int]fs.DirEntry{}
	k := l.m.key
	l.dirs, l.parents = map[string]string{}, map[string]bool{}
	for _, e := range t.Entries {
		d := path.Dir(e.Path)
		l.dirs[k(d)] = d
		for ; d != "." && d != "/" && !l.parents[k(d)]; d = path.Dir(d) {
			l.parents[k(d)] = true
		}
	}
	if l.opt.Recursive || t.Closed {
		l.walk(ctx)
	}
	l.listDirs(ctx)
	// A link on the way to listed files that the host follows is its
	// path, not an addition; one that leads nowhere is shown.
	kept := l.seen[:0]
	keptEnts := map[int]fs.DirEntry{}
	skip := map[int]bool{}
	for _, i := range l.pathLinks {
		if l.followed(l.seen[i].rel) {
			skip[i] = true
		}
	}
	if len(skip) > 0 {
		for i := range l.seen {
			if !skip[i] {
				if d, ok := l.ents[i]; ok {
					keptEnts[len(kept)] = d
				}
				kept = append(kept, l.seen[i])
			}
		}
		l.seen, l.ents = kept, keptEnts
	}
}

// followed says whether the link rel on the way to listed files leads to
// a directory the listing reached: the kernel's on this host, the
// resolution inside the offline copy otherwise; a kit's never.
func (l *lister) followed(rel string) bool {
	if l.opt.Recursive {
		return false
	}
	if l.direct() {
		fi, err := os.Stat(checksum.JoinClean(l.root, rel))
		return err == nil && fi.IsDir()
	}
	found, _ := l.res.resolve(rel)
	return len(found) > 0
}

// direct says the listed directories are listed by their own names, the
// kernel following any link: an installed product on this host, whose
// links are its own business.
func (l *lister) direct() bool {
	return !l.m.fold && l.opt.Jail == "" && !l.opt.Recursive
}

// add records the entry d at rel; listed says whether a row, row, names
// it.
func (l *lister) add(rel string, d fs.DirEntry, row int, listed, extraDir bool) {
	if listed && l.t.Entries[row].Path == rel {
		// The row's own string: a million names are not held twice.
		rel = l.t.Entries[row].Path
		// Where names are matched exactly, one name is found once; should
		// it be found again, both are entries, and bind sees them both.
		if !l.m.fold && d.Type().IsRegular() && !extraDir {
			if !l.asRow.has(row) {
				l.asRow.put(row)
				return
			}
			l.asRow.drop(row)
			l.seen = append(l.seen, found{rel: rel, size: unstated})
		}
	}
	if !listed || !d.Type().IsRegular() {
		l.ents[len(l.seen)] = d
	}
	l.seen = append(l.seen, found{rel: rel, mode: d.Type(), size: unstated, dirExtra: extraDir})
}

func (l *lister) failed(rel string, err error) {
	l.unreadable[l.m.key(rel)] = unreadableDir{rel, err}
}

// walk lists the whole tree under the root, less the excluded paths that
// are not listed. A symbolic link is an entry, never followed: the walk
// stays inside the root, and a directory that turned into a link since it
// was listed is refused, not followed.
func (l *lister) walk(ctx context.Context) {
	k := l.m.key
	l.walked[k(".")] = true
	skip := func(rel string) bool { return l.t.ExcludeMatches(rel) && !l.m.isListed(rel) }
	last := -1 // the row found last
	// An interrupted walk returns ctx's error, which the caller checks.
	_ = checksum.Walk(ctx, l.root, checksum.WalkOptions{Skip: skip}, func(w checksum.Walked) error {
		switch w.Kind {
		case checksum.WalkError:
			l.failed(w.Rel, w.Err)
			return nil
		case checksum.WalkDir:
			l.walked[k(w.Rel)] = true
		case checksum.WalkSymlink:
			if (l.parents[k(w.Rel)] || l.dirs[k(w.Rel)] != "") && !l.m.isListed(w.Rel) {
				l.pathLinks = append(l.pathLinks, len(l.seen))
			}
		}
		row, listed := l.m.lookupNext(w.Rel, &last)
		l.add(w.Rel, w.Entry, row, listed, false)
		return nil
	})
}

// listDirs lists the directories holding listed files that the walk, if
// any, did not list.
func (l *lister) listDirs(ctx context.Context) {
	t, k, parents := l.t, l.m.key, l.parents
	var names []string
	for key, d := range l.dirs {
		if !l.walked[key] {
			names = append(names, d)
		}
	}
	sort.Strings(names)
	// On this host an installed product's links are its own business:
	// the kernel follows them. Elsewhere each directory is found as the
	// host would find it (dirResolver).
	direct := l.direct()
	for _, dir := range names {
		if ctx.Err() != nil {
			return
		}
		var found []hostDir
		if direct {
			found = []hostDir{{dir, checksum.JoinClean(l.root, dir)}}
		} else {
			var err error
			if found, err = l.res.resolve(dir); err != nil {
				l.failed(dir, err)
			}
		}
		for _, hd := range found {
			if l.walked[k(hd.rel)] {
				continue // another spelling, walked already
			}
			if hd.host != checksum.JoinClean(l.root, hd.rel) {
				if l.hostDirs == nil {
					l.hostDirs = map[string]string{}
				}
				l.hostDirs[hd.rel] = hd.host
			}
			// A resolved directory holds no link: should one have taken
			// its place since, it is refused.
			ents, err := checksum.ReadDir(hd.host, !direct)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				l.failed(hd.rel, err)
			}
			for _, d := range ents {
				rel := joinRel(hd.rel, d.Name())
				row, listed := l.m.lookup(rel)
				if !listed && t.Excluded(rel) {
					continue
				}
				// A directory counts where a file is listed (replaced),
				// or as an unlisted addition to a closed table's
				// directory.
				if !d.IsDir() {
					l.add(rel, d, row, listed, false)
					continue
				}
				if !listed && (parents[k(rel)] || !t.Closed) {
					continue
				}
				l.add(rel, d, row, listed, !listed)
			}
		}
	}
}

// path is where rel, named as in seen, stands on this machine.
func (l *lister) path(rel string) string {
	if l.hostDirs != nil {
		if h, ok := l.hostDirs[path.Dir(rel)]; ok {
			return filepath.Join(h, path.Base(rel))
		}
	}
	return checksum.JoinClean(l.root, rel)
}

// unstated is the size of an entry not stat'ed yet.
const unstated = -2

// describe fills in each entry's mode, size and link target, except for
// the entries skip names: their size stays unstated until they are read.
// The lstat calls are spread over a few goroutines: on an installed tree
// of 100,000 files they would otherwise take longer than the directory
// reads.
func (l *lister) describe(skip func(*found) bool) {
	const parts = 4
	var wg sync.WaitGroup
	for w := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(l.seen); i += parts {
				f := &l.seen[i]
				if skip(f) {
					continue
				}
				if info, err := l.info(i, f); err == nil {
					f.mode, f.size = info.Mode(), info.Size()
				}
				l.readLink(f)
			}
		}()
	}
	wg.Wait()
}

// info is the information of seen[i], f: from its directory entry when
// kept, else (a listed file that was not read: one of several names that
// differ in case only) from an lstat of its path.
func (l *lister) info(i int, f *found) (fs.FileInfo, error) {
	if d, ok := l.ents[i]; ok {
		return d.Info()
	}
	return os.Lstat(l.path(f.rel))
}

// settle takes each unstated entry's mode and size from the fstat of its
// reading. One that could not be opened is stat'ed now, so the report
// still shows its type and mode.
func (l *lister) settle() {
	for i := range l.seen {
		f := &l.seen[i]
		if f.size != unstated {
			continue
		}
		if f.res != nil && (f.res.Mode != 0 || f.res.Err == nil) {
			f.mode, f.size = f.res.Mode, f.res.Size
		} else if fi, err := os.Lstat(l.path(f.rel)); err == nil {
			f.mode, f.size = fi.Mode(), fi.Size()
		} else {
			f.size = 0
		}
		l.readLink(f)
	}
}

// readLink records the target of f if it is a symbolic link: shown, never
// followed.
func (l *lister) readLink(f *found) {
	if f.mode&fs.ModeSymlink != 0 {
		f.link, _ = os.Readlink(l.path(f.rel))
	}
}

// missingDetail explains why a listed file was not found: a directory
// above it that could not be read, or, in a kit, a path reached only
// through a symbolic link.
func (l *lister) missingDetail(rel string) *Message {
	for d := path.Dir(rel); ; d = path.Dir(d) {
		if u, ok := l.unreadable[l.m.key(d)]; ok {
			m := unreadableDirectory(u.rel, u.err)
			return &m
		}
		if d == "." || d == "/" {
			break
		}
	}
	// On Windows a device name or a trailing dot or space cannot be a
	// file's own name: said as such, never opened (it would open the
	// device, or the name without the dot).
	if runtime.GOOS == "windows" {
		if err := checksum.WindowsName(rel); err != nil {
			m := errorDetail(errors.Unwrap(err).Error(), err)
			return &m
		}
	}
	if l.opt.Recursive && l.opt.Jail == "" {
		if _, err := os.Stat(checksum.JoinClean(l.root, rel)); err == nil {
			return &throughSymlink
		}
	}
	return nil
}

// unreadableItems are the directories that could not be listed, by name:
// in a closed table each is a failure, since it may hold anything.
func (l *lister) unreadableItems() []Item {
	var items []Item
	for _, u := range l.unreadable {
		it := Item{Name: u.rel, Status: Unreadable, Failure: true}
		it.setDetail(unreadableDirectory(u.rel, u.err))
		items = append(items, it)
	}
	sort.Slice(items, func(a, b int) bool { return items[a].Name < items[b].Name })
	return items
}
