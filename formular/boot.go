package formular

import (
	"cmp"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/sverka/sverka/internal/eltorito"
)

// What a [boot] row names: the row's path is one of these, and for an El
// Torito entry "el-torito/N PLATFORM EMULATION [FILE]".
const (
	BootSystemArea = "system-area"
	BootCatalog    = "boot-catalog"
	BootElTorito   = "el-torito"
)

// BootTarget is what a row of a [boot] table covers.
type BootTarget struct {
	// What is BootSystemArea, BootCatalog or BootElTorito.
	What string
	// N, Platform and Emulation describe an El Torito entry: its number
	// (1 is the initial entry), its platform (bios, efi, ...) and its
	// emulation (no-emulation, floppy-1.44m, hard-disk, ...).
	N         int
	Platform  string
	Emulation string
	// File is the file of the image whose bytes are the entry's boot
	// image, "" when the entry loads bytes no file holds.
	File string
}

// String writes the target as a row's path.
func (b BootTarget) String() string {
	if b.What != BootElTorito {
		return b.What
	}
	s := b.Slot() + " " + b.Platform + " " + b.Emulation
	if b.File != "" {
		s += " " + b.File
	}
	return s
}

// Slot names what the row is about without what it says of it:
// "system-area", "boot-catalog" or "el-torito/N". A table has one row
// per slot.
func (b BootTarget) Slot() string {
	if b.What != BootElTorito {
		return b.What
	}
	return BootElTorito + "/" + strconv.Itoa(b.N)
}

// ParseBootTarget reads the path of a [boot] row.
func ParseBootTarget(s string) (BootTarget, error) {
	switch s {
	case BootSystemArea, BootCatalog:
		return BootTarget{What: s}, nil
	}
	parts := strings.SplitN(s, " ", 4)
	num, ok := strings.CutPrefix(parts[0], BootElTorito+"/")
	if !ok {
		return BootTarget{}, fmt.Errorf("boot row %q: expected system-area, boot-catalog or el-torito/N PLATFORM EMULATION [FILE]", s)
	}
	n, err := strconv.Atoi(num)
	if err != nil || !isDecimal(num) || num[0] == '0' || n < 1 || n > eltorito.MaxEntries {
		return BootTarget{}, fmt.Errorf("boot row %q: entry number %q is not 1 to %d, without leading zeros", s, num, eltorito.MaxEntries)
	}
	if len(parts) < 3 {
		return BootTarget{}, fmt.Errorf("boot row %q: an El Torito entry needs its platform and emulation: el-torito/N PLATFORM EMULATION [FILE]", s)
	}
	b := BootTarget{What: BootElTorito, N: n, Platform: parts[1], Emulation: parts[2]}
	if _, ok := eltorito.ParsePlatform(b.Platform); !ok {
		return BootTarget{}, fmt.Errorf("boot row %q: unknown platform %q (bios, efi, ppc, mac, or 0xNN in lower-case hex)", s, b.Platform)
	}
	if _, ok := eltorito.ParseEmulation(b.Emulation); !ok {
		return BootTarget{}, fmt.Errorf("boot row %q: unknown emulation %q (no-emulation, floppy-1.2m, floppy-1.44m, floppy-2.88m, hard-disk)", s, b.Emulation)
	}
	if len(parts) == 4 {
		b.File = parts[3]
		if err := checkPath(b.File, &Table{Kind: KindMedia}); err != nil {
			return BootTarget{}, fmt.Errorf("boot row %q: file: %w", s, err)
		}
	}
	return b, nil
}

// bootRank orders a [boot] table: the system area, the catalog, then the
// entries by number.
func bootRank(path string) (int, int) {
	b, err := ParseBootTarget(path)
	switch {
	case err != nil:
		return 3, 0
	case b.What == BootSystemArea:
		return 0, 0
	case b.What == BootCatalog:
		return 1, 0
	}
	return 2, b.N
}

// compareBoot orders the rows of a [boot] table.
func compareBoot(a, b Entry) int {
	ra, na := bootRank(a.Path)
	rb, nb := bootRank(b.Path)
	return cmp.Or(cmp.Compare(ra, rb), cmp.Compare(na, nb), strings.Compare(a.Path, b.Path))
}

// compareRows is the canonical order of a file table's rows.
func (t *Table) compareRows(a, b Entry) int {
	if t.Kind == KindBoot {
		return compareBoot(a, b)
	}
	return strings.Compare(a.Path, b.Path)
}

// checkBootSlots refuses two rows about one slot (two rows for
// el-torito/2, whatever each says of it); entries are in canonical order.
func checkBootSlots(file string, entries []Entry) error {
	for i := 1; i < len(entries); i++ {
		a, errA := ParseBootTarget(entries[i-1].Path)
		b, errB := ParseBootTarget(entries[i].Path)
		if errA != nil || errB != nil || a.Slot() != b.Slot() {
			continue
		}
		first, second := entries[i-1], entries[i]
		if second.Line < first.Line {
			first, second = second, first
		}
		return &ParseError{File: file, Line: int(second.Line), Err: fmt.Errorf("a second row for %s (first on line %d)", b.Slot(), first.Line)}
	}
	return nil
}

var errBootSize = errors.New("a [boot] row needs its size: what boots is hashed to a known length")
