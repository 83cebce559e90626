package formular

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf16"
)

func utf16le(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u), byte(u>>8))
	}
	return out
}

func utf16be(s string) []byte {
	out := []byte{0xFE, 0xFF}
	for _, u := range utf16.Encode([]rune(s)) {
		out = append(out, byte(u>>8), byte(u))
	}
	return out
}

func TestNormalizeTables(t *testing.T) {
	const strict = "[parameters format=ini]\nLog.Level in {info, warning}  # Уровень\n"
	tests := []struct {
		name    string
		in      []byte
		out     string
		changes []string
	}{
		{"strict", []byte(strict), strict, nil},
		{"CRLF", []byte("[parameters format=ini]\r\nLog.Level in {info, warning}  # Уровень\r\n"), strict, []string{"CRLF line ends changed to LF (lines 1, 2)"}},
		{"CR", []byte("[parameters format=ini]\rLog.Level in {info, warning}  # Уровень\r"), strict, []string{"CR line ends changed to LF (lines 1, 2)"}},
		{"BOM", []byte("\ufeff" + strict), strict, []string{"the UTF-8 byte order mark removed"}},
		{"tabs", []byte("[parameters\tformat=ini]\nLog.Level\tin {info, warning}  # Уровень\n"), strict, []string{"tabs replaced by spaces (lines 1, 2)"}},
		{"trailing spaces after a header", []byte("[parameters format=ini]   \nLog.Level in {info, warning}  # Уровень\n"), strict, []string{"trailing spaces removed (line 1)"}},
		{"spaces alone", []byte("  \n" + strict), "\n" + strict, []string{"trailing spaces removed (line 1)"}},
		{"trailing spaces of a row kept", []byte("[media sha256]\n" + h64 + " - a \n"), "[media sha256]\n" + h64 + " - a \n", nil},
		{"UTF-16 LE from Notepad", utf16le("[parameters format=ini]\r\nLog.Level\tin {info, warning}  # Уровень\r\n"), strict,
			[]string{"converted from UTF-16 to UTF-8", "CRLF line ends changed to LF (lines 1, 2)", "tabs replaced by spaces (line 2)"}},
		{"UTF-16 BE", utf16be(strict), strict, []string{"converted from UTF-16 to UTF-8"}},
		{"many lines", []byte(strings.Repeat("\r\n", 7)), strings.Repeat("\n", 7), []string{"CRLF line ends changed to LF (lines 1, 2, 3, 4, 5, and 2 more)"}},
		{"no final line end", []byte("[parameters format=ini]\r\nA present"), "[parameters format=ini]\nA present", []string{"CRLF line ends changed to LF (line 1)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, changes, err := NormalizeTables(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.out {
				t.Errorf("got %q, want %q", out, tt.out)
			}
			if strings.Join(changes, "|") != strings.Join(tt.changes, "|") {
				t.Errorf("changes %q, want %q", changes, tt.changes)
			}
		})
	}
	for _, bad := range [][]byte{{0xFF, 0xFE, 0x41}, {0xFF, 0xFE, 0x00, 0xD8, 0x41, 0x00}, []byte("\ufeff\xfe\xff"), []byte("\ufeff\ufeff\xff\xfeA\x00")} {
		if _, _, err := NormalizeTables(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

// TestNormalizedParseStrict: Parse itself stays strict; only the text
// NormalizeTables hands it is accepted.
func TestNormalizedParseStrict(t *testing.T) {
	in := []byte("\ufeff[parameters format=ini]\r\nA\tpresent\r\n")
	if _, err := ParseTables(in, "t.txt"); err == nil {
		t.Fatal("ParseTables accepted a BOM, CRLF and tabs")
	}
	out, _, err := NormalizeTables(in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseTables(out, "t.txt"); err != nil {
		t.Fatal(err)
	}
}

// FuzzNormalizeTables: never panics; the result has no CR, tab or byte
// order mark, normalising it again changes nothing, the line count is
// kept, and text the strict parser already reads parses to the same
// tables.
func FuzzNormalizeTables(f *testing.F) {
	f.Add([]byte("\ufeff[parameters format=ini]\r\nA\tpresent\r\n"))
	f.Add(utf16le("[media sha256]\r\n" + h64 + " - a\r\n"))
	f.Add([]byte("[media sha256]   \n  \n" + h64 + " - a \r"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, _, err := NormalizeTables(data)
		if err != nil {
			return
		}
		if bytes.ContainsAny(out, "\r\t") || bytes.HasPrefix(out, []byte("\ufeff")) {
			t.Fatalf("%q normalised to %q", data, out)
		}
		again, changes, err := NormalizeTables(out)
		if err != nil || !bytes.Equal(again, out) || len(changes) > 0 {
			t.Fatalf("not stable: %q -> %q (%v, %v)", out, again, changes, err)
		}
		if len(data) == 0 || data[0] != 0xFF && data[0] != 0xFE {
			if n, m := bytes.Count(data, []byte("\n"))+bytes.Count(data, []byte("\r"))-bytes.Count(data, []byte("\r\n")), bytes.Count(out, []byte("\n")); n != m {
				t.Fatalf("%d lines became %d: %q -> %q", n, m, data, out)
			}
		}
		t1, err := ParseTables(data, "fuzz")
		if err != nil {
			return
		}
		t2, err := ParseTables(out, "fuzz")
		if err != nil {
			t.Fatalf("strict text %q no longer parses once normalised: %v", data, err)
		}
		m1, err1 := Marshal(&Formular{Version: FormatVersion, Tables: t1})
		m2, err2 := Marshal(&Formular{Version: FormatVersion, Tables: t2})
		if err1 != nil || err2 != nil || !bytes.Equal(m1, m2) {
			t.Fatalf("normalising changed the tables of %q", data)
		}
	})
}
