package checksum

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// walkTree makes a tree of files and, where the system allows, links.
func walkTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, name := range []string{"a.txt", "a/b", "a/c/d", "skip/x", "z"} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(name), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	for link, target := range map[string]string{"a/to-z": "../z", "a/up": "..", "a/gone": "nowhere", "a/c/up": ".."} {
		if err := os.Symlink(target, filepath.Join(root, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func walkLines(t *testing.T, root string, opt WalkOptions) string {
	t.Helper()
	var lines []string
	err := Walk(context.Background(), root, opt, func(w Walked) error {
		if w.Path != filepath.Join(root, filepath.FromSlash(w.Rel)) {
			t.Errorf("%s: path %s", w.Rel, w.Path)
		}
		lines = append(lines, fmt.Sprintf("%s: %v", w.Rel, w.Kind))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}

// A walk meets each directory's entries by name, a directory's contents
// before the siblings after it, and says what it passes over.
func TestWalk(t *testing.T) {
	root := walkTree(t)
	skip := func(rel string) bool { return rel == "skip" }
	got := walkLines(t, root, WalkOptions{Skip: skip})
	want := `a: directory
a/b: regular file
a/c: directory
a/c/d: regular file
a/c/up: symbolic link not followed
a/gone: symbolic link not followed
a/to-z: symbolic link not followed
a/up: symbolic link not followed
a.txt: regular file
z: regular file`
	if got != want {
		t.Errorf("walk:\n%s\nwant:\n%s", got, want)
	}
}

// Following links, a link to a file is met as the file, a link to a
// directory is walked once, one to a directory above it (a/c/up leads to
// a, a plain directory) not at all, and one that leads nowhere is an
// error.
func TestWalkFollow(t *testing.T) {
	root := walkTree(t)
	got := walkLines(t, root, WalkOptions{Follow: true, Skip: func(rel string) bool { return rel == "skip" }})
	want := `a: directory
a/b: regular file
a/c: directory
a/c/d: regular file
a/c/up: directory already visited (symbolic link loop), skipped
a/gone: could not be read
a/to-z: regular file
a/up: directory already visited (symbolic link loop), skipped
a.txt: regular file
z: regular file`
	if got != want {
		t.Errorf("walk:\n%s\nwant:\n%s", got, want)
	}
}

// A root named relative to the working directory ("." as `hash -r .`
// gives it) is the same directory as a link that leads back to it by its
// absolute path: the link is a loop, not a second walk of the kit.
func TestWalkFollowRelativeRoot(t *testing.T) {
	root := walkTree(t)
	if err := os.Symlink(root, filepath.Join(root, "a", "c", "root")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	got := walkLines(t, ".", WalkOptions{Follow: true, Skip: func(rel string) bool { return rel != "a" && !strings.HasPrefix(rel, "a/c") }})
	want := `a: directory
a/c: directory
a/c/d: regular file
a/c/root: directory already visited (symbolic link loop), skipped
a/c/up: directory already visited (symbolic link loop), skipped`
	if got != want {
		t.Errorf("walk:\n%s\nwant:\n%s", got, want)
	}
}

// Many links to one directory (a link farm) walk it once through a link,
// beside its plain walk; the others are loops, so that no tree of links
// makes a walk grow beyond find -L's.
func TestWalkFollowLinkFarm(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "c"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "c", "d"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, l := range []string{"x1", "x2", "x3"} {
		if err := os.Symlink("c", filepath.Join(root, l)); err != nil {
			t.Fatal(err)
		}
	}
	got := walkLines(t, root, WalkOptions{Follow: true})
	want := `c: directory
c/d: regular file
x1: directory
x1/d: regular file
x2: directory already visited (symbolic link loop), skipped
x3: directory already visited (symbolic link loop), skipped`
	if got != want {
		t.Errorf("walk:\n%s\nwant:\n%s", got, want)
	}
}

// The root, named by the caller, is walked through a link; a directory
// that cannot be listed is met as an error and the walk goes on.
func TestWalkRootLinkAndErrors(t *testing.T) {
	root := walkTree(t)
	link := filepath.Join(t.TempDir(), "kit")
	if err := os.Symlink(root, link); err != nil {
		t.Fatal(err)
	}
	if got := walkLines(t, link, WalkOptions{Skip: func(rel string) bool { return rel != "z" }}); got != "z: regular file" {
		t.Errorf("walk through a linked root: %q", got)
	}
	var errs []string
	err := Walk(context.Background(), filepath.Join(root, "none"), WalkOptions{}, func(w Walked) error {
		if w.Kind != WalkError || w.Err == nil {
			t.Errorf("%s: %v", w.Rel, w.Kind)
		}
		errs = append(errs, w.Rel)
		return nil
	})
	if err != nil || strings.Join(errs, ",") != "." {
		t.Errorf("missing root: %v, met %q", err, errs)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Walk(ctx, root, WalkOptions{}, func(Walked) error { return nil }); err != context.Canceled {
		t.Errorf("cancelled walk: %v", err)
	}
}

// JoinClean joins as filepath.Join does, on every dir and rel it takes.
func TestJoinClean(t *testing.T) {
	dirs := []string{"", ".", "/", "a", "a/b", "/a", "/a/b", "..", "../a"}
	rels := []string{".", "x", "x/y", "x.d/y z", `x\y`, "..x", "x..", "д/ф"}
	if runtime.GOOS == "windows" {
		dirs = append(dirs, `C:`, `C:\`, `C:\a`, `\\host\share`, `\\host\share\a`, `\a`, `a\b`)
	}
	for _, d := range dirs {
		d = filepath.FromSlash(d)
		for _, r := range rels {
			if got, want := JoinClean(d, r), filepath.Join(d, filepath.FromSlash(r)); got != want {
				t.Errorf("JoinClean(%q, %q) = %q, filepath.Join: %q", d, r, got, want)
			}
		}
	}
}

func FuzzJoinClean(f *testing.F) {
	f.Add("/a/b", "c/d")
	f.Add(".", "c")
	f.Add("/", "c")
	f.Fuzz(func(t *testing.T, dir, rel string) {
		dir = filepath.Clean(dir)
		if rel != "." {
			for n := range strings.SplitSeq(rel, "/") {
				if n == "" || n == "." || n == ".." || strings.ContainsRune(n, filepath.Separator) {
					return // not a rel JoinClean takes
				}
			}
		}
		if got, want := JoinClean(dir, rel), filepath.Join(dir, filepath.FromSlash(rel)); got != want {
			t.Errorf("JoinClean(%q, %q) = %q, filepath.Join: %q", dir, rel, got, want)
		}
	})
}
