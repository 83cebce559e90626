package verify

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
)

// TestErrnoName: OS errors are named by their POSIX errno however they
// are wrapped; other errors have no name.
func TestErrnoName(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{&fs.PathError{Op: "open", Path: "/x", Err: syscall.EACCES}, "EACCES"},
		{fmt.Errorf("settings /x: %w", &fs.PathError{Op: "open", Path: "/x", Err: syscall.ENOENT}), "ENOENT"},
		{&fs.PathError{Op: "read", Path: "/x", Err: syscall.EISDIR}, "EISDIR"},
		{&fs.PathError{Op: "open", Path: "/x", Err: syscall.ELOOP}, "ELOOP"},
		{&fs.PathError{Op: "read", Path: "/dev/sr0", Err: syscall.EIO}, "EIO"},
		{syscall.EROFS, "EROFS"},
		{fs.ErrNotExist, "ENOENT"},
		{fs.ErrPermission, "EACCES"},
		{&fs.PathError{Op: "open", Path: `kit\NUL`, Err: checksum.ErrReservedName}, "windows-device-name"},
		{&fs.PathError{Op: "open", Path: `kit\a.dll.`, Err: checksum.ErrDotSpaceName}, "windows-dot-space-name"},
		{errors.New("permission denied"), ""},
		{syscall.Errno(0), ""},
	}
	for _, c := range cases {
		if got := errnoName(c.err); got != c.want {
			t.Errorf("errnoName(%v) = %q, want %q", c.err, got, c.want)
		}
	}
	names := ErrnoNames()
	if len(names) != len(errnos) || names[0] != "EPERM" {
		t.Errorf("ErrnoNames() = %v", names)
	}
}

// TestSettingsMessagesCarryCodes: the settings warnings, constraint
// errors and unreadable sources of a real check carry the codes and
// arguments of what went wrong, next to the English text.
func TestSettingsMessagesCarryCodes(t *testing.T) {
	dir := t.TempDir()
	ini := filepath.Join(dir, "app.ini")
	bad := filepath.Join(dir, "bad.ini")
	missing := filepath.Join(dir, "gone.ini")
	os.WriteFile(ini, []byte("[S]\nA = yes\nC = lots\nA = off\n"), 0o644)
	os.WriteFile(bad, []byte("[S]\nnonsense\n"), 0o644)
	f, err := formular.Parse([]byte("sverka-formular 1\n\n"+
		"[parameters source=app.ini format=ini]\nS.C range 1..16\n\n"+
		"[parameters source=gone.ini format=ini]\nS.B = 1\n\n"+
		"[parameters source=bad.ini format=ini]\nS.B = 1\n"), "f.txt")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Check(context.Background(), f, Sources{Settings: []string{ini, missing, bad}, At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}

	var warn *Message
	for i := range res.Warnings {
		if res.Warnings[i].Code == CodeSettings {
			warn = &res.Warnings[i]
		}
	}
	if warn == nil {
		t.Fatalf("no settings warning in %+v", res.Warnings)
	}
	wantWarn := map[string]string{"file": ini, "line": "4", "message": `key "S.A" set again (first at line 2); the value of line 4 wins`,
		"message_code": "duplicate-key", "message_key": "S.A", "message_first_line": "2"}
	if !maps.Equal(warn.Args, wantWarn) {
		t.Errorf("settings warning args %v\nwant %v", warn.Args, wantWarn)
	}

	c := all(&res.Tables[0])[0]
	wantC := map[string]string{"error": `value "lots": not an integer`, "error_code": "not-an-integer", "error_value": "lots",
		"file": "app.ini", "line": "3"}
	if c.DetailCode != DetailConstraintError || !maps.Equal(c.DetailArgs, wantC) {
		t.Errorf("constraint error %s %v\nwant %v", c.DetailCode, c.DetailArgs, wantC)
	}

	sources := map[string]Message{}
	for _, r := range res.Reasons {
		if r.Code == CodeSourceUnreadable {
			sources[r.Args["source"]] = r
		}
	}
	if m := sources[missing]; m.Args["error_code"] != "ENOENT" || len(m.Args) != 3 {
		t.Errorf("missing source: %+v", m)
	}
	// The reason names the source once: its error does not again.
	wantBad := map[string]string{"source": bad, "error": `line 2: not a section, key=value, comment or blank line: "nonsense"`,
		"error_code": "ini-bad-line", "error_line": "2", "error_text": `"nonsense"`}
	if m := sources[bad]; !maps.Equal(m.Args, wantBad) {
		t.Errorf("unparsable source: %v\nwant %v", m.Args, wantBad)
	}

	if m := sources[missing]; m.Args["error"] != syscall.ENOENT.Error() {
		t.Errorf("missing source: the error %q names more than the cause", m.Args["error"])
	}

	// Each row of an unreadable source is UNREADABLE, and only says it
	// was not read: why is the table's reason, said once.
	for i, ti := range []int{1, 2} {
		it := all(&res.Tables[ti])[0]
		if it.Status != Unreadable || !it.Failure || it.DetailCode != DetailNotRead || len(it.DetailArgs) != 0 {
			t.Errorf("item %d of an unreadable source: %+v", i, it)
		}
	}
}

// TestUnreadableDirectoryErrno: a directory the OS refused to list names
// its errno next to the OS's words.
func TestUnreadableDirectoryErrno(t *testing.T) {
	m := unreadableDirectory("sub", &fs.PathError{Op: "open", Path: "/k/sub", Err: syscall.EACCES})
	want := map[string]string{"directory": "sub", "error": syscall.EACCES.Error(), "error_code": "EACCES"}
	if !maps.Equal(m.Args, want) || m.Text != "directory unreadable: sub: "+syscall.EACCES.Error() {
		t.Errorf("%+v", m)
	}
	m = errorDetail("disk on fire", errors.New("disk on fire"))
	if m.Args != nil || m.Text != "disk on fire" {
		t.Errorf("an error without errno: %+v", m)
	}
}

// TestKeyGivenManyTimesStaysSmall: a settings file on the checked
// host that gives a key a hundred thousand times, one reading wrong, is
// VIOLATED with a detail of its first lines and their count, not of every
// line: the report stays the size of a report, not of the file.
func TestKeyGivenManyTimesStaysSmall(t *testing.T) {
	const repeats = 100_000
	ini := filepath.Join(t.TempDir(), "app.ini")
	data := "[S]\nA = off\n" + strings.Repeat("A = yes\n", repeats)
	if err := os.WriteFile(ini, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := formular.Parse([]byte("sverka-formular 1\n\n[parameters source=app.ini format=ini]\nS.A = yes\n"), "f.txt")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Check(context.Background(), f, Sources{Settings: []string{ini}, At: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != NotHolds {
		t.Fatalf("verdict %s, want %s", res.Verdict, NotHolds)
	}
	it := all(&res.Tables[0])[0]
	if it.Status != Violated || it.Value != "off" || it.DetailCode != DetailDuplicateReading {
		t.Fatalf("item %s %q %s, want VIOLATED off %s", it.Status, it.Value, it.DetailCode, DetailDuplicateReading)
	}
	wantArgs := map[string]string{"file": "app.ini", "line": "2", "count": strconv.Itoa(repeats + 1),
		"lines": "2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21"}
	if !maps.Equal(it.DetailArgs, wantArgs) {
		t.Errorf("detail args %v\nwant %v", it.DetailArgs, wantArgs)
	}
	if len(it.Detail) > 200 {
		t.Errorf("a detail of %d bytes: %.200s…", len(it.Detail), it.Detail)
	}
}
