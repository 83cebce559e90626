package config

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

var keys = Keys{"formular": false, "media": false, "settings": true, "period": false}

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		want     []Entry
		err      string
	}{
		{"plain", "formular = /etc/f.txt\nmedia=/dev/sr0\n", []Entry{{"formular", "/etc/f.txt", 1}, {"media", "/dev/sr0", 2}}, ""},
		{"comments and blanks", "# a comment\n\n  ; another\n\tformular =\t/f  \n", []Entry{{"formular", "/f", 4}}, ""},
		{"value kept literally", "formular = C:\\ProgramData\\sverka\\f #1.txt = x\n", []Entry{{"formular", `C:\ProgramData\sverka\f #1.txt = x`, 1}}, ""},
		{"list", "settings = /a.ini\nsettings = /b ini\n", []Entry{{"settings", "/a.ini", 1}, {"settings", "/b ini", 2}}, ""},
		{"notepad: BOM and CRLF", "\xef\xbb\xbfformular = /f\r\nmedia = D:\\\r\n", []Entry{{"formular", "/f", 1}, {"media", `D:\`, 2}}, ""},
		{"no final newline", "formular = /f", []Entry{{"formular", "/f", 1}}, ""},
		{"empty file", "", nil, ""},
		{"unknown key, near one", "formular = /f\nmedai = /dev/sr0\n", nil, `verify.conf line 2: unknown key "medai"; did you mean "media"?`},
		{"unknown key", "colour = red\n", nil, `verify.conf line 1: unknown key "colour"; the keys are formular, media, period, settings`},
		{"twice", "media = /a\n\nmedia = /b\n", nil, "verify.conf line 3: media given again (first on line 1); it takes one value"},
		{"no equals", "formular /f\n", nil, `verify.conf line 1: "formular /f" is not "key = value"`},
		{"no key", "= /f\n", nil, `verify.conf line 1: "" is not a key (lower-case letters, digits and hyphens)`},
		{"upper case key", "Formular = /f\n", nil, `verify.conf line 1: "Formular" is not a key`},
		{"flag form", "--media = /f\n", nil, `verify.conf line 1: "--media" is not a key`},
		{"no value", "formular =  \n", nil, "verify.conf line 1: formular has no value"},
		{"not UTF-8", "formular = /f\nmedia = /\xff\n", nil, "verify.conf line 2: not UTF-8 text"},
		{"control character", "media = /a\x1b[2Jb\n", nil, "verify.conf line 1: a control character (U+001B) at column 11"},
		{"bare CR", "media = /a\rformular = /b\n", nil, "verify.conf line 1: a control character (U+000D) at column 11"},
		{"UTF-16", "\xff\xfef\x00=\x00", nil, "verify.conf line 1: not UTF-8 text"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse([]byte(tt.in), "verify.conf", keys)
			if tt.err != "" {
				if err == nil || !strings.HasPrefix(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(f.Entries, tt.want) {
				t.Errorf("entries %+v, want %+v", f.Entries, tt.want)
			}
		})
	}
}

func TestRead(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "verify.conf")
	if err := os.WriteFile(p, []byte("formular = /f\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Read(p, keys)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := f.Get("formular"); !ok || e.Value != "/f" || f.Errorf(e, "bad").Error() != p+" line 1: formular: bad" {
		t.Errorf("Get = %v, %v", e, ok)
	}
	if _, ok := f.Get("media"); ok {
		t.Error("Get found a key the file does not give")
	}
	if err := os.WriteFile(p, make([]byte, MaxSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(p, keys); err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("a file over MaxSize: %v", err)
	}
	if _, err := Read(dir, keys); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("a directory: %v", err)
	}
}

func TestParsePeriod(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Duration
		err  string
	}{
		{"30m", 30 * time.Minute, ""},
		{"36h", 36 * time.Hour, ""},
		{"1d", 24 * time.Hour, ""},
		{"2w", 14 * 24 * time.Hour, ""},
		{"3650d", 3650 * 24 * time.Hour, ""},
		{"0d", 0, "at least 1m"},
		{"3651d", 0, "at most ten years"},
		{"99999999999d", 0, "ten years"},
		{"521w", 521 * 7 * 24 * time.Hour, ""},
		{"522w", 0, "ten years"},
		{"17000w", 0, "ten years"}, // would wrap around to a negative duration
		{"4294967295m", 0, "ten years"},
		{"1", 0, "expected a number and a unit"},
		{"d", 0, "expected a number and a unit"},
		{"-1d", 0, "expected a number and a unit"},
		{"+1d", 0, "expected a number and a unit"},
		{"1.5d", 0, "whole number"},
		{"1y", 0, "expected a number and a unit"},
		{"1 d", 0, "whole number"},
		{"24H", 0, "expected a number and a unit"},
	} {
		got, err := ParsePeriod(tt.in)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParsePeriod(%q): error %v, want %q", tt.in, err, tt.err)
		case tt.err == "" && (err != nil || got != tt.want):
			t.Errorf("ParsePeriod(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}
