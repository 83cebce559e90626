package survey

import (
	"bytes"
	"context"
	"crypto/md5"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
)

// A table made without some paths records the patterns: a closed table
// covers its whole tree, and verify must leave out what make left out.
func TestTreeRecordsExclude(t *testing.T) {
	root := t.TempDir()
	for _, name := range []string{"bin/tool", "var/log/x.log", "lib/a.so", "lib/a.tmp"} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	col, err := checksum.ParseColumn("sha256")
	if err != nil {
		t.Fatal(err)
	}
	tab, _, err := Tree(context.Background(), formular.KindModules, root, []checksum.Column{col},
		Options{Exclude: []string{"var", "*.tmp", "var"}})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range tab.Entries {
		names = append(names, e.Path)
	}
	if strings.Join(names, ",") != "bin/tool,lib/a.so" {
		t.Errorf("entries %v", names)
	}
	if strings.Join(tab.Exclude, ",") != "*.tmp,var" {
		t.Errorf("exclude %q, want sorted and each once", tab.Exclude)
	}
	if _, _, err := Tree(context.Background(), formular.KindModules, root, []checksum.Column{col}, Options{Exclude: []string{"[x"}}); err == nil ||
		!strings.Contains(err.Error(), `--exclude "[x"`) {
		t.Errorf("a malformed pattern: %v", err)
	}
}

// A tree hashed a few files at a time gets the rows it gets in one run:
// every row its own file's digest and size, in the table's order.
func TestHashRowsInStretches(t *testing.T) {
	root := t.TempDir()
	names := []string{"a", "a-b", "a/x", "a/y/z", "b", "c/d", "c/e", "f"}
	for _, name := range names {
		p := filepath.Join(root, filepath.FromSlash(name))
		if name == "a" {
			continue // a directory
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Repeat(name, len(name))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cols := []checksum.Column{{Alg: mustAlg(t, "sha256")}, {Alg: mustAlg(t, "md5")}}
	whole, _, err := Tree(context.Background(), formular.KindModules, root, cols, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, stretch := range []int{1, 2, 3, 7, 100} {
		tab, _, err := Tree(context.Background(), formular.KindModules, root, cols, Options{})
		if err != nil {
			t.Fatal(err)
		}
		modes := make([]os.FileMode, len(tab.Entries))
		for i := range tab.Entries {
			tab.Entries[i].Sums, tab.Entries[i].Size = nil, -1
		}
		if err := hashRows(context.Background(), tab, root, modes, checksum.Options{}, stretch); err != nil {
			t.Fatal(err)
		}
		if !formular.Equal(&formular.Formular{Tables: []*formular.Table{whole}}, &formular.Formular{Tables: []*formular.Table{tab}}) {
			t.Errorf("stretch %d: rows differ from one run's", stretch)
		}
	}
	var got []string
	for _, e := range whole.Entries {
		want := md5.Sum([]byte(strings.Repeat(e.Path, len(e.Path))))
		if !bytes.Equal(e.Sum(whole.Columns, 1), want[:]) || e.Size != int64(len(e.Path)*len(e.Path)) {
			t.Errorf("%s: md5 %x size %d", e.Path, e.Sum(whole.Columns, 1), e.Size)
		}
		got = append(got, e.Path)
	}
	if strings.Join(got, ",") != "a-b,a/x,a/y/z,b,c/d,c/e,f" {
		t.Errorf("rows %v, want bytewise order", got)
	}
}

func mustAlg(t *testing.T, name string) *checksum.Algorithm {
	t.Helper()
	a, err := checksum.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}
