package verify

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/formulartest"
	"github.com/sverka/sverka/internal/testkit"
)

// kit writes files under a temporary root; the short name reads well in
// the many tests that start from a kit.
func kit(t *testing.T, files map[string]string) string {
	t.Helper()
	return testkit.Tree(t, files)
}

// tableOf makes a formular table describing the files as they are now.
func tableOf(t *testing.T, kind formular.Kind, root string, algs string) *formular.Table {
	t.Helper()
	return formulartest.Table(t, kind, root, algs)
}

// all is every item of t, OK rows' made from their rows.
func all(t *Table) []Item {
	var items []Item
	for _, it := range t.All() {
		items = append(items, it)
	}
	return items
}

func statuses(items []Item) map[string]Status {
	m := map[string]Status{}
	for _, it := range items {
		m[it.Name] = it.Status
	}
	return m
}

func TestCheckTreeStatuses(t *testing.T) {
	files := map[string]string{"a.txt": "alpha", "b.txt": "beta", "dir/c.txt": "gamma", "gone.txt": "delta", "moved.txt": "epsilon", "short.txt": "eta, at first"}
	root := kit(t, files)
	tab := tableOf(t, formular.KindMedia, root, "sha256,gost12-256")

	os.WriteFile(filepath.Join(root, "a.txt"), []byte("ALPHA"), 0o644)        // same size, other content
	os.WriteFile(filepath.Join(root, "b.txt"), []byte("beta, longer"), 0o644) // other size
	os.WriteFile(filepath.Join(root, "short.txt"), []byte("eta"), 0o644)      // shorter
	os.Remove(filepath.Join(root, "gone.txt"))
	os.Rename(filepath.Join(root, "moved.txt"), filepath.Join(root, "renamed.txt"))
	os.WriteFile(filepath.Join(root, "new.txt"), []byte("zeta"), 0o644)
	os.Remove(filepath.Join(root, "dir/c.txt"))
	os.Mkdir(filepath.Join(root, "dir/c.txt"), 0o755)

	out, err := CheckTree(context.Background(), tab, root, TreeOptions{Recursive: true})
	if err != nil {
		t.Fatal(err)
	}
	got := statuses(all(&out))
	want := map[string]Status{"a.txt": Modified, "b.txt": Modified, "short.txt": Modified, "dir/c.txt": Modified, "gone.txt": Missing, "moved.txt": Renamed, "new.txt": Extra}
	for name, s := range want {
		if got[name] != s {
			t.Errorf("%s: %s, want %s", name, got[name], s)
		}
	}
	if _, ok := got["renamed.txt"]; ok {
		t.Errorf("the renamed copy must not be reported again as EXTRA")
	}
	for _, it := range all(&out) {
		switch it.Name {
		case "a.txt":
			if strings.Join(it.Differs, ",") != "sha256,gost12-256" {
				t.Errorf("a.txt differs in %v", it.Differs)
			}
		case "b.txt":
			// The whole file, though the table expected only 4 bytes.
			sum := sha256.Sum256([]byte("beta, longer"))
			if it.Differs[0] != "size" || *it.ActualSize != 12 || it.Actual[0].Hex != hex.EncodeToString(sum[:]) {
				t.Errorf("b.txt: differs %v, size %v, actual %v", it.Differs, *it.ActualSize, it.Actual)
			}
		case "short.txt":
			sum := sha256.Sum256([]byte("eta"))
			if it.Differs[0] != "size" || *it.ActualSize != 3 || it.Actual[0].Hex != hex.EncodeToString(sum[:]) {
				t.Errorf("short.txt: differs %v, size %v, actual %v", it.Differs, *it.ActualSize, it.Actual)
			}
		case "dir/c.txt":
			if it.Differs[0] != "type" || it.Detail != "replaced by a directory" ||
				it.DetailCode != DetailReplacedBy || it.DetailArgs["type"] != TypeDirectory {
				t.Errorf("dir/c.txt: %v %q %s %v", it.Differs, it.Detail, it.DetailCode, it.DetailArgs)
			}
		case "moved.txt":
			if it.Other != "renamed.txt" || !it.Failure {
				t.Errorf("moved.txt: other %q, failure %v", it.Other, it.Failure)
			}
		case "new.txt":
			if !it.Failure {
				t.Errorf("EXTRA in a closed table must be a failure")
			}
		}
	}
	if out.Counts[OK] != 0 || out.Counts[Modified] != 4 {
		t.Errorf("counts %v", out.Counts)
	}
}

func TestCheckTreeOpenTableExtraIsWarning(t *testing.T) {
	root := kit(t, map[string]string{"a": "1"})
	tab := tableOf(t, formular.KindMedia, root, "sha256")
	tab.Closed = false
	os.WriteFile(filepath.Join(root, "b"), []byte("2"), 0o644)
	out, err := CheckTree(context.Background(), tab, root, TreeOptions{Recursive: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range all(&out) {
		if it.Name == "b" && (it.Status != Extra || it.Failure) {
			t.Errorf("b: %s failure=%v, want a non-failing EXTRA", it.Status, it.Failure)
		}
	}
	res := &Result{Tables: []Table{out}}
	verdict(res)
	if res.Verdict != Holds || len(res.Warnings) != 1 {
		t.Fatalf("verdict %s, warnings %v", res.Verdict, res.Warnings)
	}
	w := res.Warnings[0]
	if w.Code != CodeExtraFiles || w.Table != "media" || w.Counts[Extra] != 1 ||
		!strings.HasSuffix(w.Text, ": 1 unlisted file (the table is not closed)") {
		t.Errorf("warning %+v", w)
	}
}

func TestCheckTreeSymlinkNotFollowed(t *testing.T) {
	testkit.NeedSymlinks(t)
	root := kit(t, map[string]string{"a": "1"})
	tab := tableOf(t, formular.KindMedia, root, "sha256")
	outside := filepath.Join(t.TempDir(), "same")
	os.WriteFile(outside, []byte("1"), 0o644)
	os.Remove(filepath.Join(root, "a"))
	if err := os.Symlink(outside, filepath.Join(root, "a")); err != nil {
		t.Skip(err)
	}
	out, _ := CheckTree(context.Background(), tab, root, TreeOptions{Recursive: true})
	if it := all(&out)[0]; it.Status != Modified || it.Differs[0] != "type" || !strings.Contains(it.Detail, outside) ||
		it.DetailCode != DetailReplacedBySymlink || it.DetailArgs["target"] != outside {
		t.Errorf("a symbolic link to identical content must be MODIFIED (type): %+v", it)
	}
}

func TestReversedGOSTHint(t *testing.T) {
	root := kit(t, map[string]string{"a": "foo\n"})
	tab := tableOf(t, formular.KindMedia, root, "gost94-cryptopro")
	// The formular was made from a list read in the wrong byte order.
	tab.Entries[0].Sums = checksum.Reverse(tab.Entries[0].Sums)
	out, _ := CheckTree(context.Background(), tab, root, TreeOptions{Recursive: true})
	it := all(&out)[0]
	if it.Status != Modified || !strings.Contains(it.Hint, "gost94-cryptopro/reversed") ||
		!strings.Contains(it.Hint, "import the list with --gost-reverse") {
		t.Errorf("a byte-reversed GOST digest stays a failure with a hint: %+v", it)
	}
	if it.HintCode != HintGOSTReversed || it.HintArgs["column"] != "gost94-cryptopro" || it.HintArgs["should_be"] != "gost94-cryptopro/reversed" {
		t.Errorf("hint code %s, args %v", it.HintCode, it.HintArgs)
	}
}

func TestIgnoreCase(t *testing.T) {
	root := kit(t, map[string]string{"Setup.EXE": "x"})
	tab := tableOf(t, formular.KindMedia, root, "sha256")
	tab.Entries[0].Path = "setup.exe"
	out, _ := CheckTree(context.Background(), tab, root, TreeOptions{Recursive: true})
	if it := all(&out)[0]; it.Status != Renamed || it.Other != "Setup.EXE" {
		t.Errorf("names are exact by default: %+v", it)
	}
	out, _ = CheckTree(context.Background(), tab, root, TreeOptions{Recursive: true, IgnoreCase: true})
	if s := statuses(all(&out)); s["setup.exe"] != OK || len(s) != 1 {
		t.Errorf("--ignore-case: %v", s)
	}
}

func TestCertificate(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(formular.DateLayout, s); return d }
	tests := []struct {
		header         string
		at             string
		reason, warned Code
		text           string
	}{
		{"valid-until: 2027-05-31\n", "2027-05-31", "", "", ""},
		{"valid-until: 2027-05-31\n", "2027-06-01", CodeCertificateExpired, "", "the certificate expired on 2027-05-31 (check date 2027-06-01)"},
		{"certificate: 4068\nvalid-until: 2027-05-31\n", "2027-06-01", CodeCertificateExpired, "", "certificate 4068 expired on 2027-05-31 (check date 2027-06-01)"},
		{"certificate: 4068\nvalid-until: 2030-01-01\nsupport-until: 2027-01-01\n", "2027-06-01", "", CodeSupportEnded, "support of certificate 4068 ended on 2027-01-01 (check date 2027-06-01)"},
		{"", "2027-06-01", "", CodeNoValidUntil, "the formular states no valid-until date: the certificate's validity was not checked"},
	}
	for _, tt := range tests {
		f, err := formular.Parse([]byte("sverka-formular 1\n"+tt.header+"\n[media sha256]\n"), "f")
		if err != nil {
			t.Fatal(err)
		}
		res := &Result{}
		certificate(f, day(tt.at), res)
		var got []Message
		if tt.reason != "" {
			got = res.Reasons
		} else {
			got = res.Warnings
		}
		if (len(res.Reasons) > 0) != (tt.reason != "") || (len(res.Warnings) > 0) != (tt.warned != "") ||
			len(got) > 0 && (got[0].Code != tt.reason+tt.warned || got[0].Text != tt.text) {
			t.Errorf("%q at %s: reasons %v, warnings %v", tt.header, tt.at, res.Reasons, res.Warnings)
		}
	}
}

func TestVerdictFailsClosed(t *testing.T) {
	res := &Result{}
	verdict(res)
	if res.Verdict != NotHolds || len(res.Reasons) != 1 || res.Reasons[0].Code != CodeNothingChecked ||
		!strings.Contains(res.Reasons[0].Text, "nothing was checked") {
		t.Errorf("a check of nothing must not hold: %v %v", res.Verdict, res.Reasons)
	}
	res = &Result{Tables: []Table{{Kind: "media", Items: []Item{{Name: "x", Status: Unreadable, Failure: true}}}}}
	verdict(res)
	if res.Verdict != NotHolds {
		t.Errorf("an UNREADABLE item must not hold")
	}
}

func TestResolveRoot(t *testing.T) {
	win := &formular.Table{Kind: formular.KindModules, Root: "%ProgramFiles(x86)%", OS: formular.OSWindows}
	mnt := t.TempDir()
	os.MkdirAll(filepath.Join(mnt, "PROGRAM FILES (X86)"), 0o755)
	tests := []struct {
		t    *formular.Table
		src  Sources
		want string
		err  bool
	}{
		{win, Sources{Installed: mnt}, filepath.Join(mnt, "PROGRAM FILES (X86)"), false},
		{win, Sources{Vars: map[string]string{"ProgramFiles(x86)": "/x"}}, "/x", false},
		{&formular.Table{Kind: formular.KindModules, Root: "${INSTALLDIR}", Defaults: map[string]string{"": "/opt/p"}}, Sources{Installed: "/mnt/h"}, filepath.FromSlash("/mnt/h/opt/p"), false},
		{&formular.Table{Kind: formular.KindModules, Root: "${INSTALLDIR}", Defaults: map[string]string{"": "/opt/p"}}, Sources{Installed: "/"}, filepath.FromSlash("/opt/p"), false},
		{&formular.Table{Kind: formular.KindModules, Root: "/"}, Sources{Installed: "/mnt/h"}, filepath.FromSlash("/mnt/h"), false},
		{&formular.Table{Kind: formular.KindModules, Root: "${NOPE}"}, Sources{Installed: "/"}, "", true},
	}
	for _, tt := range tests {
		got, err := resolveRoot(tt.t, tt.t.Root, tt.src)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("resolveRoot(%s, %+v) = %q, %v; want %q", tt.t.Root, tt.src, got, err, tt.want)
		}
	}
}

func TestCheckMissingMediaIsAnError(t *testing.T) {
	f, _ := formular.Parse([]byte("sverka-formular 1\n\n[media sha256]\n"), "f")
	if _, err := Check(context.Background(), f, Sources{Media: filepath.Join(t.TempDir(), "none")}); err == nil {
		t.Errorf("unreadable media must be an error (exit 2), not a verdict")
	}
}

func TestVerdictMessages(t *testing.T) {
	res := &Result{Tables: []Table{
		{Kind: "media", Line: 3, Items: []Item{
			{Name: "a", Status: Modified, Failure: true},
			{Name: "b", Status: Missing, Failure: true},
			{Name: "c", Status: Missing, Failure: true},
			{Name: "d", Status: OK},
			{Name: "l1", Status: Extra, DetailCode: DetailUnlistedSymlink},
			{Name: "l2", Status: Extra, DetailCode: DetailUnlistedSymlink},
		}},
		{Kind: "modules", Line: 9, Weak: []string{"md5", "sha1"}, Items: []Item{{Name: "x", Status: OK}}},
	}}
	verdict(res)
	if res.Verdict != NotHolds || len(res.Reasons) != 1 {
		t.Fatalf("verdict %s, reasons %+v", res.Verdict, res.Reasons)
	}
	r := res.Reasons[0]
	if r.Code != CodeTableFailed || r.Table != "media" || r.Line != 3 || r.Counts[Modified] != 1 || r.Counts[Missing] != 2 ||
		len(r.Counts) != 2 || r.Text != "[media] table (line 3): 1 MODIFIED, 2 MISSING" {
		t.Errorf("reason %+v", r)
	}
	want := []struct {
		code Code
		text string
	}{
		{CodeExtraLinks, "[media] table (line 3): 2 unlisted symbolic links, not followed (formulars list content, not links)"},
		{CodeWeakAlgorithm, "[modules] table (line 9) relies on md5, sha1: legacy, detects accidents but not deliberate tampering"},
	}
	if len(res.Warnings) != len(want) {
		t.Fatalf("warnings %+v", res.Warnings)
	}
	for i, w := range want {
		if res.Warnings[i].Code != w.code || res.Warnings[i].Text != w.text {
			t.Errorf("warning %d: %+v, want %s %q", i, res.Warnings[i], w.code, w.text)
		}
	}
	if res.Warnings[1].Args["algorithms"] != "md5, sha1" || res.Warnings[0].Counts[Extra] != 2 {
		t.Errorf("arguments: %+v", res.Warnings)
	}
}

func TestSkippedTableWarns(t *testing.T) {
	f, err := formular.Parse([]byte("sverka-formular 1\n\n[image sha256]\n"), "f")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Check(context.Background(), f, Sources{Media: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Scope.NotChecked) == 0 {
		t.Fatal("the image table is not said to be not checked")
	}
	w := res.Scope.NotChecked[0]
	if w.Code != CodeTableNotChecked || w.Args["why"] != WhyMediaIsDirectory || w.Table != "image" ||
		!strings.HasSuffix(w.Text, " not checked: the media is a directory, not the image") {
		t.Errorf("not checked %+v", w)
	}
	if slices.ContainsFunc(res.Warnings, func(m Message) bool { return m.Code == CodeTableNotChecked }) {
		t.Errorf("a table not checked is among the warnings too: %+v", res.Warnings)
	}
}

// A modules table is checked without a stat of each listed file: the
// reading's own fstat must still give the report its sizes and modes, and
// renamed copies must still be found when the table states no size.
func TestModulesTableModesAndSizes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no mode bits beyond read-only")
	}
	root := kit(t, map[string]string{"bin/tool": "tool body", "lib/a.so": "library", "lib/b.so": "other"})
	tab := tableOf(t, formular.KindModules, root, "sha256")
	tab.HasMode = true
	for i := range tab.Entries {
		tab.Entries[i].Mode = 0o644
	}
	for i, e := range tab.Entries {
		if e.Path == "lib/b.so" {
			tab.Entries[i].Size = formular.UnknownSize
		}
	}
	if err := os.Chmod(filepath.Join(root, "bin/tool"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(root, "lib/b.so"), filepath.Join(root, "lib/b.so.bak")); err != nil {
		t.Fatal(err)
	}
	out, err := CheckTree(context.Background(), tab, root, TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]Item{}
	for _, it := range all(&out) {
		byName[it.Name] = it
	}
	if it := byName["bin/tool"]; it.Status != Modified || it.ActualMode != "0755" || strings.Join(it.Differs, ",") != "mode" {
		t.Errorf("bin/tool: %s, mode %s, differs %v; want MODIFIED (mode 0755)", it.Status, it.ActualMode, it.Differs)
	}
	if it := byName["lib/a.so"]; it.Status != OK || it.ActualMode != "0644" || it.ActualSize == nil || *it.ActualSize != 7 {
		t.Errorf("lib/a.so: %+v; want OK, mode 0644, size 7", it)
	}
	if it := byName["lib/b.so"]; it.Status != Renamed || it.Other != "lib/b.so.bak" {
		t.Errorf("lib/b.so: %s %q; want RENAMED to lib/b.so.bak", it.Status, it.Other)
	}
	if _, ok := byName["lib/b.so.bak"]; ok {
		t.Errorf("the renamed copy is reported again: %+v", byName["lib/b.so.bak"])
	}
}
