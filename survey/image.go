package survey

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sort"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/eltorito"
	"github.com/sverka/sverka/iso"
)

// Image reads an ISO image (or a disc in a drive) once, start to end,
// and returns its [image] table (the image's file name, size and digests),
// its [boot] table (what boots: see docs/formular.md) and its [media] table
// (every member), all from that single pass.
func Image(ctx context.Context, path string, cols []checksum.Column, opt Options) (image, boot, media *formular.Table, warnings []string, err error) {
	media = &formular.Table{Kind: formular.KindMedia, Columns: cols, Closed: true}
	if err := setExclude(media, opt.Exclude); err != nil {
		return nil, nil, nil, nil, err
	}
	im, err := iso.OpenSpared(path, opt.Engine.Spare)
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
	algs := algsOf(cols)
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
	image = &formular.Table{Kind: formular.KindImage, Columns: cols, Entries: []formular.Entry{{Path: filepath.Base(path), Sums: formular.JoinSums(sr.ImageSums), Size: sr.ImageRead}}}
	boot = &formular.Table{Kind: formular.KindBoot, Columns: cols}
	for i, b := range targets {
		ms := sr.Extra[i]
		if ms.Err != nil {
			return nil, nil, nil, nil, fmt.Errorf("%s: %s: %w", path, b.Slot(), ms.Err)
		}
		boot.Entries = append(boot.Entries, formular.Entry{Path: b.String(), Sums: formular.JoinSums(ms.Sums), Size: ms.Read})
	}
	for i, m := range im.Members {
		if media.Excluded(m.Name) {
			continue
		}
		ms := sr.Members[i]
		if ms.Err != nil {
			return nil, nil, nil, nil, fmt.Errorf("%s: member %s: %w", path, m.Name, ms.Err)
		}
		media.Entries = append(media.Entries, formular.Entry{Path: m.Name, Sums: formular.JoinSums(ms.Sums), Size: ms.Read})
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
func BootTargets(im *iso.Image) ([]formular.BootTarget, [][]iso.Extent, error) {
	targets := []formular.BootTarget{{What: formular.BootSystemArea}}
	extra := [][]iso.Extent{{im.SystemArea()}}
	et := im.ElTorito
	if et == nil {
		return targets, extra, nil
	}
	if et.Err != nil {
		return nil, nil, et.Err
	}
	targets = append(targets, formular.BootTarget{What: formular.BootCatalog})
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
func EntryTarget(e iso.BootEntry, prefer string) formular.BootTarget {
	b := formular.BootTarget{What: formular.BootElTorito, N: e.N, Platform: eltorito.PlatformName(e.Platform), Emulation: eltorito.EmulationName(e.Emulation)}
	if len(e.Files) > 0 {
		b.File = e.Files[0]
		if slices.Contains(e.Files, prefer) {
			b.File = prefer
		}
	}
	return b
}
