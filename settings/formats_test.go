package settings

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

func TestINI(t *testing.T) {
	runParseCases(t, "ini", []parseCase{{
		name: "sections and top-level keys",
		in:   "top=1\n[A]\nk = v \n[B.C]\nk=w\n",
		looks: []lookup{
			{key: "top", text: "1", line: 1},
			{key: "A.k", text: "v", line: 3},
			{key: "B.C.k", text: "w", line: 5},
			{key: "a.k", absent: true},
			{key: "A.K", absent: true},
		},
		keys: []string{"A.k", "B.C.k", "top"},
	}, {
		name:  "comments, CRLF and blank lines",
		in:    "\xef\xbb\xbf; c\r\n# c\r\n\r\n[S] ; trailing comment\r\n  k=v\r\n",
		looks: []lookup{{key: "S.k", text: "v", line: 5}},
		keys:  []string{"S.k"},
	}, {
		name: "quotes and no inline comments",
		in:   "[S]\na=\"x y\"\nb='z'\nc=\"half\nd=v ; not a comment\ne=\"\"\nf=a=b\n",
		looks: []lookup{
			{key: "S.a", text: "x y", line: 2},
			{key: "S.b", text: "z", line: 3},
			{key: "S.c", text: `"half`, line: 4},
			{key: "S.d", text: "v ; not a comment", line: 5},
			{key: "S.e", text: "", line: 6},
			{key: "S.f", text: "a=b", line: 7},
		},
	}, {
		name:  "duplicated key: last wins, warning at the second line",
		in:    "[S]\nk=1\n[T]\nk=x\n[S]\nk=2\n",
		looks: []lookup{{key: "S.k", text: "2", line: 6, others: []Reading{{Text: "1", Line: 2, Present: true}}}, {key: "T.k", text: "x", line: 4}},
		warns: []int{6},
	}, {
		name: "line that is nothing", in: "[S]\nk=v\njunk\n", errLn: 3, errMsg: `"junk"`,
	}, {
		name: "unclosed section", in: "\n[S\n", errLn: 2, errMsg: "closing",
	}, {
		name: "empty section", in: "[ ]\n", errLn: 1, errMsg: "empty section",
	}, {
		name: "text after section", in: "[S] x\n", errLn: 1, errMsg: "after section",
	}, {
		name: "no key", in: "[S]\n = v\n", errLn: 2, errMsg: "without a key",
	}})
}

// TestINIWindowsCase: read for Windows, section and key names compare as
// GetPrivateProfileString compares them, case-insensitively; otherwise
// exactly.
func TestINIWindowsCase(t *testing.T) {
	runParseCases(t, "ini", []parseCase{{
		name: "a key in another case is found", windows: true,
		in: "[Scan]\nScanArchives=no\n",
		looks: []lookup{
			{key: "Scan.ScanArchives", text: "no", line: 2},
			{key: "SCAN.scanarchives", text: "no", line: 2},
			{key: "Scan.Other", absent: true},
		},
		keys: []string{"Scan.ScanArchives"},
	}, {
		name: "keys differing in case are one key given twice", windows: true,
		in:    "[Scan]\nScanArchives=no\nscanarchives=yes\n",
		looks: []lookup{{key: "Scan.ScanArchives", text: "yes", line: 3, others: []Reading{{Text: "no", Line: 2, Present: true}}}},
		keys:  []string{"Scan.scanarchives"},
		warns: []int{3},
	}, {
		name: "sections differing in case are one section", windows: true,
		in:    "[scan]\nA=1\n[SCAN]\na=2\n",
		looks: []lookup{{key: "Scan.A", text: "2", line: 4, others: []Reading{{Text: "1", Line: 2, Present: true}}}},
		keys:  []string{"SCAN.a"},
		warns: []int{4},
	}, {
		name: "elsewhere names are case-sensitive",
		in:   "[Scan]\nScanArchives=no\nscanarchives=yes\n",
		looks: []lookup{
			{key: "Scan.ScanArchives", text: "no", line: 2},
			{key: "Scan.scanarchives", text: "yes", line: 3},
			{key: "SCAN.ScanArchives", absent: true},
		},
		keys: []string{"Scan.ScanArchives", "Scan.scanarchives"},
	}})
}

func TestINIDuplicateWarningNamesBothLines(t *testing.T) {
	_, warns, err := Parse([]byte("[Update]\nThreads=4\n\nThreads=8\n"), "kesl.ini", "ini")
	if err != nil || len(warns) != 1 {
		t.Fatalf("Parse: %v, warnings %v; want one warning", err, warns)
	}
	got := warns[0].String()
	for _, want := range []string{"kesl.ini line 4", "Update.Threads", "line 2"} {
		if !strings.Contains(got, want) {
			t.Errorf("warning %q does not name %q", got, want)
		}
	}
}

// A file that sets keys again thousands of times keeps the first
// MaxWarnings warnings whole and counts the rest in one more, on the last
// of them, in every format that warns of a repetition; every reading is
// still kept for the judging.
func TestWarningsCountedBeyondMax(t *testing.T) {
	const sets = 3 * MaxWarnings
	for _, tc := range []struct {
		format, head, line, tail, key string
		first                         int // the line of the first setting
	}{
		{"ini", "[S]\n", "a=%d\n", "", "S.a", 2},
		{"kv", "", "a=%d\n", "", "a", 1},
		{"reg", "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\S]\n", "\"a\"=\"%d\"\n", "", `HKLM\S\a`, 4},
		{"json", "{\n", "\"a\": %d,\n", "\"b\": 0\n}\n", "/a", 2},
	} {
		t.Run(tc.format, func(t *testing.T) {
			var b strings.Builder
			b.WriteString(tc.head)
			for i := range sets {
				fmt.Fprintf(&b, tc.line, i)
			}
			b.WriteString(tc.tail)
			src, warns, err := Parse([]byte(b.String()), "f", tc.format)
			if err != nil {
				t.Fatal(err)
			}
			if len(warns) != MaxWarnings+1 {
				t.Fatalf("%d warnings, want %d and one counting the rest", len(warns), MaxWarnings+1)
			}
			last := tc.first + sets - 1
			more := warns[MaxWarnings]
			want := fmt.Sprintf("settings f line %d: %d more warnings up to line %d, not shown one by one", last, sets-1-MaxWarnings, last)
			if more.Code != CodeMoreWarnings || more.String() != want {
				t.Errorf("the count of the rest: %s %q, want %q", more.Code, more.String(), want)
			}
			if more.Args["count"] != strconv.Itoa(sets-1-MaxWarnings) || more.Args["last_line"] != strconv.Itoa(last) {
				t.Errorf("its args %v", more.Args)
			}
			v, ok := src.Lookup(tc.key)
			if !ok || len(v.Others) != sets-1 {
				t.Fatalf("Lookup(%s): %v, %d other readings; want %d, every one kept", tc.key, ok, len(v.Others), sets-1)
			}
		})
	}
}

func TestKV(t *testing.T) {
	runParseCases(t, "kv", []parseCase{{
		name: "plain, spaced, exported",
		in:   "A=1\nB = two words \nexport C=3\nexport\tD=4\nexport E\n",
		looks: []lookup{
			{key: "A", text: "1", line: 1},
			{key: "B", text: "two words", line: 2},
			{key: "C", text: "3", line: 3},
			{key: "D", text: "4", line: 4},
			{key: "E", absent: true},
			{key: "a", absent: true},
		},
		keys: []string{"A", "B", "C", "D"},
	}, {
		name: "quotes and escapes",
		in:   `A="x \"y\" \\ \$HOME \n"` + "\nB='a \\ \"b\"'\nC=\"\"\nD=pre\"mid\"'post'\nE=$HOME\n",
		looks: []lookup{
			{key: "A", text: `x "y" \ $HOME \n`, line: 1},
			{key: "B", text: `a \ "b"`, line: 2},
			{key: "C", text: "", line: 3},
			{key: "D", text: "premidpost", line: 4},
			{key: "E", text: "$HOME", line: 5},
		},
	}, {
		name: "comments",
		in:   "# c\n  # c\nA=v # c\nB=v#notc\nC=\"v # in quotes\" # c\nD= #c\nE=#x\n",
		looks: []lookup{
			{key: "A", text: "v", line: 3},
			{key: "B", text: "v#notc", line: 4},
			{key: "C", text: "v # in quotes", line: 5},
			{key: "D", text: "", line: 6},
			{key: "E", text: "#x", line: 7},
		},
	}, {
		name: "multi-line quoted value keeps its first line",
		in:   "A=\"one  \ntwo\"\nB='x\n\ny'\nC=after\n",
		looks: []lookup{
			{key: "A", text: "one  \ntwo", line: 1},
			{key: "B", text: "x\n\ny", line: 3},
			{key: "C", text: "after", line: 6},
		},
	}, {
		name:  "repeated key",
		in:    "A=1\nA=2\nA=3\n",
		looks: []lookup{{key: "A", text: "3", line: 3, others: []Reading{{Text: "1", Line: 1, Present: true}, {Text: "2", Line: 2, Present: true}}}},
		warns: []int{2, 3},
	}, {
		name: "unclosed quote names the key's line", in: "X=1\nA=\"never\nclosed\n", errLn: 2, errMsg: "not closed",
	}, {
		name: "no equals", in: "A=1\njust words\n", errLn: 2, errMsg: "not a key=value",
	}, {
		name: "bad key", in: "my key=1\n", errLn: 1, errMsg: "bad key",
	}, {
		name: "empty key", in: "=1\n", errLn: 1, errMsg: "bad key",
	}})
}

func TestJSON(t *testing.T) {
	runParseCases(t, "json", []parseCase{{
		name: "scalars and containers",
		in:   "{\n \"s\": \"text\",\n \"n\": -1.50E+3,\n \"t\": true,\n \"z\": null,\n \"a\": [1, {\"k\": \"v\"}],\n \"o\": { \"x\" : [ ] }\n}",
		looks: []lookup{
			{key: "/s", text: "text", line: 2},
			{key: "/n", text: "-1.50E+3", line: 3},
			{key: "/t", text: "true", line: 4},
			{key: "/z", text: "", line: 5},
			{key: "/a", text: `[1,{"k":"v"}]`, line: 6},
			{key: "/a/1/k", text: "v", line: 6},
			{key: "/o/x", text: "[]", line: 7},
			{key: "", text: `{"s":"text","n":-1.50E+3,"t":true,"z":null,"a":[1,{"k":"v"}],"o":{"x":[]}}`, line: 1},
			{key: "/a/2", absent: true},
			{key: "s", absent: true},
		},
		keys: []string{"/a/0", "/a/1/k", "/n", "/o/x", "/s", "/t", "/z"},
	}, {
		name: "pointer escapes and value lines",
		in:   "{\"a/b\": 1, \"m~n\": 2, \"\": 3,\n\"k\":\n\n  \"late\"}",
		looks: []lookup{
			{key: "/a~1b", text: "1", line: 1},
			{key: "/m~0n", text: "2", line: 1},
			{key: "/", text: "3", line: 1},
			{key: "/k", text: "late", line: 4},
		},
		keys: []string{"/", "/a~1b", "/k", "/m~0n"},
	}, {
		name: "top-level scalar", in: " \"only\" ",
		looks: []lookup{{key: "", text: "only", line: 1}},
		keys:  []string{""},
	}, {
		name: "duplicated name replaces the whole value",
		in:   "{\"u\": {\"a\": 1},\n \"u\": {\"b\": 2}}",
		looks: []lookup{
			// The first value lacks b, the last lacks a: each key has a
			// reading in which it is absent.
			{key: "/u/b", text: "2", line: 2, others: []Reading{{Line: 1}}},
			{key: "/u/a", absent: true, others: []Reading{{Text: "1", Line: 1, Present: true}}},
			{key: "/u", text: `{"b":2}`, line: 2, others: []Reading{{Text: `{"a":1}`, Line: 1, Present: true}}},
		},
		warns: []int{2},
	}, {
		name: "syntax error names its line", in: "{\n\"a\": 1,\n\"b\" 2\n}", errLn: 3, errMsg: "invalid character",
	}, {
		name: "trailing comma", in: "{\"a\": 1,\n}", errLn: 2, errMsg: "invalid character",
	}, {
		name: "unterminated", in: "{\"a\": [1,\n2", errLn: 2, errMsg: "end of JSON",
	}, {
		name: "empty", in: "  \n", errLn: 2, errMsg: "end of JSON",
	}, {
		name: "two documents", in: "{}\n{}", errLn: 2, errMsg: "after the JSON document",
	}, {
		name: "too deep", in: strings.Repeat("[", maxDepth+2), errLn: 1, errMsg: "nested deeper",
	}})
}

func TestXML(t *testing.T) {
	runParseCases(t, "xml", []parseCase{{
		name: "elements, attributes, indexes",
		in:   "<r a=\"1\">\n <x>one</x>\n <x> two </x>\n <y k='v'/>\n <z/>\n <w>\n  <v>deep</v>\n </w>\n</r>\n",
		looks: []lookup{
			{key: "/r/@a", text: "1", line: 1},
			{key: "/r/x", text: "one", line: 2, others: []Reading{{Text: "two", Line: 3, Present: true}}},
			{key: "/r/x[1]", text: "one", line: 2},
			{key: "/r[1]/x[2]", text: "two", line: 3},
			{key: "/r/y/@k", text: "v", line: 4},
			{key: "/r/y", text: "", line: 4},
			{key: "/r/z", text: "", line: 5},
			{key: "/r/w/v", text: "deep", line: 7},
			{key: "/r/w", text: "", line: 6},
			{key: "/r/x[3]", absent: true},
			{key: "/r/x[0]", absent: true},
			{key: "/r/x[01]", absent: true},
			{key: "/r/@b", absent: true},
			{key: "r/x", absent: true},
			{key: "/@a", absent: true},
		},
		keys:  []string{"/r/@a", "/r/w/v", "/r/x[1]", "/r/x[2]", "/r/y/@k", "/r/z"},
		warns: []int{3},
	}, {
		name: "a repeated element is read in every copy, a missing child too",
		in:   "<r>\n <s><b>1</b></s>\n <s><b>2</b><b>3</b></s>\n <s/>\n</r>\n",
		looks: []lookup{
			{key: "/r/s/b", text: "1", line: 2, others: []Reading{
				{Text: "2", Line: 3, Present: true}, {Text: "3", Line: 3, Present: true}, {Line: 4}}},
			{key: "/r/s[2]/b", text: "2", line: 3, others: []Reading{{Text: "3", Line: 3, Present: true}}},
			{key: "/r/s[2]/b[2]", text: "3", line: 3},
			{key: "/r/s[3]/b", absent: true},
		},
		keys:  []string{"/r/s[1]/b", "/r/s[2]/b[1]", "/r/s[2]/b[2]", "/r/s[3]"},
		warns: []int{3, 3},
	}, {
		name: "an attribute given twice: the last, and the first as a reading",
		in:   "<r>\n<s a='safe' a='unsafe'/>\n</r>",
		looks: []lookup{
			{key: "/r/s/@a", text: "unsafe", line: 2, others: []Reading{{Text: "safe", Line: 2, Present: true}}},
		},
		keys:  []string{"/r/s/@a"},
		warns: []int{2},
	}, {
		name: "namespaces, CDATA, comments, entities",
		in:   "<?xml version=\"1.0\"?>\n<!-- c -->\n<s:r xmlns:s=\"urn:x\" xmlns=\"urn:y\" s:a=\"&lt;1&gt;\">\n<s:p><![CDATA[a<b]]></s:p><q>x &amp; y</q></s:r>",
		looks: []lookup{
			{key: "/r/@a", text: "<1>", line: 3},
			{key: "/r/p", text: "a<b", line: 4},
			{key: "/r/q", text: "x & y", line: 4},
		},
		keys: []string{"/r/@a", "/r/p", "/r/q"},
	}, {
		name:  "UTF-16 with BOM and declaration",
		in:    "\xff\xfe" + utf16le("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<r><k>Ж</k></r>"),
		looks: []lookup{{key: "/r/k", text: "Ж", line: 2}},
	}, {
		name:  "declared single-byte encoding",
		in:    "<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n<r><k>\xc6</k></r>",
		looks: []lookup{{key: "/r/k", text: "Ж", line: 2}},
	}, {
		name: "mismatched tag names its line", in: "<r>\n<a>\n</b>\n</r>", errLn: 3, errMsg: "",
	}, {
		name: "unclosed", in: "<r>\n<a>x</a>\n", errLn: 3, errMsg: "unexpected EOF",
	}, {
		name: "second root", in: "<r/>\n<s/>", errLn: 2, errMsg: "second root",
	}, {
		name: "text outside", in: "<r/>\nstray", errLn: 2, errMsg: "outside the root",
	}, {
		name: "no root", in: "<?xml version=\"1.0\"?>\n", errLn: 2, errMsg: "no root",
	}, {
		name: "unknown encoding", in: "<?xml version=\"1.0\" encoding=\"x-nonesuch\"?>\n<r/>", errLn: 1, errMsg: "encoding",
	}, {
		name: "too deep", in: strings.Repeat("<a>", maxDepth+2), errLn: 1, errMsg: "nested deeper",
	}})
}

func utf16le(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r > 0xffff {
			panic("test text outside the BMP")
		}
		b.WriteByte(byte(r))
		b.WriteByte(byte(r >> 8))
	}
	return b.String()
}

const h5 = "Windows Registry Editor Version 5.00\r\n\r\n"

func TestReg(t *testing.T) {
	runParseCases(t, "reg", []parseCase{{
		name: "UTF-8 version 5 with every data type",
		in: h5 + `[HKEY_CURRENT_USER\Software\Vendor]` + "\r\n" +
			`@="default"` + "\r\n" +
			`"Str"="a \"quoted\" C:\\path\\"` + "\r\n" +
			`"Dw"=dword:ffffffff` + "\r\n" +
			`"Qw"=hex(b):01,00,00,00,00,00,00,80` + "\r\n" +
			`"Exp"=hex(2):25,00,41,00,25,00,00,00` + "\r\n" +
			`"Multi"=hex(7):61,00,00,00,62,00,63,00,00,00,00,00` + "\r\n" +
			`"EmptyMulti"=hex(7):00,00` + "\r\n" +
			`"Bin"=hex:0A,ff` + "\r\n" +
			`"None"=hex(0):` + "\r\n" +
			`"BigEndian"=hex(5):00,00,01,00` + "\r\n" +
			`"Name with = and \\"=dword:1` + "\r\n" +
			`"Spaced" = "v"` + "\r\n",
		looks: []lookup{
			{key: `HKCU\Software\Vendor\(Default)`, text: "default", line: 4},
			{key: `HKCU\Software\Vendor\`, absent: true},
			{key: `HKCU\Software\Vendor\Str`, text: `a "quoted" C:\path\`, line: 5},
			{key: `HKCU\Software\Vendor\Dw`, text: "4294967295", line: 6},
			{key: `HKCU\Software\Vendor\Qw`, text: "9223372036854775809", line: 7},
			{key: `HKCU\Software\Vendor\Exp`, text: "%A%", line: 8},
			{key: `HKCU\Software\Vendor\Multi`, text: "a\nbc", line: 9},
			{key: `HKCU\Software\Vendor\EmptyMulti`, text: "", line: 10},
			{key: `HKCU\Software\Vendor\Bin`, text: "0aff", line: 11},
			{key: `HKCU\Software\Vendor\None`, text: "", line: 12},
			{key: `HKCU\Software\Vendor\BigEndian`, text: "256", line: 13},
			{key: `HKEY_CURRENT_USER\SOFTWARE\VENDOR\name with = and \`, text: "1", line: 14},
			{key: `HKCU\Software\Vendor\Spaced`, text: "v", line: 15},
		},
	}, {
		name: "REGEDIT4 with ANSI strings and continuations",
		in: "REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\V]\n" +
			"\"E\"=hex(2):25,41,25,\\\n  00\n" +
			"\"M\"=hex(7):61,00,62,\\\n    00,\\\n  00\n" +
			"\"After\"=\"x\"\n",
		looks: []lookup{
			{key: `HKLM\SOFTWARE\V\E`, text: "%A%", line: 4},
			{key: `HKLM\SOFTWARE\V\M`, text: "a\nb", line: 6},
			{key: `HKLM\SOFTWARE\V\After`, text: "x", line: 9},
		},
		keys: []string{`HKLM\SOFTWARE\V\After`, `HKLM\SOFTWARE\V\E`, `HKLM\SOFTWARE\V\M`},
	}, {
		name: "hives abbreviated either way, sections repeated",
		in: h5 + "[HKEY_CLASSES_ROOT\\a]\n\"v\"=\"1\"\n[HKEY_USERS\\b]\n\"v\"=\"2\"\n[HKEY_CURRENT_CONFIG\\c]\n\"v\"=\"3\"\n" +
			"[hklm\\d]\n\"v\"=\"4\"\n[HKEY_LOCAL_MACHINE\\D]\n\"V\"=\"5\"\n",
		looks: []lookup{
			{key: `HKCR\a\v`, text: "1", line: 4},
			{key: `HKEY_USERS\b\v`, text: "2", line: 6},
			{key: `hkcc\C\V`, text: "3", line: 8},
			{key: `HKLM\d\v`, text: "5", line: 12, others: []Reading{{Text: "4", Line: 10, Present: true}}},
		},
		keys:  []string{`HKCC\c\v`, `HKCR\a\v`, `HKLM\D\V`, `HKU\b\v`},
		warns: []int{12},
	}, {
		name: "deletions apply in file order, with warnings",
		in: h5 + "[HKLM\\A\\B]\n\"x\"=\"1\"\n\"y\"=\"2\"\n[HKLM\\A\\BC]\n\"z\"=\"3\"\n" +
			"[HKLM\\A\\B]\n\"y\"=-\n[-HKLM\\a]\n[HKLM\\A\\BC]\n\"w\"=\"4\"\n",
		looks: []lookup{
			{key: `HKLM\A\B\x`, absent: true},
			{key: `HKLM\A\B\y`, absent: true},
			{key: `HKLM\A\BC\z`, absent: true},
			{key: `HKLM\A\BC\w`, text: "4", line: 12},
		},
		keys:  []string{`HKLM\A\BC\w`},
		warns: []int{9, 10},
	}, {
		name: "comment lines", in: h5 + "; c\n[HKLM\\A]\n; c\n\"x\"=\"1\"\n",
		looks: []lookup{{key: `HKLM\A\x`, text: "1", line: 6}},
	}, {
		name: "not an export", in: "[HKLM\\A]\n", errLn: 1, errMsg: "not a registry export",
	}, {
		name: "empty", in: "\r\n", errLn: 1, errMsg: "empty",
	}, {
		name: "unknown hive", in: h5 + "[HKEY_NOWHERE\\A]\n", errLn: 3, errMsg: "unknown root key",
	}, {
		name: "value before any key", in: h5 + "\"x\"=\"1\"\n", errLn: 3, errMsg: "outside of a key",
	}, {
		name: "value after a deleted key", in: h5 + "[-HKLM\\A]\n\"x\"=\"1\"\n", errLn: 4, errMsg: "outside of a key",
	}, {
		name: "bad dword", in: h5 + "[HKLM\\A]\n\"x\"=dword:123456789\n", errLn: 4, errMsg: "dword",
	}, {
		name: "bad hex byte", in: h5 + "[HKLM\\A]\n\"x\"=hex:01,\\\n  zz\n", errLn: 4, errMsg: "byte 2",
	}, {
		name: "unclosed name", in: h5 + "[HKLM\\A]\n\"x=\"1\n", errLn: 4, errMsg: "=",
	}, {
		name: "unclosed string", in: h5 + "[HKLM\\A]\n\"x\"=\"1\n", errLn: 4, errMsg: "not closed",
	}, {
		name: "text after string", in: h5 + "[HKLM\\A]\n\"x\"=\"1\" 2\n", errLn: 4, errMsg: "after string",
	}, {
		name: "unknown data", in: h5 + "[HKLM\\A]\n\"x\"=word:1\n", errLn: 4, errMsg: "unknown value data",
	}, {
		name: "stray line", in: h5 + "[HKLM\\A]\nx=1\n", errLn: 4, errMsg: "not a key, value",
	}, {
		name: "unclosed key", in: h5 + "[HKLM\\A\n", errLn: 3, errMsg: "closing",
	}})
}

func TestRegText(t *testing.T) {
	tests := []struct {
		typ  uint32
		data string
		wide bool
		want string
	}{
		{regSZ, "a\x00b\x00\x00\x00", true, "ab"},
		{regSZ, "a\x00b\x00", true, "ab"}, // no terminator
		{regSZ, "a\x00\x00\x00junk", true, "a"},
		{regSZ, "a\x00b", true, "a"}, // odd last byte
		{regSZ, "", true, ""},
		{regExpandSZ, "%\x00X\x00%\x00\x00\x00", true, "%X%"},
		{regMultiSZ, "a\x00\x00\x00\x00\x00b\x00\x00\x00\x00\x00", true, "a\n\nb"},
		{regMultiSZ, "ab\x00c\x00\x00", false, "ab\nc"},
		{regDword, "\x1f\x00\x00\x00", true, "31"},
		{regDword, "\x1f\x00", true, "1f00"}, // wrong size reads as bytes
		{regDwordBigEndian, "\x00\x00\x00\x1f", true, "31"},
		{regQword, "\xff\xff\xff\xff\xff\xff\xff\xff", true, "18446744073709551615"},
		{regBinary, "\x00\xAB", true, "00ab"},
		{8, "\x01", true, "01"}, // resource list
	}
	for _, tt := range tests {
		if got := regText(tt.typ, []byte(tt.data), tt.wide); got != tt.want {
			t.Errorf("regText(%d, %q, %v) = %q, want %q", tt.typ, tt.data, tt.wide, got, tt.want)
		}
	}
}

// An XML document that repeats elements and attributes thousands of times
// is held to the same count: MaxWarnings whole, the rest in one more.
func TestXMLWarningsCountedBeyondMax(t *testing.T) {
	const sets = 3 * MaxWarnings
	var b strings.Builder
	b.WriteString("<r>\n")
	for i := range sets {
		// Each <p> repeats <a> and an attribute: two warnings a line.
		fmt.Fprintf(&b, "<p x=\"%d\" x=\"%d\"><a>1</a><a>2</a></p>\n", i, i)
	}
	b.WriteString("</r>\n")
	_, warns, err := Parse([]byte(b.String()), "f", "xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != MaxWarnings+1 {
		t.Fatalf("%d warnings, want %d and one counting the rest", len(warns), MaxWarnings+1)
	}
	more := warns[MaxWarnings]
	if more.Code != CodeMoreWarnings || more.Args["last_line"] != strconv.Itoa(sets+1) {
		t.Errorf("the count of the rest: %s %v", more.Code, more.Args)
	}
	// sets attributes and sets elements given twice, and <p> itself.
	if want := strconv.Itoa(2*sets + 1 - MaxWarnings); more.Args["count"] != want {
		t.Errorf("%s counted beyond the first %d, want %s", more.Args["count"], MaxWarnings, want)
	}
}
