package formular

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/sverka/sverka/checksum"
)

// h64 is a 64-digit hex digest for rows of sha256 columns.
var h64 = strings.Repeat("ab", 32)

func mustParse(t *testing.T, s string) *Formular {
	t.Helper()
	f, err := Parse([]byte(s), "test.formular")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f
}

func mustMarshal(t *testing.T, f *Formular) []byte {
	t.Helper()
	b, err := Marshal(f)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	return b
}

// needAlgorithms skips a test whose input names algorithms the checksum
// registry does not offer in this build.
func needAlgorithms(t *testing.T, names ...string) {
	t.Helper()
	for _, n := range names {
		if _, err := checksum.Lookup(n); err != nil {
			t.Skipf("checksum registry lacks %s", n)
		}
	}
}

func TestParseModel(t *testing.T) {
	in := "sverka-formular 1\n" +
		"product: Продукт\n" +
		"valid-until: 2027-05-31\n" +
		"x-vendor-note: kept as is\n" +
		"\n" +
		"# a comment\n" +
		"[media closed sha256 md5]\n" +
		h64 + " " + strings.Repeat("cd", 16) + " 10 z/last file.txt\n" +
		"\\" + h64 + " " + strings.Repeat("cd", 16) + " 0 a\\\\b\\nc\\xff\n" +
		"\n" +
		"[modules root=${INSTALLDIR} default=/opt/x default.windows=\"C:\\Program Files\\X\" mode sha256]\n" +
		h64 + " 5 0755 bin/tool\n" +
		"[parameters source=/etc/x.ini format=ini closed]\n" +
		"Scan.Archives = yes  # 4.2 of the manual\n" +
		"\"Key With Spaces\" in {a, \"b c\"}\n"
	f := mustParse(t, in)
	if f.Version != 1 || f.Product() != "Продукт" || f.Get("x-vendor-note") != "kept as is" {
		t.Errorf("header: %+v", f.Header)
	}
	if d, ok, err := f.ValidUntil(); !ok || err != nil || d.Format(DateLayout) != "2027-05-31" {
		t.Errorf("ValidUntil = %v %v %v", d, ok, err)
	}
	if _, ok, _ := f.SupportUntil(); ok {
		t.Error("SupportUntil present")
	}
	if len(f.Tables) != 3 {
		t.Fatalf("%d tables", len(f.Tables))
	}
	media := f.Tables[0]
	if media.Kind != KindMedia || !media.Closed || media.Line != 7 || len(media.Columns) != 2 || media.Columns[1].Alg.Name != "md5" {
		t.Errorf("media table: %+v", media)
	}
	if len(media.Entries) != 2 {
		t.Fatalf("media entries: %+v", media.Entries)
	}
	// Sorted by path: "a\\b..." before "z/...".
	if e := media.Entries[0]; e.Path != "a\\b\nc\xff" || e.Size != 0 || e.Line != 9 {
		t.Errorf("escaped entry: %+v", e)
	}
	if e := media.Entries[1]; e.Path != "z/last file.txt" || e.Size != 10 || len(e.Sums) != 32+16 || e.Sum(media.Columns, 1)[0] != 0xcd {
		t.Errorf("entry: %+v", e)
	}
	mod := f.Tables[1]
	if name, ok := mod.RootVar(); !ok || name != "INSTALLDIR" || mod.Root != "${INSTALLDIR}" {
		t.Errorf("root: %q", mod.Root)
	}
	if d, _ := mod.Default("windows"); d != `C:\Program Files\X` {
		t.Errorf("windows default %q", d)
	}
	if d, _ := mod.Default("linux"); d != "/opt/x" {
		t.Errorf("linux default %q", d)
	}
	if !mod.HasMode || mod.Entries[0].Mode != 0o755 {
		t.Errorf("mode: %+v", mod)
	}
	par := f.Tables[2]
	if par.Source != "/etc/x.ini" || par.Format != "ini" || !par.Closed || len(par.Params) != 2 {
		t.Fatalf("parameters: %+v", par)
	}
	if p := par.Params[0]; p.Key != "Scan.Archives" || p.Op != OpEq || p.Values[0] != "yes" || p.Note != "4.2 of the manual" {
		t.Errorf("param 0: %+v", p)
	}
	if p := par.Params[1]; p.Key != "Key With Spaces" || p.Op != OpIn || strings.Join(p.Values, "|") != "a|b c" {
		t.Errorf("param 1: %+v", p)
	}

	// The canonical form drops the comment, sorts rows, adds nothing else.
	want := strings.Replace(in, "# a comment\n", "", 1)
	want = strings.Replace(want, "0755 bin/tool\n[parameters", "0755 bin/tool\n\n[parameters", 1)
	lines := strings.Split(want, "\n")
	lines[6], lines[7] = lines[7], lines[6]
	want = strings.Join(lines, "\n")
	if got := string(mustMarshal(t, f)); got != want {
		t.Errorf("canonical form:\n%s\nwant:\n%s", got, want)
	}
}

func TestParseErrors(t *testing.T) {
	v := "sverka-formular 1\n"
	media := v + "\n[media sha256]\n"
	cases := []struct {
		name, in string
		line     int
		want     string
	}{
		{"empty", "", 1, "missing version line"},
		{"no version", "product: x\n", 1, "missing version line"},
		{"version 2", "sverka-formular 2\n", 1, "unsupported format version 2"},
		{"bad version", "sverka-formular one\n", 1, "bad version line"},
		{"bom", "\uFEFFsverka-formular 1\n", 1, "byte order mark"},
		{"crlf", "sverka-formular 1\r\n", 1, "carriage return"},
		{"tab", v + "product:\tx\n", 2, "control character"},
		{"not utf8", v + "product: \xff\n", 2, "not valid UTF-8"},
		{"no table", v + "product: x\n", 2, "no table"},
		{"bad header", v + "Product: x\n", 2, "expected a header line"},
		{"empty value", v + "product:\n", 2, "non-empty"},
		{"dup header", v + "product: x\nproduct: y\n", 3, "given twice (first on line 2)"},
		{"bad date", v + "valid-until: 31.05.2027\n", 2, "not a date"},
		{"bad class", v + "protection-class: 7\n", 2, "class 1 to 6"},
		{"unknown kind", v + "[files sha256]\n", 2, `unknown table kind "files"`},
		{"no bracket", v + "[media sha256\n", 2, "does not end with ]"},
		{"unknown attribute", v + "[media foo=bar sha256]\n", 2, `unknown attribute "foo"`},
		{"unknown algorithm", v + "[media sha257]\n", 2, `unknown attribute or algorithm "sha257"`},
		{"algorithm spelling", v + "[media SHA256]\n", 2, `must be written "sha256"`},
		{"algorithm twice", v + "[media sha256 sha256]\n", 2, "given twice"},
		{"reversed non-gost", v + "[media sha256/reversed]\n", 2, "only GOST"},
		{"no columns", v + "[media closed]\n", 2, "no digest column"},
		{"image closed", v + "[image closed sha256]\n", 2, `"closed"`},
		{"second media", media + h64 + " 1 a\n[media sha256]\n", 5, "a second [media] table (first on line 3)"},
		{"modules no root", v + "[modules sha256]\n", 2, "root= missing"},
		{"modules undeclared var", v + "[modules root=${X} sha256]\n", 2, "unknown root variable ${X}"},
		{"modules unknown windows var", v + "[modules root=%Foo% os=windows sha256]\n", 2, "unknown root variable %Foo%"},
		{"percent var needs windows", v + "[modules root=%ProgramFiles% sha256]\n", 2, "needs os=windows"},
		{"bad root", v + "[modules root=opt/x sha256]\n", 2, "neither a variable"},
		{"relative default", v + "[modules root=${X} default=opt/x sha256]\n", 2, "not an absolute path"},
		{"unknown os", v + "[modules root=/ os=plan9 sha256]\n", 2, "unknown os=plan9"},
		{"unknown default os", v + "[modules root=${X} default.plan9=/x sha256]\n", 2, "unknown system"},
		{"mode on windows", v + "[modules root=%SystemRoot% os=windows mode sha256]\n", 2, "not for an os=windows"},
		{"default dot", v + "[modules root=${X} default.=/x sha256]\n", 2, "names no system"},
		{"closed with value", v + "[media closed=yes sha256]\n", 2, "takes no value"},
		{"attr twice", v + "[modules root=/ root=/ sha256]\n", 2, "root given twice"},
		{"exclude twice", v + "[media exclude=*.log exclude=*.log sha256]\n", 2, "exclude=*.log given twice"},
		{"exclude bad glob", v + "[media exclude=[a sha256]\n", 2, "exclude=[a: syntax error in pattern"},
		{"exclude empty", v + "[media exclude= sha256]\n", 2, "exclude needs a value"},
		{"exclude on image", v + "[image exclude=x sha256]\n", 2, `unknown attribute "exclude"`},
		{"exclude on parameters", v + "[parameters format=ini exclude=x]\n", 2, `unknown attribute "exclude"`},
		{"unterminated quote", v + "[modules root=\"/x sha256]\n", 2, "unterminated"},
		{"no format", v + "[parameters source=/x]\n", 2, "format= missing"},
		{"unknown format", v + "[parameters format=yaml]\n", 2, `unknown format "yaml"`},
		{"registry source", v + "[parameters format=registry source=/x]\n", 2, "takes no source"},
		{"params columns", v + "[parameters format=ini sha256]\n", 2, "no digest columns"},
		{"short hex", media + "abcd 1 a\n", 4, "must have 64 hex digits, got 4"},
		{"not hex", media + strings.Repeat("zz", 32) + " 1 a\n", 4, "not hex"},
		{"too few digests", v + "[media sha256 sha512]\n" + h64 + " 1 a\n", 3, "fewer digests"},
		{"too many digests", media + h64 + " " + h64 + " 1 a\n", 4, "more digests"},
		{"no path", media + h64 + " 1\n", 4, "no size"},
		{"no fields", media + "a\n", 4, "row has no sha256 digest"},
		{"no mode", v + "[modules root=/ mode sha256]\n" + h64 + " 1 0644\n", 3, "row has no mode"},
		{"bad size", media + h64 + " -1 a\n", 4, "bad size"},
		{"leading zero size", media + h64 + " 01 a\n", 4, "bad size"},
		{"huge size", media + h64 + " 99999999999999999999 a\n", 4, "too large"},
		{"bad mode", v + "[modules root=/ mode sha256]\n" + h64 + " 1 0999 a\n", 3, "bad mode"},
		{"absolute", media + h64 + " 1 /etc/passwd\n", 4, "absolute path"},
		{"dotdot", media + h64 + " 1 a/../../b\n", 4, `".." component`},
		{"dot", media + h64 + " 1 ./a\n", 4, `"." component`},
		{"empty component", media + h64 + " 1 a//b\n", 4, "empty component"},
		{"trailing slash", media + h64 + " 1 a/\n", 4, "empty component"},
		{"empty path", media + h64 + " 1 \n", 4, "empty path"},
		{"raw backslash", media + h64 + " 1 a\\b\n", 4, "backslash in path"},
		{"bad escape", media + "\\" + h64 + " 1 a\\qb\n", 4, `unknown escape \q`},
		{"bad hex escape", media + "\\" + h64 + " 1 a\\xg1\n", 4, `\x must be followed`},
		{"nul escape", media + "\\" + h64 + " 1 a\\x00\n", 4, "NUL"},
		{"duplicate path", media + h64 + " 1 a\n" + h64 + " 2 b\n" + h64 + " 3 a\n", 6, `duplicate path "a" (first on line 4)`},
		{"duplicate path, rows in order", media + h64 + " 1 a\n" + h64 + " 2 a\n" + h64 + " 3 b\n", 5, `duplicate path "a" (first on line 4)`},
		{"windows dotdot", v + "[modules root=%SystemRoot% os=windows sha256]\n" + h64 + " 1 A.dll\n" + h64 + " 1 sub\\..\\a.DLL\n", 4, `".." component`},
		{"windows case duplicate", v + "[modules root=%SystemRoot% os=windows sha256]\n" + h64 + " 1 Sub/A.dll\n" + h64 + " 1 sub\\a.DLL\n", 4, "duplicate path"},
		{"windows drive", v + "[modules root=%SystemRoot% os=windows sha256]\n" + h64 + " 1 C:\\x\n", 3, "absolute path"},
		{"image with directory", v + "[image sha256]\n" + h64 + " 1 iso/x.iso\n", 3, "without directories"},
		{"unknown op", v + "[parameters format=ini]\nA.b ~ 1\n", 3, `unknown constraint "~"`},
		{"no op", v + "[parameters format=ini]\nA.b\n", 3, "has no constraint"},
		{"unquoted space", v + "[parameters format=ini]\nA.b = x y\n", 3, `unexpected "y"`},
		{"empty set", v + "[parameters format=ini]\nA.b in {}\n", 3, "empty set"},
		{"set twice", v + "[parameters format=ini]\nA.b in {a, a}\n", 3, `"a" twice`},
		{"unclosed set", v + "[parameters format=ini]\nA.b in {a, b\n", 3, "expected , or }"},
		{"not without in", v + "[parameters format=ini]\nA.b not {a}\n", 3, "not in"},
		{"bad range", v + "[parameters format=ini]\nA.b range 1-16\n", 3, "expected LO..HI"},
		{"reversed range", v + "[parameters format=ini]\nA.b range 16..1\n", 3, "low bound is above"},
		{"mixed range", v + "[parameters format=ini]\nA.b range 1s..1M\n", 3, "mixes kinds"},
		{"bad bound", v + "[parameters format=ini]\nA.b range 1x..2x\n", 3, "not an integer, a size"},
		{"bad regex", v + "[parameters format=ini]\nA.b matches /a(/\n", 3, "bad regular expression"},
		{"unterminated regex", v + "[parameters format=ini]\nA.b matches /a\n", 3, "unterminated"},
		{"trailing junk", v + "[parameters format=ini]\nA.b present yes\n", 3, `unexpected "yes"`},
		{"dup param", v + "[parameters format=ini]\nA.b present\nA.b absent\n", 4, "listed twice (first on line 3)"},
		{"dup registry param", v + "[parameters format=reg]\nHKLM\\X\\v present\nhklm\\x\\V absent\n", 4, "listed twice"},
		{"dup windows ini param", v + "[parameters os=windows format=ini]\nScan.Archives present\nSCAN.archives absent\n", 4, "listed twice (first on line 3)"},
		{"parameters unknown os", v + "[parameters os=dos format=ini]\n", 2, "unknown os=dos"},
		{"json key", v + "[parameters format=json]\nupdate.threads present\n", 3, "must start with /"},
		{"registry key", v + "[parameters format=registry]\nSOFTWARE\\X present\n", 3, "must start with a hive"},
		{"hash value", v + "[parameters format=ini]\nA.b = #fff\n", 3, "cannot start with"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.in), "f.txt")
			if err == nil {
				t.Fatalf("no error for %q", c.in)
			}
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != c.line || pe.File != "f.txt" {
				t.Errorf("error %v: want line %d", err, c.line)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "formular f.txt line ") {
				t.Errorf("error %q does not name file and line", err)
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	v := "sverka-formular 1\n"
	for _, in := range []string{
		v + "[media sha256]\n",                                            // an empty table
		v + "[media sha256]\n" + h64 + " 1 a",                             // no final newline
		v + "[media sha256]\n" + strings.ToUpper(h64) + " 1  lead space ", // path is the rest of the line
		v + "[modules root=/ closed sha256]\n" + h64 + " 1 usr/bin/x\n",
		v + "[modules root=%programdata% os=windows sha256]\n" + h64 + " 1 a\\b\n",
		v + "[parameters format=registry]\nHKEY_LOCAL_MACHINE\\SOFTWARE\\X\\@ present\n",
		v + "[parameters format=ini]\nA.b = a#b\n",
		v + "[parameters format=ini]\n   \nA.b absent # why\n",
	} {
		if _, err := Parse([]byte(in), ""); err != nil {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func TestExclude(t *testing.T) {
	f := mustParse(t, "sverka-formular 1\n[modules root=/opt/x exclude=var exclude=\"log files\" closed exclude=*.tmp sha256]\n")
	tb := f.Tables[0]
	if strings.Join(tb.Exclude, "|") != "*.tmp|log files|var" {
		t.Errorf("exclude %q, want sorted", tb.Exclude)
	}
	want := "sverka-formular 1\n\n[modules root=/opt/x closed exclude=*.tmp exclude=\"log files\" exclude=var sha256]\n"
	if got := string(mustMarshal(t, f)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	tests := []struct {
		rel  string
		want bool
	}{
		{"var", true},           // by its whole path
		{"var/cache/x", true},   // under an excluded directory
		{"lib/var", true},       // by its base name
		{"lib/a.tmp", true},     // a glob on the base name
		{"log files/1", true},   // a name with a space
		{"lib/a.tmp.so", false}, // the glob matches a name whole
		{"variant/x", false},    // not a prefix match
		{"lib/VAR/x", false},    // case counts outside Windows
		{"bin/tool", false},
	}
	for _, tt := range tests {
		if got := tb.Excluded(tt.rel); got != tt.want {
			t.Errorf("Excluded(%q) = %v, want %v", tt.rel, got, tt.want)
		}
	}
	win := mustParse(t, "sverka-formular 1\n[modules root=%ProgramFiles% os=windows exclude=Logs sha256]\n").Tables[0]
	if !win.Excluded("App/LOGS/a.txt") {
		t.Error("a Windows table's exclusions ignore letter case")
	}
}

func TestWindowsTable(t *testing.T) {
	f := mustParse(t, "sverka-formular 1\n[modules root=%PROGRAMFILES(X86)% os=windows sha256]\n"+h64+" 1 Vendor\\App\\app.exe\n")
	tb := f.Tables[0]
	if tb.Root != "%ProgramFiles(x86)%" || !tb.Windows() {
		t.Errorf("root %q os %q", tb.Root, tb.OS)
	}
	if name, _ := tb.RootVar(); name != "ProgramFiles(x86)" {
		t.Errorf("RootVar %q", name)
	}
	if p := tb.Entries[0].Path; p != "Vendor/App/app.exe" {
		t.Errorf("path %q", p)
	}
	if tb.NameKey("Vendor/App/APP.exe") != tb.NameKey(tb.Entries[0].Path) {
		t.Error("Windows names compare case-sensitively")
	}
	want := "sverka-formular 1\n\n[modules root=%ProgramFiles(x86)% os=windows sha256]\n" + h64 + " 1 Vendor/App/app.exe\n"
	if got := string(mustMarshal(t, f)); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestReversedColumn(t *testing.T) {
	needAlgorithms(t, "gost94-cryptopro")
	// gostsum's and rhash's spelling of the GOST R 34.11-94 (CryptoPro)
	// digest of "foo\n".
	const rhash = "72e0992f1e7caec2f8406b53d7ed09263fb6df1bae9129731f97a50a9de04115"
	const gostsum = "1541e09d0aa5971f732991ae1bdfb63f2609edd7536b40f8c2ae7c1e2f99e072"
	a := mustParse(t, "sverka-formular 1\n[media gost94-cryptopro/reversed]\n"+gostsum+" 4 foo\n")
	b := mustParse(t, "sverka-formular 1\n[media gost94-cryptopro]\n"+rhash+" 4 foo\n")
	if !bytes.Equal(a.Tables[0].Entries[0].Sums, b.Tables[0].Entries[0].Sums) {
		t.Errorf("reversed column holds %x, plain column %x", a.Tables[0].Entries[0].Sums, b.Tables[0].Entries[0].Sums)
	}
	if !a.Tables[0].Columns[0].Reversed {
		t.Error("column not reversed")
	}
	if got := string(mustMarshal(t, a)); !strings.Contains(got, "[media gost94-cryptopro/reversed]\n"+gostsum+" 4 foo\n") {
		t.Errorf("reversed column not written in its order:\n%s", got)
	}
}

func TestMarshalRejectsBadModels(t *testing.T) {
	sha, err := checksum.Lookup("sha256")
	if err != nil {
		t.Fatal(err)
	}
	col := []checksum.Column{{Alg: sha}}
	sum := make([]byte, 32)
	cases := map[string]*Formular{
		"newline in value": {Header: []Field{{Key: "product", Value: "a\nsecret: b"}}, Tables: []*Table{{Kind: KindMedia, Columns: col}}},
		"no table":         {Header: []Field{{Key: "product", Value: "a"}}},
		"short digest":     {Tables: []*Table{{Kind: KindMedia, Columns: col, Entries: []Entry{{Path: "a", Sums: []byte{1}}}}}},
		"absolute path":    {Tables: []*Table{{Kind: KindMedia, Columns: col, Entries: []Entry{{Path: "/a", Sums: sum}}}}},
		"duplicate path":   {Tables: []*Table{{Kind: KindMedia, Columns: col, Entries: []Entry{{Path: "a", Sums: sum}, {Path: "a", Sums: sum}}}}},
		"unescaped slash":  {Tables: []*Table{{Kind: KindParameters, Format: "ini", Params: []Param{{Key: "a", Op: OpMatches, Pattern: "a/b"}}}}},
		"version 2":        {Version: 2, Tables: []*Table{{Kind: KindMedia, Columns: col}}},
		"windows backslash": {Tables: []*Table{{Kind: KindModules, Root: "%SystemRoot%", OS: OSWindows, Columns: col,
			Entries: []Entry{{Path: `a\b`, Sums: sum}}}}},
	}
	for name, f := range cases {
		if b, err := Marshal(f); err == nil {
			t.Errorf("%s: wrote\n%s", name, b)
		}
	}
}

func TestMarshalBuiltModel(t *testing.T) {
	sha, _ := checksum.Lookup("sha256")
	f := &Formular{}
	f.Set(KeyProduct, "X")
	f.Set(KeyVersion, "1")
	f.Set(KeyProduct, "Y")
	sum := bytes.Repeat([]byte{0xAB}, 32)
	f.Tables = []*Table{{Kind: KindMedia, Columns: []checksum.Column{{Alg: sha}}, Entries: []Entry{
		{Path: "b", Sums: sum, Size: 2},
		{Path: "a\tb", Sums: sum, Size: 1},
	}}, {Kind: KindParameters, Format: "kv", Params: []Param{
		{Key: "k", Op: OpEq, Values: []string{`C:\dir\`}},
		{Key: "k2", Op: OpMatches, Pattern: `https:\/\/x`, Note: "n"},
	}}}
	want := "sverka-formular 1\nproduct: Y\nversion: 1\n\n[media sha256]\n" +
		"\\" + h64 + " 1 a\\x09b\n" + h64 + " 2 b\n\n" +
		"[parameters format=kv]\nk = C:\\dir\\\nk2 matches /https:\\/\\/x/  # n\n"
	got := mustMarshal(t, f)
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	var buf bytes.Buffer
	if n, err := f.WriteTo(&buf); err != nil || n != int64(len(want)) || buf.String() != want {
		t.Errorf("WriteTo = %d, %v", n, err)
	}
	// Marshal twice: the same bytes.
	if again := mustMarshal(t, f); !bytes.Equal(again, got) {
		t.Error("Marshal is not stable")
	}
}

func TestQuoteRoundTrip(t *testing.T) {
	for _, s := range []string{"", "a", `C:\x\`, `a\"b`, `\\`, `a\\b`, `"`, `x y`, `\`, `\\\"`} {
		q := quote(s)
		got, rest, err := readQuoted(q)
		if err != nil || rest != "" || got != s {
			t.Errorf("quote(%q) = %s reads back %q, %q, %v", s, q, got, rest, err)
		}
	}
}

func TestPathEscapeRoundTrip(t *testing.T) {
	for _, p := range []string{"a", `a\b`, "a\nb", "a\rb", "\xff\xfe", "tab\there", "del\x7f", "кириллица", `\x41`} {
		e := escapePath(p)
		got, err := unescapePath(e)
		if err != nil || got != p {
			t.Errorf("escapePath(%q) = %q reads back %q, %v", p, e, got, err)
		}
		if needsEscape(p) == (e == p) {
			t.Errorf("needsEscape(%q) = %v but escape gives %q", p, needsEscape(p), e)
		}
	}
}

// fence matches the example blocks of the specification.
var fence = regexp.MustCompile("(?s)```(formular|formular-draft)\n(.*?)```")

func specExamples(t testing.TB) (canonical, drafts []string) {
	doc, err := os.ReadFile("../docs/formular.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range fence.FindAllStringSubmatch(string(doc), -1) {
		if m[1] == "formular" {
			canonical = append(canonical, m[2])
		} else {
			drafts = append(drafts, m[2])
		}
	}
	return canonical, drafts
}

// TestSpecExamples keeps docs/formular.md honest: every example reads, the
// canonical ones are written back byte for byte, and each draft means the
// same as the canonical example that follows it.
func TestSpecExamples(t *testing.T) {
	needAlgorithms(t, "gost12-256", "gost94-cryptopro")
	canonical, drafts := specExamples(t)
	if len(canonical) < 3 || len(drafts) < 1 {
		t.Fatalf("%d canonical examples and %d drafts in the specification", len(canonical), len(drafts))
	}
	for i, ex := range canonical {
		f, err := Parse([]byte(ex), "example")
		if err != nil {
			t.Errorf("example %d: %v", i+1, err)
			continue
		}
		if got := string(mustMarshal(t, f)); got != ex {
			t.Errorf("example %d is not canonical; canonical form:\n%s", i+1, got)
		}
	}
	d := mustParse(t, drafts[0])
	if got, want := string(mustMarshal(t, d)), canonical[len(canonical)-1]; got != want {
		t.Errorf("draft's canonical form:\n%s\nwant:\n%s", got, want)
	}
	full := mustParse(t, canonical[0])
	var sawEscaped, sawNote bool
	for _, tb := range full.Tables {
		for _, e := range tb.Entries {
			sawEscaped = sawEscaped || strings.Contains(e.Path, "\\") && strings.Contains(e.Path, "\x80")
		}
		for _, p := range tb.Params {
			sawNote = sawNote || p.Note != ""
		}
	}
	if !sawEscaped || !sawNote {
		t.Error("the first example lost its escaped path or its notes")
	}
}

// A large table is parsed on several goroutines: it must give the rows in
// order, and the error a line-by-line parse gives, the first by line,
// whichever part of the table holds it.
func TestParseLargeTable(t *testing.T) {
	const n = 3*rowsPerPart + 17
	body := func(edit func(rows []string)) string {
		rows := make([]string, n)
		for i := range rows {
			rows[i] = fmt.Sprintf("%s %d dir%d/file%05d", h64, i, i%7, i)
		}
		if edit != nil {
			edit(rows)
		}
		return "sverka-formular 1\nproduct: x\n\n[modules root=/opt/x sha256]\n" + strings.Join(rows, "\n") + "\n# end\n\n[parameters source=/etc/x.ini format=ini]\nk = 1\n"
	}
	const first = 5 // line of the first row
	f := mustParse(t, body(nil))
	tab := f.Tables[0]
	if len(tab.Entries) != n {
		t.Fatalf("%d rows, want %d", len(tab.Entries), n)
	}
	for i, e := range tab.Entries {
		if e.Size != int64(e.Line-first) || !strings.HasSuffix(e.Path, fmt.Sprintf("file%05d", e.Size)) {
			t.Fatalf("row %d: line %d size %d path %s", i, e.Line, e.Size, e.Path)
		}
	}
	if len(f.Tables) != 2 || len(f.Tables[1].Params) != 1 {
		t.Errorf("the table after the large one: %+v", f.Tables[1:])
	}
	// Blank and comment lines inside, in several parts: the rows close up.
	f = mustParse(t, body(func(r []string) { r[100], r[2*rowsPerPart+5], r[n-1] = "", "# note", "  " }))
	if got := len(f.Tables[0].Entries); got != n-3 {
		t.Errorf("%d rows around blank and comment lines, want %d", got, n-3)
	}
	for i, e := range f.Tables[0].Entries {
		if e.Size != int64(e.Line-first) || e.Path == "" || (i > 0 && f.Tables[0].Entries[i-1].Path >= e.Path) {
			t.Fatalf("row %d: %+v", i, e)
		}
	}

	dupAt, badAt := 2*rowsPerPart+100, rowsPerPart+50 // the bad row comes first
	cases := []struct {
		name string
		edit func([]string)
		line int
		want string
	}{
		{"bad row before a duplicate", func(r []string) {
			r[dupAt] = r[10]
			r[badAt] = "xyz 1 file"
		}, first + badAt, "digest"},
		{"duplicate before a bad row", func(r []string) {
			r[badAt] = r[10]
			r[dupAt] = "xyz 1 file"
		}, first + badAt, `duplicate path "dir3/file00010" (first on line 15)`},
		{"duplicate across parts", func(r []string) { r[n-1] = r[3] }, first + n - 1, "duplicate path"},
		{"the duplicate met first in line order", func(r []string) {
			r[1000] = r[20]           // dir6/file00020 again on a later line
			r[500] = r[601]           // dir6/file00601, which sorts after it, seen again sooner
			r[2*rowsPerPart] = r[601] // and a third time
		}, first + 601, fmt.Sprintf(`duplicate path "dir6/file00601" (first on line %d)`, first+500)},
		{"control character", func(r []string) { r[n-2] += "\x01" }, first + n - 2, "control character"},
	}
	// A Windows table's names given twice differ in case only.
	win := strings.Replace(body(func(r []string) { r[n-3] = strings.ToUpper(r[40]) }), "[modules root=/opt/x sha256]", "[modules root=%ProgramFiles% os=windows sha256]", 1)
	if _, err := Parse([]byte(win), "f.txt"); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("line %d: duplicate path", first+n-3)) {
		t.Errorf("windows table, names in two cases: %v", err)
	}
	for _, c := range cases {
		_, err := Parse([]byte(body(c.edit)), "f.txt")
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != c.line || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want line %d, %q", c.name, err, c.line, c.want)
		}
	}
}

// TestParametersOS: a parameters table takes os=; in an os=windows ini
// table keys differing only in case are one key, elsewhere two; the
// canonical form keeps os=.
func TestParametersOS(t *testing.T) {
	in := "sverka-formular 1\n\n[parameters os=windows source=C:/p/s.ini format=ini]\nScan.Archives = no\n\n[parameters source=/etc/s.ini format=ini]\nScan.Archives = no\nSCAN.archives = no\n"
	f := mustParse(t, in)
	if !f.Tables[0].Windows() || f.Tables[1].Windows() {
		t.Fatalf("Windows() = %v, %v; want true, false", f.Tables[0].Windows(), f.Tables[1].Windows())
	}
	out, err := Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != in {
		t.Errorf("canonical form:\n%s\nwant:\n%s", out, in)
	}
}

// ParseBytes reads what Parse reads, and says the same errors.
func TestParseBytes(t *testing.T) {
	text := "sverka-formular 1\nproduct: P\nformular-id: F 1\n\n[media sha256]\n"
	want := mustParse(t, text)
	got, err := ParseBytes([]byte(text), "test.formular")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseBytes = %+v, Parse = %+v", got, want)
	}
	_, err = ParseBytes([]byte("sverka-formular 1\nbad line\n"), "b.formular")
	_, werr := Parse([]byte("sverka-formular 1\nbad line\n"), "b.formular")
	if err == nil || werr == nil || err.Error() != werr.Error() {
		t.Errorf("errors differ: %v, %v", err, werr)
	}
}

// ParseTables reads tables with or without a version line of their own,
// and names the line of the file in an error.
func TestParseTables(t *testing.T) {
	for _, text := range []string{"[media sha256]\n", "sverka-formular 1\nproduct: P\n\n[media sha256]\n"} {
		tables, err := ParseTables([]byte(text), "t.txt")
		if err != nil || len(tables) != 1 || tables[0].Kind != KindMedia {
			t.Errorf("%q: %v %v", text, tables, err)
		}
	}
	_, err := ParseTables([]byte("[media sha256]\n[nonsense\n"), "t.txt")
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 2 || pe.File != "t.txt" {
		t.Errorf("error %v, want one of line 2", err)
	}
	// Tables and rows carry the lines of the file, with or without a
	// version line of its own.
	for _, tt := range []struct {
		text        string
		table, rows int
	}{
		{"\n[media sha256]\n" + strings.Repeat("0", 64) + " - a\n\n[parameters format=ini]\nA.b present\n", 2, 3},
		{"sverka-formular 1\n\n[media sha256]\n" + strings.Repeat("0", 64) + " - a\n\n[parameters format=ini]\nA.b present\n", 3, 4},
	} {
		tables, err := ParseTables([]byte(tt.text), "t.txt")
		if err != nil {
			t.Fatal(err)
		}
		m, p := tables[0], tables[1]
		if m.Line != tt.table || int(m.Entries[0].Line) != tt.rows || p.Line != tt.table+3 || p.Params[0].Line != tt.rows+3 {
			t.Errorf("%q: lines %d %d %d %d, want %d %d %d %d", tt.text, m.Line, m.Entries[0].Line, p.Line, p.Params[0].Line, tt.table, tt.rows, tt.table+3, tt.rows+3)
		}
	}
}

func TestStrictlySorted(t *testing.T) {
	rows := func(paths ...string) []Entry {
		var es []Entry
		for _, p := range paths {
			es = append(es, Entry{Path: p})
		}
		return es
	}
	for _, c := range []struct {
		rows []Entry
		want bool
	}{
		{nil, true},
		{rows("a"), true},
		{rows("a", "a-b", "a/b", "b"), true},
		{rows("a", "a"), false},
		{rows("a/b", "a-b"), false},
		{rows("b", "a"), false},
	} {
		if got := StrictlySorted(c.rows); got != c.want {
			t.Errorf("StrictlySorted(%v) = %v", c.rows, got)
		}
	}
}
