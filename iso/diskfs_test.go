package iso

import (
	"os"
	"path"
	"path/filepath"
	"testing"

	"github.com/diskfs/go-diskfs/backend/file"
	"github.com/diskfs/go-diskfs/filesystem/iso9660"
)

// TestDiskfsAgrees reads the fixtures with go-diskfs, an independent
// ISO 9660 reader, and compares every regular file's name, size and
// location with ours. The Joliet-only fixture is left out: go-diskfs
// v1.9.4 finds no Joliet directory below the first level.
func TestDiskfsAgrees(t *testing.T) {
	for _, name := range []string{"rrjoliet", "plain", "hybrid", "md5"} {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(fixtures, name+".iso")
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			fs, err := iso9660.Read(file.New(f, true), 0, 0, 2048)
			if err != nil {
				t.Fatal(err)
			}
			theirs := map[string]Extent{}
			var walk func(dir string)
			walk = func(dir string) {
				entries, err := fs.ReadDir(dir)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range entries {
					p := path.Join(dir, e.Name())
					if e.IsDir() {
						walk(p)
						continue
					}
					info, err := e.Info()
					if err != nil {
						t.Fatal(err)
					}
					if !info.Mode().IsRegular() {
						continue
					}
					sys, _ := info.Sys().(*iso9660.StatT)
					var loc int64
					if sys != nil {
						loc = int64(sys.Location) * 2048
					}
					theirs[p] = Extent{Offset: loc, Length: info.Size()}
				}
			}
			walk(".")

			im, err := Open(p)
			if err != nil {
				t.Fatal(err)
			}
			defer im.Close()
			t.Logf("%d members, go-diskfs lists %d files", len(im.Members), len(theirs))
			for _, m := range im.Members {
				e, ok := theirs[m.Name]
				if !ok {
					t.Errorf("go-diskfs does not list %q", m.Name)
					continue
				}
				delete(theirs, m.Name)
				if e.Length != m.Size || m.Size > 0 && e.Offset != m.Extents[0].Offset {
					t.Errorf("%s: go-diskfs has %+v, we have size %d extents %v", m.Name, e, m.Size, m.Extents)
				}
			}
			for n := range theirs {
				t.Errorf("go-diskfs lists %q, we do not", n)
			}
		})
	}
}
