package iso

import (
	"context"
	"crypto/md5"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/sverka/sverka/checksum"
)

// The isomd5sum scheme (implantisomd5, checkisomd5) of Fedora, RHEL and
// Astra install media: the MD5 of the volume, less its last SKIPSECTORS
// sectors and with the 512-byte application use area of the primary volume
// descriptor read as spaces, is written into that area as text, with
// "fragment sums" that let checkisomd5 stop early on a damaged disc.
const (
	appDataOffset    = 883 // application use area within the PVD
	appDataSize      = 512
	md5ReadSize      = 32768 // checkisomd5 reads, and checks fragments, in 32 KiB steps
	fragmentSumsSize = 60
	defaultSkip      = 15 // checkisomd5's defaults when the text omits them
	defaultFragments = 20
)

// Implant is an implanted MD5 as recorded in the primary volume descriptor.
type Implant struct {
	MD5           string // as recorded: 32 hex digits
	SkipSectors   int64  // sectors at the end left out of the sum
	FragmentSums  string // empty when the image has none
	FragmentCount int64
	Supported     bool // RHLISOSTATUS=1
}

// MD5Check is the outcome of checking an implanted MD5.
type MD5Check struct {
	// Present is false when the image carries no implanted MD5; nothing
	// else is set then.
	Present bool
	Implant Implant
	// Computed is the MD5 of what was read, hex, in checkisomd5's scheme.
	Computed string
	// Length is the number of bytes the sum covers; Read how many were
	// read (less on a truncated image).
	Length, Read int64
	// BadFragment is the first fragment whose sum differs (checkisomd5
	// stops there), 0 if none.
	BadFragment int64
	// OK is true when checkisomd5 would say PASS.
	OK bool
	// NotRead: nothing was read, for the sum covers more than is worth
	// reading of what the image file stores on its disk (implantMost);
	// Length is what it covers, Stored what the file stores, and OK is
	// false.
	NotRead bool
	Stored  int64
}

// parseImplant reads the application use area as checkisomd5 does: it
// needs the sum and SKIPSECTORS, and takes checkisomd5's defaults for the
// rest. It returns nil when there is no implanted MD5.
func parseImplant(area []byte) *Implant {
	buf := make([]byte, appDataSize)
	copy(buf, area)
	buf[appDataSize-1] = 0
	imp := &Implant{SkipSectors: defaultSkip, FragmentCount: defaultFragments}
	var haveMD5, haveSkip, haveSums, haveCount, haveStatus bool
	// number reads a decimal up to the next ';' as strtol with a full-match
	// check does; it returns the index of the ';' and whether it parsed.
	number := func(i int) (int64, int, bool) {
		j := i
		for j < appDataSize && buf[j] != ';' && buf[j] != 0 {
			j++
		}
		s := strings.TrimLeft(string(buf[i:j]), " \t\n\v\f\r")
		if s == "" {
			return 0, j, true
		}
		v, err := strconv.ParseInt(s, 10, 64)
		return v, j, err == nil
	}
	skipToSemicolon := func(i int) int {
		for i < appDataSize && buf[i] != ';' {
			i++
		}
		return i
	}
	for i := 0; i < appDataSize; i++ {
		rest := buf[i:]
		switch {
		case hasPrefix(rest, "ISO MD5SUM = "):
			i += 13
			if i+32 >= appDataSize {
				return nil
			}
			imp.MD5 = string(buf[i : i+32])
			haveMD5 = true
			i = skipToSemicolon(i + 32)
		case hasPrefix(rest, "SKIPSECTORS = "):
			if v, j, ok := number(i + 14); ok {
				imp.SkipSectors, haveSkip, i = v, true, j
			}
		case hasPrefix(rest, "RHLISOSTATUS="):
			if v, j, ok := number(i + 13); ok {
				imp.Supported, haveStatus, i = v == 1, true, j
			}
		case hasPrefix(rest, "FRAGMENT SUMS = "):
			i += 16
			if i+fragmentSumsSize >= appDataSize {
				return nil
			}
			imp.FragmentSums = string(buf[i : i+fragmentSumsSize])
			haveSums = true
			i = skipToSemicolon(i + fragmentSumsSize)
		case hasPrefix(rest, "FRAGMENT COUNT = "):
			if v, j, ok := number(i + 17); ok {
				imp.FragmentCount, haveCount, i = v, true, j
			}
		}
		if haveMD5 && haveSkip && haveSums && haveCount && haveStatus {
			break
		}
	}
	if !haveMD5 || !haveSkip {
		return nil
	}
	return imp
}

func hasPrefix(b []byte, p string) bool {
	return len(b) >= len(p) && string(b[:len(p)]) == p
}

// md5Feeder computes an implanted MD5 from the image's bytes in order,
// reproducing checkisomd5: the application use area reads as spaces, the
// sum stops SkipSectors sectors before the volume's end, and a fragment
// sum is checked after each 32 KiB read that starts in a new fragment.
type md5Feeder struct {
	imp        Implant
	h          hash.Hash
	total      int64 // bytes covered
	pos        int64 // bytes fed
	chunk      int64 // start of the current 32 KiB read
	clearFrom  int64
	fragSize   int64 // 0: no fragment checks
	sumsPerFrg int64
	prev       int64
	bad        int64
}

// newMD5Feeder prepares the check of imp for a volume of volumeBlocks
// 2048-byte sectors (checkisomd5 reads the big-endian PVD field and
// multiplies by 2048 whatever the block size) whose PVD is at pvdOffset.
func newMD5Feeder(imp Implant, volumeBlocks, pvdOffset int64) *md5Feeder {
	m := &md5Feeder{imp: imp, h: md5.New(), clearFrom: pvdOffset + appDataOffset}
	m.total = implantLength(imp, volumeBlocks)
	if imp.FragmentSums != "" && imp.FragmentCount > 0 {
		m.fragSize = m.total / (imp.FragmentCount + 1)
		m.sumsPerFrg = fragmentSumsSize / imp.FragmentCount
	}
	return m
}

// implantLength is the number of bytes imp covers in a volume of
// volumeBlocks 2048-byte sectors: all but the sectors it skips at the end.
// A skip below 0 or past the volume, which only a forged implant gives,
// is held to the volume, so the length neither wraps nor outgrows it.
func implantLength(imp Implant, volumeBlocks int64) int64 {
	skip := min(max(imp.SkipSectors, 0), volumeBlocks)
	return (volumeBlocks - skip) * sectorSize
}

// notWorthReading is the check of an implant that covers more than is
// worth reading of what the image file f stores on its disk: a sparse
// file whose volume claims terabytes would hold the check for hours. nil
// when it is worth reading, or the file system does not say (a device
// is always read).
func (m *md5Feeder) notWorthReading(f *os.File) *MD5Check {
	s, ok := stored(f)
	if !ok || m.total <= implantMost(s) {
		return nil
	}
	return &MD5Check{Present: true, Implant: m.imp, Length: m.total, NotRead: true, Stored: s}
}

var spaces = []byte(strings.Repeat(" ", appDataSize))

// write feeds the next bytes of the image; bytes past the covered length
// are ignored.
func (m *md5Feeder) write(p []byte) {
	for len(p) > 0 && m.pos < m.total {
		n := int64(len(p))
		n = min(n, m.total-m.pos, m.chunk+md5ReadSize-m.pos)
		m.hashCleared(p[:n])
		p = p[n:]
		m.pos += n
		if m.pos == m.chunk+md5ReadSize || m.pos == m.total {
			m.checkpoint()
		}
	}
}

// hashCleared hashes p, at m.pos, with the application use area replaced
// by spaces.
func (m *md5Feeder) hashCleared(p []byte) {
	start, end := m.pos, m.pos+int64(len(p))
	cf, ct := max(start, m.clearFrom), min(end, m.clearFrom+appDataSize)
	if cf >= ct {
		m.h.Write(p)
		return
	}
	m.h.Write(p[:cf-start])
	m.h.Write(spaces[:ct-cf])
	m.h.Write(p[ct-start:])
}

// checkpoint ends one checkisomd5 read, which started at m.chunk.
func (m *md5Feeder) checkpoint() {
	if m.fragSize > 0 {
		cur := m.chunk / m.fragSize
		if cur != m.prev {
			if m.bad == 0 && !m.fragmentOK(cur) {
				m.bad = cur
			}
			m.prev = cur
		}
	}
	m.chunk = m.pos
}

// fragmentOK compares the sum so far with fragment cur's recorded
// characters: checkisomd5 keeps the first character of each digest byte
// printed with "%x".
func (m *md5Feeder) fragmentOK(cur int64) bool {
	d := m.h.Sum(nil)
	j := (cur - 1) * m.sumsPerFrg
	for i := int64(0); i < min(m.sumsPerFrg, int64(len(d))); i++ {
		c := strconv.FormatUint(uint64(d[i]), 16)[0]
		if j+i >= int64(len(m.imp.FragmentSums)) || m.imp.FragmentSums[j+i] != c {
			return false
		}
	}
	return true
}

// result ends the check after the last byte read.
func (m *md5Feeder) result() *MD5Check {
	if m.pos > m.chunk {
		m.checkpoint() // the short last read of a truncated image
	}
	c := &MD5Check{
		Present:     true,
		Implant:     m.imp,
		Computed:    hex.EncodeToString(m.h.Sum(nil)),
		Length:      m.total,
		Read:        m.pos,
		BadFragment: m.bad,
	}
	c.OK = c.Read == c.Length && c.BadFragment == 0 && c.Computed == c.Implant.MD5
	return c
}

// findPVD returns the primary volume descriptor, its byte offset and the
// first volume descriptor's type.
func findPVD(r io.ReaderAt, size int64) ([]byte, int64, error) {
	sec := make([]byte, sectorSize)
	for i := int64(0); i < maxDescriptors; i++ {
		off := systemArea + i*sectorSize
		if off+sectorSize > size {
			break
		}
		if _, err := r.ReadAt(sec, off); err != nil {
			return nil, 0, fmt.Errorf("reading the volume descriptor at byte offset %d: %w", off, err)
		}
		if string(sec[1:6]) != "CD001" || sec[0] == 255 {
			break
		}
		if sec[0] == 1 {
			return sec, off, nil
		}
	}
	return nil, 0, fmt.Errorf("%w: no primary volume descriptor at byte offset %d", ErrNotISO, systemArea)
}

// ImplantedMD5 checks the implanted MD5 of an image file or a block device
// in one sequential read, as checkisomd5 does, without reading the
// directory tree (a damaged tree does not stop this check). progress, if
// set, is called with the bytes read so far. sp, if set, drops after the
// read what of the image was not cached before.
func ImplantedMD5(ctx context.Context, path string, progress func(n int64), sp *checksum.Spare) (*MD5Check, error) {
	f, err := checksum.OpenRead(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	defer sp.Hold(f)()
	size, _, err := sizeOf(f, path)
	if err != nil {
		return nil, err
	}
	pvd, pvdOff, err := findPVD(f, size)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	imp := parseImplant(pvd[appDataOffset : appDataOffset+appDataSize])
	if imp == nil {
		return &MD5Check{}, nil
	}
	m := newMD5Feeder(*imp, int64(binary.BigEndian.Uint32(pvd[84:])), pvdOff)
	if unread := m.notWorthReading(f); unread != nil {
		return unread, nil
	}
	adviseSequential(f)
	buf := make([]byte, defaultBufSize)
	for off := int64(0); off < m.total; {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := f.ReadAt(buf[:min(int64(len(buf)), m.total-off)], off)
		m.write(buf[:n])
		off += int64(n)
		if progress != nil {
			progress(int64(n))
		}
		if err == io.EOF {
			break // truncated: the check fails on the short read
		}
		if err != nil {
			return nil, fmt.Errorf("%s: reading at byte offset %d: %w", path, off, err)
		}
	}
	return m.result(), nil
}
