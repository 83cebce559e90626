package verify

import "path"

// ListedDirs gives the keys of the directories above a table's listed
// rows, its root "." among them: the listed content a link may lead to
// without showing anything uncertified. key maps a name to the form the
// caller compares in (letter case folded for a table that ignores it).
// Both the check and the reading of a saved report judge links by it, so
// that the two cannot come to differ.
func ListedDirs(rows []string, key func(string) string) map[string]bool {
	dirs := map[string]bool{".": true}
	for _, r := range rows {
		for d := path.Dir(r); d != "." && d != "/" && !dirs[key(d)]; d = path.Dir(d) {
			dirs[key(d)] = true
		}
	}
	return dirs
}
