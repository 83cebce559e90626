package survey

import (
	"context"
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
