package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/verify"
)

func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// What is written reaches the destination only on Commit: an abort, as
// after a renderer that failed part-way, leaves the previous file as it
// was and no temporary file behind.
func TestOutFileWholeOrNothing(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.json")
	if err := os.WriteFile(p, []byte("previous\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := Create(p, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	out.Write([]byte("half a rep"))
	if data, _ := os.ReadFile(p); string(data) != "previous\n" {
		t.Fatalf("the destination changed before Commit: %q", data)
	}
	out.Abort()
	if data, _ := os.ReadFile(p); string(data) != "previous\n" {
		t.Fatalf("the destination changed on Abort: %q", data)
	}
	if m := tempFiles(t, dir); len(m) > 0 {
		t.Fatalf("temporary files left: %v", m)
	}

	out, err = Create(p, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	out.Write([]byte("new\n"))
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	out.Abort() // after Commit: nothing
	if data, _ := os.ReadFile(p); string(data) != "new\n" {
		t.Fatalf("after Commit: %q", data)
	}
	if runtime.GOOS != "windows" {
		// A replaced file keeps its mode: 0600 stays 0600.
		if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want the previous 0600", fi.Mode().Perm())
		}
	}
	if m := tempFiles(t, dir); len(m) > 0 {
		t.Fatalf("temporary files left: %v", m)
	}
}

// A report whose writing fails part-way (a full disk: here, the file
// closed under the renderer) leaves the previous report whole.
func TestRenderFailureKeepsPrevious(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "r.json")
	if err := os.WriteFile(p, []byte("previous\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := &report.Report{Schema: report.Schema, Run: report.Run{HostID: "host-1"}, Result: *verify.CannotCheckResult(errors.New("x"))}
	renders := map[string]func(io.Writer) error{
		"json":   func(w io.Writer) error { return report.WriteJSON(w, rep) },
		"ndjson": func(w io.Writer) error { return report.WriteNDJSON(w, rep) },
		"html":   func(w io.Writer) error { return report.WriteHTML(w, rep, "en") },
		"text":   func(w io.Writer) error { return report.WriteText(w, rep, report.TextOptions{Lang: "en"}) },
	}
	for format, render := range renders {
		out, err := Create(p, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		out.Write([]byte("{\n  \"schema\""))
		out.f.Close()
		if err := render(out); err == nil {
			t.Fatalf("%s: render to a closed file succeeded", format)
		}
		out.Abort()
		if data, _ := os.ReadFile(p); string(data) != "previous\n" {
			t.Fatalf("%s: after a failed render: %q", format, data)
		}
		if m := tempFiles(t, dir); len(m) > 0 {
			t.Fatalf("%s: temporary files left: %v", format, m)
		}
	}
	out, err := Create(p, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := renders["json"](out); err != nil {
		t.Fatal(err)
	}
	if err := out.Commit(); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(p); !strings.Contains(string(data), "CANNOT CHECK") {
		t.Fatalf("after a whole render: %q", data)
	}
}

// A new file gets 0644 less the umask, as os.Create gives it; a
// destination that cannot be written is refused by Create itself,
// before any work.
func TestCreateOutputRefuses(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ path, want string }{
		{filepath.Join(dir, "nodir", "r.json"), "the directory " + filepath.Join(dir, "nodir")},
		{dir, "is a directory"},
	} {
		if _, err := Create(c.path, 0o644); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Create(%s) = %v, want %q", c.path, err, c.want)
		}
	}
	if runtime.GOOS == "windows" {
		return
	}
	p := filepath.Join(dir, "new.json")
	if err := WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	ref := filepath.Join(dir, "ref")
	f, err := os.Create(ref) // 0666 less the umask
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	want := refMode(t, ref) & 0o644
	if fi, _ := os.Stat(p); fi.Mode().Perm() != want {
		t.Errorf("new file mode %v, want %v", fi.Mode().Perm(), want)
	}
	// Through a symbolic link: the file it names is replaced, the link
	// stays.
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink("new.json", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte("y"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced by a file")
	}
	if data, _ := os.ReadFile(p); string(data) != "y" {
		t.Errorf("the linked file holds %q", data)
	}
}

func refMode(t *testing.T, p string) os.FileMode {
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}
