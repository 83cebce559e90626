package verify

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
)

// An offline copy of a host (verify --installed ROOT) is read as the host
// itself would read it, with ROOT for its "/": a symbolic link met on the
// way to a table's root, to a directory of the table or to a settings
// file is followed inside ROOT (an absolute target is taken under ROOT,
// ".." stops at ROOT), never onto the files of the machine making the
// check. The resolution is done here, one element at a time with lstat
// and readlink, so that it is the same on every system; every path it
// returns holds no symbolic link below ROOT, and the reads that follow
// open that path. (The copy is taken not to change during the check: it
// is a mounted disk, not a running host.)

// maxLinks bounds the symbolic links followed to resolve one path, as the
// kernel bounds them (MAXSYMLINKS): a loop is an error, not a hang.
const maxLinks = 40

// maxSpellings bounds the names one path may resolve to in a table that
// ignores letter case: a crafted tree must not make their number grow
// with each directory.
const maxSpellings = 16

// errSpellings says that a path resolves to too many names differing only
// in letter case.
var errSpellings = errors.New("too many names differing only in letter case")

// inRoot resolves name, a slash-separated path relative to jail, as the
// checked host would with jail for its "/", and returns it relative to
// jail, slash-separated, free of symbolic links (but for a link in the
// last element when followLast is false). With fold each element is
// matched without regard to letter case, and every spelling found on disk
// is returned: more than one is an ambiguity the caller reports.
//
// When an element is missing the error wraps fs.ErrNotExist and the path
// returned is where name would be: under the missing element, so that
// opening it can only fail, never follow a link out of jail.
func inRoot(jail, name string, fold, followLast bool) ([]string, error) {
	type cursor struct {
		at    string   // resolved so far, relative to jail ("" is jail)
		rest  []string // elements still to resolve
		links int
	}
	todo := []cursor{{rest: splitPath(name, fold)}}
	var out []string
	var firstErr error
	missing := ""
	for len(todo) > 0 {
		c := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if len(c.rest) == 0 {
			out = append(out, c.at)
			if len(out) > maxSpellings {
				return nil, &fs.PathError{Op: "resolve", Path: filepath.Join(jail, filepath.FromSlash(name)), Err: errSpellings}
			}
			continue
		}
		elem, rest := c.rest[0], c.rest[1:]
		switch elem {
		case ".":
			todo = append(todo, cursor{c.at, rest, c.links})
			continue
		case "..":
			// ".." of the jail is the jail, as ".." of "/" is "/".
			up := path.Dir(c.at)
			if up == "." {
				up = ""
			}
			todo = append(todo, cursor{up, rest, c.links})
			continue
		}
		for _, n := range spellings(jail, c.at, elem, fold) {
			p := joinRel(c.at, n)
			host := filepath.Join(jail, filepath.FromSlash(p))
			fi, err := os.Lstat(host)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) && missing == "" {
					missing = wouldBe(p, rest)
				}
				firstErr = cmpErr(firstErr, err)
				continue
			}
			if fi.Mode()&fs.ModeSymlink != 0 && (len(rest) > 0 || followLast) {
				if c.links >= maxLinks {
					firstErr = cmpErr(firstErr, &fs.PathError{Op: "resolve", Path: host, Err: syscall.ELOOP})
					continue
				}
				target, err := os.Readlink(host)
				if err != nil {
					firstErr = cmpErr(firstErr, err)
					continue
				}
				start, elems := c.at, splitPath(target, fold)
				if isAbsTarget(target, fold) {
					start = ""
				}
				todo = append(todo, cursor{start, append(elems, rest...), c.links + 1})
				continue
			}
			if len(rest) > 0 && !fi.IsDir() {
				firstErr = cmpErr(firstErr, &fs.PathError{Op: "resolve", Path: host, Err: syscall.ENOTDIR})
				continue
			}
			todo = append(todo, cursor{p, rest, c.links})
		}
	}
	for i, p := range out {
		if p == "" {
			out[i] = "."
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) > 0 {
		return out, nil
	}
	if firstErr == nil {
		firstErr = &fs.PathError{Op: "resolve", Path: filepath.Join(jail, filepath.FromSlash(name)), Err: fs.ErrNotExist}
	}
	if errors.Is(firstErr, fs.ErrNotExist) && missing != "" {
		return []string{missing}, firstErr
	}
	return nil, firstErr
}

// cmpErr keeps the first error met, but lets an error other than "not
// there" take the place of one that is: a loop says more than a missing
// spelling.
func cmpErr(first, err error) error {
	if first == nil || errors.Is(first, fs.ErrNotExist) && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return first
}

// wouldBe is where a path would stand below the missing element p: the
// rest is kept only while it holds no "..", which could climb back out of
// the missing element.
func wouldBe(p string, rest []string) string {
	if slices.Contains(rest, "..") {
		return p
	}
	return joinRel(p, strings.Join(rest, "/"))
}

func joinRel(dir, name string) string {
	if dir == "" || dir == "." {
		return name
	}
	if name == "" {
		return dir
	}
	return dir + "/" + name
}

// splitPath splits a path of the checked host into its elements: a
// Windows one (fold) may use either separator and start with a drive
// letter, which has no meaning under a mount point.
func splitPath(p string, fold bool) []string {
	if fold {
		p = strings.ReplaceAll(p, `\`, "/")
		if len(p) >= 2 && p[1] == ':' && isDriveLetter(p[0]) {
			p = p[2:]
		}
	}
	var out []string
	for _, e := range strings.Split(p, "/") {
		if e != "" {
			out = append(out, e)
		}
	}
	return out
}

// isAbsTarget says whether a link's target starts from the host's root.
func isAbsTarget(t string, fold bool) bool {
	if strings.HasPrefix(t, "/") {
		return true
	}
	if fold {
		return strings.HasPrefix(t, `\`) || len(t) >= 2 && t[1] == ':' && isDriveLetter(t[0])
	}
	return false
}

func isDriveLetter(c byte) bool { return 'A' <= c&^0x20 && c&^0x20 <= 'Z' }

// spellings are the names in the directory at (relative to jail) that
// stand for elem: elem itself, or with fold every name equal to it but for
// letter case (elem itself when the directory cannot be listed, so that
// the lstat that follows says what is wrong).
func spellings(jail, at, elem string, fold bool) []string {
	if !fold {
		return []string{elem}
	}
	ents, err := checksum.ReadDir(filepath.Join(jail, filepath.FromSlash(at)), false)
	if err != nil {
		return []string{elem}
	}
	var out []string
	for _, e := range ents {
		if strings.EqualFold(e.Name(), elem) {
			out = append(out, e.Name())
		}
	}
	if len(out) == 0 {
		return []string{elem}
	}
	slices.Sort(out)
	return out
}

// onHost maps p, an absolute path of the checked host ("/opt/x",
// `C:\Program Files\x`), to this machine: the path itself without
// --installed, else p resolved under the offline copy. fold matches names
// without regard to letter case (a Windows host): two spellings of one
// name are an error, since which one the host reads cannot be told. A
// missing element gives where p would be, with the error.
func (src Sources) onHost(p string, fold bool) (string, error) {
	if src.Installed == "" {
		return p, nil
	}
	// Either separator, and a drive letter, as the old Windows paths of
	// formulars have them.
	return resolveOne(src.Installed, strings.Join(splitPath(p, true), "/"), fold)
}

// jail is the offline copy links are resolved in: "" on this host (no
// --installed, or --installed /).
func (src Sources) jail() string {
	if src.Installed == "" || filepath.Clean(src.Installed) == string(filepath.Separator) {
		return ""
	}
	return src.Installed
}

// jailOf is the jail of a table rooted at root: the offline copy when the
// root lies in it, else none (a --var path elsewhere on this machine).
func (src Sources) jailOf(root string) string {
	j := src.jail()
	if j == "" {
		return ""
	}
	if _, ok := within(j, root); !ok {
		return ""
	}
	return j
}

// under returns the path rest (slash- or backslash-separated) under dir,
// a directory on this machine: resolved inside the offline copy when dir
// lies in it, else joined, a path of this machine being this machine's
// business.
func (src Sources) under(dir, rest string, fold bool) (string, error) {
	rest = strings.ReplaceAll(rest, `\`, "/")
	if src.Installed != "" {
		if rel, ok := within(src.Installed, dir); ok {
			return resolveOne(src.Installed, joinRel(rel, rest), fold)
		}
	}
	return filepath.Join(dir, filepath.FromSlash(rest)), nil
}

// sourceOnHost is where a parameters table's settings source lies on this
// machine: rest under dir, the root of the table that declares its
// variable, or with no dir the path rest of the checked host. Inside an
// offline copy the path is resolved as that host would read it, fold
// matching names as Windows does; a source that is not there is where it
// would be (its reading fails), one that cannot be resolved stops the
// check.
func (src Sources) sourceOnHost(t *formular.Table, dir, rest string, fold bool) (string, error) {
	var p string
	var err error
	if dir == "" {
		p, err = src.onHost(rest, fold)
	} else {
		p, err = src.under(dir, rest, fold)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("[%s] table (line %d): source %s: %w", t.Kind, t.Line, t.Source, err)
	}
	return p, nil
}

// windowsPath says whether p is written as a Windows path: a drive letter
// or a backslash.
func windowsPath(p string) bool {
	return len(p) >= 2 && p[1] == ':' && isDriveLetter(p[0]) || strings.Contains(p, `\`)
}

// resolveOne resolves rel under jail to a single path on this machine.
func resolveOne(jail, rel string, fold bool) (string, error) {
	got, err := inRoot(jail, rel, fold, true)
	if len(got) == 1 {
		return filepath.Join(jail, filepath.FromSlash(got[0])), err
	}
	if err != nil {
		return "", err
	}
	return "", fmt.Errorf("%s: names differing only in letter case stand for it: %s",
		filepath.Join(jail, filepath.FromSlash(rel)), strings.Join(got, ", "))
}

// within says whether p lies in dir, lexically, and where, slash-separated.
func within(dir, p string) (string, bool) {
	rel, err := filepath.Rel(dir, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// hostDir is a directory of a table: rel is its name relative to the
// table's root as spelled on disk, host where it is on this machine.
type hostDir struct{ rel, host string }

// dirResolver finds the directories of a modules table on this machine,
// each once: a symbolic link met on the way is followed as the host
// would (inside jail for an offline copy), a name matched without regard
// to letter case with fold (every spelling found is kept).
type dirResolver struct {
	root string // the table's root on this machine, free of links below jail
	jail string // the offline copy holding root; "" on this host
	fold bool
	// follow says links are followed; a kit's never are.
	follow bool
	memo   map[string]resolved
}

type resolved struct {
	dirs []hostDir
	err  error
}

// resolve returns the directories that stand for d (slash-separated,
// relative to the root); none, without error, for a directory that is not
// there. An error is a directory on the way that could not be read.
func (r *dirResolver) resolve(d string) ([]hostDir, error) {
	if d == "." || d == "" {
		return []hostDir{{".", r.root}}, nil
	}
	key := d
	if r.fold {
		key = strings.ToLower(d)
	}
	if v, ok := r.memo[key]; ok {
		return v.dirs, v.err
	}
	parents, err := r.resolve(path.Dir(d))
	var out []hostDir
	base := path.Base(d)
	for _, p := range parents {
		names := []string{base}
		if r.fold {
			names = spellings(p.host, "", base, true)
		}
		for _, n := range names {
			host := filepath.Join(p.host, n)
			rel := joinRel(p.rel, n)
			fi, lerr := os.Lstat(host)
			switch {
			case lerr != nil:
				if !errors.Is(lerr, fs.ErrNotExist) {
					err = cmpErr(err, lerr)
				}
			case fi.IsDir():
				out = append(out, hostDir{rel, host})
			case fi.Mode()&fs.ModeSymlink != 0 && r.follow:
				hosts, lerr := r.followLink(host)
				if lerr != nil && !errors.Is(lerr, fs.ErrNotExist) {
					err = cmpErr(err, lerr)
				}
				for _, h := range hosts {
					out = append(out, hostDir{rel, h})
				}
			}
		}
	}
	if len(out) > 0 {
		err = nil
	}
	if r.memo == nil {
		r.memo = map[string]resolved{}
	}
	r.memo[key] = resolved{out, err}
	return out, err
}

// followLink returns the directories a link (a path free of links but
// for its last element) leads to: on this host wherever it points, in an
// offline copy resolved inside it.
func (r *dirResolver) followLink(host string) ([]string, error) {
	if r.jail == "" {
		fi, err := os.Stat(host)
		if err != nil || !fi.IsDir() {
			return nil, err
		}
		return []string{host}, nil
	}
	rel, ok := within(r.jail, host)
	if !ok {
		return nil, &fs.PathError{Op: "resolve", Path: host, Err: errors.New("outside the offline copy")}
	}
	got, err := inRoot(r.jail, rel, r.fold, true)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, g := range got {
		h := filepath.Join(r.jail, filepath.FromSlash(g))
		if fi, err := os.Stat(h); err == nil && fi.IsDir() {
			out = append(out, h)
		}
	}
	return out, nil
}
