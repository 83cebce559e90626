package verify

import (
	"bytes"
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/iso"
)

// master makes an image of root with tool and its arguments.
func master(t *testing.T, root string, tool string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(tool); err != nil {
		t.Skipf("%s not installed", tool)
	}
	img := filepath.Join(t.TempDir(), "kit.iso")
	if tool == "xorriso" {
		args = append([]string{"-report_about", "FAILURE", "-as", "mkisofs"}, args...)
	} else {
		args = append([]string{"-quiet"}, args...)
	}
	if out, err := exec.Command(tool, append(args, "-o", img, root)...).CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", tool, err, out)
	}
	return img
}

// mediaFormular makes the [media] table of img and, when withImage, its
// [image] table.
func mediaFormular(t *testing.T, img string, withImage bool) *formular.Formular {
	t.Helper()
	if withImage {
		return imageFormular(t, img, formular.KindImage, formular.KindMedia)
	}
	return imageFormular(t, img, formular.KindMedia)
}

// jolietRecord is the byte offset of the Joliet directory record named
// name (without version), found by its UCS-2 identifier.
func jolietRecord(t *testing.T, b []byte, name string) int {
	t.Helper()
	var id []byte
	for _, u := range utf16.Encode([]rune(name)) {
		id = append(id, byte(u>>8), byte(u))
	}
	i := bytes.Index(b, append([]byte{byte(len(id))}, id...))
	if i < 32 || bytes.Contains(b[i+1:], append([]byte{byte(len(id))}, id...)) {
		t.Fatalf("Joliet record %q not found once", name)
	}
	return i - 32
}

// TestTreeConflictIsAFailure: a Joliet record pointing at another
// member's content leaves the Rock Ridge tree as listed, and the
// verdict fails on that name, naming both records.
func TestTreeConflictIsAFailure(t *testing.T) {
	root := kit(t, map[string]string{"setup.exe": "the installer", "uninstall.exe": "the uninstaller", "readme.txt": "read me"})
	img := master(t, root, "xorriso", "-R", "-J", "-joliet-long")
	f := mediaFormular(t, img, false)
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	res, err := Check(context.Background(), f, Sources{Media: img, At: at})
	if err != nil || res.Verdict != Holds {
		t.Fatalf("genuine image: %v %+v", err, res)
	}

	b, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	setup, other := jolietRecord(t, b, "setup.exe"), jolietRecord(t, b, "uninstall.exe")
	copy(b[setup+2:setup+18], b[other+2:other+18])
	if err := os.WriteFile(img, b, 0o644); err != nil {
		t.Fatal(err)
	}
	res, err = Check(context.Background(), f, Sources{Media: img, At: at})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != NotHolds {
		t.Fatalf("verdict %s", res.Verdict)
	}
	var found *Item
	for _, it := range all(&res.Tables[0]) {
		if it.Name == "setup.exe" {
			found = &it
		} else if it.Status != OK {
			t.Errorf("%s: %s %s", it.Name, it.Status, it.Detail)
		}
	}
	if found == nil || found.Status != Modified || !found.Failure || found.DetailCode != DetailTreeOtherContent ||
		found.DetailArgs["tree"] != TreeJoliet || found.DetailArgs["members_tree"] != TreeRockRidge ||
		found.DetailArgs["record"] != strconv.Itoa(setup) {
		t.Fatalf("setup.exe: %+v", found)
	}
}

// TestTreeConflictItems: each kind of conflict lands on the item of its
// name, or on an item of its own, always a failure.
func TestTreeConflictItems(t *testing.T) {
	tab := &formular.Table{Kind: formular.KindMedia, Closed: false, Entries: []formular.Entry{{Path: "a"}, {Path: "b"}, {Path: "c"}}}
	m := newMatcher(tab, false)
	items := []Item{{Name: "a", Status: OK}, {Name: "b", Status: Missing}, {Name: "c", Status: Unreadable, DetailCode: DetailError}, {Name: "x", Status: Extra}}
	cs := []iso.Conflict{
		{Kind: iso.ConflictDuplicate, Tree: TreeRockRidge, Name: "a", Records: []int64{100, 200}},
		{Kind: iso.ConflictOnlyIn, Tree: TreeJoliet, Name: "b", Records: []int64{300}},
		{Kind: iso.ConflictOtherContent, Tree: TreeJoliet, Name: "c", Records: []int64{400, 500}},
		{Kind: iso.ConflictMissingFrom, Tree: TreeJoliet, Name: "x", Records: []int64{600}},
		{Kind: iso.ConflictOnlyIn, Tree: TreeISO9660, Name: "y", Records: []int64{700}},
	}
	got := treeConflicts(items, m, cs, TreeRockRidge)
	want := []struct {
		name   string
		status Status
		code   Code
	}{
		{"a", Modified, DetailDuplicateRecord},
		{"b", Missing, DetailTreeOnly},
		{"c", Unreadable, DetailError},
		{"x", Extra, DetailTreeMissing},
		{"c", Modified, DetailTreeOtherContent},
		{"y", Extra, DetailTreeOnly},
	}
	if len(got) != len(want) {
		t.Fatalf("%d items: %+v", len(got), got)
	}
	for i, w := range want {
		it := got[i]
		if it.Name != w.name || it.Status != w.status || it.DetailCode != w.code || (w.code != DetailError && !it.Failure) {
			t.Errorf("item %d: %s %s %s failure %v, want %+v", i, it.Name, it.Status, it.DetailCode, it.Failure, w)
		}
	}
	if !slices.ContainsFunc(got, func(it Item) bool { return it.DetailArgs["records"] == "100, 200" }) {
		t.Error("the duplicate's records are not named")
	}
}

// TestUDFNotCovered: a UDF bridge image holds; its UDF tree is named as
// not covered unless the [image] row found the image as certified.
func TestUDFNotCovered(t *testing.T) {
	root := kit(t, map[string]string{"setup.exe": "the installer", "docs/readme.txt": "read me"})
	img := master(t, root, "genisoimage", "-R", "-J", "-udf")
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, withImage := range []bool{false, true} {
		res, err := Check(context.Background(), mediaFormular(t, img, withImage), Sources{Media: img, At: at})
		if err != nil {
			t.Fatal(err)
		}
		uncovered := slices.ContainsFunc(res.Scope.Uncovered, func(m Message) bool {
			return m.Code == CodeUDFNotChecked && m.Text == "UDF tree not checked"
		})
		if res.Verdict != Holds || uncovered == withImage {
			t.Errorf("with [image] %v: verdict %s, uncovered %+v", withImage, res.Verdict, res.Scope.Uncovered)
		}
	}
}

// TestJudgeImage: the [image] row is found by name, else by content; the
// right content under another name is RENAMED with a detail that says
// only the name differs and what the formular calls the image.
func TestJudgeImage(t *testing.T) {
	alg, err := checksum.Lookup("sha256")
	if err != nil {
		t.Fatal(err)
	}
	sum := func(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }
	table := func(names ...string) *formular.Table {
		tb := &formular.Table{Kind: formular.KindImage, Columns: checksum.GOSTReverseColumns([]*checksum.Algorithm{alg}, false)}
		for i, n := range names {
			tb.Entries = append(tb.Entries, formular.Entry{Line: int32(i + 2), Path: n, Size: int64(10 * (i + 1)), Sums: sum(byte(i + 1))})
		}
		return tb
	}
	tests := []struct {
		name   string
		table  *formular.Table
		image  string
		device bool
		size   int64
		sum    byte
		status Status
		item   string
		code   Code
		args   map[string]string
	}{
		{"as certified", table("kit.iso"), "kit.iso", false, 10, 1, OK, "kit.iso", "", nil},
		{"a copy under another name", table("kit.iso"), "copy.iso", false, 10, 1, Renamed, "kit.iso", DetailImageNameOnly, map[string]string{"name": "copy.iso", "expected": "kit.iso"}},
		{"the second row's image renamed", table("kit.iso", "dvd2.iso"), "copy.iso", false, 20, 2, Renamed, "dvd2.iso", DetailImageNameOnly, map[string]string{"name": "copy.iso", "expected": "dvd2.iso"}},
		{"a device has no name", table("kit.iso"), "sr0", true, 10, 1, OK, "kit.iso", DetailReadFromDevice, nil},
		{"other name, other content", table("kit.iso"), "other.iso", false, 10, 9, Modified, "kit.iso", DetailImageNameDiffers, map[string]string{"name": "other.iso", "expected": "kit.iso"}},
		{"no row matches", table("kit.iso", "dvd2.iso"), "other.iso", false, 10, 9, Extra, "other.iso", DetailImageUnmatched, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items := judgeImage(tt.table, tt.image, tt.device, checksum.Result{Size: tt.size, Sums: [][]byte{sum(tt.sum)}})
			if len(items) != 1 {
				t.Fatalf("%d items", len(items))
			}
			it := items[0]
			if it.Status != tt.status || it.Name != tt.item || it.DetailCode != tt.code || it.Failure != (tt.status != OK) {
				t.Errorf("got %s %s %q failure %v, want %s %s %q", it.Status, it.Name, it.DetailCode, it.Failure, tt.status, tt.item, tt.code)
			}
			if tt.args != nil && !maps.Equal(it.DetailArgs, tt.args) {
				t.Errorf("args %v, want %v", it.DetailArgs, tt.args)
			}
		})
	}
}
