package iso

import (
	"bytes"
	"encoding/binary"
	"slices"
	"sort"
)

// Structures lists where the structures readers depend on lie in an image
// (for the differential test, which mutates them): the volume
// descriptors, path tables, boot catalog and directory extents (each a
// Span), and every directory record of every tree read (Records, byte
// offsets).
type Structures struct {
	Spans   []Span
	Records []int
}

// Span is a run of bytes of one kind: "descriptor", "path-table",
// "boot-catalog" or "directory".
type Span struct {
	Kind     string
	Off, Len int
}

// FindStructures reads the image in b as Open does and lists its
// structures; nil when it does not open.
func FindStructures(b []byte) *Structures {
	im, err := read(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil
	}
	s := &Structures{}
	add := func(kind string, off, n int64) {
		if off >= 0 && n > 0 && off+n <= int64(len(b)) {
			s.Spans = append(s.Spans, Span{Kind: kind, Off: int(off), Len: int(n)})
		}
	}
	for off := int64(systemArea); off+sectorSize <= int64(len(b)); off += sectorSize {
		vd := b[off : off+sectorSize]
		if string(vd[1:6]) != "CD001" {
			break
		}
		add("descriptor", off, sectorSize)
		switch vd[0] {
		case 0:
			if bytes.HasPrefix(vd[7:], []byte("EL TORITO SPECIFICATION")) {
				add("boot-catalog", int64(binary.LittleEndian.Uint32(vd[0x47:]))*im.BlockSize, sectorSize)
			}
		case 1, 2:
			size := int64(binary.LittleEndian.Uint32(vd[132:]))
			add("path-table", int64(binary.LittleEndian.Uint32(vd[140:]))*im.BlockSize, size)
			add("path-table", int64(binary.BigEndian.Uint32(vd[148:]))*im.BlockSize, size)
		}
		if vd[0] == 255 {
			break
		}
	}
	seen := map[int64]bool{}
	for _, t := range im.trees {
		for loc, n := range t.seen {
			if seen[loc] {
				continue
			}
			seen[loc] = true
			add("directory", loc, n)
			for pos := 0; pos < int(n); {
				rec, next, err := parseRecord(b[loc:loc+n], pos, loc, im.BlockSize)
				if err != nil {
					break
				}
				if rec != nil {
					s.Records = append(s.Records, int(rec.off))
				}
				pos = next
			}
		}
	}
	// Sorted: a seeded mutation must pick the same structure every run.
	sort.Slice(s.Spans, func(i, j int) bool {
		if s.Spans[i].Off != s.Spans[j].Off {
			return s.Spans[i].Off < s.Spans[j].Off
		}
		return s.Spans[i].Kind < s.Spans[j].Kind
	})
	sort.Ints(s.Records)
	s.Records = slices.Compact(s.Records)
	return s
}
