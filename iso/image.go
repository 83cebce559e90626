package iso

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/sverka/sverka/checksum"
)

// sectorSize is the ISO 9660 logical sector: volume descriptors and
// directory records are laid out in 2048-byte sectors whatever the logical
// block size.
const sectorSize = 2048

// systemArea is the first 16 sectors, outside the file system (an MBR, a
// GPT or nothing).
const systemArea = 16 * sectorSize

// maxDescriptors bounds the volume descriptor set; real images have a few.
const maxDescriptors = 64

// ErrNotISO is returned by Open for input that holds no ISO 9660 file
// system: a UDF-only disc, a raw-sector or other image format, or no image.
var ErrNotISO = errors.New("no ISO 9660 file system")

// Extent is a contiguous run of a member's bytes on the image.
type Extent struct {
	Offset int64 // byte offset on the image
	Length int64
}

// Member is a regular file of the image. Directories are not members;
// symbolic links are listed apart (Image.Symlinks).
type Member struct {
	// Name is the slash-separated path relative to the image root: the
	// Rock Ridge name, else the Joliet name, else the ISO 9660 name
	// without its ";1" version (see Image.Names).
	Name string
	// Size is the file's length: the sum of its extents' lengths.
	Size int64
	// Extents hold the file's bytes in order; a file over 4 GiB, or one
	// written in several extents, has several. Members that share data
	// (hard links, deduplicated files) have equal extents. An empty file
	// has none.
	Extents []Extent
	// Zisofs marks a file stored zisofs-compressed (Rock Ridge ZF): its
	// extents hold compressed data, not the file's bytes.
	Zisofs bool
	// Record is the byte offset of the member's (first) directory record,
	// for messages.
	Record int64
}

// Symlink is a Rock Ridge symbolic link of the image.
type Symlink struct {
	Name   string // path relative to the image root
	Target string // as recorded, not resolved
}

// Image is an opened ISO 9660 image file or block device.
type Image struct {
	Path string
	// Device is true for a block device (an optical drive, a USB stick).
	Device bool
	// Size is the file's or the device's size in bytes.
	Size int64
	// VolumeSize is the volume space size of the primary volume
	// descriptor, in bytes: an image file shorter than this is truncated.
	VolumeSize int64
	// BlockSize is the logical block size (2048 on every real image).
	BlockSize int64
	// Label is the volume identifier of the primary volume descriptor.
	Label string
	// Names says which tree the members come from, and so which names
	// they carry: TreeRockRidge, else TreeJoliet, else TreeISO9660.
	Names string
	// Trees lists the directory trees read, the members' first:
	// TreeRockRidge, TreeJoliet, TreeISO9660.
	Trees []string
	// Conflicts are the disagreements between the trees, and within
	// each: readers of the image would see other files than its members.
	Conflicts []Conflict
	// UDF is true when the image also holds a UDF file system (a UDF
	// bridge disc), which sverka does not read.
	UDF bool
	// Boot is true when an El Torito boot record is present.
	Boot bool
	// ElTorito is the boot catalog of the first El Torito boot record,
	// nil when there is none (see boot.go).
	ElTorito *ElTorito
	// SystemAreaZero is true when the first 32 KiB are all zeros: no
	// boot code for a stick.
	SystemAreaZero bool
	// MBR and GPT report a partition table in the system area (a hybrid
	// image that boots from a USB stick).
	MBR, GPT bool
	// Members are the regular files, sorted by name.
	Members []Member
	// Symlinks are the Rock Ridge symbolic links, sorted by name.
	Symlinks []Symlink
	// Implanted is the implanted MD5 (isomd5sum) recorded in the primary
	// volume descriptor, nil if there is none.
	Implanted *Implant

	f         *os.File
	release   func()  // drops what the reads cached (OpenSpared)
	trees     []*tree // as read, the members' first
	pvdOffset int64
	md5Blocks int64 // the volume size as checkisomd5 reads it
}

// Open opens an image file or a block device read-only and reads its
// directory tree. The caller must Close the image.
func Open(path string) (*Image, error) { return OpenSpared(path, nil) }

// OpenSpared is Open with sp noting what of the image is cached before
// anything of it is read; Close drops what was not (see checksum.Spare).
func OpenSpared(path string, sp *checksum.Spare) (*Image, error) {
	f, err := checksum.OpenRead(path)
	if err != nil {
		return nil, err
	}
	release := sp.Hold(f)
	size, device, err := sizeOf(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	im, err := read(f, size)
	if err != nil {
		release()
		f.Close()
		if errors.Is(err, ErrNotISO) {
			return nil, fmt.Errorf("%s: %w; if the system can mount it, mount it and pass the mounted directory instead", path, err)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	im.Path, im.Device, im.f, im.release = path, device, f, release
	return im, nil
}

// sizeOf is the size of the image f, opened at path: a regular file's or
// a block device's. Anything else is refused, the one check for Open and
// ImplantedMD5 alike: a character device (a terminal) or a FIFO put in an
// image's place would hold the read of its volume descriptor forever.
func sizeOf(f *os.File, path string) (size int64, device bool, err error) {
	st, err := f.Stat()
	if err != nil {
		return 0, false, err
	}
	switch m := st.Mode(); {
	case m.IsRegular():
		return st.Size(), false, nil
	case m&os.ModeDevice != 0 && m&os.ModeCharDevice == 0:
		if size, err = deviceSize(f); err != nil {
			return 0, false, fmt.Errorf("%s: size of the device: %w", path, err)
		}
		return size, true, nil
	case m.IsDir():
		return 0, false, fmt.Errorf("%s is a directory, not an image or a device", path)
	}
	return 0, false, fmt.Errorf("%s is neither a regular file nor a block device", path)
}

// Close releases the file or device.
func (im *Image) Close() error {
	if im.f == nil {
		return nil
	}
	if im.release != nil {
		im.release()
	}
	err := im.f.Close()
	im.f, im.release = nil, nil
	return err
}

// read parses the volume descriptors and the directory tree of the size
// bytes readable from r. It never panics, whatever the bytes.
func read(r io.ReaderAt, size int64) (*Image, error) {
	im := &Image{Size: size}
	var pvd, joliet, boot []byte
	var jolietOffset, bootOff int64
	var vrs, udf bool // a volume recognition sequence; an NSR descriptor in it
	terminated := false
	sec := make([]byte, sectorSize)
descriptors:
	for i := int64(0); i < maxDescriptors; i++ {
		off := systemArea + i*sectorSize
		if off+sectorSize > size {
			break
		}
		if _, err := r.ReadAt(sec, off); err != nil {
			return nil, fmt.Errorf("reading the volume descriptor at byte offset %d: %w", off, err)
		}
		switch id := string(sec[1:6]); {
		case id == "CD001" && !terminated:
			if err := checkDescriptor(sec, off); err != nil {
				return nil, err
			}
			switch sec[0] {
			case 0:
				if bootRecord(sec) && boot == nil {
					im.Boot = true
					boot, bootOff = bytes.Clone(sec), off
				}
			case 1:
				if pvd == nil {
					pvd = bytes.Clone(sec)
					im.pvdOffset = off
				} else if !bytes.Equal(sec[156:156+34], pvd[156:156+34]) {
					// Readers differ on which one they take.
					return nil, fmt.Errorf("volume descriptor at byte offset %d: a second primary volume descriptor with another root directory", off)
				}
			case 2:
				if !isJoliet(sec) {
					break
				}
				if joliet == nil {
					joliet, jolietOffset = bytes.Clone(sec), off
				} else if !bytes.Equal(sec[156:156+34], joliet[156:156+34]) {
					return nil, fmt.Errorf("volume descriptor at byte offset %d: a second Joliet volume descriptor with another root directory", off)
				}
			case 255:
				terminated = true
			}
		case id == "BEA01" || id == "NSR02" || id == "NSR03" || id == "TEA01" || id == "BOOT2" || id == "CDW02":
			// The UDF volume recognition sequence; on a UDF-bridge disc it
			// follows the ISO 9660 descriptors.
			vrs = true
			udf = udf || id == "NSR02" || id == "NSR03"
		default:
			break descriptors
		}
	}
	if pvd == nil {
		if vrs {
			return nil, fmt.Errorf("%w: a UDF-only image or disc, which sverka does not read", ErrNotISO)
		}
		return nil, fmt.Errorf("%w: no primary volume descriptor at byte offset %d", ErrNotISO, systemArea)
	}

	im.BlockSize = int64(binary.LittleEndian.Uint16(pvd[128:]))
	switch im.BlockSize {
	case 512, 1024, 2048:
	default:
		return nil, fmt.Errorf("primary volume descriptor at byte offset %d: logical block size %d is not 512, 1024 or 2048", im.pvdOffset, im.BlockSize)
	}
	im.VolumeSize = int64(binary.LittleEndian.Uint32(pvd[80:])) * im.BlockSize
	im.Label = strings.TrimRight(string(pvd[40:72]), " \x00")
	im.md5Blocks = int64(binary.BigEndian.Uint32(pvd[84:]))
	im.Implanted = parseImplant(pvd[appDataOffset : appDataOffset+appDataSize])
	if size >= 512 {
		mbr := make([]byte, 1024)
		n, _ := r.ReadAt(mbr, 0)
		mbr = mbr[:n]
		im.MBR = len(mbr) >= 512 && mbr[510] == 0x55 && mbr[511] == 0xAA
		im.GPT = len(mbr) >= 520 && string(mbr[512:520]) == "EFI PART"
	}

	// Every tree is read, each directory once per tree that reaches it,
	// and the path tables of the primary and Joliet descriptors, all
	// before the pass: at most three trees, so at most three times the
	// image.
	w := &walker{r: r, size: size, volume: im.VolumeSize, bs: im.BlockSize, budget: 3 * size}
	rootLoc, rootLen := rootOf(pvd, im.BlockSize)
	rr, err := w.detectRockRidge(rootLoc, rootLen)
	if err != nil {
		return nil, err
	}
	w.rr = rr
	plain := newTree(TreeISO9660)
	primary := []*place{{t: plain}}
	var trees []*tree // the members' tree first
	if rr {
		rock := newTree(TreeRockRidge)
		primary = []*place{{t: rock}, {t: plain}}
		trees = append(trees, rock)
	}
	if err := w.walk(rootLoc, rootLen, 0, primary); err != nil {
		return nil, err
	}
	if err := w.checkPathTables(pvd, im.pvdOffset, plain); err != nil {
		return nil, err
	}
	if joliet != nil {
		jt := newTree(TreeJoliet)
		loc, length := rootOf(joliet, im.BlockSize)
		if err := w.walk(loc, length, 0, []*place{{t: jt}}); err != nil {
			return nil, err
		}
		if err := w.checkPathTables(joliet, jolietOffset, jt); err != nil {
			return nil, err
		}
		trees = append(trees, jt)
	}
	trees = append(trees, plain)
	c := trees[0]
	im.Names = c.name
	for _, t := range trees {
		im.Trees = append(im.Trees, t.name)
	}
	im.Conflicts = conflicts(c, trees[1:])
	im.trees = trees
	sort.SliceStable(c.members, func(i, j int) bool { return c.members[i].Name < c.members[j].Name })
	sort.SliceStable(c.symlinks, func(i, j int) bool { return c.symlinks[i].Name < c.symlinks[j].Name })
	im.Members, im.Symlinks = c.members, c.symlinks
	im.UDF = udf || hasUDFAnchor(r, size)
	im.readBoot(r, boot, bootOff)
	return im, nil
}

// checkDescriptor holds a volume descriptor to ECMA-119: its version, its
// reserved bytes zero, its numbers alike in both byte orders, its path
// tables and root record in place. A reader that checks these
// (libarchive) takes an image that fails them for no ISO 9660 image at
// all, and shows nothing; another reads on: they disagree.
func checkDescriptor(sec []byte, off int64) error {
	bad := func(what string) error {
		return fmt.Errorf("volume descriptor at byte offset %d (type %d): %s", off, sec[0], what)
	}
	zero := func(lo, hi int) bool {
		for _, c := range sec[lo:hi] {
			if c != 0 {
				return false
			}
		}
		return true
	}
	both32 := func(at int) bool { return binary.LittleEndian.Uint32(sec[at:]) == binary.BigEndian.Uint32(sec[at+4:]) }
	both16 := func(at int) bool { return binary.LittleEndian.Uint16(sec[at:]) == binary.BigEndian.Uint16(sec[at+2:]) }
	switch t := sec[0]; {
	case t == 0 || t == 3:
		if sec[6] != 1 {
			return bad("version is not 1")
		}
		return nil
	case t == 255:
		if sec[6] != 1 || !zero(7, sectorSize) {
			return bad("a terminator whose version is not 1 or whose reserved bytes are not zero")
		}
		return nil
	case t == 2 && sec[6] == 2:
		return nil // an enhanced descriptor (ISO 9660:1999), whose tree sverka does not read
	case t == 1 || t == 2:
	default:
		return bad("not a type ECMA-119 defines")
	}
	switch {
	case sec[6] != 1 || sec[881] != 1:
		return bad("version or file structure version is not 1")
	case sec[0] == 1 && (sec[7] != 0 || !zero(88, 120)), !zero(72, 80), !zero(1395, sectorSize), sec[882] != 0 && sec[882] != 0x20:
		return bad("a reserved byte is not zero")
	case !both32(80) || !both16(120) || !both16(124) || !both16(128) || !both32(132):
		return bad("a number differs between its two byte orders")
	}
	blocks := binary.LittleEndian.Uint32(sec[80:])
	if blocks <= 20 {
		return bad("volume space size of fewer than 21 blocks")
	}
	if l, m := binary.LittleEndian.Uint32(sec[140:]), binary.BigEndian.Uint32(sec[148:]); l < 18 || l >= blocks || m != 0 && (m < 18 || m >= blocks) {
		return bad("a path table outside the volume")
	}
	root := sec[156 : 156+34]
	if root[0] < 34 || root[0] > 68 || binary.LittleEndian.Uint32(root[2:]) != binary.BigEndian.Uint32(root[6:]) ||
		binary.LittleEndian.Uint32(root[10:]) != binary.BigEndian.Uint32(root[14:]) || root[25]&0x8e != 0x02 ||
		binary.LittleEndian.Uint16(root[28:]) != binary.BigEndian.Uint16(root[30:]) || root[32] != 1 || root[33] != 0 {
		return bad("its root directory record is malformed")
	}
	return nil
}

// rootOf reads the root directory record of a volume descriptor.
func rootOf(vd []byte, bs int64) (loc, length int64) {
	root := vd[156 : 156+34]
	return int64(binary.LittleEndian.Uint32(root[2:])) * bs, int64(binary.LittleEndian.Uint32(root[10:]))
}

// hasUDFAnchor reports a UDF anchor volume descriptor pointer at sector
// 256, where UDF readers look for it first: a tag of identifier 2 whose
// checksum holds and which records its own location.
func hasUDFAnchor(r io.ReaderAt, size int64) bool {
	const at = 256
	if size < (at+1)*sectorSize {
		return false
	}
	tag := make([]byte, 16)
	if _, err := r.ReadAt(tag, at*sectorSize); err != nil {
		return false
	}
	var sum byte
	for i, b := range tag {
		if i != 4 {
			sum += b
		}
	}
	return binary.LittleEndian.Uint16(tag[0:]) == 2 && sum == tag[4] && binary.LittleEndian.Uint32(tag[12:]) == at
}

// isJoliet reports whether a supplementary volume descriptor carries one of
// the three Joliet (UCS-2) escape sequences.
func isJoliet(sec []byte) bool {
	esc := sec[88:120]
	for _, e := range []string{"%/@", "%/C", "%/E"} {
		if bytes.Contains(esc, []byte(e)) {
			return true
		}
	}
	return false
}
