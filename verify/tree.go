package verify

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
)

// TreeOptions tunes CheckTree.
type TreeOptions struct {
	// IgnoreCase compares names case-insensitively (a kit copied to a
	// case-insensitive file system). Windows tables always do.
	IgnoreCase bool
	// Recursive walks the whole root for unlisted files (a kit). Without
	// it only the directories holding listed files are looked at (an
	// installed product under / must not make the check walk the disk).
	Recursive bool
	Engine    checksum.Options
}

// found is a file seen under a table's root, and its digests once read.
type found struct {
	rel  string // slash-separated, as on disk
	mode fs.FileMode
	size int64
	// link is a symbolic link's target, shown, never followed.
	link string
	// dirExtra marks an unlisted directory inside a closed table's
	// directory: an addition, reported EXTRA.
	dirExtra bool
	// row is the table row listing the file, -1 if none.
	row int
	// res is the hash result, nil if the file was not read.
	res *checksum.Result
}

// CheckTree checks a file table (media or modules) against the directory
// root: every listed file hashed once with every column's algorithm, in
// parallel; unlisted files reported EXTRA; the content of a missing file
// found under an unlisted name reported RENAMED.
func CheckTree(ctx context.Context, t *formular.Table, root string, opt TreeOptions) (Table, error) {
	out := newTable(t)
	out.Root = root
	fi, err := os.Stat(root)
	if err != nil {
		return out, fmt.Errorf("%s table (line %d): root %s: %w", t.Kind, t.Line, root, err)
	}
	if !fi.IsDir() {
		return out, fmt.Errorf("%s table (line %d): root %s is not a directory", t.Kind, t.Line, root)
	}
	fold := opt.IgnoreCase || t.OS == formular.OSWindows
	m := &matcher{t: t, fold: fold}
	eng := opt.Engine
	eng.AnyOrder = true // each result has its slot

	// The listed files are hashed under their own names while the
	// directories are listed: on 100,000 modules the listing then costs
	// next to nothing. The listing still decides what a name is: a
	// result counts only for a name it calls a regular file. A table
	// whose names are matched case-insensitively is listed first, to
	// learn each name's spelling on disk.
	var (
		seen           []found
		ents           []fs.DirEntry
		unreadableDirs map[string]error
		rows           []checksum.Result
	)
	if fold {
		m.index()
		seen, ents, unreadableDirs = scan(ctx, root, m, opt.Recursive)
		m.bind(seen)
		rows, err = hashRows(ctx, t, root, m.onDisk(), eng)
	} else {
		listed := make(chan struct{})
		go func() {
			defer close(listed)
			m.index()
			seen, ents, unreadableDirs = scan(ctx, root, m, opt.Recursive)
		}()
		rows, err = hashRows(ctx, t, root, nil, eng)
		<-listed
		m.bind(seen)
	}
	if err == nil {
		err = ctx.Err() // a listing cut short is not a listing
	}
	if err != nil {
		return out, err
	}
	for i := range seen {
		if f := &seen[i]; f.row >= 0 && f.mode.IsRegular() {
			f.res = &rows[f.row]
		}
	}
	// A listed regular file is not stat'ed: the engine's fstat of the
	// open file, or the read itself, gives its size and mode.
	describe(root, seen, ents, func(f *found) bool { return f.res != nil })

	// An unlisted file whose size is that of a missing file may be its
	// renamed copy: it is hashed too.
	var jobs []checksum.Job
	var idx []int
	for i := range seen {
		f := &seen[i]
		if f.row < 0 && f.mode.IsRegular() && (m.missingSizes[f.size] || m.missingSizes[formular.UnknownSize]) {
			jobs = append(jobs, checksum.Job{Path: f.path(root), Known: true, Mode: f.mode, Size: f.size})
			idx = append(idx, i)
		}
	}
	others := make([]checksum.Result, len(jobs))
	err = checksum.HashFiles(ctx, jobs, algsOf(t), eng, func(r checksum.Result) error {
		others[r.Index] = r
		seen[idx[r.Index]].res = &others[r.Index]
		return nil
	})
	if err != nil {
		return out, err
	}
	settle(root, seen)
	out.Items = m.judge(func(rel string) *Message { return missingDetail(root, rel, unreadableDirs) })
	out.count()
	return out, nil
}

// hashRows hashes the rows of t under root and returns the results by
// row. onDisk, if not nil, gives each row's name as the listing spelled
// it, or "" for a row the listing did not call a regular file: that row is
// not read. A symbolic link is never followed, whatever the listing saw.
func hashRows(ctx context.Context, t *formular.Table, root string, onDisk []string, eng checksum.Options) ([]checksum.Result, error) {
	jobs := make([]checksum.Job, 0, len(t.Entries))
	idx := make([]int, 0, len(t.Entries))
	for i, e := range t.Entries {
		rel := e.Path
		if onDisk != nil {
			if rel = onDisk[i]; rel == "" {
				continue
			}
		}
		// Ordered by the size the table expects, and, with no mode
		// column to check, read without an fstat to that size (the
		// engine stats a file that runs longer).
		jobs = append(jobs, checksum.Job{Path: filepath.Join(root, filepath.FromSlash(rel)), Known: true,
			Size: max(e.Size, 0), NoStat: !t.HasMode && e.Size >= 0, NoFollow: true})
		idx = append(idx, i)
	}
	rows := make([]checksum.Result, len(t.Entries))
	err := checksum.HashFiles(ctx, jobs, algsOf(t), eng, func(r checksum.Result) error {
		rows[idx[r.Index]] = r
		return nil
	})
	return rows, err
}

// matcher pairs a table's rows with what was found.
type matcher struct {
	t    *formular.Table
	fold bool
	// listed is the row index by key; a name scanned is looked up once,
	// and the pairing kept both ways in found.row and seenAt.
	listed       map[string]int
	seen         []found
	seenAt       []int // index in seen by row, -1 if not found
	missingSizes map[int64]bool
}

func newMatcher(t *formular.Table, fold bool) *matcher {
	m := &matcher{t: t, fold: fold}
	m.index()
	return m
}

// index maps every row's key to the row.
func (m *matcher) index() {
	// Sized up front: grown insert by insert, a map of 100,000 names is
	// rebuilt a dozen times.
	m.listed = make(map[string]int, len(m.t.Entries))
	for i, e := range m.t.Entries {
		m.listed[m.key(e.Path)] = i
	}
}

// bind pairs the rows with the entries scanned.
func (m *matcher) bind(seen []found) {
	m.seen = seen
	m.seenAt = make([]int, len(m.t.Entries))
	for i := range m.seenAt {
		m.seenAt[i] = -1
	}
	for i := range seen {
		f := &seen[i]
		f.row = -1
		if r, ok := m.listed[m.key(f.rel)]; ok {
			f.row, m.seenAt[r] = r, i
		}
	}
	m.missingSizes = map[int64]bool{}
	for i, e := range m.t.Entries {
		if m.seenAt[i] < 0 {
			m.missingSizes[e.Size] = true
		}
	}
}

func (m *matcher) key(p string) string {
	if m.fold {
		return strings.ToLower(p)
	}
	return p
}

func (m *matcher) isListed(rel string) bool {
	_, ok := m.listed[m.key(rel)]
	return ok
}

// onDisk returns each row's name as the listing spelled it, "" for a row
// the listing did not call a regular file.
func (m *matcher) onDisk() []string {
	names := make([]string, len(m.t.Entries))
	for i, fi := range m.seenAt {
		if fi >= 0 && m.seen[fi].mode.IsRegular() {
			names[i] = m.seen[fi].rel
		}
	}
	return names
}

func algsOf(t *formular.Table) []*checksum.Algorithm {
	algs := make([]*checksum.Algorithm, len(t.Columns))
	for i, c := range t.Columns {
		algs[i] = c.Alg
	}
	return algs
}

// judge gives every row its status, then reports unlisted files: EXTRA, or
// the renamed copy of a missing row. why explains a missing row (nil: no
// explanation).
func (m *matcher) judge(why func(rel string) *Message) []Item {
	t := m.t
	items := make([]Item, len(t.Entries))
	// Rows are judged apart from one another: on 100,000 modules, in
	// parallel.
	parallel(len(items), func(lo, hi int) {
		expected := digestsOf(t.Columns, t.Entries[lo:hi])
		for i := lo; i < hi; i++ {
			m.judgeRow(&items[i], i, expected[i-lo], why)
		}
	})

	// A missing row whose exact content stands under an unlisted name was
	// renamed: both names are reported, and it is still a failure.
	// Candidates are indexed by size: a tree of 100,000 files with many
	// missing rows must not cost their product.
	taken := map[int]bool{}
	var unlisted []int
	bySize := map[int64][]int{}
	for fi := range m.seen {
		f := &m.seen[fi]
		if f.res != nil && f.res.Err == nil && f.row < 0 {
			unlisted = append(unlisted, fi)
			bySize[f.res.Size] = append(bySize[f.res.Size], fi)
		}
	}
	for i := range items {
		it := &items[i]
		if it.Status != Missing {
			continue
		}
		e := t.Entries[i]
		cands := unlisted
		if e.Size >= 0 {
			cands = bySize[e.Size]
		}
		for _, fi := range cands {
			f := &m.seen[fi]
			if taken[fi] || !equalSums(f.res.Sums, e.Sums) {
				continue
			}
			taken[fi] = true
			it.Status, it.Other = Renamed, f.rel
			break
		}
	}
	for fi := range m.seen {
		f := &m.seen[fi]
		if taken[fi] || f.row >= 0 || (f.mode.IsDir() && !f.dirExtra) {
			continue
		}
		it := Item{Name: f.rel, Status: Extra, Failure: t.Closed}
		if f.mode&fs.ModeSymlink != 0 {
			// The formular lists content, not links (make warns about
			// them): an unlisted link is shown, with its target, as a
			// warning. A listed file replaced by a link is MODIFIED above.
			it.Failure = false
			it.setDetail(unlistedSymlink(f.link))
			items = append(items, it)
			continue
		}
		if f.mode.IsRegular() {
			size := f.size
			it.ActualSize = &size
			if f.res != nil && f.res.Err == nil {
				it.Actual = digests(t.Columns, f.res.Sums)
			}
		} else {
			it.setDetail(fileType(typeOf(f.mode)))
		}
		items = append(items, it)
	}
	for i := range items {
		if items[i].Status != Extra {
			items[i].Failure = items[i].Status != OK
		}
	}
	return items
}

// judgeRow gives row i, whose digests are expected, its status in it.
func (m *matcher) judgeRow(it *Item, i int, expected []Digest, why func(rel string) *Message) {
	t, e := m.t, m.t.Entries[i]
	*it = Item{Name: e.Path, Line: e.Line, Size: e.Size, Expected: expected}
	if t.HasMode {
		it.Mode = fmt.Sprintf("%04o", e.Mode)
	}
	fi := m.seenAt[i]
	if fi < 0 {
		it.Status = Missing
		if why != nil {
			if d := why(e.Path); d != nil {
				it.setDetail(*d)
			}
		}
		if it.DetailCode == DetailUnreadableDirectory {
			it.Status = Unreadable
		}
		return
	}
	f := &m.seen[fi]
	switch {
	case f.mode&fs.ModeSymlink != 0:
		it.Status, it.Differs = Modified, []string{"type"}
		it.setDetail(replacedBySymlink(f.link))
		return
	case !f.mode.IsRegular():
		it.Status, it.Differs = Modified, []string{"type"}
		it.setDetail(replacedBy(typeOf(f.mode)))
		return
	}
	if t.HasMode {
		it.ActualMode = fmt.Sprintf("%04o", uint32(f.mode.Perm()))
	}
	if f.res == nil {
		it.Status = Unreadable
		it.setDetail(notRead)
		return
	}
	compare(it, t, e, *f.res)
}

// parallel calls work on consecutive ranges of [0, n) from a goroutine
// per CPU, or on the whole range at once when n is small.
func parallel(n int, work func(lo, hi int)) {
	const least = 4096 // below this, goroutines cost more than they save
	parts := min(runtime.GOMAXPROCS(0), n/least)
	if parts <= 1 {
		work(0, n)
		return
	}
	var wg sync.WaitGroup
	for p := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(n*p/parts, n*(p+1)/parts)
		}()
	}
	wg.Wait()
}

// compare fills an item from its hash result.
func compare(it *Item, t *formular.Table, e formular.Entry, r checksum.Result) {
	if r.Err != nil {
		it.Status = Unreadable
		it.setDetail(errorDetail(osErrText(r.Err), r.Err))
		return
	}
	size := r.Size
	it.ActualSize = &size
	if equalSums(e.Sums, r.Sums) {
		// The usual case, shared: 100,000 modules would otherwise hold
		// each digest's hex twice.
		it.Actual = it.Expected
	} else {
		it.Actual = digests(t.Columns, r.Sums)
	}
	if e.Size >= 0 && size != e.Size {
		it.Differs = append(it.Differs, "size")
	}
	var reversed, shouldBe []string
	for i, c := range t.Columns {
		if bytes.Equal(e.Sums[i], r.Sums[i]) {
			continue
		}
		it.Differs = append(it.Differs, c.String())
		if c.Alg.GOST && bytes.Equal(checksum.Reverse(e.Sums[i]), r.Sums[i]) {
			// The formular was made from a list read in the wrong
			// byte order.
			other := checksum.Column{Alg: c.Alg, Reversed: !c.Reversed}
			reversed, shouldBe = append(reversed, c.String()), append(shouldBe, other.String())
		}
	}
	if t.HasMode && it.ActualMode != it.Mode {
		it.Differs = append(it.Differs, "mode")
	}
	if len(it.Differs) == 0 {
		it.Status = OK
		return
	}
	// What differs, the sizes and the modes are in their own fields:
	// renderings show them in the reader's language.
	it.Status = Modified
	if len(reversed) > 0 {
		h := gostReversed(reversed, shouldBe)
		it.Hint, it.HintCode, it.HintArgs = h.Text, h.Code, h.Args
	}
}

func equalSums(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

// digestsOf is digests of every row of entries, made with two
// allocations for them all rather than two a row: on 100,000 modules the
// difference is a tenth of the judging.
func digestsOf(cols []checksum.Column, entries []formular.Entry) [][]Digest {
	size := 0
	for _, e := range entries {
		for _, s := range e.Sums {
			size += 2 * len(s)
		}
	}
	var b strings.Builder
	b.Grow(size)
	var tmp [128]byte
	for _, e := range entries {
		for j, s := range e.Sums {
			b.Write(cols[j].AppendEncode(tmp[:0], s))
		}
	}
	hexes := b.String()
	names := make([]string, len(cols))
	for j, c := range cols {
		names[j] = c.String()
	}
	block := make([]Digest, len(cols)*len(entries))
	out := make([][]Digest, len(entries))
	at := 0
	for i, e := range entries {
		if e.Sums == nil {
			continue
		}
		d := block[i*len(cols) : (i+1)*len(cols) : (i+1)*len(cols)]
		for j := range cols {
			n := 2 * len(e.Sums[j])
			d[j] = Digest{Alg: names[j], Hex: hexes[at : at+n]}
			at += n
		}
		out[i] = d
	}
	return out
}

func digests(cols []checksum.Column, sums [][]byte) []Digest {
	if sums == nil {
		return nil
	}
	out := make([]Digest, len(cols))
	for i, c := range cols {
		out[i] = Digest{Alg: c.String(), Hex: c.Encode(sums[i])}
	}
	return out
}

// scan lists what lies under root: recursively for a kit, else only the
// directories that hold listed files. Symbolic links are never followed.
// It stops when ctx is done: a tree of a million files must not hold an
// interrupted check.
//
// The entries come back with their type only; describe fills in the rest.
func scan(ctx context.Context, root string, m *matcher, recursive bool) (seen []found, ents []fs.DirEntry, unreadable map[string]error) {
	t, fold := m.t, m.fold
	unreadable = map[string]error{}
	// Sized for the table up front: growing a slice of 100,000 entries
	// copies it again and again, and fresh pages cost a fault each.
	seen = make([]found, 0, len(t.Entries)+len(t.Entries)/8)
	ents = make([]fs.DirEntry, 0, cap(seen))
	add := func(rel string, d fs.DirEntry, extraDir bool) {
		seen = append(seen, found{rel: rel, mode: d.Type(), size: unstated, dirExtra: extraDir})
		ents = append(ents, d)
	}
	if recursive {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if ctx.Err() != nil {
				return filepath.SkipAll
			}
			rel, _ := filepath.Rel(root, p)
			rel = filepath.ToSlash(rel)
			if err != nil {
				unreadable[rel] = err
				return nil
			}
			if rel != "." {
				add(rel, d, false)
			}
			return nil
		})
		return seen, ents, unreadable
	}
	k := func(p string) string {
		if fold {
			return strings.ToLower(p)
		}
		return p
	}
	dirs := map[string]string{}  // directories holding listed files
	parents := map[string]bool{} // and every directory above them
	for _, e := range t.Entries {
		d := path.Dir(e.Path)
		dirs[k(d)] = d
		for ; d != "." && d != "/" && !parents[k(d)]; d = path.Dir(d) {
			parents[k(d)] = true
		}
	}
	var names []string
	for _, d := range dirs {
		names = append(names, d)
	}
	sort.Strings(names)
	for _, dir := range names {
		if ctx.Err() != nil {
			break
		}
		onDisk := dir
		if fold {
			onDisk = resolveFold(root, dir)
		}
		ents, err := os.ReadDir(filepath.Join(root, filepath.FromSlash(onDisk)))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			unreadable[dir] = err
		}
		for _, d := range ents {
			rel := d.Name()
			if onDisk != "." {
				rel = onDisk + "/" + rel
			}
			// A directory counts where a file is listed (replaced), or
			// as an unlisted addition to a closed table's directory.
			if !d.IsDir() {
				add(rel, d, false)
				continue
			}
			listed := m.isListed(rel)
			if !listed && (parents[k(rel)] || !t.Closed) {
				continue
			}
			add(rel, d, !listed)
		}
	}
	return seen, ents, unreadable
}

// unstated is the size of an entry not stat'ed yet.
const unstated = -2

// describe fills in each entry's mode, size and link target, except for
// the entries skip names: their size stays unstated until they are read.
// The lstat calls are spread over a few goroutines: on an installed tree
// of 100,000 files they would otherwise take longer than the directory
// reads.
func describe(root string, seen []found, ents []fs.DirEntry, skip func(*found) bool) {
	const parts = 4
	var wg sync.WaitGroup
	for w := range parts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(seen); i += parts {
				f := &seen[i]
				if skip(f) {
					continue
				}
				if info, err := ents[i].Info(); err == nil {
					f.mode, f.size = info.Mode(), info.Size()
				}
				f.readLink(root)
			}
		}()
	}
	wg.Wait()
}

// settle takes each unstated entry's mode and size from the fstat of its
// reading. One that could not be opened is stat'ed now, so the report
// still shows its type and mode.
func settle(root string, seen []found) {
	for i := range seen {
		f := &seen[i]
		if f.size != unstated {
			continue
		}
		if f.res != nil && (f.res.Mode != 0 || f.res.Err == nil) {
			f.mode, f.size = f.res.Mode, f.res.Size
		} else if fi, err := os.Lstat(f.path(root)); err == nil {
			f.mode, f.size = fi.Mode(), fi.Size()
		} else {
			f.size = 0
		}
		f.readLink(root)
	}
}

// path is where f stands on disk.
func (f *found) path(root string) string { return filepath.Join(root, filepath.FromSlash(f.rel)) }

// readLink records the target of f if it is a symbolic link: shown, never
// followed.
func (f *found) readLink(root string) {
	if f.mode&fs.ModeSymlink != 0 {
		f.link, _ = os.Readlink(f.path(root))
	}
}

// resolveFold finds the directory that matches dir case-insensitively, one
// component at a time: an offline Windows system mounted on a
// case-sensitive file system keeps its own spelling of every name.
func resolveFold(root, dir string) string {
	if dir == "." {
		return dir
	}
	cur := "."
	for _, part := range strings.Split(dir, "/") {
		next := part
		if _, err := os.Lstat(filepath.Join(root, filepath.FromSlash(cur), part)); err != nil {
			ents, _ := os.ReadDir(filepath.Join(root, filepath.FromSlash(cur)))
			for _, e := range ents {
				if strings.EqualFold(e.Name(), part) {
					next = e.Name()
					break
				}
			}
		}
		if cur == "." {
			cur = next
		} else {
			cur += "/" + next
		}
	}
	return cur
}

// missingDetail explains why a listed file was not found: a parent that
// could not be read, or a path reached only through a symbolic link.
func missingDetail(root, rel string, unreadable map[string]error) *Message {
	for d := path.Dir(rel); ; d = path.Dir(d) {
		if err, ok := unreadable[d]; ok {
			m := unreadableDirectory(d, err)
			return &m
		}
		if d == "." || d == "/" {
			break
		}
	}
	if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel))); err == nil {
		return &throughSymlink
	}
	return nil
}

// typeOf names the type of what is not a regular file (a File type).
func typeOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return TypeSymlink
	case m.IsDir():
		return TypeDirectory
	case m&fs.ModeNamedPipe != 0:
		return TypeFIFO
	case m&fs.ModeSocket != 0:
		return TypeSocket
	case m&fs.ModeDevice != 0:
		return TypeDevice
	}
	return TypeSpecial
}

// osErrText is an OS error without the path, which the item names already.
func osErrText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func newTable(t *formular.Table) Table {
	out := Table{Kind: string(t.Kind), Line: t.Line, Closed: t.Closed, Source: t.Source, Format: t.Format}
	for _, c := range t.Columns {
		out.Columns = append(out.Columns, c.String())
		if c.Alg.Legacy {
			out.Weak = append(out.Weak, c.Alg.Name)
		}
	}
	return out
}

// count fills the per-status counts.
func (t *Table) count() {
	t.Counts = map[Status]int{}
	for _, it := range t.Items {
		t.Counts[it.Status]++
	}
}
