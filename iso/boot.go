package iso

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/sverka/sverka/internal/eltorito"
)

// What a computer booting the image runs: the El Torito boot images its
// boot catalog names and, for a hybrid image written to a stick, the
// system area (the first 32 KiB: an MBR, a GPT, isohybrid code). The
// catalog is read like the directories, when the image is opened; the
// bytes it names are hashed in the one pass (ScanOptions.Extra).

// cdSector is the El Torito unit: the catalog's location and every load
// RBA count 2048-byte CD sectors, whatever the logical block size.
const cdSector = 2048

// bootEntrySize is the size of every record of a boot catalog.
const bootEntrySize = 32

// maxCatalogSectors bounds the boot catalog: four sectors hold 256
// records; real catalogs hold a handful.
const maxCatalogSectors = 4

// MaxBootEntries bounds the boot entries of a catalog (initial and
// section entries, bootable or not).
const MaxBootEntries = eltorito.MaxEntries

// El Torito platform IDs; eltorito names them.
const (
	PlatformBIOS = eltorito.PlatformBIOS
	PlatformPPC  = eltorito.PlatformPPC
	PlatformMac  = eltorito.PlatformMac
	PlatformEFI  = eltorito.PlatformEFI
)

// El Torito boot media types (the emulation), low four bits of the media
// type byte; eltorito names them.
const (
	EmulationNone     = eltorito.EmulationNone
	EmulationFloppy12 = eltorito.EmulationFloppy12
	EmulationFloppy14 = eltorito.EmulationFloppy14
	EmulationFloppy28 = eltorito.EmulationFloppy28
	EmulationHardDisk = eltorito.EmulationHardDisk
)

// floppySizes are the bytes a BIOS reads for each floppy emulation: the
// emulated diskette, whatever the entry's sector count says.
var floppySizes = map[byte]int64{EmulationFloppy12: 1228800, EmulationFloppy14: 1474560, EmulationFloppy28: 2949120}

// ElTorito is the El Torito boot catalog of an image.
type ElTorito struct {
	// Record is the byte offset of the boot record volume descriptor.
	Record int64
	// Catalog is where the catalog lies: its first sector, up to the end
	// of the sector holding its last record. Its Length is 0 when the
	// boot record points outside the image.
	Catalog Extent
	// Entries are the bootable entries, in catalog order.
	Entries []BootEntry
	// Err says why the catalog could not be read, naming the byte offset
	// of what is wrong; Entries is then empty. The catalog is hostile
	// input: it is read with bounds, never trusted.
	Err error
}

// BootEntry is one bootable entry of the catalog.
type BootEntry struct {
	// N numbers the entries: 1 is the initial (default) entry, then the
	// section entries in catalog order. Non-bootable entries take their
	// number but are not listed.
	N int
	// Record is the byte offset of the entry's 32-byte record.
	Record    int64
	Platform  byte
	Emulation byte
	// SectorCount is the entry's count of 512-byte sectors to load.
	SectorCount uint16
	// Start is the byte offset of its boot image (the load RBA × 2048).
	Start int64
	// Image holds the bytes a firmware may load from the entry, which
	// are what a formular's boot row hashes (see Files and docs/formular.md).
	Image []Extent
	// Size is the length of Image.
	Size int64
	// Files names the members whose data are the boot image: those that
	// start at Start and hold all the entry loads. Image is then their
	// extents, the whole file. Sorted by name; more than one for hard
	// links.
	Files []string
}

// Target says what the entry boots as a formular writes it, without the
// file: "el-torito/N PLATFORM EMULATION".
func (e BootEntry) Target() string {
	return fmt.Sprintf("el-torito/%d %s %s", e.N, eltorito.PlatformName(e.Platform), eltorito.EmulationName(e.Emulation))
}

// SystemArea is the extent of the system area the image holds.
func (im *Image) SystemArea() Extent {
	return Extent{Offset: 0, Length: min(systemArea, im.Size)}
}

// rawEntry is a catalog entry as recorded, before its image is placed.
type rawEntry struct {
	n         int
	off       int  // offset in the catalog
	bootable  bool // boot indicator 0x88
	platform  byte // from the validation entry or the section header
	emulation byte // low four bits of the media type
	count     uint16
	rba       uint32
}

// parseCatalog reads the records of a boot catalog held in cat, which
// starts at byte offset base of the image (for messages). It returns the
// entries and the length of the catalog up to its last record. cat holds
// whole sectors, at most maxCatalogSectors.
func parseCatalog(cat []byte, base int64) ([]rawEntry, int, error) {
	at := func(off int, format string, args ...any) error {
		return fmt.Errorf("boot catalog, byte offset %d: %s", base+int64(off), fmt.Sprintf(format, args...))
	}
	if len(cat) < 2*bootEntrySize {
		return nil, 0, at(0, "the catalog holds %d bytes, less than its validation and initial entries", len(cat))
	}
	v := cat[:bootEntrySize]
	if v[0] != 0x01 {
		return nil, 0, at(0, "validation entry header ID 0x%02x, expected 0x01", v[0])
	}
	if v[30] != 0x55 || v[31] != 0xaa {
		return nil, 0, at(30, "validation entry key bytes %02x %02x, expected 55 aa", v[30], v[31])
	}
	var sum uint16
	for i := 0; i < bootEntrySize; i += 2 {
		sum += binary.LittleEndian.Uint16(v[i:])
	}
	if sum != 0 {
		return nil, 0, at(28, "validation entry checksum does not sum to zero (sum 0x%04x)", sum)
	}
	entry := func(off int, n int, platform byte) (rawEntry, error) {
		r := cat[off : off+bootEntrySize]
		e := rawEntry{n: n, off: off, platform: platform, emulation: r[1] & 0x0f,
			count: binary.LittleEndian.Uint16(r[6:]), rba: binary.LittleEndian.Uint32(r[8:])}
		switch r[0] {
		case 0x88:
			e.bootable = true
		case 0x00:
		default:
			return e, at(off, "boot indicator 0x%02x, expected 0x88 (bootable) or 0x00", r[0])
		}
		if e.bootable && e.emulation > EmulationHardDisk {
			return e, at(off+1, "boot media type %d, expected 0 to 4", e.emulation)
		}
		return e, nil
	}
	first, err := entry(bootEntrySize, 1, v[1])
	if err != nil {
		return nil, 0, err
	}
	entries := []rawEntry{first}
	off := 2 * bootEntrySize
	n := 1
	for final := false; !final; {
		if off+bootEntrySize > len(cat) {
			// The catalog ends with its sectors: no more headers.
			break
		}
		h := cat[off : off+bootEntrySize]
		if h[0] != 0x90 && h[0] != 0x91 {
			break // no (further) section header: the catalog ends here
		}
		final = h[0] == 0x91
		platform := h[1]
		count := int(binary.LittleEndian.Uint16(h[2:]))
		hoff := off
		off += bootEntrySize
		for range count {
			if off+bootEntrySize > len(cat) {
				return nil, 0, at(hoff, "section header announces %d entries, more than the catalog's %d bytes hold", count, len(cat))
			}
			n++
			if n > MaxBootEntries {
				return nil, 0, at(off, "more than %d boot entries", MaxBootEntries)
			}
			e, err := entry(off, n, platform)
			if err != nil {
				return nil, 0, err
			}
			entries = append(entries, e)
			more := cat[off+1]&0x20 != 0
			off += bootEntrySize
			// Section entry extensions: vendor data, chained by bit 5.
			for more {
				if off+bootEntrySize > len(cat) {
					return nil, 0, at(off-bootEntrySize, "an extension record is announced past the catalog's end")
				}
				if cat[off] != 0x44 {
					return nil, 0, at(off, "extension record indicator 0x%02x, expected 0x44", cat[off])
				}
				more = cat[off+1]&0x20 != 0
				off += bootEntrySize
			}
		}
	}
	// A firmware that scans the catalog's sector record by record would
	// boot a bootable entry placed after the catalog's end, which this
	// reading would not hash: refuse it.
	end := min((off+cdSector-1)/cdSector*cdSector, len(cat))
	for o := off; o+bootEntrySize <= end; o += bootEntrySize {
		if cat[o] == 0x88 {
			return nil, 0, at(o, "a bootable entry after the catalog's last section")
		}
	}
	return entries, off, nil
}

// readBoot reads what the image boots: whether its system area is all
// zeros and, when it has an El Torito boot record (record, at byte offset
// recordOff), its catalog. A catalog that cannot be read is reported in
// ElTorito.Err, not as an error of the image: the directory tree is still
// checked, and what boots is then not shown to hold.
func (im *Image) readBoot(r io.ReaderAt, record []byte, recordOff int64) {
	sa := make([]byte, min(systemArea, im.Size))
	n, _ := r.ReadAt(sa, 0)
	im.SystemAreaZero = n == len(sa) && !slices.ContainsFunc(sa, func(b byte) bool { return b != 0 })
	if record == nil {
		return
	}
	et := &ElTorito{Record: recordOff}
	im.ElTorito = et
	et.Entries, et.Catalog, et.Err = im.readCatalog(r, record, recordOff)
}

// readCatalog follows the boot record's pointer to the catalog and places
// every bootable entry's image within the image's bytes.
func (im *Image) readCatalog(r io.ReaderAt, record []byte, recordOff int64) ([]BootEntry, Extent, error) {
	ptr := int64(binary.LittleEndian.Uint32(record[71:])) * cdSector
	bound := im.Size
	// The catalog lies past the system area and the primary volume
	// descriptor, and inside the image.
	if ptr < systemArea+cdSector || ptr+cdSector > bound {
		return nil, Extent{}, fmt.Errorf("boot record at byte offset %d: its catalog pointer (byte offset %d) lies outside bytes %d to %d of the image", recordOff+71, ptr, systemArea+cdSector, bound)
	}
	cat := make([]byte, min(maxCatalogSectors*cdSector, (bound-ptr)/cdSector*cdSector))
	n, err := r.ReadAt(cat, ptr)
	if n < cdSector {
		return nil, Extent{Offset: ptr, Length: cdSector}, fmt.Errorf("reading the boot catalog at byte offset %d: %w", ptr, shortRead(err))
	}
	cat = cat[:n/cdSector*cdSector]
	raw, used, err := parseCatalog(cat, ptr)
	if err != nil {
		return nil, Extent{Offset: ptr, Length: cdSector}, err
	}
	catalog := Extent{Offset: ptr, Length: int64((used + cdSector - 1) / cdSector * cdSector)}
	var out []BootEntry
	for _, e := range raw {
		if !e.bootable {
			continue
		}
		be, err := im.placeEntry(r, e, ptr)
		if err != nil {
			return nil, catalog, err
		}
		out = append(out, be)
	}
	return out, catalog, nil
}

// shortRead is the error of a read that returned too few bytes.
func shortRead(err error) error {
	if err == nil || errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// placeEntry finds the bytes an entry loads: see docs/formular.md, "boot".
func (im *Image) placeEntry(r io.ReaderAt, e rawEntry, catOff int64) (BootEntry, error) {
	rec := catOff + int64(e.off)
	be := BootEntry{N: e.n, Record: rec, Platform: e.platform, Emulation: e.emulation,
		SectorCount: e.count, Start: int64(e.rba) * cdSector}
	bound := im.Size
	if be.Start >= bound {
		return be, fmt.Errorf("boot catalog, byte offset %d: entry %d loads from byte offset %d, outside the image's %d bytes", rec+8, e.n, be.Start, bound)
	}
	// load is what the entry says it loads, by the specification.
	var load int64
	switch e.emulation {
	case EmulationNone:
		load = int64(e.count) * 512
	case EmulationHardDisk:
		mbr := make([]byte, 512)
		if n, _ := r.ReadAt(mbr, be.Start); n < len(mbr) {
			return be, fmt.Errorf("boot catalog, byte offset %d: entry %d's hard disk image at byte offset %d is cut off by the image's end", rec, e.n, be.Start)
		}
		if mbr[510] != 0x55 || mbr[511] != 0xaa {
			return be, fmt.Errorf("boot catalog, byte offset %d: entry %d emulates a hard disk, but its image at byte offset %d has no partition table (no 55 aa at its byte 510)", rec+1, e.n, be.Start)
		}
		for i := range 4 {
			p := mbr[446+16*i:]
			if p[4] == 0 {
				continue
			}
			end := (int64(binary.LittleEndian.Uint32(p[8:])) + int64(binary.LittleEndian.Uint32(p[12:]))) * 512
			load = max(load, end)
		}
		if load == 0 {
			return be, fmt.Errorf("boot catalog, byte offset %d: entry %d emulates a hard disk, but the partition table of its image at byte offset %d lists no partition", rec+1, e.n, be.Start)
		}
	default:
		load = floppySizes[e.emulation]
	}
	if be.Start+load > bound {
		return be, fmt.Errorf("boot catalog, byte offset %d: entry %d loads %d bytes from byte offset %d, past the image's end at %d", rec, e.n, load, be.Start, bound)
	}
	// A file of the image that starts there and holds all the entry loads
	// is the boot image: its bytes are hashed, whole, as the media table
	// has them.
	for _, m := range im.Members {
		if len(m.Extents) == 0 || m.Extents[0].Offset != be.Start {
			continue
		}
		if load > (m.Size+cdSector-1)/cdSector*cdSector {
			continue
		}
		if be.Files == nil {
			be.Image, be.Size = m.Extents, m.Size
		}
		if slices.Equal(m.Extents, be.Image) {
			be.Files = append(be.Files, m.Name)
		}
	}
	if be.Files != nil {
		return be, nil
	}
	size := load
	if e.emulation == EmulationNone {
		// The count is in 512-byte units by the specification, but UEFI
		// firmware reads it in 2048-byte sectors, and takes a count of 0
		// or 1 to mean the rest of the medium: hash all a firmware may
		// load, cut at the image's end.
		size = max(int64(e.count), 1) * cdSector
		if e.platform == PlatformEFI && e.count < 2 {
			size = bound - be.Start
		}
		size = min(size, bound-be.Start)
	}
	be.Image, be.Size = []Extent{{Offset: be.Start, Length: size}}, size
	return be, nil
}

// bootRecord reports whether a volume descriptor is an El Torito boot
// record.
func bootRecord(sec []byte) bool {
	return sec[0] == 0 && bytes.HasPrefix(sec[7:], []byte("EL TORITO SPECIFICATION"))
}
