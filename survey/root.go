package survey

import (
	"path/filepath"
	"strings"
)

// scratchDirs are where a copy of a product is kept, never where it is
// installed: homes, temporary directories, mount points.
var scratchDirs = []string{"/home", "/root", "/tmp", "/var/tmp", "/mnt", "/media", "/run/media"}

// ScratchDir reports whether dir, an absolute path, lies in a place where
// products are not installed (a home, a temporary directory, a mount
// point, or one of more, such as the user's home), and which: a modules
// table whose default root is such a place finds nothing on another host.
func ScratchDir(dir string, more ...string) (string, bool) {
	dir = filepath.Clean(dir)
	for _, s := range append(append([]string(nil), scratchDirs...), more...) {
		if s == "" || !filepath.IsAbs(s) {
			continue
		}
		s = filepath.Clean(s)
		if dir == s || strings.HasPrefix(dir, s+string(filepath.Separator)) {
			return s, true
		}
	}
	return "", false
}
