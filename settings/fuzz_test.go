package settings

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// checkParsed asserts what holds for any input of any format: an error is
// a ParseError with a line inside the input, and a source lists sorted,
// distinct keys that it can all look up, at lines inside the input.
func checkParsed(t *testing.T, data []byte, format string) (Source, error) {
	return checkParsedWith(t, data, format, Options{})
}

// checkParsedWith is checkParsed with options. The other readings of a
// key, too, lie at lines inside the input.
func checkParsedWith(t *testing.T, data []byte, format string, o Options) (Source, error) {
	src, warns, err := ParseWith(data, "fuzz", format, o)
	maxLine := bytes.Count(data, []byte{'\n'}) + 1
	if err != nil {
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Fatalf("error %v is not a ParseError", err)
		}
		if pe.Line < 1 || pe.Line > maxLine || pe.File != "fuzz" {
			t.Fatalf("error %v: line outside 1..%d", err, maxLine)
		}
		return nil, err
	}
	keys := src.Keys()
	if !slices.IsSorted(keys) || len(slices.Compact(slices.Clone(keys))) != len(keys) {
		t.Fatalf("Keys() not sorted and distinct: %q", keys)
	}
	for _, k := range keys {
		v, ok := src.Lookup(k)
		if !ok {
			t.Fatalf("Keys() lists %q, Lookup does not find it", k)
		}
		if v.Line < 1 || v.Line > maxLine {
			t.Fatalf("Lookup(%q) at line %d, outside 1..%d", k, v.Line, maxLine)
		}
		for _, r := range v.Others {
			if r.Line < 1 || r.Line > maxLine || (!r.Present && r.Text != "") {
				t.Fatalf("Lookup(%q): other reading %+v: line outside 1..%d or text of an absent key", k, r, maxLine)
			}
		}
		if len(v.Others) > 0 && len(warns) == 0 {
			t.Fatalf("Lookup(%q) has other readings %+v but no warning says a name is given twice", k, v.Others)
		}
	}
	for _, w := range warns {
		if w.Line < 1 || w.Line > maxLine || w.Msg == "" {
			t.Fatalf("warning %+v: line outside 1..%d or no message", w, maxLine)
		}
	}
	return src, nil
}

// seed adds the committed fixture and a few inputs to a fuzz target.
func seed(f *testing.F, fixture string, more ...string) {
	data, err := os.ReadFile(filepath.Join("testdata", fixture))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	for _, m := range more {
		f.Add([]byte(m))
	}
}

func FuzzINI(f *testing.F) {
	seed(f, "kesl.ini", "[a]\nb=c\nb=\"d\"\n", "k=v\r\n[s] ;x\r\n", "\xff\xfe[\x00")
	f.Fuzz(func(t *testing.T, data []byte) { checkParsed(t, data, "ini") })
}

// FuzzINIWindows: read for Windows, a listed key with its ASCII letters in
// another case finds the same value. (Beyond ASCII, lower-casing is no
// identity for Windows either: it upper-cases "i" to "I", never to "\u0130".)
func FuzzINIWindows(f *testing.F) {
	seed(f, "kesl.ini", "[a]\nB=c\nb=\"d\"\n[A]\nb=e\n", "[\u0130]\ni=1\n[i\u0307]\nI=2\n")
	f.Fuzz(func(t *testing.T, data []byte) {
		src, err := checkParsedWith(t, data, "ini", Options{Windows: true})
		if err != nil {
			return
		}
		for _, k := range src.Keys() {
			v, _ := src.Lookup(k)
			for _, other := range []string{asciiCase(k, 'a'-'A'), asciiCase(k, 'A'-'a')} {
				w, ok := src.Lookup(other)
				if !ok || w.Text != v.Text || w.Line != v.Line {
					t.Fatalf("Lookup(%q) = %+v %v, Lookup(%q) = %+v", other, w, ok, k, v)
				}
			}
		}
	})
}

func FuzzKV(f *testing.F) {
	seed(f, "kesl.env", "export A=\"x\\\"\ny\" # c\nB='z'\n", "A=1\nA=2\n", "A=\"\\")
	f.Fuzz(func(t *testing.T, data []byte) { checkParsed(t, data, "kv") })
}

func FuzzJSON(f *testing.F) {
	seed(f, "settings.json", `{"a":[1,{"b":null}],"a":{"c~/":true}}`, `[]`, `{"a":1,}`, "\xef\xbb\xbf\"s\"")
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := checkParsed(t, data, "json")
		// The reader must agree with encoding/json on what is JSON, but
		// for its own nesting bound.
		text, derr := decodeText(data)
		if derr != nil || (err != nil && strings.Contains(err.Error(), "nested deeper")) {
			return
		}
		if valid := json.Valid(text); valid != (err == nil) {
			t.Fatalf("json.Valid = %v, Parse error = %v", valid, err)
		}
	})
}

func FuzzXML(f *testing.F) {
	seed(f, "settings.xml", "<a b='1'><c/><c>x</c></a>", "<a:b xmlns:a='u' a:c='1'/>", "<?xml version='1.0' encoding='koi8-r'?><r>\xe1</r>")
	f.Fuzz(func(t *testing.T, data []byte) { checkParsed(t, data, "xml") })
}

func FuzzReg(f *testing.F) {
	seed(f, "kes-export.reg",
		"REGEDIT4\n[HKLM\\A]\n@=hex(7):61,00,\\\n 00\n\"b\"=-\n[-HKLM\\A]\n",
		h5+"[HKCU\\x]\n\"\\\\\"=dword:1\n\"q\"=hex(b):01\n")
	f.Fuzz(func(t *testing.T, data []byte) { checkParsed(t, data, "reg") })
}

// asciiCase shifts the ASCII letters of s to lower case (d = 'a'-'A') or
// upper case (d = 'A'-'a'), leaving every other byte.
func asciiCase(s string, d int) string {
	b := []byte(s)
	for i, c := range b {
		if (d > 0 && c >= 'A' && c <= 'Z') || (d < 0 && c >= 'a' && c <= 'z') {
			b[i] = byte(int(c) + d)
		}
	}
	return string(b)
}
