package settings

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
)

// TestWarningCodes: every warning says what it is by code and arguments,
// next to its English sentence.
func TestWarningCodes(t *testing.T) {
	cases := []struct {
		format, in string
		code       string
		args       map[string]string
	}{
		{"ini", "[S]\nA = 1\n\nA = 2\n", CodeDuplicateKey, map[string]string{"key": "S.A", "first_line": "2"}},
		{"kv", "A=1\nA=2\n", CodeDuplicateKey, map[string]string{"key": "A", "first_line": "1"}},
		{"json", "{\"a\": 1,\n\"a\": 2}", CodeDuplicateName, map[string]string{"name": "a", "first_line": "1"}},
		{"xml", `<r a="1" a="2"/>`, CodeDuplicateAttribute, map[string]string{"attribute": "a", "element": "r"}},
		{"reg", "REGEDIT4\n\n[HKLM\\K]\n\"v\"=\"1\"\n\"v\"=\"2\"\n", CodeDuplicateValue, map[string]string{"value": `HKLM\K\v`, "first_line": "4"}},
		{"reg", "REGEDIT4\n\n[-HKLM\\K]\n", CodeDeletesKey, map[string]string{"key": `HKLM\K`}},
		{"reg", "REGEDIT4\n\n[HKLM\\K]\n\"v\"=-\n", CodeDeletesValue, map[string]string{"value": `HKLM\K\v`}},
	}
	for _, c := range cases {
		_, warns, err := Parse([]byte(c.in), "f", c.format)
		if err != nil {
			t.Errorf("%s %q: %v", c.format, c.in, err)
			continue
		}
		if len(warns) != 1 {
			t.Errorf("%s %q: %d warnings, want 1", c.format, c.in, len(warns))
			continue
		}
		w := warns[0]
		if w.Code != c.code || !maps.Equal(w.Args, c.args) {
			t.Errorf("%s %q: code %s args %v, want %s %v", c.format, c.in, w.Code, w.Args, c.code, c.args)
		}
		if !slices.Contains(Codes(), w.Code) {
			t.Errorf("Codes lacks %s", w.Code)
		}
		if w.Msg == "" || strings.Contains(w.Msg, w.Code) {
			t.Errorf("%s: message %q is not an English sentence", w.Code, w.Msg)
		}
	}
}

// TestINIDuplicateKeyWarning: the warning of a duplicated INI key keeps
// its English sentence and says the same by code and arguments.
func TestINIDuplicateKeyWarning(t *testing.T) {
	_, warns, err := Parse([]byte("[Update]\nThreads = 4\nThreads = 32\n"), "kesl.ini", "ini")
	if err != nil || len(warns) != 1 {
		t.Fatalf("warnings %v, error %v", warns, err)
	}
	want := Warning{File: "kesl.ini", Line: 3,
		Msg:  `key "Update.Threads" set again (first at line 2); the value of line 3 wins`,
		Code: CodeDuplicateKey, Args: map[string]string{"key": "Update.Threads", "first_line": "2"}}
	if w := warns[0]; w.File != want.File || w.Line != want.Line || w.Msg != want.Msg || w.Code != want.Code || !maps.Equal(w.Args, want.Args) {
		t.Errorf("got %+v\nwant %+v", w, want)
	}
}

// TestParseErrorCodes: a source that cannot be read says why by code and
// arguments too, and its English text is unchanged.
func TestParseErrorCodes(t *testing.T) {
	cases := []struct {
		format, in string
		code       string
		line       int
		args       map[string]string
		text       string
	}{
		{"ini", "[S\n", CodeINISectionUnclosed, 1, nil, `settings f line 1: section header without closing "]"`},
		{"ini", "[S] x\n", CodeINITextAfterSection, 1, map[string]string{"text": `"x"`}, `settings f line 1: text after section header: "x"`},
		{"ini", "[ ]\n", CodeINIEmptySection, 1, nil, "settings f line 1: empty section name"},
		{"ini", "\nnonsense\n", CodeINIBadLine, 2, map[string]string{"text": `"nonsense"`}, `settings f line 2: not a section, key=value, comment or blank line: "nonsense"`},
		{"ini", "= 1\n", CodeININoKey, 1, nil, "settings f line 1: key=value line without a key"},
		{"kv", "nonsense\n", CodeKVBadLine, 1, map[string]string{"text": `"nonsense"`}, `settings f line 1: not a key=value, comment or blank line: "nonsense"`},
		{"kv", "a b=1\n", CodeKVBadKey, 1, map[string]string{"key": `"a b"`}, `settings f line 1: bad key "a b"`},
		{"kv", "A='x\n", CodeKVQuoteOpen, 1, nil, "settings f line 1: quote ' not closed"},
		{"reg", "", CodeRegEmpty, 1, nil, "settings f line 1: empty file, not a registry export"},
		{"reg", "hello\n", CodeRegBadHeader, 1, map[string]string{"text": `"hello"`}, `settings f line 1: not a registry export: want "Windows Registry Editor Version 5.00" or "REGEDIT4", got "hello"`},
		{"reg", "REGEDIT4\n[HKLM\\K\n", CodeRegKeyUnclosed, 2, nil, `settings f line 2: key line without closing "]"`},
		{"reg", "REGEDIT4\n[HKXX\\K]\n", CodeRegUnknownRoot, 2, map[string]string{"key": `"HKXX\\K"`}, `settings f line 2: unknown root key in "HKXX\\K"`},
		{"reg", "REGEDIT4\n\"v\"=\"1\"\n", CodeRegValueOutsideKey, 2, nil, "settings f line 2: value outside of a key"},
		{"reg", "REGEDIT4\n[HKLM\\K]\n\"v\"\n", CodeRegNoEquals, 3, nil, `settings f line 3: value name without "="`},
		{"reg", "REGEDIT4\n[HKLM\\K]\n\"v\"=dword:xyz\n", CodeRegBadData, 3, nil, `settings f line 3: dword data "xyz": want hex digits`},
		{"json", "{\"a\": 1} 2", CodeJSONTextAfter, 1, nil, "settings f line 1: text after the JSON document"},
		{"json", "{\"a\": ", CodeJSONUnexpectedEnd, 1, nil, "settings f line 1: unexpected end of JSON input"},
		{"xml", "", CodeXMLNoRoot, 1, nil, "settings f line 1: no root element"},
		{"xml", "<a/><b/>", CodeXMLSecondRoot, 1, map[string]string{"element": "b"}, "settings f line 1: second root element <b>"},
		{"xml", "<a>", CodeXMLSyntax, 1, nil, ""},
		{"ini", "\xff\xfe\x41", CodeUTF16OddLength, 1, nil, "settings f line 1: UTF-16 text with an odd number of bytes"},
		{"yaml", "", CodeUnknownFormat, 0, map[string]string{"format": "yaml", "known": "ini, json, kv, reg, xml"}, `settings f: unknown format "yaml" (known: ini, json, kv, reg, xml)`},
		{"registry", "", CodeRegistryFormat, 0, nil, "settings f: the live registry is not a file format; read it with OpenRegistry"},
	}
	for _, c := range cases {
		_, _, err := Parse([]byte(c.in), "f", c.format)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%s %q: %v, want a ParseError", c.format, c.in, err)
			continue
		}
		if pe.Code != c.code || pe.Line != c.line || !maps.Equal(pe.Args, c.args) {
			t.Errorf("%s %q: code %s line %d args %v, want %s %d %v", c.format, c.in, pe.Code, pe.Line, pe.Args, c.code, c.line, c.args)
		}
		if c.text != "" && err.Error() != c.text {
			t.Errorf("%s %q: %q, want %q", c.format, c.in, err.Error(), c.text)
		}
		if !slices.Contains(Codes(), pe.Code) {
			t.Errorf("Codes lacks %s", pe.Code)
		}
	}
}
