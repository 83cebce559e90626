package iso

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The directory trees of an image, by the names readers show.
const (
	// TreeRockRidge is the primary tree read with its Rock Ridge names
	// (Linux, bsdtar, xorriso).
	TreeRockRidge = "rockridge"
	// TreeISO9660 is the primary tree read with its plain ISO 9660
	// names (Linux mounted with norock, a reader without extensions, and
	// Windows where no Joliet tree is present).
	TreeISO9660 = "iso9660"
	// TreeJoliet is the tree of the Joliet supplementary descriptor
	// (Windows, and Linux mounted with norock).
	TreeJoliet = "joliet"
)

var treeTitle = map[string]string{TreeRockRidge: "Rock Ridge", TreeISO9660: "ISO 9660", TreeJoliet: "Joliet"}

// TreeTitle is a tree's name as people write it ("Rock Ridge").
func TreeTitle(name string) string { return treeTitle[name] }

// ConflictKind says how a directory tree disagrees.
type ConflictKind string

// The kinds of Conflict.
const (
	// ConflictDuplicate: the tree holds one name twice in one
	// directory (two records, or a file of several extents whose
	// multi-extent flag was cleared): readers show one or the other.
	ConflictDuplicate ConflictKind = "duplicate"
	// ConflictOtherContent: the tree holds other content under the
	// member's name than the members' tree.
	ConflictOtherContent ConflictKind = "other-content"
	// ConflictOnlyIn: the tree shows a file the members' tree does not.
	ConflictOnlyIn ConflictKind = "only-in"
	// ConflictMissingFrom: the tree does not show a member.
	ConflictMissingFrom ConflictKind = "missing-from"
)

// Conflict is a disagreement between what the readers of an image see:
// its members' tree (Image.Names) against itself or another tree.
type Conflict struct {
	Kind ConflictKind
	// Tree is the tree where the disagreement shows (TreeJoliet...).
	Tree string
	// Name is the path concerned: the member's name where the members'
	// tree has one for it, else the path in Tree.
	Name string
	// Other is the path in Tree, when it is not Name (a plain ISO 9660
	// name where Rock Ridge gives the real one).
	Other string
	// Records are the byte offsets of the directory records concerned:
	// for ConflictDuplicate each record of the name, for
	// ConflictOtherContent the member's record then Tree's, otherwise
	// the one record.
	Records []int64
}

// sameContent reports whether two files are the same bytes of the image.
func sameContent(a, b *Member) bool {
	return a.Size == b.Size && a.Zisofs == b.Zisofs && slices.Equal(a.Extents, b.Extents)
}

// compareTrees lists where other disagrees with the members' tree c. The
// primary tree's Rock Ridge and plain views share their records, and are
// matched record by record: the names differ by design, the record a name
// stands on may not. The Joliet tree is matched with Rock Ridge by path.
// Without Rock Ridge, Joliet and the plain view are separate records with
// names differing by design, and are matched by content: every file of one
// must have its extents among the other's.
func compareTrees(c, other *tree) []Conflict {
	var out []Conflict
	switch {
	case c.name == TreeRockRidge && other.name == TreeISO9660:
		byRec := map[int64]*Member{}
		for i := range c.members {
			byRec[c.members[i].Record] = &c.members[i]
		}
		matched := map[int64]bool{}
		for i := range other.members {
			o := &other.members[i]
			if m := byRec[o.Record]; m != nil && sameContent(m, o) {
				matched[o.Record] = true
				continue
			}
			name, isOther := c.other[o.Record]
			if isOther && o.Size == 0 {
				continue // a link or device, an empty file to this reader
			}
			if m := byRec[o.Record]; m != nil {
				matched[o.Record] = true
				out = append(out, Conflict{Kind: ConflictOtherContent, Tree: other.name, Name: m.Name, Other: o.Name, Records: []int64{m.Record, o.Record}})
				continue
			}
			cf := Conflict{Kind: ConflictOnlyIn, Tree: other.name, Name: o.Name, Records: []int64{o.Record}}
			if isOther {
				cf.Name, cf.Other = name, o.Name
			}
			out = append(out, cf)
		}
		for i := range c.members {
			if m := &c.members[i]; !matched[m.Record] {
				out = append(out, Conflict{Kind: ConflictMissingFrom, Tree: other.name, Name: m.Name, Records: []int64{m.Record}})
			}
		}
	case c.name == TreeRockRidge:
		byPath := map[string]*Member{}
		for i := range c.members {
			if _, dup := byPath[c.members[i].Name]; !dup {
				byPath[c.members[i].Name] = &c.members[i]
			}
		}
		otherPath := map[string]bool{}
		for _, p := range c.other {
			otherPath[p] = true
		}
		matched := map[string]bool{}
		for i := range other.members {
			o := &other.members[i]
			m := byPath[o.Name]
			switch {
			case m != nil && sameContent(m, o):
				matched[o.Name] = true
			case m != nil:
				matched[o.Name] = true
				out = append(out, Conflict{Kind: ConflictOtherContent, Tree: other.name, Name: m.Name, Records: []int64{m.Record, o.Record}})
			case otherPath[o.Name] && o.Size == 0:
				// A link or device, which Joliet cannot say.
			default:
				out = append(out, Conflict{Kind: ConflictOnlyIn, Tree: other.name, Name: o.Name, Records: []int64{o.Record}})
			}
		}
		for i := range c.members {
			if m := &c.members[i]; !matched[m.Name] {
				out = append(out, Conflict{Kind: ConflictMissingFrom, Tree: other.name, Name: m.Name, Records: []int64{m.Record}})
			}
		}
	default:
		key := func(m *Member) string { return fmt.Sprint(m.Size, m.Zisofs, m.Extents) }
		mine, theirs := map[string]bool{}, map[string]bool{}
		for i := range c.members {
			mine[key(&c.members[i])] = true
		}
		for i := range other.members {
			o := &other.members[i]
			k := key(o)
			theirs[k] = true
			if !mine[k] {
				out = append(out, Conflict{Kind: ConflictOnlyIn, Tree: other.name, Name: o.Name, Records: []int64{o.Record}})
			}
		}
		for i := range c.members {
			if m := &c.members[i]; !theirs[key(m)] {
				out = append(out, Conflict{Kind: ConflictMissingFrom, Tree: other.name, Name: m.Name, Records: []int64{m.Record}})
			}
		}
	}
	return out
}

// conflicts gathers the disagreements of the trees read, the members'
// tree c first: each tree's duplicate names, then each other tree
// against c. A duplicate of the plain view of a Rock Ridge tree is named
// by the member its record belongs to.
func conflicts(c *tree, others []*tree) []Conflict {
	out := slices.Clone(c.dups)
	names := map[int64]string{}
	for _, m := range c.members {
		names[m.Record] = m.Name
	}
	for off, p := range c.other {
		names[off] = p
	}
	for _, t := range others {
		for _, d := range t.dups {
			if t.name == TreeISO9660 && c.name == TreeRockRidge {
				if n, ok := names[d.Records[len(d.Records)-1]]; ok {
					d.Name, d.Other = n, d.Name
				}
			}
			out = append(out, d)
		}
		out = append(out, compareTrees(c, t)...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Name != out[j].Name {
			return out[i].Name < out[j].Name
		}
		return out[i].Tree < out[j].Tree
	})
	return out
}

// String says the disagreement in English, for messages.
func (c Conflict) String() string {
	name := c.Name
	if c.Other != "" {
		name = c.Other
	}
	recs := make([]string, len(c.Records))
	for i, r := range c.Records {
		recs[i] = strconv.FormatInt(r, 10)
	}
	t := treeTitle[c.Tree]
	switch c.Kind {
	case ConflictDuplicate:
		return fmt.Sprintf("the %s tree holds %s more than once in one directory (directory records at byte offsets %s)", t, name, strings.Join(recs, ", "))
	case ConflictOtherContent:
		return fmt.Sprintf("the %s tree holds other content under %s (directory record at byte offset %s; the members' at %s)", t, name, recs[len(recs)-1], recs[0])
	case ConflictOnlyIn:
		return fmt.Sprintf("only the %s tree shows %s (directory record at byte offset %s)", t, name, recs[0])
	default:
		return fmt.Sprintf("the %s tree does not show %s (directory record at byte offset %s)", t, name, recs[0])
	}
}
