package verify

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/iso"
)

// checkImage verifies the [image] and [media] tables against an image file
// or a block device in one sequential pass: the whole-image digests and
// every member's digests come from the same read.
func checkImage(ctx context.Context, f *formular.Formular, src Sources, res *Result) error {
	im, err := iso.OpenSpared(src.Media, src.Engine.Spare)
	if err != nil {
		return fmt.Errorf("media %s: %w", src.Media, err)
	}
	defer im.Close()
	imageTables, mediaTables := f.TablesOf(formular.KindImage), f.TablesOf(formular.KindMedia)
	imageAlgs, imageIdx := union(imageTables)
	memberAlgs, memberIdx := union(mediaTables)

	opt := iso.ScanOptions{ImageAlgs: imageAlgs, MemberAlgs: memberAlgs, Workers: src.Engine.Workers, ImplantedMD5: true,
		MostMember: mostWorthReading(mediaTables)}
	// An image file far longer than any the [image] tables list is not
	// the image they list, whatever it holds: it is read no further than
	// is worth it for its members, and its digests are not taken (a
	// sparse file of terabytes would otherwise hold the check for hours).
	var longer *checksum.LongerError
	if im.Device {
		// A drive reports more sectors than the image had: read what the
		// formular says the image holds.
		if e := onlyEntry(imageTables); e != nil {
			opt.Length = e.Size
		}
	} else if most := mostWorthReading(imageTables); most > 0 && im.Size > most {
		opt.Length = most
		longer = &checksum.LongerError{Size: im.Size, Most: most}
	}
	opt.Progress = src.Engine.Progress
	boot := planBoot(f, im)
	boot.options(&opt)
	sr, err := im.Scan(ctx, opt)
	if err != nil {
		return fmt.Errorf("media %s: %w", src.Media, err)
	}
	if sr.ImageErr != nil {
		res.Warnings = append(res.Warnings, readStopped(src.Media, sr.ImageRead, sr.ImageErr))
	}
	info := &ImageInfo{Path: src.Media, Kind: "image", Size: im.Size}
	if im.Device {
		info.Kind = "device"
	}
	for i, a := range imageAlgs {
		if longer != nil {
			break // of a part of the file only
		}
		info.Digests = append(info.Digests, Digest{Alg: a.Name, Hex: hex.EncodeToString(sr.ImageSums[i])})
	}
	if m := sr.ImplantedMD5; m != nil && m.Present {
		info.ImplantedMD5 = &ImplantedMD5{Expected: m.Implant.MD5, Computed: m.Computed, OK: m.OK, NotRead: m.NotRead}
		switch {
		case m.NotRead:
			// Far more than the file stores on its disk: the implant is
			// not checked, and that fails the check.
			res.Reasons = append(res.Reasons, implantedNotRead(m.Length, m.Stored))
		case !m.OK:
			res.Reasons = append(res.Reasons, implantedMismatch(m.Implant.MD5, m.Computed))
		}
	}
	res.Image = info

	name := filepath.Base(src.Media)
	for ti, t := range imageTables {
		out := newTable(t)
		out.Root = src.Media
		r := checksum.Result{Size: sr.ImageRead, Sums: pick(sr.ImageSums, imageIdx[ti])}
		switch {
		case sr.ImageErr != nil:
			r.Err = sr.ImageErr
		case longer != nil:
			r.Err, r.Sums = longer, nil
		}
		out.Items = judgeImage(t, name, im.Device, r)
		out.count()
		res.Tables = append(res.Tables, out)
	}

	if boot != nil {
		res.Tables = append(res.Tables, boot.judge(sr.Extra, src.Media))
	}

	for ti, t := range mediaTables {
		out := newTable(t)
		out.Root = src.Media
		seen := make([]found, 0, len(im.Members)+len(im.Symlinks))
		for mi, m := range im.Members {
			ms := sr.Members[mi]
			seen = append(seen, found{rel: m.Name, mode: 0o444, size: m.Size,
				res: &checksum.Result{Path: m.Name, Size: ms.Read, Sums: pick(ms.Sums, memberIdx[ti]), Err: ms.Err}})
		}
		for _, l := range im.Symlinks {
			seen = append(seen, found{rel: l.Name, mode: fs.ModeSymlink, link: l.Target})
		}
		m := newMatcher(t, src.IgnoreCase || t.OS == formular.OSWindows)
		m.expand = true
		m.bind(seen, nil)
		// The trees' conflicts change items in place: the members are
		// fewer than an installed system's files, each gets its item.
		out.Items, out.at = m.judge(func(string) *Message { return &notOnImage })
		out.rows = t
		out.Expand()
		out.Items = treeConflicts(out.Items, m, im.Conflicts, im.Names)
		out.count()
		res.Tables = append(res.Tables, out)
	}
	coverBoot(f, im, res)
	if im.UDF && !imageHolds(res) {
		// Windows reads the UDF tree of a bridge disc first; only the
		// image's own digest covers it.
		res.Uncover(udfNotChecked)
	}
	return nil
}

// imageHolds reports whether an [image] table found the image as
// certified, byte for byte.
func imageHolds(res *Result) bool {
	for _, t := range res.Tables {
		if t.Kind == formular.KindImage && t.Len() == 1 && t.At(0).Status == OK {
			return true
		}
	}
	return false
}

// treeConflicts makes every disagreement between the directory trees of
// the image a failure of the name it concerns: readers of the image see
// other files than the members the table was judged on. The item of the
// name takes the finding when it has nothing more telling to say (OK,
// MISSING from the image, EXTRA); otherwise the finding is an item of
// its own under the same name.
func treeConflicts(items []Item, m *matcher, cs []iso.Conflict, members string) []Item {
	byName := make(map[string]int, len(items))
	for i := range items {
		if k := m.key(items[i].Name); i < len(m.t.Entries) || items[i].Status == Extra {
			if _, ok := byName[k]; !ok {
				byName[k] = i
			}
		}
	}
	taken := map[int]bool{}
	for _, c := range cs {
		d := conflictDetail(c, members)
		i, ok := byName[m.key(c.Name)]
		if ok && !taken[i] {
			it := &items[i]
			if (it.Status == OK || it.Status == Missing || it.Status == Extra) && (it.DetailCode == "" || it.DetailCode == DetailNotOnImage) {
				taken[i] = true
				if it.Status == OK {
					it.Status = Modified
				}
				it.Failure = true
				it.setDetail(d)
				continue
			}
		}
		it := Item{Name: c.Name, Status: Extra, Failure: true}
		if m.isListed(c.Name) {
			it.Status = Modified
		}
		it.setDetail(d)
		items = append(items, it)
	}
	return items
}

// conflictDetail says a disagreement of the trees.
func conflictDetail(c iso.Conflict, members string) Message {
	other := c.Other
	if other == "" {
		other = c.Name
	}
	switch c.Kind {
	case iso.ConflictDuplicate:
		return duplicateRecord(c.Tree, other, c.Records)
	case iso.ConflictOtherContent:
		return treeOtherContent(c.Tree, other, c.Records[len(c.Records)-1], members, c.Records[0])
	case iso.ConflictOnlyIn:
		return treeOnly(c.Tree, other, c.Records[0], members)
	default:
		return treeMissing(c.Tree, c.Records[0], members)
	}
}

// judgeImage compares the image read with an [image] table. The image's
// file name is part of the certified content, as the vendor's checker has
// it: the right content under another name is RENAMED, still a failure,
// its detail saying that only the name differs and what the name must be.
// A device has no file name; only its content counts.
func judgeImage(t *formular.Table, name string, device bool, r checksum.Result) []Item {
	item := func(e formular.Entry) Item {
		it := Item{Name: e.Path, Line: int(e.Line), Size: e.Size, Expected: rowDigests(t.Columns, e.Sums)}
		compare(&it, t, e, r)
		return it
	}
	var byName, byContent *formular.Entry
	var longer *checksum.LongerError
	for i := range t.Entries {
		e := &t.Entries[i]
		if !device && e.Path == name {
			byName = e
		}
		if r.Err == nil && (e.Size < 0 || r.Size == e.Size) && formular.SumsEqual(t.Columns, e.Sums, r.Sums) && byContent == nil {
			byContent = e
		}
	}
	var it Item
	switch {
	case byName != nil:
		it = item(*byName)
	case byContent != nil && device:
		it = item(*byContent)
		it.setDetail(readFromDevice)
	case byContent != nil:
		it = item(*byContent)
		it.Status, it.Other = Renamed, name
		it.setDetail(imageNameOnly(name, byContent.Path))
	case len(t.Entries) == 1:
		it = item(t.Entries[0])
		if !device {
			it.setDetail(imageNameDiffers(name, t.Entries[0].Path, r.Err))
		}
	case errors.As(r.Err, &longer):
		size := longer.Size
		it = Item{Name: name, Status: Extra, ActualSize: &size}
		it.setDetail(notReadLonger)
	default:
		size := r.Size
		it = Item{Name: name, Status: Extra, ActualSize: &size, Actual: digests(t.Columns, r.Sums)}
		it.setDetail(imageUnmatched)
	}
	it.Failure = it.Status != OK
	return []Item{it}
}

// union gathers the algorithms of several tables, each once, and for each
// table the index of each of its columns in the union.
func union(ts []*formular.Table) ([]*checksum.Algorithm, [][]int) {
	var algs []*checksum.Algorithm
	pos := map[*checksum.Algorithm]int{}
	idx := make([][]int, len(ts))
	for i, t := range ts {
		for _, c := range t.Columns {
			p, ok := pos[c.Alg]
			if !ok {
				p = len(algs)
				pos[c.Alg] = p
				algs = append(algs, c.Alg)
			}
			idx[i] = append(idx[i], p)
		}
	}
	return algs, idx
}

func pick(sums [][]byte, idx []int) [][]byte {
	if sums == nil {
		return nil
	}
	out := make([][]byte, len(idx))
	for i, p := range idx {
		out[i] = sums[p]
	}
	return out
}

// mostWorthReading is the most bytes worth reading of one file the
// tables ts list (checksum.MostWorthReading of the largest), or 0 where a
// row does not give its size, or there is none.
func mostWorthReading(ts []*formular.Table) int64 {
	largest := int64(-1)
	for _, t := range ts {
		for _, e := range t.Entries {
			if e.Size < 0 {
				return 0
			}
			largest = max(largest, e.Size)
		}
	}
	if largest < 0 {
		return 0
	}
	return checksum.MostWorthReading(largest)
}

func onlyEntry(ts []*formular.Table) *formular.Entry {
	if len(ts) == 1 && len(ts[0].Entries) == 1 {
		return &ts[0].Entries[0]
	}
	return nil
}
