package verify

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"iter"
	mathbits "math/bits"
	"os"
	"path"
	"runtime"
	"slices"
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
	// Recursive marks a kit: its whole root is walked for unlisted files,
	// and a symbolic link in it is never followed. Without it (an
	// installed product) a closed table's whole root is walked too, an
	// open table's directories holding listed files only (an installed
	// product under / must not make the check walk the disk), and a link
	// to a directory is followed as the host follows it.
	Recursive bool
	// Jail is the offline copy of a host (verify --installed) that holds
	// root: a link is resolved inside it, never onto this machine's own
	// files. "" on this host.
	Jail   string
	Engine checksum.Options
}

// found is a file seen under a table's root, and its digests once read.
type found struct {
	rel  string // slash-separated, as on disk
	mode fs.FileMode
	size int64
	// link is a symbolic link's target, shown, never followed.
	link string
	// dirExtra marks an unlisted directory inside a closed table's
	// directory that was not walked (one reached through a link): an
	// addition, reported EXTRA.
	dirExtra bool
	// asListed marks a listed file read whole with the row's size and
	// digests: its result was not kept (res is nil).
	asListed bool
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
	tr := newLister(root, m, opt)
	eng := opt.Engine
	eng.AnyOrder = true // each result has its slot

	// On this host the listed modules are hashed under their own names
	// while the directories are listed: on 100,000 modules the listing
	// then costs next to nothing. The listing still decides what a name
	// is: a result counts only for a name it calls a regular file. A kit,
	// an offline copy and a table whose names are matched
	// case-insensitively are listed first, and only what the listing
	// calls a file is read, where the listing found it: a path through a
	// link the listing does not follow is never opened.
	var reads rowReads
	listedFirst := fold || opt.Recursive || opt.Jail != ""
	if listedFirst {
		m.index()
		tr.scan(ctx)
		m.bind(tr.seen, tr.asRow)
		reads, err = hashRows(ctx, t, tr.path, m.onDisk(), eng)
	} else {
		listed := make(chan struct{})
		go func() {
			defer close(listed)
			m.index()
			tr.scan(ctx)
		}()
		reads, err = hashRows(ctx, t, tr.path, nil, eng)
		<-listed
	}
	if err == nil {
		err = ctx.Err() // a listing cut short is not a listing
	}
	if err != nil {
		return out, err
	}
	// A row found under its own name stays without an entry only when it
	// was read as listed: OK, with nothing more to say (plainOK). Any
	// other gets its entry now, and is judged as every other.
	entries := len(tr.seen)
	for r := range tr.asRow.all() {
		e := &t.Entries[r]
		if mode, ok := reads.asListed.get(r); ok && mode.IsRegular() && len(e.Sums) > 0 &&
			(!t.HasMode || e.Mode == uint32(mode.Perm())) {
			continue
		}
		tr.asRow.drop(r)
		tr.seen = append(tr.seen, found{rel: e.Path, size: unstated})
	}
	// Bound again only if that changed anything: on a table whose names
	// are matched case-insensitively, binding keys every name again.
	if !listedFirst || len(tr.seen) != entries {
		m.bind(tr.seen, tr.asRow)
	}
	seen := tr.seen
	for i := range seen {
		f := &seen[i]
		if f.row < 0 || !f.mode.IsRegular() || m.isAmbiguous(f.row) {
			continue
		}
		if mode, ok := reads.asListed.get(f.row); ok {
			// What settle takes from a kept result.
			f.asListed, f.mode, f.size = true, mode, t.Entries[f.row].Size
		} else {
			f.res = reads.other[f.row]
		}
	}
	reads = rowReads{}
	// A listed regular file is not stat'ed: the engine's fstat of the
	// open file, or the read itself, gives its size and mode. Nor is an
	// unlisted directory that is walked: only what is in it is reported.
	tr.describe(func(f *found) bool { return f.res != nil || f.asListed || f.mode.IsDir() && f.row < 0 && !f.dirExtra })

	// An unlisted file whose size is that of a missing file may be its
	// renamed copy: it is hashed too.
	var jobs []checksum.Job
	var idx []int
	for i := range seen {
		f := &seen[i]
		if f.row < 0 && f.mode.IsRegular() && (m.missingSizes[f.size] || m.missingSizes[formular.UnknownSize]) {
			jobs = append(jobs, checksum.Seen(tr.path(f.rel), f.mode, f.size))
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
	tr.settle()
	out.Items, out.at = m.judge(tr.missingDetail)
	out.rows = t
	// Off Windows no file has streams: the million paths are not joined
	// to learn it.
	if t.Closed && t.Kind == formular.KindModules && checksum.HasStreams {
		m.streams(ctx, &out, tr.path)
	}
	if t.Closed {
		// A directory of a closed table that cannot be listed may hold
		// anything: it is a failure of its own, named with its error.
		out.Items = append(out.Items, tr.unreadableItems()...)
	}
	out.count()
	return out, nil
}

// rowReads is what the reading of a table's rows found. A row read whole
// with the size and digests it lists keeps only the mode its file was
// read with: the results of a million rows, each with its digests, would
// be 130 MB, and nearly all are what the rows say.
type rowReads struct {
	asListed rowModes
	other    map[int]*checksum.Result // the other rows read, by row
}

// rowModes holds, for the rows read as listed, the mode each was read
// with: a mode a row, and a bit a row for whether it was.
type rowModes struct {
	mode []fs.FileMode
	set  rowSet
}

func (r rowModes) put(i int, m fs.FileMode) {
	r.mode[i] = m
	r.set.put(i)
}

// get returns row i's mode and whether the row was read as listed.
func (r rowModes) get(i int) (fs.FileMode, bool) {
	if !r.set.has(i) {
		return 0, false
	}
	return r.mode[i], true
}

// rowSet is a set of rows, a bit a row.
type rowSet []uint64

func newRowSet(rows int) rowSet { return make(rowSet, (rows+63)/64) }

func (s rowSet) put(i int)  { s[i/64] |= 1 << (i % 64) }
func (s rowSet) drop(i int) { s[i/64] &^= 1 << (i % 64) }

func (s rowSet) has(i int) bool {
	return i >= 0 && i/64 < len(s) && s[i/64]&(1<<(i%64)) != 0
}

// all yields the rows in the set, in order.
func (s rowSet) all() iter.Seq[int] {
	return func(yield func(int) bool) {
		for w, bits := range s {
			for bits != 0 {
				b := mathbits.TrailingZeros64(bits)
				if !yield(w*64 + b) {
					return
				}
				bits &= bits - 1
			}
		}
	}
}

// rowStretch is how many rows are read in one run of the engine: a run
// holds a job, its joined path and its bookkeeping for each, about 170
// bytes, a million at once 170 MB. A million rows are read 32,768 at a
// time, in 5 MB.
const rowStretch = 1 << 15

// hashRows hashes the rows of t, each at the path where names it. onDisk,
// if not nil, gives each row's name as the listing spelled it, or "" for
// a row the listing did not call a regular file: that row is not read. A
// symbolic link is never followed, whatever the listing saw.
func hashRows(ctx context.Context, t *formular.Table, where func(rel string) string, onDisk []string, eng checksum.Options) (rowReads, error) {
	// The rows read, by job; nil: every row, each its own job.
	var idx []int32
	jobs := len(t.Entries)
	if onDisk != nil {
		idx = make([]int32, 0, len(t.Entries))
		for i := range t.Entries {
			if onDisk[i] != "" {
				idx = append(idx, int32(i))
			}
		}
		jobs = len(idx)
	}
	// The engine starts the largest files of a stretch first, and a
	// stretch ends when its largest file does: in a table of more than
	// one, the large files go first, largest first, and the rest keep
	// the table's order, which is the tree's (a cold disk reads a
	// directory's files best together).
	if jobs > rowStretch {
		idx = largeFirst(t.Entries, idx, jobs)
	}
	rowOf := func(k int) int {
		if idx == nil {
			return k
		}
		return int(idx[k])
	}
	job := func(k int) checksum.Job {
		e := &t.Entries[rowOf(k)]
		rel := e.Path
		if onDisk != nil {
			rel = onDisk[rowOf(k)]
		}
		// Ordered by the size the table expects, and, with no mode
		// column to check, read without an fstat to that size (the
		// engine stats a file that runs longer).
		return checksum.Expected(where(rel), e.Size, !t.HasMode)
	}
	out := rowReads{
		asListed: rowModes{mode: make([]fs.FileMode, len(t.Entries)), set: newRowSet(len(t.Entries))},
		other:    map[int]*checksum.Result{},
	}
	err := checksum.HashStretches(ctx, jobs, rowStretch, job, algsOf(t), eng, func(r checksum.Result) error {
		i := rowOf(r.Index)
		if e := &t.Entries[i]; e.Size >= 0 && readAsListed(t, e, &r) {
			out.asListed.put(i, r.Mode)
			return nil
		}
		// The row names the file already: its joined path is not kept
		// for the judging.
		kept := r // r itself does not escape: most rows are as listed
		kept.Path = ""
		out.other[i] = &kept
		return nil
	})
	return out, err
}

// largeFirst returns the rows idx names (nil: all n), the rows of at
// least largeRow bytes first, largest first, then the others in order.
func largeFirst(rows []formular.Entry, idx []int32, n int) []int32 {
	row := func(k int) int32 {
		if idx == nil {
			return int32(k)
		}
		return idx[k]
	}
	out := make([]int32, 0, n)
	for k := range n {
		if rows[row(k)].Size >= largeRow {
			out = append(out, row(k))
		}
	}
	slices.SortStableFunc(out, func(a, b int32) int { return cmp.Compare(rows[b].Size, rows[a].Size) })
	for k := range n {
		if rows[row(k)].Size < largeRow {
			out = append(out, row(k))
		}
	}
	return out
}

// largeRow is the least size of a row that largeFirst moves ahead: a
// file that takes a core a millisecond or more.
const largeRow = 1 << 20

// matcher pairs a table's rows with what was found.
type matcher struct {
	t    *formular.Table
	fold bool
	// listed is the row index by key (nil: the rows are searched, see
	// index); a name scanned is looked up once,
	// and the pairing kept both ways in found.row and seenAt.
	listed map[string]int
	seen   []found
	// seenAt is the index in seen by row: notFound, or noEntry for a row
	// found under its own name with no entry in seen (lister.asRow).
	seenAt       []int32
	missingSizes map[int64]bool
	// ambiguous holds, for a row that more than one name on disk matches
	// (names differing only in letter case), the index in seen of each.
	ambiguous map[int][]int
	// listedDirs holds the keys of the directories above listed rows,
	// made when an unlisted link is judged (linksToListed).
	listedDirs map[string]bool
	// expand: every row will have an item of its own (Table.Expand), so
	// judge keeps room for them where it makes the items.
	expand bool
}

func newMatcher(t *formular.Table, fold bool) *matcher {
	m := &matcher{t: t, fold: fold}
	m.index()
	return m
}

// index maps every row's key to the row: the rows themselves where their
// paths are the keys and stand in strict order, as a parsed table's do
// (a map of a million names is 55 MB); else a map.
func (m *matcher) index() {
	if !m.fold && formular.StrictlySorted(m.t.Entries) {
		m.listed = nil
		return
	}
	// Sized up front: grown insert by insert, a map of 100,000 names is
	// rebuilt a dozen times.
	m.listed = make(map[string]int, len(m.t.Entries))
	for i, e := range m.t.Entries {
		m.listed[m.key(e.Path)] = i
	}
}

// lookup returns the row whose key is rel's.
func (m *matcher) lookup(rel string) (int, bool) {
	if m.listed != nil {
		r, ok := m.listed[m.key(rel)]
		return r, ok
	}
	return slices.BinarySearchFunc(m.t.Entries, rel, func(e formular.Entry, rel string) int {
		return strings.Compare(e.Path, rel)
	})
}

// lookupNext is lookup for names met in the tree's order, the row found
// last in *last (-1: none yet): the next name is most often the next row,
// and one comparison finds it where a search takes seventeen.
func (m *matcher) lookupNext(rel string, last *int) (int, bool) {
	if i := *last + 1; m.listed == nil && i < len(m.t.Entries) && m.t.Entries[i].Path == rel {
		*last = i
		return i, true
	}
	r, ok := m.lookup(rel)
	if ok {
		*last = r
	}
	return r, ok
}

// What seenAt holds for a row that has no entry in seen.
const (
	notFound = -1
	// noEntry: a row found under its own name, before the reading a
	// regular file, after it also read as listed (see CheckTree).
	noEntry = -2
)

// bind pairs the rows with the entries scanned, and with the rows found
// under their own names, which have no entry (nil: none).
func (m *matcher) bind(seen []found, asRow rowSet) {
	m.seen = seen
	if len(m.seenAt) != len(m.t.Entries) {
		m.seenAt = make([]int32, len(m.t.Entries))
	}
	for i := range m.seenAt {
		m.seenAt[i] = notFound
	}
	for r := range asRow.all() {
		m.seenAt[r] = noEntry
	}
	m.ambiguous = nil
	last := -1
	for i := range seen {
		f := &seen[i]
		f.row = -1
		if r, ok := m.lookupNext(f.rel, &last); ok {
			if prev := int(m.seenAt[r]); prev >= 0 {
				// Which of the two a Windows system would open cannot
				// be told: the row is judged on neither.
				if m.ambiguous == nil {
					m.ambiguous = map[int][]int{}
				}
				if len(m.ambiguous[r]) == 0 {
					m.ambiguous[r] = []int{prev}
				}
				m.ambiguous[r] = append(m.ambiguous[r], i)
			}
			f.row, m.seenAt[r] = r, int32(i)
		}
	}
	m.missingSizes = map[int64]bool{}
	for i, e := range m.t.Entries {
		if m.seenAt[i] == notFound {
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
	_, ok := m.lookup(rel)
	return ok
}

// isAmbiguous says whether more than one name on disk matches row r.
func (m *matcher) isAmbiguous(r int) bool {
	_, ok := m.ambiguous[r]
	return ok
}

// onDisk returns each row's name as the listing spelled it, "" for a row
// the listing did not call a regular file.
func (m *matcher) onDisk() []string {
	names := make([]string, len(m.t.Entries))
	for i, fi := range m.seenAt {
		switch {
		case fi == noEntry:
			names[i] = m.t.Entries[i].Path
		case fi >= 0 && m.seen[fi].mode.IsRegular() && !m.isAmbiguous(i):
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
// explanation). A row found exactly as listed gets no item (see
// Table.rows): the items returned are those of the other rows, at[k] the
// row of items[k], then those of unlisted names.
func (m *matcher) judge(why func(rel string) *Message) (items []Item, at []int) {
	t := m.t
	// Rows are judged apart from one another: on 100,000 modules, in
	// parallel, each part keeping what it found to be put in row order.
	type part struct {
		lo    int
		items []Item
		at    []int
	}
	var mu sync.Mutex
	var parts []part
	parallel(len(t.Entries), func(lo, hi int) {
		p := part{lo: lo}
		for i := lo; i < hi; i++ {
			if m.plainOK(i) {
				continue
			}
			var it Item
			m.judgeRow(&it, i, rowDigests(t.Columns, t.Entries[i].Sums), why)
			p.items = append(p.items, it)
			p.at = append(p.at, i)
		}
		mu.Lock()
		parts = append(parts, p)
		mu.Unlock()
	})
	sort.Slice(parts, func(a, b int) bool { return parts[a].lo < parts[b].lo })
	for _, p := range parts {
		items = append(items, p.items...)
		at = append(at, p.at...)
	}

	// A missing row whose exact content stands under an unlisted name was
	// renamed: both names are reported, and it is still a failure.
	// Candidates are indexed by size: a tree of 100,000 files with many
	// missing rows must not cost their product.
	taken := map[int]bool{}
	var unlisted []int
	bySize := map[int64][]int{}
	for fi := range m.seen {
		f := &m.seen[fi]
		if f.res != nil && f.res.Err == nil && f.row < 0 && !t.Excluded(f.rel) {
			unlisted = append(unlisted, fi)
		}
	}
	// By name: a directory lists its names in no set order, and the copy
	// chosen among several must not depend on it.
	sort.Slice(unlisted, func(a, b int) bool { return m.seen[unlisted[a]].rel < m.seen[unlisted[b]].rel })
	for _, fi := range unlisted {
		size := m.seen[fi].res.Size
		bySize[size] = append(bySize[size], fi)
	}
	for k := range items {
		it := &items[k]
		if it.Status != Missing {
			continue
		}
		e := t.Entries[at[k]]
		cands := unlisted
		if e.Size >= 0 {
			cands = bySize[e.Size]
		}
		for _, fi := range cands {
			f := &m.seen[fi]
			if taken[fi] || !formular.SumsEqual(t.Columns, e.Sums, f.res.Sums) {
				continue
			}
			taken[fi] = true
			it.Status, it.Other = Renamed, f.rel
			break
		}
	}
	rows := len(items)
	// Grown once to the most unlisted names there may be, and the rows
	// found as listed where they will have items too: grown as it was
	// appended to, 200,000 EXTRA items of an image were 350 MB of copies
	// (a large slice grows by a quarter).
	room := 0
	for fi := range m.seen {
		if m.seen[fi].row < 0 {
			room++
		}
	}
	if m.expand {
		room += len(t.Entries) - rows
	}
	items = slices.Grow(items, room)
	for fi := range m.seen {
		f := &m.seen[fi]
		if taken[fi] || f.row >= 0 || (f.mode.IsDir() && !f.dirExtra) || t.Excluded(f.rel) {
			continue
		}
		it := Item{Name: f.rel, Status: Extra, Failure: t.Closed}
		if f.mode&fs.ModeSymlink != 0 {
			// The formular lists content, not links (make warns about
			// them): an unlisted link is shown, with its target. It is a
			// warning where it shows listed content under another name
			// (libfoo.so -> libfoo.so.1) or the table is open; in a
			// closed table a link anywhere else is a dropped-in way to
			// other code (lib/evil.so -> /tmp/evil.so), a failure. A
			// listed file replaced by a link is MODIFIED above.
			it.Failure = t.Closed && !m.linksToListed(f.rel, f.link)
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
	extra := items[rows:]
	sort.Slice(extra, func(a, b int) bool { return extra[a].Name < extra[b].Name })
	for i := range items {
		if items[i].Status != Extra {
			items[i].Failure = items[i].Status != OK
		}
	}
	return items, at
}

// plainOK says whether row i was found exactly as listed, a regular file
// read whole with the digests, size and mode the row gives: an OK that
// needs no item of its own (okItem makes the one judgeRow would). Any
// doubt is left to judgeRow.
func (m *matcher) plainOK(i int) bool {
	e := &m.t.Entries[i]
	fi := m.seenAt[i]
	if fi == noEntry {
		return true // CheckTree kept it without an entry only so
	}
	if fi < 0 || e.Size < 0 || len(e.Sums) == 0 || m.isAmbiguous(i) {
		return false
	}
	f := &m.seen[fi]
	if !f.mode.IsRegular() {
		return false
	}
	if !f.asListed && (f.res == nil || !readAsListed(m.t, e, f.res)) {
		return false
	}
	return !m.t.HasMode || e.Mode == uint32(f.mode.Perm())
}

// judgeRow gives row i, whose digests are expected, its status in it.
// LinkTarget is where an unlisted link rel with target leads inside its
// table, for a relative target that stays inside it; false for an
// absolute target, one that climbs out of the table, or one that could
// not be read. In a closed table, a link that leads to listed content (a
// listed file, or a directory above listed files) shows certified content
// under another name, a warning; any other is a failure.
func LinkTarget(rel, target string) (string, bool) {
	if target == "" || isAbsTarget(target, true) || strings.ContainsRune(target, '\\') {
		return "", false
	}
	p := path.Join(path.Dir(rel), target)
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", false
	}
	return p, true
}

// linksToListed says whether the link rel, with target, leads to listed
// content (LinkTarget). Called from one goroutine: the directories are
// indexed on first use.
func (m *matcher) linksToListed(rel, target string) bool {
	p, ok := LinkTarget(rel, target)
	if !ok {
		return false
	}
	if m.isListed(p) {
		return true
	}
	if m.listedDirs == nil {
		rows := make([]string, len(m.t.Entries))
		for i, e := range m.t.Entries {
			rows[i] = e.Path
		}
		m.listedDirs = ListedDirs(rows, m.key)
	}
	return m.listedDirs[m.key(p)]
}

func (m *matcher) judgeRow(it *Item, i int, expected []Digest, why func(rel string) *Message) {
	t, e := m.t, m.t.Entries[i]
	*it = Item{Name: e.Path, Line: int(e.Line), Size: e.Size, Expected: expected}
	if t.HasMode {
		it.Mode = modeText(e.Mode)
	}
	fi := int(m.seenAt[i])
	if fi == noEntry {
		*it = okItem(t, i, true) // plainOK's: judge does not ask
		return
	}
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
	if all, ok := m.ambiguous[i]; ok {
		names := make([]string, len(all))
		for k, si := range all {
			names[k] = m.seen[si].rel
		}
		slices.Sort(names)
		it.Status = Modified
		it.setDetail(ambiguousName(names))
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
		it.ActualMode = modeText(uint32(f.mode.Perm()))
	}
	switch {
	case f.asListed:
		compare(it, t, e, checksum.Result{Size: e.Size, Sums: formular.SplitSums(t.Columns, e.Sums)})
	case f.res == nil:
		it.Status = Unreadable
		it.setDetail(notRead)
	default:
		compare(it, t, e, *f.res)
	}
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
	var longer *checksum.LongerError
	if errors.As(r.Err, &longer) {
		// Far longer than listed, and not read: the size alone says it
		// is not the file listed.
		size := longer.Size
		it.ActualSize, it.Status, it.Differs = &size, Modified, []string{"size"}
		if t.HasMode && it.ActualMode != it.Mode {
			it.Differs = append(it.Differs, "mode")
		}
		it.setDetail(notReadLonger)
		return
	}
	if r.Err != nil {
		it.Status = Unreadable
		it.setDetail(errorDetail(osErrText(r.Err), r.Err))
		return
	}
	size := r.Size
	it.ActualSize = &size
	if formular.SumsEqual(t.Columns, e.Sums, r.Sums) {
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
		want := e.Sum(t.Columns, i)
		if bytes.Equal(want, r.Sums[i]) {
			continue
		}
		it.Differs = append(it.Differs, c.String())
		if other, ok := c.ReadReversed(want, r.Sums[i]); ok {
			// The formular was made from a list read in the wrong
			// byte order.
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

// readAsListed says whether r read row e of t's file whole, with the
// size and digests the row lists.
func readAsListed(t *formular.Table, e *formular.Entry, r *checksum.Result) bool {
	return r.Err == nil && r.Size == e.Size && formular.SumsEqual(t.Columns, e.Sums, r.Sums)
}

// rowDigests are a row's digests, sums, as an item shows them.
func rowDigests(cols []checksum.Column, sums []byte) []Digest {
	if sums == nil {
		return nil
	}
	out := make([]Digest, len(cols))
	for i, c := range cols {
		out[i] = Digest{Alg: c.String(), Hex: c.Encode(formular.SumOf(cols, sums, i))}
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
	out := Table{Kind: t.Kind, Line: t.Line, Closed: t.Closed, Source: t.Source, Format: t.Format}
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
	for i := range t.Items {
		t.Counts[t.Items[i].Status]++
	}
	if t.rows != nil {
		if ok := len(t.rows.Entries) - len(t.at); ok > 0 {
			t.Counts[OK] += ok
		}
	}
}

// streams fails each found row of a closed modules table whose file
// carries NTFS alternate data streams (name:stream): no row lists them,
// and code can be run from one. Only Windows reports them (see
// checksum.Streams); a file whose streams cannot be listed is UNREADABLE.
func (m *matcher) streams(ctx context.Context, out *Table, path func(rel string) string) {
	check := func(row int, rel string) {
		if s := out.At(row).Status; s != OK && s != Modified {
			return
		}
		names, err := checksum.Streams(path(rel))
		switch {
		case err != nil:
			it := out.rowItem(row)
			it.Status, it.Failure = Unreadable, true
			it.setDetail(errorDetail(err.Error(), err))
		case len(names) > 0:
			sort.Strings(names)
			it := out.rowItem(row)
			it.Status, it.Failure = Modified, true
			it.setDetail(alternateStream(names))
		}
	}
	for i := range m.seen {
		f := &m.seen[i]
		if ctx.Err() != nil || f.row < 0 || !f.mode.IsRegular() {
			continue
		}
		check(f.row, f.rel)
	}
	for r, fi := range m.seenAt {
		if ctx.Err() == nil && fi == noEntry {
			check(r, m.t.Entries[r].Path)
		}
	}
}
