package verify

import (
	"os"

	"github.com/sverka/sverka/formular"
)

// Workload is what a check of f from src will read, to size a progress
// display: an image or device once, whole (a device's size is 0 to stat,
// and a display then counts bytes alone), and the files the media and
// modules tables list, when the media is a directory and the modules are
// given a root, with their listed sizes.
func (src Sources) Workload(f *formular.Formular) (bytes int64, files int) {
	mediaDir := false
	if src.Media != "" {
		if fi, err := os.Stat(src.Media); err == nil {
			if mediaDir = fi.IsDir(); !mediaDir {
				bytes = fi.Size()
			}
		}
	}
	installed := src.Installed != "" || len(src.Vars) > 0
	for _, t := range f.Tables {
		if !(t.Kind == formular.KindMedia && mediaDir) && !(t.Kind == formular.KindModules && installed) {
			continue
		}
		for _, e := range t.Entries {
			bytes += max(e.Size, 0)
			files++
		}
	}
	return bytes, files
}
