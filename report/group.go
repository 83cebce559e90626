package report

import (
	"path"
	"slices"
	"strings"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

// GroupOver is how many items of one status (EXTRA or MISSING) a table's
// text and HTML renderings list one by one. Past it, those items are
// listed by directory: a count and the first GroupNames names each. A
// modules table checked against a whole system finds tens of thousands
// of files it does not list; one line each buries the findings and makes
// an HTML file no browser prints. The JSON report keeps every item.
const GroupOver = 50

// GroupNames is how many names a directory's line shows of its items.
const GroupNames = 3

// ListOver is how many items a table's list of objects in the HTML act
// shows one by one. Past it, the list gives each directory's items by
// status (a count and the first names): an act of a whole installed
// system, tens of thousands of files with their digests, is a document
// no browser prints and no one reads. The findings still name every
// failure up to GroupOver per status; the JSON report keeps every item.
const ListOver = 5000

// groupable are the statuses that come in such numbers: files a table
// does not list, files a table lists that are not there, and, when a
// whole tree has changed, files that differ or cannot be read.
var groupable = []verify.Status{verify.Extra, verify.Missing, verify.Modified, verify.Renamed, verify.Unreadable}

// foldedStatuses says which statuses of t are listed by directory: those
// with more than GroupOver items.
func foldedStatuses(t *verify.Table) map[verify.Status]bool {
	if t.Kind == formular.KindParameters {
		return nil // a parameter is a key of its own, not a file in a directory
	}
	var n [5]int
	for it := range t.Findings() { // every groupable status is a finding
		for gi, s := range groupable {
			if it.Status == s {
				n[gi]++
			}
		}
	}
	var out map[verify.Status]bool
	for gi, s := range groupable {
		if n[gi] > GroupOver {
			if out == nil {
				out = map[verify.Status]bool{}
			}
			out[s] = true
		}
	}
	return out
}

// itemGroup is the items of one status in one directory of a table.
type itemGroup struct {
	Status verify.Status
	Dir    string // as in the items' names; "" for the table's root
	Items  []int  // indexes into the table's items, in table order
}

// listFolded says which statuses of t the HTML list of objects gives by
// directory: every status past ListOver items, else those folded.
func listFolded(t *verify.Table, folded map[verify.Status]bool) map[verify.Status]bool {
	if t.Len() <= ListOver || t.Kind == formular.KindParameters {
		return folded
	}
	all := map[verify.Status]bool{}
	for _, s := range verify.Statuses {
		all[s] = true
	}
	return all
}

// itemGroups groups the items of t whose status is folded by status,
// then directory, in the order the directories first appear.
func itemGroups(t *verify.Table, folded map[verify.Status]bool) []itemGroup {
	order := append(slices.Clone(groupable), verify.OK, verify.Violated, verify.Unset)
	type key struct {
		s   verify.Status
		dir string
	}
	// One pass over the items, which may be a whole system's: each
	// status's groups in the order their directories first appear.
	byStatus := map[verify.Status][]itemGroup{}
	for _, s := range order {
		if folded[s] {
			byStatus[s] = nil
		}
	}
	if len(byStatus) == 0 {
		return nil
	}
	index := map[key]int{}
	for i, it := range t.AllButDigests() {
		groups, ok := byStatus[it.Status]
		if !ok {
			continue
		}
		k := key{it.Status, itemDir(it.Name)}
		gi, ok := index[k]
		if !ok {
			gi = len(groups)
			index[k] = gi
			groups = append(groups, itemGroup{Status: it.Status, Dir: k.dir})
		}
		groups[gi].Items = append(groups[gi].Items, i)
		byStatus[it.Status] = groups
	}
	var out []itemGroup
	for _, s := range order {
		out = append(out, byStatus[s]...)
	}
	return out
}

// dirLabel is a group's directory as shown, in display form: "dir/", or
// the language's word for the table's root.
func (l lang) dirLabel(dir string) string {
	if dir == "" {
		return l.t("root-dir")
	}
	return safetext.Display(dir) + "/"
}

// groupText says a group in one line: how many items, and the first
// names, in display form.
func (l lang) groupText(t *verify.Table, g *itemGroup) string {
	names := make([]string, 0, GroupNames+1)
	for _, i := range g.Items[:min(len(g.Items), GroupNames)] {
		_, base := path.Split(t.At(i).Name)
		names = append(names, safetext.Display(base))
	}
	if len(g.Items) > GroupNames {
		names = append(names, "…")
	}
	return l.f("group-items", bytesText(int64(len(g.Items))), strings.Join(names, ", "))
}

// foldNote says, for a table whose items of a status are grouped, how
// many there are and that the JSON report lists each.
func (l lang) foldNote(t *verify.Table, s verify.Status, status func(verify.Status) string) string {
	n := 0
	for it := range t.Findings() {
		if it.Status == s {
			n++
		}
	}
	table := l.tableName(t.Kind, t.Line)
	return l.f("group-note", bytesText(int64(n)), status(s), table, GroupOver)
}
