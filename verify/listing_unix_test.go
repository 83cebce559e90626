//go:build unix

package verify

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/sverka/sverka/formular"
)

// TestRowsFoundAsListedKeepNoEntry: a row found under its own name and
// read as listed keeps no entry of the listing (a million of them would
// be 70 MB), on this host (listed while read) and on a kit (listed
// first) alike, while every other row is judged as before: content, a
// mode, a link or a FIFO in the file's place, a missing file, and an
// unlisted file beside them.
func TestRowsFoundAsListedKeepNoEntry(t *testing.T) {
	for name, opt := range map[string]TreeOptions{"host": {}, "kit": {Recursive: true}} {
		t.Run(name, func(t *testing.T) {
			files := map[string]string{"ok": "a", "body": "b", "mode": "c", "link": "d", "fifo": "e", "gone": "f", "sub/ok2": "g"}
			root := kit(t, files)
			for n := range files {
				if err := os.Chmod(filepath.Join(root, n), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			tab := tableOf(t, formular.KindModules, root, "sha256")
			tab.Closed, tab.HasMode = true, true
			for i := range tab.Entries {
				tab.Entries[i].Mode = 0o644
			}
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(os.WriteFile(filepath.Join(root, "body"), []byte("B"), 0o644))
			must(os.Chmod(filepath.Join(root, "mode"), 0o600))
			must(os.Remove(filepath.Join(root, "link")))
			must(os.Symlink("ok", filepath.Join(root, "link")))
			must(os.Remove(filepath.Join(root, "fifo")))
			if err := syscall.Mkfifo(filepath.Join(root, "fifo"), 0o644); err != nil {
				t.Skip(err)
			}
			must(os.Remove(filepath.Join(root, "gone")))
			must(os.WriteFile(filepath.Join(root, "extra"), []byte("x"), 0o644))

			out, err := CheckTree(context.Background(), tab, root, opt)
			if err != nil {
				t.Fatal(err)
			}
			got := statuses(all(&out))
			want := map[string]Status{"ok": OK, "sub/ok2": OK, "body": Modified, "mode": Modified, "link": Modified,
				"fifo": Modified, "gone": Missing, "extra": Extra}
			for n, s := range want {
				if got[n] != s {
					t.Errorf("%s: %s, want %s", n, got[n], s)
				}
			}
			if len(got) != len(want) {
				t.Errorf("items %v, want %v", got, want)
			}

			// The listing itself: the rows found as regular files under
			// their own names are marked by row, with no entry.
			m := &matcher{t: tab}
			m.index()
			l := newLister(root, m, opt)
			l.scan(context.Background())
			for _, f := range l.seen {
				if f.rel == "ok" || f.rel == "sub/ok2" || f.rel == "body" || f.rel == "mode" {
					t.Errorf("%s: an entry of the listing", f.rel)
				}
			}
			for i, e := range tab.Entries {
				regular := e.Path == "ok" || e.Path == "sub/ok2" || e.Path == "body" || e.Path == "mode"
				if l.asRow.has(i) != regular {
					t.Errorf("%s: marked found under its own name: %v, want %v", e.Path, l.asRow.has(i), regular)
				}
			}
		})
	}
}

// TestRowFoundTwiceKeepsBothEntries: should the listing meet a row's
// exact name twice (one directory reached twice), the row is not kept
// as found once: both names are entries, and the row is judged on
// neither, as for names that differ in case only.
func TestRowFoundTwiceKeepsBothEntries(t *testing.T) {
	root := kit(t, map[string]string{"a": "a", "b": "b"})
	tab := tableOf(t, formular.KindModules, root, "sha256")
	m := &matcher{t: tab}
	m.index()
	l := newLister(root, m, TreeOptions{Recursive: true})
	l.scan(context.Background())
	ents, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	var a os.DirEntry
	for _, d := range ents {
		if d.Name() == "a" {
			a = d
		}
	}
	row, listed := m.lookup("a")
	if !listed || !l.asRow.has(row) {
		t.Fatal("a: not found under its own name by the listing")
	}
	l.add("a", a, row, true, false)
	if l.asRow.has(row) {
		t.Error("a found twice is still marked as found once")
	}
	n := 0
	for _, f := range l.seen {
		if f.rel == "a" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("a found twice: %d entries, want 2", n)
	}
	m.bind(l.seen, l.asRow)
	if !m.isAmbiguous(row) || m.plainOK(row) {
		t.Error("a found twice is not judged on neither name")
	}
	var it Item
	m.judgeRow(&it, row, rowDigests(tab.Columns, tab.Entries[row].Sums), nil)
	if it.Status != Modified || it.DetailCode != DetailAmbiguousName {
		t.Errorf("a found twice: %s %s, want MODIFIED, %s", it.Status, it.DetailCode, DetailAmbiguousName)
	}
}
