package console

import (
	"bytes"
	"io"
	"os"
	"runtime"
	"testing"
)

func TestColorEnabled(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases := []struct {
		mode, noColor, force string
		file                 *os.File
		want                 bool
	}{
		{"always", "1", "", f, true},
		{"always", "", "", nil, true},
		{"never", "", "1", f, false},
		{"auto", "", "", f, false}, // a file is not a terminal
		{"auto", "1", "", f, false},
		{"auto", "", "1", f, true}, // CLICOLOR_FORCE colours what is not a terminal
		{"auto", "1", "1", f, false},
		{"auto", "", "1", nil, false},
	}
	for _, c := range cases {
		t.Setenv("NO_COLOR", c.noColor)
		t.Setenv("CLICOLOR_FORCE", c.force)
		t.Setenv("CLICOLOR", "")
		if got := ColorEnabled(c.mode, c.file); got != c.want {
			t.Errorf("ColorEnabled(%q, file %v) with NO_COLOR=%q CLICOLOR_FORCE=%q = %v, want %v",
				c.mode, c.file != nil, c.noColor, c.force, got, c.want)
		}
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var nilFile *os.File
	for name, w := range map[string]io.Writer{"file": f, "buffer": &bytes.Buffer{}, "nil file": nilFile, "nil": nil} {
		if IsTerminal(w) {
			t.Errorf("%s: a terminal", name)
		}
	}
}

// TestVirtualTerminal: a file is no console, so on Windows escape codes
// written to it would be text; elsewhere the question is the terminal's.
func TestVirtualTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := VirtualTerminal(f), runtime.GOOS != "windows"; got != want {
		t.Errorf("VirtualTerminal(a file) = %v, want %v", got, want)
	}
	if VirtualTerminal(nil) {
		t.Error("VirtualTerminal(nil) = true")
	}
}
