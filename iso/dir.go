package iso

import (
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Limits that keep a damaged or hostile image from exhausting memory or
// looping; real images stay far below them.
const (
	maxDirSize  = 64 << 20 // one directory's extent
	maxDepth    = 1024     // directory nesting
	maxCEHops   = 64       // SUSP continuation areas per record
	maxCELength = 1 << 20  // one continuation area
)

// Directory record flags (ECMA-119 9.1.6).
const (
	flagAssociated = 0x04
	flagDirectory  = 0x02
	flagMulti      = 0x80
)

// POSIX file types of the Rock Ridge PX entry.
const (
	modeType    = 0o170000
	modeRegular = 0o100000
	modeDir     = 0o040000
	modeSymlink = 0o120000
)

// walker reads the directory trees of one image. Every error names the
// byte offset on the image of the structure at fault.
type walker struct {
	r        io.ReaderAt
	size     int64 // bytes readable
	volume   int64 // volume space size
	bs       int64 // logical block size
	rr       bool  // the primary tree carries Rock Ridge entries
	suspSkip int   // SUSP LEN_SKP of the SP entry
	// budget is what is left to read of directories and continuation
	// areas, for all the trees together: on a sound image a tree's
	// directories never overlap, so each tree reads less than the image;
	// a corrupt tree pointing many records at large extents would
	// otherwise read the image over and over, and a second and a third
	// tree must not multiply that.
	budget int64
}

// tree is what one reader of the image sees through one directory tree:
// the Rock Ridge names of the primary tree, its plain ISO 9660 names, or
// the Joliet tree.
type tree struct {
	name     string // TreeRockRidge, TreeISO9660 or TreeJoliet
	members  []Member
	symlinks []Symlink
	// other holds the records this tree shows as neither a regular file
	// nor a directory (a symbolic link, a device, the placeholder of a
	// relocated directory), by byte offset, with their paths: another
	// reader may show the same record as an empty file.
	other map[int64]string
	seen  map[int64]int64 // directories walked: location → length
	// dirs are the directories as the tree's reader names them: path
	// with a trailing slash ("" for the root) and location.
	dirs []pathEntry
	// dups are the names this tree holds twice in one directory.
	dups []Conflict
}

func newTree(name string) *tree {
	return &tree{name: name, other: map[int64]string{}, seen: map[int64]int64{}}
}

// place is one directory as one tree sees it, while it is listed.
type place struct {
	t      *tree
	prefix string           // the directory's path with a trailing slash ("" for the root)
	names  map[string]int64 // folded name → byte offset of its first record
	// pending is a multi-extent file waiting for its final record.
	pending    *Member
	pendingRaw string
}

// record is one directory record.
type record struct {
	off      int64 // byte offset of the record on the image
	data     int64 // byte offset of the extent's data (after any extended attribute record)
	length   int64 // data length
	flags    byte
	interlvd bool // file unit size or interleave gap set
	name     []byte
	su       []byte // system use area
	suOff    int64
}

// rrInfo is what the Rock Ridge entries of a record say.
type rrInfo struct {
	name      strings.Builder
	hasName   bool
	mode      uint32
	hasMode   bool
	symlink   bool
	target    strings.Builder
	slCont    bool // the last symlink component continues in the next entry
	slAny     bool // a component was written
	relocated bool // RE: reached through its CL entry instead
	nmDot     bool // an NM entry names the current or parent directory
	child     int64
	hasChild  bool // CL: a relocated directory lives at child
	zisofs    bool
	rrip      bool // a Rock Ridge entry or extension reference was seen
}

func (w *walker) readAt(off, n int64, what string) ([]byte, error) {
	if off < 0 || n < 0 || off > w.size || n > w.size-off {
		return nil, fmt.Errorf("%s at byte offset %d (%d bytes) lies beyond the end of the image (%d bytes; the volume has %d): truncated or corrupt", what, off, n, w.size, w.volume)
	}
	b := make([]byte, n)
	if _, err := w.r.ReadAt(b, off); err != nil {
		return nil, fmt.Errorf("reading %s at byte offset %d: %w", what, off, err)
	}
	return b, nil
}

// detectRockRidge reads the root directory's "." record: Rock Ridge
// starts with a SUSP SP entry there, whose LEN_SKP applies to every record.
func (w *walker) detectRockRidge(loc, length int64) (bool, error) {
	if length <= 0 {
		return false, fmt.Errorf("root directory at byte offset %d has length %d", loc, length)
	}
	b, err := w.readAt(loc, min(length, sectorSize), "the root directory")
	if err != nil {
		return false, err
	}
	rec, _, err := parseRecord(b, 0, loc, w.bs)
	if err != nil {
		return false, err
	}
	if rec == nil || len(rec.name) != 1 || rec.name[0] != 0 {
		return false, fmt.Errorf("root directory at byte offset %d does not start with its \".\" record", loc)
	}
	su := rec.su
	if len(su) < 7 || string(su[0:2]) != "SP" || su[2] < 7 || su[4] != 0xBE || su[5] != 0xEF {
		return false, nil
	}
	var info rrInfo
	if err := w.parseSUSP(su, rec.suOff, &info, 0); err != nil {
		return false, err
	}
	w.suspSkip = int(su[6])
	return info.rrip, nil
}

// parseRecord parses the directory record at b[pos:], b being the extent
// read from byte offset base. It returns nil at a zero length byte (the
// rest of the sector is padding) and the position of the next record.
func parseRecord(b []byte, pos int, base, bs int64) (*record, int, error) {
	l := int(b[pos])
	if l == 0 {
		next := (pos/sectorSize + 1) * sectorSize
		return nil, next, nil
	}
	off := base + int64(pos)
	if l < 34 {
		return nil, 0, fmt.Errorf("directory record at byte offset %d: length %d is shorter than a record", off, l)
	}
	if pos%sectorSize+l > sectorSize || pos+l > len(b) {
		return nil, 0, fmt.Errorf("directory record at byte offset %d: length %d runs past its sector", off, l)
	}
	r := b[pos : pos+l]
	nl := int(r[32])
	if nl == 0 || 33+nl > l {
		return nil, 0, fmt.Errorf("directory record at byte offset %d: name length %d does not fit a record of %d bytes", off, nl, l)
	}
	suStart := 33 + nl
	if nl%2 == 0 {
		suStart++ // padding byte after an even-length name
	}
	suStart = min(suStart, l)
	if binary.LittleEndian.Uint32(r[2:]) != binary.BigEndian.Uint32(r[6:]) || binary.LittleEndian.Uint32(r[10:]) != binary.BigEndian.Uint32(r[14:]) {
		// Readers take one byte order or the other.
		return nil, 0, fmt.Errorf("directory record at byte offset %d: its location or length differs between its two byte orders", off)
	}
	xattr := int64(r[1])
	rec := &record{
		off:      off,
		data:     (int64(binary.LittleEndian.Uint32(r[2:])) + xattr) * bs,
		length:   int64(binary.LittleEndian.Uint32(r[10:])),
		flags:    r[25],
		interlvd: r[26] != 0 || r[27] != 0,
		name:     r[33 : 33+nl],
		su:       r[suStart:],
		suOff:    off + int64(suStart),
	}
	return rec, pos + l, nil
}

// child is a directory to list next, and the trees that see it there.
type child struct {
	loc, length int64
	places      []*place
}

// walk lists the directory whose extent is at loc, length bytes long, for
// each tree that reaches it there (one, or the Rock Ridge and the plain
// ISO 9660 view of the same primary tree, which share its records).
func (w *walker) walk(loc, length int64, depth int, places []*place) error {
	what := "directory " + quoteDir(places[0].prefix)
	if depth > maxDepth {
		return fmt.Errorf("%s at byte offset %d: nested deeper than %d levels", what, loc, maxDepth)
	}
	for _, p := range places {
		if _, ok := p.t.seen[loc]; ok {
			return fmt.Errorf("directory %s at byte offset %d is reached twice in the %s tree: the tree has a loop", quoteDir(p.prefix), loc, treeTitle[p.t.name])
		}
		p.t.seen[loc] = length
		p.t.dirs = append(p.t.dirs, pathEntry{path: p.prefix, loc: loc})
		p.names = map[string]int64{}
	}
	if length <= 0 || length > maxDirSize {
		return fmt.Errorf("%s at byte offset %d: implausible length %d", what, loc, length)
	}
	if w.budget -= length; w.budget < 0 {
		return fmt.Errorf("%s at byte offset %d: the directories add up to more than the image: the tree is corrupt", what, loc)
	}
	b, err := w.readAt(loc, length, what)
	if err != nil {
		return err
	}
	nrec := 0
	for pos := 0; pos < len(b); {
		rec, next, err := parseRecord(b, pos, loc, w.bs)
		if err != nil {
			return err
		}
		pos = next
		if rec == nil {
			continue
		}
		// The first two records are "." and "..": a reader that skips
		// the first two whatever they are (xorriso) would hide a file
		// put second.
		if nrec++; nrec <= 2 && (len(rec.name) != 1 || int(rec.name[0]) != nrec-1) {
			return fmt.Errorf("%s at byte offset %d does not start with its \".\" and \"..\" records", what, loc)
		}
		if len(rec.name) == 1 && rec.name[0] <= 1 {
			if rec.name[0] == 0 && (rec.data != loc || rec.length != length) {
				// Readers that list a directory from its own "." record
				// (libarchive, xorriso) would list another extent.
				return fmt.Errorf("directory record at byte offset %d: the \".\" record of %s points at byte offset %d (%d bytes), not at its directory (byte offset %d, %d bytes)", rec.off, what, rec.data, rec.length, loc, length)
			}
			continue // "." and ".."
		}
		var info rrInfo
		parsed := false
		var children []child
		for _, p := range places {
			if p.t.name == TreeRockRidge && !parsed {
				if err := w.parseSUSP(rec.su, rec.suOff, &info, 0); err != nil {
					return err
				}
				parsed = true
			}
			c, err := w.entry(p, rec, &info)
			if err != nil {
				return err
			}
			if c == nil {
				continue
			}
			joined := false
			for i := range children {
				if children[i].loc == c.loc && children[i].length == c.length {
					children[i].places = append(children[i].places, c.places...)
					joined = true
				}
			}
			if !joined {
				children = append(children, *c)
			}
		}
		for _, c := range children {
			if err := w.walk(c.loc, c.length, depth+1, c.places); err != nil {
				return err
			}
		}
	}
	for _, p := range places {
		if p.pending != nil {
			return fmt.Errorf("directory record at byte offset %d: multi-extent file %q ends without its final record", p.pending.Record, p.pending.Name)
		}
	}
	return nil
}

// entry takes one directory record into the tree of p: a file, a
// directory to list (returned), or what else the tree shows.
func (w *walker) entry(p *place, rec *record, info *rrInfo) (*child, error) {
	rr := p.t.name == TreeRockRidge
	if rr && info.relocated {
		return nil, nil // reached through its CL entry instead
	}
	if rec.flags&flagAssociated != 0 && p.t.name != TreeISO9660 {
		// Linux hides an associated file, with or without Rock Ridge;
		// a reader of the plain names that ignores the flag shows it,
		// which then differs from the members.
		return nil, nil
	}
	name, err := w.name(rec, info, p.t.name)
	if err != nil {
		return nil, err
	}
	path := p.prefix + name
	isDir := rec.flags&flagDirectory != 0 || rr && info.hasChild
	if rr && info.nmDot {
		// Readers name it "." or "..", or take its ISO 9660 name.
		return nil, fmt.Errorf("directory record at byte offset %d: %q has a Rock Ridge NM entry for the current or parent directory", rec.off, path)
	}
	if rr && info.hasMode && (info.mode&modeType == modeDir) != isDir {
		// Rock Ridge readers take the type from the mode, the others
		// from the flags: one would list a directory the other does not.
		return nil, fmt.Errorf("directory record at byte offset %d: %q is a directory by its flags or its Rock Ridge mode (%o), not by both", rec.off, path, info.mode)
	}
	continued := p.pending != nil && !isDir && string(rec.name) == p.pendingRaw
	if p.pending != nil && !continued {
		return nil, fmt.Errorf("directory record at byte offset %d: multi-extent file %q ends without its final record", p.pending.Record, p.pending.Name)
	}
	if !continued {
		// Two records of one name in a directory: a reader shows one
		// of them, or both under one name, and which one differs.
		key := foldName(name, p.t.name)
		if first, ok := p.names[key]; ok {
			p.t.dups = append(p.t.dups, Conflict{Kind: ConflictDuplicate, Tree: p.t.name, Name: path, Records: []int64{first, rec.off}})
		} else {
			p.names[key] = rec.off
		}
	}
	switch {
	case isDir:
		if rec.flags&flagMulti != 0 {
			// libarchive takes the records after it for its extents.
			return nil, fmt.Errorf("directory record at byte offset %d: directory %q flagged as a file of several extents", rec.off, path)
		}
		dloc, dlen := rec.data, rec.length
		if rr && info.hasChild {
			p.t.other[rec.off] = path // the placeholder of a relocated directory
			dloc = info.child * w.bs
			if dlen, err = w.dirLength(dloc, path); err != nil {
				return nil, err
			}
		}
		return &child{loc: dloc, length: dlen, places: []*place{{t: p.t, prefix: path + "/"}}}, nil
	case rr && (info.symlink || (info.hasMode && info.mode&modeType == modeSymlink)):
		p.t.symlinks = append(p.t.symlinks, Symlink{Name: path, Target: info.target.String()})
		p.t.other[rec.off] = path
		return nil, nil
	case rr && info.hasMode && info.mode&modeType != modeRegular:
		p.t.other[rec.off] = path // device, FIFO or socket: no content to check
		return nil, nil
	}
	if rec.interlvd {
		return nil, fmt.Errorf("directory record at byte offset %d: file %q is recorded interleaved, which sverka does not read", rec.off, path)
	}
	if rec.length > 0 && (rec.data < 0 || rec.data > w.volume || rec.length > w.volume-rec.data) {
		return nil, fmt.Errorf("directory record at byte offset %d: file %q (bytes %d to %d) extends beyond the volume (%d bytes)", rec.off, path, rec.data, rec.data+rec.length, w.volume)
	}
	if p.pending == nil {
		p.pending = &Member{Name: path, Record: rec.off, Zisofs: rr && info.zisofs}
		p.pendingRaw = string(rec.name)
	}
	if rec.length > 0 {
		p.pending.Extents = append(p.pending.Extents, Extent{Offset: rec.data, Length: rec.length})
		p.pending.Size += rec.length
	}
	if rec.flags&flagMulti == 0 {
		p.t.members = append(p.t.members, *p.pending)
		p.pending = nil
	}
	return nil, nil
}

// foldName is the key under which a tree's reader tells names apart:
// Rock Ridge names as they are (Linux); ISO 9660 and Joliet names as
// Windows does, whatever their case and trailing dots or spaces.
func foldName(name, treeName string) string {
	if treeName == TreeRockRidge {
		return name
	}
	return strings.ToUpper(strings.TrimRight(versionless(name), ". "))
}

func quoteDir(prefix string) string {
	if prefix == "" {
		return "/"
	}
	return fmt.Sprintf("%q", strings.TrimSuffix(prefix, "/"))
}

// dirLength reads the "." record of the directory at loc for its length: a
// Rock Ridge CL entry gives only the location.
func (w *walker) dirLength(loc int64, path string) (int64, error) {
	b, err := w.readAt(loc, sectorSize, "relocated directory "+fmt.Sprintf("%q", path))
	if err != nil {
		return 0, err
	}
	rec, _, err := parseRecord(b, 0, loc, w.bs)
	if err != nil {
		return 0, err
	}
	if rec == nil || len(rec.name) != 1 || rec.name[0] != 0 {
		return 0, fmt.Errorf("relocated directory %q at byte offset %d does not start with its \".\" record", path, loc)
	}
	return rec.length, nil
}

// name returns the record's name as the reader of the tree shows it.
func (w *walker) name(rec *record, info *rrInfo, treeName string) (string, error) {
	var n string
	switch {
	case treeName == TreeRockRidge && info.hasName:
		n = info.name.String()
	case treeName == TreeJoliet:
		n = stripVersion(decodeUCS2(rec.name))
	default:
		n = stripVersion(string(rec.name))
		if rec.flags&flagDirectory == 0 {
			// "README.;1": a file without extension keeps its separator.
			n = strings.TrimSuffix(n, ".")
		}
	}
	if n == "" || n == "." || n == ".." || strings.ContainsAny(n, "/\x00") {
		return "", fmt.Errorf("directory record at byte offset %d: unusable name %q", rec.off, n)
	}
	if !utf8.ValidString(n) {
		return "", fmt.Errorf("directory record at byte offset %d: name %q is not valid UTF-8", rec.off, n)
	}
	return n, nil
}

// stripVersion drops the ISO 9660 file version ";1", as Linux, libarchive
// and xorriso do; another version stays part of the name they show.
func stripVersion(n string) string { return strings.TrimSuffix(n, ";1") }

// versionless drops any ISO 9660 file version: the name a reader that
// hides versions (Windows) shows.
func versionless(n string) string {
	if i := strings.LastIndexByte(n, ';'); i >= 0 {
		v := n[i+1:]
		if strings.Trim(v, "0123456789") == "" {
			return n[:i]
		}
	}
	return n
}

// decodeUCS2 decodes a Joliet name: big-endian UCS-2 (UTF-16 pairs are
// accepted as well); an odd trailing byte is dropped.
func decodeUCS2(b []byte) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		u[i] = binary.BigEndian.Uint16(b[2*i:])
	}
	return string(utf16.Decode(u))
}

// parseSUSP reads the System Use Sharing Protocol entries of area, found at
// byte offset off, into info, following continuation areas (CE).
func (w *walker) parseSUSP(area []byte, off int64, info *rrInfo, hops int) error {
	skip := w.suspSkip
	if hops > 0 {
		skip = 0 // LEN_SKP applies to the record's own area only
	}
	if skip > len(area) {
		return nil
	}
	var ceOff, ceLen int64
	ce := false
	for i := skip; i+4 <= len(area); {
		sig := string(area[i : i+2])
		l := int(area[i+2])
		if l == 0 && area[i] == 0 {
			break // padding
		}
		if l < 4 || i+l > len(area) {
			return fmt.Errorf("system use entry %q at byte offset %d: length %d does not fit its area", sig, off+int64(i), l)
		}
		if !capital(sig[0]) || !capital(sig[1]) {
			// libarchive stops at such an entry, Linux skips it and
			// reads on: they would show other names.
			return fmt.Errorf("system use entry %q at byte offset %d: not a signature of two capital letters", sig, off+int64(i))
		}
		if area[i+3] != 1 {
			// libarchive and xorriso skip an entry of another version,
			// Linux reads it.
			return fmt.Errorf("system use entry %q at byte offset %d: version %d, not 1", sig, off+int64(i), area[i+3])
		}
		d := area[i+4 : i+l]
		at := off + int64(i)
		i += l
		switch sig {
		case "ST":
			i = len(area)
		case "CE":
			if len(d) != 24 || !bothOrders(d) {
				return fmt.Errorf("system use entry CE at byte offset %d: not 24 bytes of numbers alike in both byte orders", at)
			}
			ceOff = int64(binary.LittleEndian.Uint32(d[0:]))*w.bs + int64(binary.LittleEndian.Uint32(d[8:]))
			ceLen = int64(binary.LittleEndian.Uint32(d[16:]))
			ce = true
		case "NM":
			if len(d) < 1 {
				return fmt.Errorf("system use entry NM at byte offset %d: too short", at)
			}
			info.rrip = true
			if f := d[0]; f != 0 && f != 1 && f != 2 && f != 4 {
				// libarchive ignores an NM of other flags, Linux reads
				// it: they would show other names.
				return fmt.Errorf("system use entry NM at byte offset %d: flags %#x, not 0, 1, 2 or 4", at, f)
			}
			if d[0]&0x06 != 0 {
				info.nmDot = true // the current or parent directory
				continue
			}
			info.name.Write(d[1:])
			info.hasName = true
		case "PX":
			info.rrip = true
			if len(d) >= 8 {
				if !bothOrders(d[:8]) {
					return fmt.Errorf("system use entry PX at byte offset %d: its mode differs between its two byte orders", at)
				}
				info.mode = binary.LittleEndian.Uint32(d[0:])
				info.hasMode = true
			}
		case "SL":
			info.rrip = true
			info.symlink = true
			if len(d) < 1 {
				return fmt.Errorf("system use entry SL at byte offset %d: too short", at)
			}
			if err := info.addSymlink(d[1:], at); err != nil {
				return err
			}
		case "RE":
			info.rrip = true
			info.relocated = true
		case "CL":
			info.rrip = true
			if len(d) != 8 || !bothOrders(d) {
				return fmt.Errorf("system use entry CL at byte offset %d: not 8 bytes of a location alike in both byte orders", at)
			}
			info.child = int64(binary.LittleEndian.Uint32(d[0:]))
			info.hasChild = true
		case "ZF":
			info.zisofs = true
		case "RR", "TF", "PN":
			info.rrip = true
		case "ER":
			// ER: LEN_ID, LEN_DES, LEN_SRC, EXT_VER, then the identifier.
			if len(d) >= 4 && 4+int(d[0]) <= len(d) {
				switch string(d[4 : 4+int(d[0])]) {
				case "RRIP_1991A", "IEEE_P1282", "IEEE_1282":
					info.rrip = true
				}
			}
		}
	}
	if !ce {
		return nil
	}
	if hops >= maxCEHops {
		return fmt.Errorf("system use continuation at byte offset %d: more than %d continuation areas", ceOff, maxCEHops)
	}
	if ceLen > maxCELength {
		return fmt.Errorf("system use continuation at byte offset %d: implausible length %d", ceOff, ceLen)
	}
	if w.budget -= ceLen; w.budget < 0 {
		return fmt.Errorf("system use continuation at byte offset %d: the directories add up to more than the image: the tree is corrupt", ceOff)
	}
	b, err := w.readAt(ceOff, ceLen, "system use continuation area")
	if err != nil {
		return err
	}
	return w.parseSUSP(b, ceOff, info, hops+1)
}

func capital(c byte) bool { return c >= 'A' && c <= 'Z' }

// bothOrders reports whether d holds 32-bit numbers each recorded in
// both byte orders, alike: readers take one or the other.
func bothOrders(d []byte) bool {
	for i := 0; i+8 <= len(d); i += 8 {
		if binary.LittleEndian.Uint32(d[i:]) != binary.BigEndian.Uint32(d[i+4:]) {
			return false
		}
	}
	return true
}

// addSymlink appends the component records of one SL entry to the target.
func (info *rrInfo) addSymlink(c []byte, at int64) error {
	for len(c) > 0 {
		if len(c) < 2 || 2+int(c[1]) > len(c) {
			return fmt.Errorf("system use entry SL at byte offset %d: component runs past the entry", at)
		}
		flags, content := c[0], c[2:2+int(c[1])]
		c = c[2+int(c[1]):]
		if info.slAny && !info.slCont {
			if t := info.target.String(); t != "/" {
				info.target.WriteByte('/')
			}
		}
		switch {
		case flags&0x02 != 0:
			info.target.WriteString(".")
		case flags&0x04 != 0:
			info.target.WriteString("..")
		case flags&0x08 != 0:
			info.target.WriteString("/")
		default:
			info.target.Write(content)
		}
		info.slAny = true
		info.slCont = flags&0x01 != 0
	}
	return nil
}
