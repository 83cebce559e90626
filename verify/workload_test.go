package verify

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/sverka/sverka/formular"
)

// A check reads an image whole, and a kit directory's and the modules'
// listed files only when it is given them.
func TestWorkload(t *testing.T) {
	dir := t.TempDir()
	image := filepath.Join(dir, "kit.iso")
	if err := os.WriteFile(image, make([]byte, 4096), 0o644); err != nil {
		t.Fatal(err)
	}
	f := &formular.Formular{Tables: []*formular.Table{
		{Kind: formular.KindMedia, Entries: []formular.Entry{{Size: 10}, {Size: -1}}},
		{Kind: formular.KindModules, Entries: []formular.Entry{{Size: 100}}},
		{Kind: formular.KindParameters},
	}}
	for _, c := range []struct {
		name  string
		src   Sources
		bytes int64
		files int
	}{
		{"nothing", Sources{}, 0, 0},
		{"kit directory", Sources{Media: dir}, 10, 2},
		{"image", Sources{Media: image}, 4096, 0},
		{"installed", Sources{Installed: "/"}, 100, 1},
		{"a root variable", Sources{Vars: map[string]string{"APP": dir}}, 100, 1},
		{"kit and installed", Sources{Media: dir, Installed: "/"}, 110, 3},
	} {
		if bytes, files := c.src.Workload(f); bytes != c.bytes || files != c.files {
			t.Errorf("%s: %d bytes, %d files; want %d, %d", c.name, bytes, files, c.bytes, c.files)
		}
	}
}
