package iso

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/sverka/sverka/internal/testkit"
)

// mkimage masters an image of files (path → content) with xorriso's
// mkisofs emulation, or genisoimage when the first argument is
// "genisoimage", and returns its bytes.
func mkimage(t *testing.T, files map[string]string, args ...string) []byte {
	t.Helper()
	tool := "xorriso"
	if len(args) > 0 && args[0] == "genisoimage" {
		tool, args = "genisoimage", args[1:]
	}
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s not installed", tool)
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	testkit.WriteTree(t, src, files)
	img := filepath.Join(dir, "x.iso")
	var cmd *exec.Cmd
	if tool == "xorriso" {
		cmd = exec.Command("xorriso", append(append([]string{"-report_about", "FAILURE", "-as", "mkisofs"}, args...), "-o", img, src)...)
	} else {
		cmd = exec.Command("genisoimage", append(append([]string{"-quiet"}, args...), "-o", img, src)...)
	}
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH=1700000000")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	b, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readBytes(t *testing.T, b []byte) (*Image, error) {
	t.Helper()
	return read(bytes.NewReader(b), int64(len(b)))
}

// treeOf returns the tree of that name as read from b.
func treeOf(t *testing.T, b []byte, name string) *tree {
	t.Helper()
	im, err := readBytes(t, b)
	if err != nil {
		t.Fatal(err)
	}
	for _, tr := range im.trees {
		if tr.name == name {
			return tr
		}
	}
	t.Fatalf("no %s tree", name)
	return nil
}

// recordOf is the byte offset of the (first) record of path in a tree.
func recordOf(t *testing.T, b []byte, treeName, path string) int {
	t.Helper()
	tr := treeOf(t, b, treeName)
	for _, m := range tr.members {
		if m.Name == path {
			return int(m.Record)
		}
	}
	for off, p := range tr.other {
		if p == path {
			return int(off)
		}
	}
	t.Fatalf("no %s in the %s tree", path, treeName)
	return 0
}

// setName overwrites a record's identifier with one of the same length.
func setName(t *testing.T, b []byte, rec int, name []byte) {
	t.Helper()
	if int(b[rec+32]) != len(name) {
		t.Fatalf("record at %d: name of %d bytes, %q has %d", rec, b[rec+32], name, len(name))
	}
	copy(b[rec+33:], name)
}

func ucs2(s string) []byte {
	var out []byte
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return out
}

// setNM rewrites the Rock Ridge NM name of a record, same length.
func setNM(t *testing.T, b []byte, rec int, name string) {
	t.Helper()
	r := b[rec : rec+int(b[rec])]
	i := bytes.Index(r, []byte("NM"))
	if i < 0 || int(r[i+2]) != 5+len(name) {
		t.Fatalf("record at %d: no NM entry of %d name bytes", rec, len(name))
	}
	copy(r[i+5:], name)
}

// copyExtent makes record dst point at the extent and length of src.
func copyExtent(b []byte, dst, src int) { copy(b[dst+2:dst+18], b[src+2:src+18]) }

func kinds(cs []Conflict) []string {
	var out []string
	for _, c := range cs {
		out = append(out, string(c.Kind)+" "+c.Tree+" "+c.Name)
	}
	return out
}

var smallKit = map[string]string{"a.txt": "alpha", "b.txt": "bravo", "c.txt": "charlie", "bbb.txt": "bbb", "sub/d.txt": "delta"}

// TestTreesAgreeOnMasteredImages: what mastering tools write, deep
// directories relocated or not, holds no conflict.
func TestTreesAgreeOnMasteredImages(t *testing.T) {
	deep := map[string]string{"a/b/c/d/e/f/g/h/i/j/deep.txt": "deep", "top.txt": "top", "Setup.EXE": "x",
		"a/b/c/d/e/f/g/h/i/other.txt": "other", "link-target.txt": "t"}
	tests := []struct {
		name  string
		args  []string
		names string
		moved bool // deep directories relocated (Rock Ridge CL/RE)
	}{
		{"xorriso deep, not relocated", []string{"-R", "-J", "-joliet-long"}, TreeRockRidge, false},
		{"xorriso relocated", []string{"-R", "-J", "-joliet-long", "-rr_reloc_dir", "RR_MOVED"}, TreeRockRidge, true},
		{"genisoimage relocated", []string{"genisoimage", "-R", "-J", "-joliet-long"}, TreeRockRidge, true},
		{"genisoimage hidden file", []string{"genisoimage", "-R", "-J", "-hidden", "top.txt"}, TreeRockRidge, true},
		{"genisoimage UDF bridge", []string{"genisoimage", "-R", "-J", "-udf"}, TreeRockRidge, true},
		{"xorriso Joliet only", []string{"--norock", "-J", "-joliet-long"}, TreeJoliet, false},
		{"xorriso plain", []string{"--norock"}, TreeISO9660, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mkimage(t, deep, tt.args...)
			im, err := readBytes(t, b)
			if err != nil {
				t.Fatal(err)
			}
			if len(im.Conflicts) > 0 || im.Names != tt.names {
				t.Fatalf("names %s, conflicts %v", im.Names, im.Conflicts)
			}
			if strings.Contains(tt.name, "UDF") != im.UDF {
				t.Errorf("UDF %v", im.UDF)
			}
			if tt.names != TreeISO9660 && !slices.ContainsFunc(im.Members, func(m Member) bool { return m.Name == "a/b/c/d/e/f/g/h/i/j/deep.txt" }) {
				t.Errorf("members %v", im.Members)
			}
			moved := bytes.Contains(b, []byte("RR_MOVED")) || bytes.Contains(b, []byte("rr_moved"))
			if moved != tt.moved {
				t.Errorf("relocated: %v", moved)
			}
		})
	}
}

// TestTreeConflicts plants each disagreement a hostile image can carry
// and finds it named, with the records concerned.
func TestTreeConflicts(t *testing.T) {
	rrj := []string{"-R", "-J", "-joliet-long"}
	tests := []struct {
		name string
		args []string
		edit func(t *testing.T, b []byte)
		want Conflict // the conflict expected among those found (Records checked when set)
	}{
		{"Joliet record pointing at other content", rrj, func(t *testing.T, b []byte) {
			copyExtent(b, recordOf(t, b, TreeJoliet, "b.txt"), recordOf(t, b, TreeJoliet, "a.txt"))
		}, Conflict{Kind: ConflictOtherContent, Tree: TreeJoliet, Name: "b.txt"}},
		{"Joliet root pointing into the primary tree", rrj, func(t *testing.T, b []byte) {
			pvd, jvd := systemArea, systemArea
			for i := systemArea; b[i] != 255; i += sectorSize {
				switch {
				case b[i] == 1:
					pvd = i
				case b[i] == 2:
					jvd = i
				}
			}
			copy(b[jvd+156:jvd+156+34], b[pvd+156:pvd+156+34])
			// The Joliet path tables' root entries too, so that only the
			// records disagree (the kit has no subdirectory).
			root := b[pvd+156+2 : pvd+156+6]
			copy(b[int(binary.LittleEndian.Uint32(b[jvd+140:]))*sectorSize+2:], root)
			m := int(binary.BigEndian.Uint32(b[jvd+148:]))*sectorSize + 2
			binary.BigEndian.PutUint32(b[m:], binary.LittleEndian.Uint32(root))
		}, Conflict{Kind: ConflictMissingFrom, Tree: TreeJoliet, Name: "a.txt"}},
		{"two Rock Ridge records of one name", rrj, func(t *testing.T, b []byte) {
			setNM(t, b, recordOf(t, b, TreeRockRidge, "b.txt"), "a.txt")
		}, Conflict{Kind: ConflictDuplicate, Tree: TreeRockRidge, Name: "a.txt"}},
		{"two ISO 9660 records of one name", rrj, func(t *testing.T, b []byte) {
			setName(t, b, recordOf(t, b, TreeISO9660, "B.TXT"), []byte("A.TXT;1"))
		}, Conflict{Kind: ConflictDuplicate, Tree: TreeISO9660, Name: "b.txt", Other: "A.TXT"}},
		{"versions ;1 and ;2 of one name", []string{"--norock", "-J"}, func(t *testing.T, b []byte) {
			setName(t, b, recordOf(t, b, TreeISO9660, "B.TXT"), []byte("A.TXT;2"))
		}, Conflict{Kind: ConflictDuplicate, Tree: TreeISO9660, Name: "A.TXT;2"}},
		{"Joliet names differing only in case", rrj, func(t *testing.T, b []byte) {
			setName(t, b, recordOf(t, b, TreeJoliet, "b.txt"), ucs2("A.txt"))
		}, Conflict{Kind: ConflictDuplicate, Tree: TreeJoliet, Name: "A.txt"}},
		{"a Joliet name that strips to another", rrj, func(t *testing.T, b []byte) {
			setName(t, b, recordOf(t, b, TreeJoliet, "bbb.txt"), ucs2("a.txt. "))
		}, Conflict{Kind: ConflictDuplicate, Tree: TreeJoliet, Name: "a.txt. "}},
		{"a Joliet-only name", rrj, func(t *testing.T, b []byte) {
			setName(t, b, recordOf(t, b, TreeJoliet, "b.txt"), ucs2("e.txt"))
		}, Conflict{Kind: ConflictOnlyIn, Tree: TreeJoliet, Name: "e.txt"}},
		{"a symbolic link whose record holds content", rrj, func(t *testing.T, b []byte) {
			copyExtent(b, recordOf(t, b, TreeRockRidge, "link"), recordOf(t, b, TreeRockRidge, "a.txt"))
		}, Conflict{Kind: ConflictOnlyIn, Tree: TreeISO9660, Name: "link", Other: "LINK"}},
		{"an associated file", rrj, func(t *testing.T, b []byte) {
			b[recordOf(t, b, TreeRockRidge, "c.txt")+25] |= flagAssociated
		}, Conflict{Kind: ConflictOnlyIn, Tree: TreeISO9660, Name: "C.TXT"}},
		{"plain names against Joliet: other content", []string{"--norock", "-J"}, func(t *testing.T, b []byte) {
			copyExtent(b, recordOf(t, b, TreeISO9660, "C.TXT"), recordOf(t, b, TreeISO9660, "B.TXT")+0)
			r := recordOf(t, b, TreeISO9660, "C.TXT")
			b[r+10]-- // a length no member has, in both byte orders
			b[r+17]--
		}, Conflict{Kind: ConflictOnlyIn, Tree: TreeISO9660, Name: "C.TXT"}},
		{"Joliet hides a member", rrj, func(t *testing.T, b []byte) {
			setName(t, b, recordOf(t, b, TreeJoliet, "c.txt"), ucs2("z.txt"))
		}, Conflict{Kind: ConflictMissingFrom, Tree: TreeJoliet, Name: "c.txt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kit := smallKit
			if strings.HasPrefix(tt.name, "Joliet root") {
				kit = map[string]string{"a.txt": "alpha", "b.txt": "bravo"}
			}
			if tt.name == "a symbolic link whose record holds content" {
				kit = nil // made below, with a link
				b := mkimageLink(t, tt.args)
				tt.edit(t, b)
				check(t, b, tt.want)
				return
			}
			b := mkimage(t, kit, tt.args...)
			tt.edit(t, b)
			check(t, b, tt.want)
		})
	}
}

func check(t *testing.T, b []byte, want Conflict) {
	t.Helper()
	im, err := readBytes(t, b)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range im.Conflicts {
		if c.Kind == want.Kind && c.Tree == want.Tree && c.Name == want.Name && c.Other == want.Other {
			if len(c.Records) == 0 || c.Kind == ConflictDuplicate && len(c.Records) != 2 || c.Kind == ConflictOtherContent && c.Records[0] == c.Records[1] {
				t.Errorf("records %v", c.Records)
			}
			if c.String() == "" {
				t.Error("no text")
			}
			return
		}
	}
	t.Fatalf("no %+v among %q", want, kinds(im.Conflicts))
}

func mkimageLink(t *testing.T, args []string) []byte {
	t.Helper()
	if _, err := exec.LookPath("xorriso"); err != nil {
		t.Skip("xorriso not installed")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	for n, c := range smallKit {
		if !strings.Contains(n, "/") {
			os.WriteFile(filepath.Join(src, n), []byte(c), 0o644)
		}
	}
	if err := os.Symlink("a.txt", filepath.Join(src, "link")); err != nil {
		t.Skip(err)
	}
	img := filepath.Join(dir, "x.iso")
	if out, err := exec.Command("xorriso", append(append([]string{"-report_about", "FAILURE", "-as", "mkisofs"}, args...), "-o", img, src)...).CombinedOutput(); err != nil {
		t.Fatalf("xorriso: %v\n%s", err, out)
	}
	b, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMultiExtentSplit: a file of two extents whose first record loses
// its multi-extent flag becomes two members of one name: a duplicate.
func TestMultiExtentSplit(t *testing.T) {
	b := mkimage(t, map[string]string{"a.txt": strings.Repeat("A", 3000), "b.txt": strings.Repeat("B", 3000)}, "--norock")
	a, bb := recordOf(t, b, TreeISO9660, "A.TXT"), recordOf(t, b, TreeISO9660, "B.TXT")
	if bb < a {
		a, bb = bb, a
	}
	// One file of two extents: the first record flagged, both named alike.
	setName(t, b, bb, b[a+33:a+33+int(b[a+32])])
	b[a+25] |= flagMulti
	im, err := readBytes(t, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Members) != 1 || len(im.Members[0].Extents) != 2 || im.Members[0].Size != 6000 || len(im.Conflicts) > 0 {
		t.Fatalf("members %+v, conflicts %v", im.Members, im.Conflicts)
	}
	b[a+25] &^= flagMulti
	im, err = readBytes(t, b)
	if err != nil {
		t.Fatal(err)
	}
	if len(im.Conflicts) != 1 || im.Conflicts[0].Kind != ConflictDuplicate || !slices.Equal(im.Conflicts[0].Records, []int64{int64(a), int64(bb)}) {
		t.Fatalf("conflicts %+v", im.Conflicts)
	}
}

// TestUDFDetected: an anchor at sector 256, checksum right, says a UDF
// tree is there.
func TestUDFDetected(t *testing.T) {
	b := mkimage(t, smallKit, "-R", "-J")
	im, err := readBytes(t, b)
	if err != nil || im.UDF {
		t.Fatalf("plain image: UDF %v, %v", im != nil && im.UDF, err)
	}
	// The recognition sequence is found on a UDF bridge image made by
	// genisoimage -udf (TestTreesAgreeOnMasteredImages); here an anchor
	// at sector 256 alone.
	if len(b) > 256*sectorSize {
		t.Skip("the image reaches sector 256")
	}
	anchor := slices.Clone(b)
	for len(anchor) < 300*sectorSize {
		anchor = append(anchor, make([]byte, sectorSize)...)
	}
	tag := anchor[256*sectorSize:]
	binary.LittleEndian.PutUint16(tag[0:], 2)
	binary.LittleEndian.PutUint32(tag[12:], 256)
	var sum byte
	for i := range 16 {
		if i != 4 {
			sum += tag[i]
		}
	}
	tag[4] = sum
	if im, err := readBytes(t, anchor); err != nil || !im.UDF {
		t.Errorf("anchor: %v", err)
	}
	tag[4]++
	if im, err := readBytes(t, anchor); err != nil || im.UDF {
		t.Errorf("bad anchor checksum taken for UDF: %v", err)
	}
}

// TestSecondDescriptorRefused: readers differ on which of two primary or
// Joliet descriptors they take, so another root in a second one is an
// error, not a guess.
func TestSecondDescriptorRefused(t *testing.T) {
	b := mkimage(t, smallKit, "-R", "-J")
	term := systemArea
	for b[term] != 255 {
		term += sectorSize
	}
	var jvd int
	for i := systemArea; i < term; i += sectorSize {
		if b[i] == 2 {
			jvd = i
		}
	}
	// The terminator moves one sector on; a copy of the Joliet descriptor
	// pointing at the primary root takes its place.
	copy(b[term+sectorSize:term+2*sectorSize], b[term:term+sectorSize])
	copy(b[term:term+sectorSize], b[jvd:jvd+sectorSize])
	b[term+156+2]++ // another root location, in both byte orders
	b[term+156+9]++
	if _, err := readBytes(t, b); err == nil || !strings.Contains(err.Error(), "second Joliet") {
		t.Fatalf("error %v", err)
	}
}

// TestReaderDisagreementsRefused holds the cases the differential test
// found, where readers read the same bytes otherwise: each is refused
// (or, for a version other than ";1", kept in the name as readers show
// it).
func TestReaderDisagreementsRefused(t *testing.T) {
	pvdRoot := func(b []byte) int { return int(binary.LittleEndian.Uint32(b[systemArea+156+2:])) * sectorSize }
	tests := []struct {
		name string
		args []string
		edit func(t *testing.T, b []byte)
		err  string // "" : opens, with member want
		want string
	}{
		{"a \".\" record pointing at another extent", []string{"-R", "-J"}, func(t *testing.T, b []byte) {
			copyExtent(b, pvdRoot(b), recordOf(t, b, TreeRockRidge, "a.txt"))
		}, `the "." record of directory / points at byte offset`, ""},
		{"a directory without its \".\" record first", []string{"-R", "-J"}, func(t *testing.T, b []byte) {
			b[pvdRoot(b)+33] = 'X'
		}, `does not start with its "."`, ""},
		{"a \".\" record swallowing the \"..\" record", []string{"--norock", "-J"}, func(t *testing.T, b []byte) {
			// Found by the long differential pass: xorriso then skips the
			// record after "." as if it were "..".
			root := pvdRoot(b)
			b[root] += b[root+int(b[root])]
		}, `does not start with its "." and ".." records`, ""},
		{"a system use entry of no capital signature", []string{"-R", "-J"}, func(t *testing.T, b []byte) {
			r := recordOf(t, b, TreeRockRidge, "a.txt")
			i := bytes.Index(b[r:r+int(b[r])], []byte("TF"))
			if i < 0 {
				t.Fatal("no TF entry")
			}
			b[r+i] = 't'
		}, "not a signature of two capital letters", ""},
		{"a location in one byte order only", []string{"-R", "-J"}, func(t *testing.T, b []byte) {
			b[recordOf(t, b, TreeRockRidge, "a.txt")+9]++
		}, "differs between its two byte orders", ""},
		{"a terminator with a reserved byte set", []string{"-R", "-J"}, func(t *testing.T, b []byte) {
			term := systemArea
			for b[term] != 255 {
				term += sectorSize
			}
			b[term+190] = 0x7f
		}, "a terminator whose version is not 1 or whose reserved bytes are not zero", ""},
		{"a primary descriptor with a reserved byte set", []string{"-R", "-J"}, func(t *testing.T, b []byte) {
			b[systemArea+1635] = 0xb4
		}, "a reserved byte is not zero", ""},
		{"a primary descriptor as makefs writes it", []string{"-R", "-J"}, func(t *testing.T, b []byte) {
			b[systemArea+882] = 0x20
		}, "", "a.txt"},
		{"version 2 of a name", []string{"--norock"}, func(t *testing.T, b []byte) {
			setName(t, b, recordOf(t, b, TreeISO9660, "B.TXT"), []byte("B.TXT;2"))
		}, "", "B.TXT;2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mkimage(t, smallKit, tt.args...)
			tt.edit(t, b)
			im, err := readBytes(t, b)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(im.Conflicts) > 0 || !slices.ContainsFunc(im.Members, func(m Member) bool { return m.Name == tt.want }) {
				t.Fatalf("members %v, conflicts %v", im.Members, im.Conflicts)
			}
		})
	}
}

func TestFoldName(t *testing.T) {
	tests := []struct{ name, tree, want string }{
		{"Setup.exe", TreeRockRidge, "Setup.exe"},
		{"setup.exe", TreeJoliet, "SETUP.EXE"},
		{"setup.exe. ", TreeJoliet, "SETUP.EXE"},
		{"SETUP.EXE;2", TreeISO9660, "SETUP.EXE"},
		{"SETUP.EXE;12", TreeJoliet, "SETUP.EXE"},
		{"A;B", TreeISO9660, "A;B"},
	}
	for _, tt := range tests {
		if got := foldName(tt.name, tt.tree); got != tt.want {
			t.Errorf("foldName(%q, %s) = %q, want %q", tt.name, tt.tree, got, tt.want)
		}
	}
}

// TestSystemUseEntriesHeldToRRIP: entries readers would skip (another
// version, a CE or CL of another size or mixed byte orders) and a
// directory flagged multi-extent are refused: found by the long
// differential pass.
func TestSystemUseEntriesHeldToRRIP(t *testing.T) {
	tests := []struct {
		name string
		edit func(t *testing.T, b []byte)
		err  string
	}{
		{"an NM entry of version 193", func(t *testing.T, b []byte) {
			r := recordOf(t, b, TreeRockRidge, "a.txt")
			b[r+bytes.Index(b[r:r+int(b[r])], []byte("NM"))+3] = 0xc1
		}, "version 193, not 1"},
		{"an SP entry of version 85", func(t *testing.T, b []byte) {
			root := int(binary.LittleEndian.Uint32(b[systemArea+156+2:])) * sectorSize
			b[root+bytes.Index(b[root:root+int(b[root])], []byte("SP"))+3] = 0x55
		}, "version 85, not 1"},
		{"a directory whose Rock Ridge mode says a device", func(t *testing.T, b []byte) {
			// Found by the long differential pass: bsdtar and xorriso
			// then list no directory there.
			for _, off := range FindStructures(b).Records {
				if b[off+32] == 3 && string(b[off+33:off+36]) == "SUB" {
					px := off + bytes.Index(b[off:off+int(b[off])], []byte("PX")) + 4
					binary.LittleEndian.PutUint32(b[px:], 0o060755)
					binary.BigEndian.PutUint32(b[px+4:], 0o060755)
					return
				}
			}
			t.Fatal("no SUB record")
		}, "not by both"},
		{"an NM entry of reserved flags", func(t *testing.T, b []byte) {
			// Found by the long differential pass (seed 2): libarchive
			// ignores the name, sverka read it.
			r := recordOf(t, b, TreeRockRidge, "a.txt")
			b[r+bytes.Index(b[r:r+int(b[r])], []byte("NM"))+4] = 0x69
		}, "flags 0x69, not 0, 1, 2 or 4"},
		{"an NM entry naming a file the parent directory", func(t *testing.T, b []byte) {
			r := recordOf(t, b, TreeRockRidge, "a.txt")
			b[r+bytes.Index(b[r:r+int(b[r])], []byte("NM"))+4] = 4
		}, "NM entry for the current or parent directory"},
		{"a mode in one byte order only", func(t *testing.T, b []byte) {
			r := recordOf(t, b, TreeRockRidge, "a.txt")
			b[r+bytes.Index(b[r:r+int(b[r])], []byte("PX"))+5]++
		}, "its mode differs between its two byte orders"},
		{"a directory flagged multi-extent", func(t *testing.T, b []byte) {
			for _, off := range FindStructures(b).Records {
				if b[off+32] == 3 && string(b[off+33:off+36]) == "SUB" {
					b[off+25] |= flagMulti
					return
				}
			}
			t.Fatal("no SUB record")
		}, "flagged as a file of several extents"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mkimage(t, smallKit, "-R", "-J")
			tt.edit(t, b)
			if _, err := readBytes(t, b); err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %v, want %q", err, tt.err)
			}
		})
	}
}

// TestPathTables: a path table that puts a directory elsewhere, or names
// another, is refused: Windows finds directories through it.
func TestPathTables(t *testing.T) {
	tests := []struct {
		name, vd string
		edit     func(b []byte, table int)
		err      string
	}{
		{"primary, a directory elsewhere", "primary", func(b []byte, table int) { b[table+10+2]++ }, "puts directory \"SUB\" at byte offset"},
		{"primary, a directory renamed", "primary", func(b []byte, table int) { b[table+10+8] = 'X' }, "lacks directory \"SUB\" of the ISO 9660 tree"},
		{"Joliet, a directory elsewhere", "joliet", func(b []byte, table int) { b[table+10+2]++ }, "puts directory \"sub\" at byte offset"},
		{"primary, a parent out of range", "primary", func(b []byte, table int) { b[table+10+6] = 9 }, "parent 9 is not an earlier entry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mkimage(t, smallKit, "-R", "-J")
			vd := systemArea
			for want := map[string]byte{"primary": 1, "joliet": 2}[tt.vd]; b[vd] != want; vd += sectorSize {
			}
			// The type L table: the root entry (10 bytes), then SUB's.
			tt.edit(b, int(binary.LittleEndian.Uint32(b[vd+140:]))*sectorSize)
			if _, err := readBytes(t, b); err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("error %v, want %q", err, tt.err)
			}
		})
	}
}
