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
	// Names says which names the members carry: "rockridge", "joliet" or
	// "iso9660".
	Names string
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
	pvdOffset int64
	md5Blocks int64 // the volume size as checkisomd5 reads it
}

// Open opens an image file or a block device read-only and reads its
// directory tree. The caller must Close the image.
func Open(path string) (*Image, error) {
	f, err := checksum.OpenRead(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	var size int64
	device := false
	switch m := st.Mode(); {
	case m.IsRegular():
		size = st.Size()
	case m&os.ModeDevice != 0 && m&os.ModeCharDevice == 0:
		device = true
		size, err = deviceSize(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("%s: size of the device: %w", path, err)
		}
	case m.IsDir():
		f.Close()
		return nil, fmt.Errorf("%s is a directory, not an image or a device", path)
	default:
		f.Close()
		return nil, fmt.Errorf("%s is neither a regular file nor a block device", path)
	}
	im, err := read(f, size)
	if err != nil {
		f.Close()
		if errors.Is(err, ErrNotISO) {
			return nil, fmt.Errorf("%s: %w; if the system can mount it, mount it and pass the mounted directory instead", path, err)
		}
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	im.Path, im.Device, im.f = path, device, f
	return im, nil
}

// Close releases the file or device.
func (im *Image) Close() error {
	if im.f == nil {
		return nil
	}
	err := im.f.Close()
	im.f = nil
	return err
}

// read parses the volume descriptors and the directory tree of the size
// bytes readable from r. It never panics, whatever the bytes.
func read(r io.ReaderAt, size int64) (*Image, error) {
	im := &Image{Size: size}
	var pvd, joliet, boot []byte
	var bootOff int64
	udf := false
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
		switch string(sec[1:6]) {
		case "CD001":
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
				}
			case 2:
				if joliet == nil && isJoliet(sec) {
					joliet = bytes.Clone(sec)
				}
			case 255:
				break descriptors
			}
		case "BEA01", "NSR02", "NSR03", "TEA01", "BOOT2", "CDW02":
			// The UDF volume recognition sequence; on a UDF-bridge disc it
			// follows the ISO 9660 descriptors.
			udf = true
		default:
			break descriptors
		}
	}
	if pvd == nil {
		if udf {
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

	w := &walker{r: r, size: size, volume: im.VolumeSize, bs: im.BlockSize, seen: map[int64]bool{}, budget: size}
	root := pvd[156 : 156+34]
	rootLoc := int64(binary.LittleEndian.Uint32(root[2:])) * im.BlockSize
	rootLen := int64(binary.LittleEndian.Uint32(root[10:]))
	rr, err := w.detectRockRidge(rootLoc, rootLen)
	if err != nil {
		return nil, err
	}
	switch {
	case rr:
		im.Names = "rockridge"
		w.rr = true
	case joliet != nil:
		im.Names = "joliet"
		w.joliet = true
		root = joliet[156 : 156+34]
		rootLoc = int64(binary.LittleEndian.Uint32(root[2:])) * im.BlockSize
		rootLen = int64(binary.LittleEndian.Uint32(root[10:]))
	default:
		im.Names = "iso9660"
	}
	if err := w.walk("", rootLoc, rootLen, 0); err != nil {
		return nil, err
	}
	sort.SliceStable(w.members, func(i, j int) bool { return w.members[i].Name < w.members[j].Name })
	sort.SliceStable(w.symlinks, func(i, j int) bool { return w.symlinks[i].Name < w.symlinks[j].Name })
	im.Members, im.Symlinks = w.members, w.symlinks
	im.readBoot(r, boot, bootOff)
	return im, nil
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
