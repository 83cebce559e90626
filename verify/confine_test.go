package verify

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/sverka/sverka/internal/testkit"
)

// host builds an offline copy: dirs, files ("name" → content) and links
// ("name" → target, written as given).
func host(t *testing.T, dirs []string, files, links map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for _, d := range dirs {
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	testkit.WriteTree(t, root, files)
	for name, target := range links {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.Symlink(target, p); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	return root
}

func TestInRoot(t *testing.T) {
	testkit.NeedSymlinks(t)
	// Outside the copy, a tree the links must never reach.
	outside := t.TempDir()
	os.MkdirAll(filepath.Join(outside, "vendor", "bin"), 0o755)
	jail := host(t,
		[]string{"opt/vendor/bin", "usr/lib", "srv/real", "Program Files/App"},
		map[string]string{"etc/x.ini": "x", "usr/lib/a.so": "a"},
		map[string]string{
			"abs":              "/opt/vendor",              // absolute: taken under the copy
			"escape":           "../../../../../../../etc", // ".." stops at the copy's root
			"loop1":            "loop2",
			"loop2":            "loop1",
			"self":             "self/x",
			"file":             "/etc/x.ini", // a link to a file
			"chain1":           "chain2",     // a chain of links
			"chain2":           "/chain3",
			"chain3":           "srv/real",
			"out":              outside, // the machine's own tree, by its absolute path
			"opt/lib":          "../usr/lib",
			"opt/vendor/lib":   "../../usr/lib/../lib", // ".." after a link, as POSIX does it
			"dangling":         "/nowhere/at/all",
			"program files/x":  "App", // a second spelling of a directory
			"opt/vendor/bin/x": "../../../etc/x.ini",
		})
	tests := []struct {
		name       string
		fold       bool
		followLast bool
		want       string // slash-separated, relative to the jail; "" with err
		err        error
	}{
		{name: "opt/vendor/bin", want: "opt/vendor/bin"},
		{name: "abs/bin", want: "opt/vendor/bin"},
		{name: "escape/x.ini", followLast: true, want: "etc/x.ini"},
		{name: "../../etc/x.ini", want: "etc/x.ini"},
		{name: "loop1/x", err: syscall.ELOOP},
		{name: "self", followLast: true, err: syscall.ELOOP},
		{name: "file", followLast: true, want: "etc/x.ini"},
		{name: "file", followLast: false, want: "file"},
		{name: "file/x", err: syscall.ENOTDIR},
		{name: "chain1", followLast: true, want: "srv/real"},
		{name: "out/vendor/bin", want: strings.TrimPrefix(filepath.ToSlash(outside), "/") + "/vendor/bin", err: fs.ErrNotExist},
		{name: "opt/lib/a.so", followLast: true, want: "usr/lib/a.so"},
		{name: "opt/vendor/lib/a.so", followLast: true, want: "usr/lib/a.so"},
		{name: "dangling/x", want: "nowhere/at/all/x", err: fs.ErrNotExist},
		{name: "opt/none/x", want: "opt/none/x", err: fs.ErrNotExist},
		{name: "PROGRAM FILES/app", fold: true, want: "Program Files/App"},
		{name: `C:\Program Files\App`, fold: true, want: "Program Files/App"},
		{name: "usr/LIB", fold: false, want: "usr/LIB", err: fs.ErrNotExist},
		{name: "opt/vendor/bin/x", followLast: true, want: "etc/x.ini"},
	}
	for _, tt := range tests {
		got, err := inRoot(jail, tt.name, tt.fold, tt.followLast)
		if tt.err != nil {
			if !errors.Is(err, tt.err) {
				t.Errorf("inRoot(%q): error %v, want %v", tt.name, err, tt.err)
			}
		} else if err != nil {
			t.Errorf("inRoot(%q): %v", tt.name, err)
		}
		if strings.Join(got, ",") != tt.want {
			t.Errorf("inRoot(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}

	// Two spellings of one directory: both, for the caller to report.
	got, err := inRoot(jail, "program files", true, true)
	if err != nil || strings.Join(got, ",") != "Program Files,program files" {
		t.Errorf("two spellings: %q, %v", got, err)
	}
	if _, err := resolveOne(jail, "PROGRAM FILES", true); err == nil || !strings.Contains(err.Error(), "differing only in letter case") {
		t.Errorf("one path asked, two spellings found: %v", err)
	}
}

// A root, a directory of a table and a settings source reached through
// links are found inside the offline copy, never on this machine.
func TestSourcesOnHost(t *testing.T) {
	testkit.NeedSymlinks(t)
	outside := t.TempDir()
	os.MkdirAll(filepath.Join(outside, "etc"), 0o755)
	os.WriteFile(filepath.Join(outside, "etc", "x.ini"), []byte("outside"), 0o644)
	jail := host(t, []string{"data/etc"}, map[string]string{"data/etc/x.ini": "inside"},
		map[string]string{"opt": "/data", "outside": outside})
	src := Sources{Installed: jail}

	p, err := src.onHost("/opt/etc/x.ini", false)
	if err != nil || p != filepath.Join(jail, "data", "etc", "x.ini") {
		t.Errorf("onHost: %q, %v", p, err)
	}
	p, err = src.under(filepath.Join(jail, "opt"), "etc/x.ini", false)
	if err != nil || p != filepath.Join(jail, "data", "etc", "x.ini") {
		t.Errorf("under: %q, %v", p, err)
	}
	// Through a link to this machine's own tree: where it would be in
	// the copy, which is not there.
	p, err = src.onHost("/outside/etc/x.ini", false)
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(p, jail+string(filepath.Separator)) {
		t.Errorf("a link out of the copy: %q, %v", p, err)
	}
	if _, err := os.Stat(p); err == nil {
		t.Errorf("%s exists", p)
	}
	// Without --installed, the path of this host as given.
	if p, err := (Sources{}).onHost("/opt/etc/x.ini", false); err != nil || p != "/opt/etc/x.ini" {
		t.Errorf("this host: %q, %v", p, err)
	}
}
