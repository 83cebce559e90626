package verify

import (
	"strconv"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/iso"
	"github.com/sverka/sverka/survey"
)

// bootSlot is one thing on the image that boots: the system area, the
// boot catalog, or a bootable El Torito entry.
type bootSlot struct {
	target formular.BootTarget
	entry  *iso.BootEntry // an El Torito entry's
	extra  int            // its run in the pass's Extra, -1 when it has none
	err    error          // why the catalog could not be read
}

// bootCheck checks the [boot] table of a formular against an image. Its
// runs are hashed by the image's one pass, beside the members.
type bootCheck struct {
	table *formular.Table
	algs  []*checksum.Algorithm
	idx   []int
	slots []bootSlot
	extra [][]iso.Extent
}

// planBoot lists what boots from the image, for the formular's [boot]
// table; nil when the formular has none.
func planBoot(f *formular.Formular, im *iso.Image) *bootCheck {
	tables := f.TablesOf(formular.KindBoot)
	if len(tables) == 0 {
		return nil
	}
	algs, idx := union(tables[:1])
	b := &bootCheck{table: tables[0], algs: algs, idx: idx[0]}
	add := func(t formular.BootTarget, e *iso.BootEntry, ext []iso.Extent, err error) {
		s := bootSlot{target: t, entry: e, extra: -1, err: err}
		if len(ext) > 0 {
			s.extra = len(b.extra)
			b.extra = append(b.extra, ext)
		}
		b.slots = append(b.slots, s)
	}
	add(formular.BootTarget{What: formular.BootSystemArea}, nil, []iso.Extent{im.SystemArea()}, nil)
	if et := im.ElTorito; et != nil {
		var ext []iso.Extent
		if et.Catalog.Length > 0 {
			ext = []iso.Extent{et.Catalog}
		}
		add(formular.BootTarget{What: formular.BootCatalog}, nil, ext, et.Err)
		for i := range et.Entries {
			e := &et.Entries[i]
			add(survey.EntryTarget(*e, ""), e, e.Image, nil)
		}
	}
	return b
}

// options has the pass hash what boots.
func (b *bootCheck) options(opt *iso.ScanOptions) {
	if b != nil {
		opt.Extra, opt.ExtraAlgs = b.extra, b.algs
	}
}

// judge compares the table's rows with what the image boots. The table
// is complete: what boots that it does not list is EXTRA, a failure.
func (b *bootCheck) judge(sums []iso.MemberSum, media string) Table {
	t := b.table
	out := newTable(t)
	out.Root = media
	bySlot := map[string]int{}
	for i, s := range b.slots {
		bySlot[s.target.Slot()] = i
	}
	var catalogErr error
	hasCatalog := false
	if i, ok := bySlot[formular.BootCatalog]; ok {
		hasCatalog, catalogErr = true, b.slots[i].err
	}
	result := func(s bootSlot) checksum.Result {
		if s.extra < 0 {
			return checksum.Result{Err: s.err}
		}
		ms := sums[s.extra]
		return checksum.Result{Size: ms.Read, Sums: pick(ms.Sums, b.idx), Err: ms.Err}
	}
	used := make([]bool, len(b.slots))
	for _, e := range t.Entries {
		it := Item{Name: e.Path, Line: int(e.Line), Size: e.Size, Expected: rowDigests(t.Columns, e.Sums)}
		want, err := formular.ParseBootTarget(e.Path)
		if err != nil {
			// The formular's parser refused such a row: nothing here can
			// vouch for it.
			it.Status = Unreadable
			it.setDetail(errorDetail(err.Error(), err))
			it.Failure = true
			out.Items = append(out.Items, it)
			continue
		}
		i, found := bySlot[want.Slot()]
		switch {
		case found:
			s := b.slots[i]
			used[i] = true
			compare(&it, t, e, result(s))
			if s.err != nil && s.extra >= 0 {
				// The catalog's bytes were hashed, but they do not read.
				it.setDetail(errorDetail(s.err.Error(), s.err))
				if it.Status == OK {
					it.Status = Unreadable
				}
			}
			if s.entry != nil {
				judgeEntry(&it, want, s.entry)
			}
		case want.What == formular.BootElTorito && catalogErr != nil:
			it.Status = Unreadable
			it.setDetail(errorDetail(catalogErr.Error(), catalogErr))
		case want.What == formular.BootElTorito && hasCatalog:
			it.Status = Missing
			it.setDetail(notOnImage)
		default:
			it.Status = Missing
			it.setDetail(notOnImage)
		}
		it.Failure = it.Status != OK
		out.Items = append(out.Items, it)
	}
	for i, s := range b.slots {
		if used[i] {
			continue
		}
		it := Item{Name: s.target.String(), Status: Extra, Failure: true}
		if r := result(s); r.Err == nil && r.Sums != nil {
			size := r.Size
			it.ActualSize, it.Actual = &size, digests(t.Columns, r.Sums)
		}
		switch {
		case s.err != nil:
			it.setDetail(errorDetail(s.err.Error(), s.err))
		case s.entry != nil && len(s.entry.Files) == 0:
			it.setDetail(bootImageUnlisted(s.entry.Start, s.entry.Size))
		}
		out.Items = append(out.Items, it)
	}
	out.count()
	return out
}

// judgeEntry compares what the catalog's entry is with what the row says
// it was: its platform, its emulation, and the file its image is. A file
// the row names must still be where the entry loads from: the media
// table's row for that file then covers what boots.
func judgeEntry(it *Item, want formular.BootTarget, e *iso.BootEntry) {
	got := survey.EntryTarget(*e, want.File)
	if got == want {
		return
	}
	if it.Status == OK || it.Status == Modified {
		it.Status = Modified
	}
	if want.File != "" && got.File == "" {
		it.setDetail(bootImageUnlisted(e.Start, e.Size))
		return
	}
	it.setDetail(bootEntryChanged(got.String()))
}

// coverBoot says, in the verdict's scope, when the image boots and the
// formular covers none of it: no [boot] table and no [image] table, whose
// digest covers every byte.
func coverBoot(f *formular.Formular, im *iso.Image, res *Result) {
	if len(f.TablesOf(formular.KindBoot)) > 0 || len(f.TablesOf(formular.KindImage)) > 0 {
		return
	}
	if im.ElTorito != nil || !im.SystemAreaZero {
		res.Uncover(bootNotCovered)
	}
}

func bootImageUnlisted(offset, size int64) Message {
	return detail(DetailBootImageUnlisted, "the entry loads "+strconv.FormatInt(size, 10)+" bytes at byte offset "+
		strconv.FormatInt(offset, 10)+", which no file of the image holds",
		"offset", strconv.FormatInt(offset, 10), "size", strconv.FormatInt(size, 10))
}

func bootEntryChanged(now string) Message {
	return detail(DetailBootEntryChanged, "the boot catalog now has "+now, "entry", now)
}
