package verify

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/testkit"
)

func itemsByName(items []Item) map[string]Item {
	m := map[string]Item{}
	for _, it := range items {
		m[it.Name] = it
	}
	return m
}

// A closed table covers its whole tree: a file in a directory that holds
// no listed file, in a new directory, or at the top of the root is an
// addition, a failure; an excluded path is not. An open table still
// warns only of what lies in the directories of its listed files.
func TestClosedTableWholeTree(t *testing.T) {
	root := kit(t, map[string]string{"bin/tool": "tool", "lib/x/a.so": "a", "var/log/old.log": "log"})
	tab := tableOf(t, formular.KindModules, root, "sha256")
	tab.Exclude = []string{"*.log"}
	// The reference had the log; the tree now has more of them, and
	// additions everywhere else.
	for name, body := range map[string]string{
		"lib/evil.so":      "evil",    // a directory with no listed file
		"plugins/evil.so":  "evil",    // a new directory
		"evil.so":          "evil",    // the top of the root
		"var/log/new.log":  "log",     // excluded
		"bin/extra":        "e",       // beside a listed file
		"lib/x/y/z/dee.so": "deep",    // deep in a new directory
		"var/log/a/b.log":  "log too", // excluded by name, deeper
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(body), 0o644)
	}
	out, err := CheckTree(context.Background(), tab, root, TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := itemsByName(all(&out))
	for _, name := range []string{"lib/evil.so", "plugins/evil.so", "evil.so", "bin/extra", "lib/x/y/z/dee.so"} {
		if it := got[name]; it.Status != Extra || !it.Failure {
			t.Errorf("%s: %s failure=%v, want a failing EXTRA", name, it.Status, it.Failure)
		}
	}
	for _, name := range []string{"var/log/new.log", "var/log/a/b.log", "plugins", "lib", "var"} {
		if it, ok := got[name]; ok {
			t.Errorf("%s reported: %+v", name, it)
		}
	}
	// A listed file is checked, excluded or not.
	if got["bin/tool"].Status != OK || got["lib/x/a.so"].Status != OK || got["var/log/old.log"].Status != OK {
		t.Errorf("listed files: %v", statuses(all(&out)))
	}

	// Open: only the directories of listed files are looked at.
	tab.Closed = false
	out, err = CheckTree(context.Background(), tab, root, TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got = itemsByName(all(&out))
	if it := got["bin/extra"]; it.Status != Extra || it.Failure {
		t.Errorf("bin/extra in an open table: %+v", it)
	}
	for _, name := range []string{"lib/evil.so", "plugins/evil.so", "evil.so"} {
		if _, ok := got[name]; ok {
			t.Errorf("%s reported by an open table", name)
		}
	}
}

// In an offline copy, a link to a directory of a modules table, and one
// on the way to its root, are resolved inside the copy: the machine's own
// files, which the links name by their absolute path, are never read.
func TestModulesLinksStayInCopy(t *testing.T) {
	testkit.NeedSymlinks(t)
	// This machine's own copy of the product, identical to the certified
	// one: found through the links, it would make the check hold.
	mine := kit(t, map[string]string{"vendor/bin/tool": "tool", "vendor/lib/a.so": "a"})
	tab := tableOf(t, formular.KindModules, filepath.Join(mine, "vendor"), "sha256")
	tab.Root, tab.Defaults = "${INSTALLDIR}", map[string]string{"": "/opt/vendor"}

	check := func(jail string) map[string]Item {
		t.Helper()
		res, err := Check(context.Background(), &formular.Formular{Tables: []*formular.Table{tab}}, Sources{Installed: jail})
		if err != nil {
			t.Fatal(err)
		}
		if res.Verdict == Holds {
			t.Errorf("HOLDS through a link to this machine's files")
		}
		return itemsByName(all(&res.Tables[0]))
	}

	// The root: ROOT/opt is a link to this machine's directory.
	jail := host(t, nil, nil, map[string]string{"opt": mine})
	got := check(jail)
	if it := got["bin/tool"]; it.Status != Missing || it.DetailCode != DetailRootNotFound ||
		!strings.HasPrefix(it.DetailArgs["root"], jail+string(filepath.Separator)) {
		t.Errorf("bin/tool: %+v", it)
	}

	// A directory inside the table: ROOT/opt/vendor/lib is a link to
	// this machine's lib.
	jail = host(t, []string{"opt/vendor/bin"}, map[string]string{"opt/vendor/bin/tool": "tool"},
		map[string]string{"opt/vendor/lib": filepath.Join(mine, "vendor", "lib")})
	got = check(jail)
	if got["bin/tool"].Status != OK || got["lib/a.so"].Status != Missing {
		t.Errorf("a directory link out of the copy: %v", statuses(res(got)))
	}

	// The same link inside the copy is the host's own: followed there.
	jail = host(t, []string{"opt/vendor/bin", "usr/lib/vendor"}, map[string]string{"opt/vendor/bin/tool": "tool", "usr/lib/vendor/a.so": "a"},
		map[string]string{"opt/vendor/lib": "/usr/lib/vendor"})
	res, err := Check(context.Background(), &formular.Formular{Tables: []*formular.Table{tab}}, Sources{Installed: jail})
	if err != nil {
		t.Fatal(err)
	}
	if s := statuses(all(&res.Tables[0])); s["bin/tool"] != OK || s["lib/a.so"] != OK {
		t.Errorf("a link inside the copy: %v", s)
	}
	// A loop on the way to the root stops the check, naming it.
	jail = host(t, nil, nil, map[string]string{"opt": "/opt"})
	if _, err := Check(context.Background(), &formular.Formular{Tables: []*formular.Table{tab}}, Sources{Installed: jail}); err == nil ||
		!strings.Contains(err.Error(), "too many levels of symbolic links") {
		t.Errorf("a loop: %v", err)
	}
}

func res(m map[string]Item) []Item {
	var out []Item
	for _, it := range m {
		out = append(out, it)
	}
	return out
}

// Two names on disk that differ only in letter case both match a row of
// a table that ignores case: the row fails, naming both; neither is
// passed over.
func TestCaseAmbiguous(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("NTFS keeps no two names differing only in case in one directory")
	}
	root := kit(t, map[string]string{"Bin/a.dll": "a", "setup.exe": "s"})
	tab := tableOf(t, formular.KindModules, root, "sha256")
	tab.OS, tab.Root = formular.OSWindows, "%ProgramFiles%"
	os.MkdirAll(filepath.Join(root, "bin"), 0o755)
	os.WriteFile(filepath.Join(root, "bin", "A.DLL"), []byte("evil"), 0o644)
	os.WriteFile(filepath.Join(root, "SETUP.EXE"), []byte("evil"), 0o644)
	for _, closed := range []bool{true, false} {
		tab.Closed = closed
		out, err := CheckTree(context.Background(), tab, root, TreeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		got := itemsByName(all(&out))
		for name, both := range map[string]string{"Bin/a.dll": "Bin/a.dll, bin/A.DLL", "setup.exe": "SETUP.EXE, setup.exe"} {
			it := got[name]
			if it.Status != Modified || !it.Failure || it.DetailCode != DetailAmbiguousName || it.DetailArgs["names"] != both ||
				it.Detail != "names on disk differing only in letter case match this row: "+both {
				t.Errorf("closed=%v %s: %+v", closed, name, it)
			}
		}
		if len(all(&out)) != 2 {
			t.Errorf("closed=%v: %v", closed, statuses(all(&out)))
		}
	}
	// A kit checked with --ignore-case, likewise.
	media := tableOf(t, formular.KindMedia, kit(t, map[string]string{"readme.txt": "r"}), "sha256")
	dir := kit(t, map[string]string{"readme.txt": "r", "README.TXT": "other"})
	out, err := CheckTree(context.Background(), media, dir, TreeOptions{Recursive: true, IgnoreCase: true})
	if err != nil {
		t.Fatal(err)
	}
	if it := all(&out)[0]; len(all(&out)) != 1 || it.Status != Modified || it.DetailArgs["names"] != "README.TXT, readme.txt" {
		t.Errorf("kit: %+v", all(&out))
	}
}

// A directory of a closed table that cannot be listed is a failure of its
// own, naming it and the error. The check is run by a user who cannot
// list it: as root, without the capabilities that let root read anything.
func TestClosedTableUnreadableDirectory(t *testing.T) {
	if dir := os.Getenv("SVERKA_TEST_UNREADABLE"); dir != "" {
		unreadableCheck(t, dir)
		return
	}
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX permissions")
	}
	root := kit(t, map[string]string{"bin/tool": "tool", "lib/a.so": "a", "private/x": "x"})
	tab := tableOf(t, formular.KindModules, root, "sha256")
	tab.Entries = tab.Entries[:2] // private/x is not listed: an addition
	tab.Root = "/"
	f, err := formular.Marshal(&formular.Formular{Version: formular.FormatVersion, Tables: []*formular.Table{tab}})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "f.txt"), f, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "private"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(filepath.Join(root, "private"), 0o755) })
	if os.Geteuid() != 0 {
		unreadableCheck(t, root)
		return
	}
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("running as root without setpriv to drop the capabilities that read anything")
	}
	cmd := exec.Command(setpriv, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search", "--",
		os.Args[0], "-test.run=^TestClosedTableUnreadableDirectory$", "-test.v")
	cmd.Env = append(os.Environ(), "SVERKA_TEST_UNREADABLE="+root)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "--- PASS") {
		t.Fatalf("the check without root's capabilities: %v\n%s", err, out)
	}
}

func unreadableCheck(t *testing.T, root string) {
	if _, err := os.ReadDir(filepath.Join(root, "private")); err == nil {
		t.Fatal("the directory is readable: the test shows nothing")
	}
	data, err := os.ReadFile(filepath.Join(root, "f.txt"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := formular.Parse(data, "f.txt")
	if err != nil {
		t.Fatal(err)
	}
	tab := f.Tables[0]
	tab.Exclude = []string{"f.txt"}
	out, err := CheckTree(context.Background(), tab, root, TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := itemsByName(all(&out))
	it := got["private"]
	if it.Status != Unreadable || !it.Failure || it.DetailCode != DetailUnreadableDirectory ||
		it.DetailArgs["directory"] != "private" || it.DetailArgs["error_code"] != "EACCES" {
		t.Errorf("private: %+v (all: %v)", it, statuses(all(&out)))
	}
	if got["bin/tool"].Status != OK || got["lib/a.so"].Status != OK {
		t.Errorf("listed files: %v", statuses(all(&out)))
	}
	// Open, the directory holds no listed file and is not looked at.
	tab.Closed = false
	out, err = CheckTree(context.Background(), tab, root, TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if s := statuses(all(&out)); len(s) != 2 {
		t.Errorf("open table: %v", s)
	}
}

// lookupNext finds what lookup finds, in any order of names, the tree's
// or not, and with names matched case-insensitively.
func TestLookupNext(t *testing.T) {
	var rows []formular.Entry
	for _, p := range []string{"a", "a-b", "a/b", "a/c", "b", "c/d"} {
		rows = append(rows, formular.Entry{Path: p})
	}
	names := []string{"a", "a/b", "a/c", "a-b", "b", "zz", "c", "c/d", "a", "A/B", "c/d", "a/c", "a/b"}
	for _, fold := range []bool{false, true} {
		m := &matcher{t: &formular.Table{Entries: rows}, fold: fold}
		if fold {
			m.index()
		}
		last := -1
		for _, n := range names {
			r, ok := m.lookupNext(n, &last)
			wr, wok := m.lookup(n)
			if r != wr || ok != wok {
				t.Errorf("fold %v: lookupNext(%q) = %d, %v; lookup: %d, %v", fold, n, r, ok, wr, wok)
			}
			if ok && last != r {
				t.Errorf("fold %v: after %q, last = %d, not %d", fold, n, last, r)
			}
		}
	}
}
