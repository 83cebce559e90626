package checksum

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// Digests of a file holding "foo\n".
const (
	fooMD5    = "d3b07384d113edec49eaa6238ad5ff00"
	fooSHA1   = "f1d2d2f924e986ac86fdf7b36c94bcdf32beec15"
	fooSHA256 = "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c"
	// Known values of the GOST tools for "foo\n".
	fooGost12sum = "3d4a51ee7713e6467442facefe06f153a303e7bdefbe7f9bdf2edb4ae9c866ff"
	fooGostsum   = "1541e09d0aa5971f732991ae1bdfb63f2609edd7536b40f8c2ae7c1e2f99e072"
	fooRhashG94P = "72e0992f1e7caec2f8406b53d7ed09263fb6df1bae9129731f97a50a9de04115"
)

// mustAlg returns the registered algorithm called name. The tests of other
// packages have checksumtest.Alg, which this package's own cannot import.
func mustAlg(t testing.TB, name string) *Algorithm {
	t.Helper()
	a, err := Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// mustAlgs returns the registered algorithms called names, in order.
func mustAlgs(t testing.TB, names ...string) []*Algorithm {
	t.Helper()
	var out []*Algorithm
	for _, n := range names {
		out = append(out, mustAlg(t, n))
	}
	return out
}

// got is an Entry in a form tests compare easily: each sum as
// "column=canonical hex".
type got struct {
	Line   int
	Name   string
	Size   int64
	Sums   []string
	Binary bool
}

func simplify(es []Entry) []got {
	var out []got
	for _, e := range es {
		g := got{Line: e.Line, Name: e.Name, Size: e.Size, Binary: e.Binary}
		for _, s := range e.Sums {
			g.Sums = append(g.Sums, s.Col.String()+"="+hex.EncodeToString(s.Digest))
		}
		out = append(out, g)
	}
	return out
}

func g1(line int, name, sum string) got {
	return got{Line: line, Name: name, Size: -1, Sums: []string{sum}}
}

type listCase struct {
	name    string
	in      string
	opt     ReadOptions
	want    []got
	badAt   []int    // lines reported malformed
	badText []string // each must appear in the matching bad line's message
}

func runListCases(t *testing.T, cases []listCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			entries, bad, err := ReadList(strings.NewReader(c.in), c.opt)
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if g := simplify(entries); !reflect.DeepEqual(g, c.want) {
				t.Errorf("entries:\n got %#v\nwant %#v", g, c.want)
			}
			var at []int
			for _, b := range bad {
				at = append(at, b.Line)
			}
			if !reflect.DeepEqual(at, c.badAt) {
				t.Errorf("bad lines %v, want %v (%v)", at, c.badAt, bad)
			}
			for i, s := range c.badText {
				if i < len(bad) && !strings.Contains(bad[i].Error(), s) {
					t.Errorf("bad line message %q lacks %q", bad[i].Error(), s)
				}
			}
		})
	}
}

func TestReadGNU(t *testing.T) {
	sha256 := mustAlgs(t, "sha256")
	upper := strings.ToUpper(fooSHA256)
	md5 := "md5=" + fooMD5
	s256 := "sha256=" + fooSHA256
	runListCases(t, []listCase{
		{name: "two spaces", in: fooSHA256 + "  foo.txt\n", opt: ReadOptions{Algs: sha256},
			want: []got{g1(1, "foo.txt", s256)}},
		{name: "binary star", in: fooMD5 + " *foo.txt\n",
			want: []got{{Line: 1, Name: "foo.txt", Size: -1, Sums: []string{md5}, Binary: true}}},
		{name: "md5 by its unique length", in: fooMD5 + "  a\n" + fooSHA1 + "  b\n",
			want: []got{g1(1, "a", md5), g1(2, "b", "sha1="+fooSHA1)}},
		{name: "escaped names", in: `\` + fooMD5 + `  back\\slash` + "\n" + `\` + fooMD5 + `  new\nline` + "\n" + `\` + fooMD5 + `  cr\rname` + "\n",
			want: []got{g1(1, `back\slash`, md5), g1(2, "new\nline", md5), g1(3, "cr\rname", md5)}},
		{name: "backslash kept without the leading marker", in: fooMD5 + `  a\nb` + "\n",
			want: []got{g1(1, `a\nb`, md5)}},
		{name: "bad escapes", in: `\` + fooMD5 + `  a\qb` + "\n" + `\` + fooMD5 + `  ends\` + "\n",
			badAt: []int{1, 2}, badText: []string{`invalid escape \q`, "lone backslash"}},
		{name: "cyrillic and invalid utf-8", in: fooMD5 + "  имя файла.txt\n" + fooMD5 + "  \xff\xfe.bin\n",
			want: []got{g1(1, "имя файла.txt", md5), g1(2, "\xff\xfe.bin", md5)}},
		{name: "crlf", in: fooMD5 + "  a.txt\r\n" + fooMD5 + "  b.txt\r\n",
			want: []got{g1(1, "a.txt", md5), g1(2, "b.txt", md5)}},
		{name: "upper-case hex", in: upper + "  foo.txt\n", opt: ReadOptions{Algs: sha256},
			want: []got{g1(1, "foo.txt", s256)}},
		{name: "trailing spaces belong to the name", in: fooMD5 + "  foo.txt  \n",
			want: []got{g1(1, "foo.txt  ", md5)}},
		{name: "comments blank lines and no final newline", in: "# made by hand\n\n  \t\n" + fooMD5 + "  a",
			want: []got{g1(4, "a", md5)}},
		{name: "byte order mark", in: "\xef\xbb\xbf" + fooMD5 + "  a\n",
			want: []got{g1(1, "a", md5)}},
		{name: "leading blanks and a tab separator", in: "  " + fooMD5 + "\t a\n" + fooMD5 + "\t*b\n",
			want: []got{g1(1, "a", md5), {Line: 2, Name: "b", Size: -1, Sums: []string{md5}, Binary: true}}},
		{name: "mixed GNU and BSD lines", in: fooMD5 + "  a\nMD5 (b) = " + fooMD5 + "\n" + `\MD5 (c\\d) = ` + fooMD5 + "\n",
			want: []got{g1(1, "a", md5), g1(2, "b", md5), g1(3, `c\d`, md5)}},
		{name: "single-blank list", in: fooMD5 + " a\n" + fooMD5 + " *b\n" + fooMD5 + "  c\n",
			want: []got{g1(1, "a", md5), g1(2, "*b", md5), g1(3, " c", md5)}},
		{name: "single blank after two-blank lines", in: fooMD5 + "  a\n" + fooMD5 + " b\n" + fooMD5 + "  c\n",
			want: []got{g1(1, "a", md5), g1(3, "c", md5)}, badAt: []int{2}, badText: []string{"one blank"}},
		{name: "one-character name after a single blank", in: fooMD5 + " *\n",
			want: []got{g1(1, "*", md5)}},
		{name: "ambiguous length asks for -a", in: fooSHA256 + "  foo.txt\n",
			badAt: []int{1}, badText: []string{"line 1: 64 hex digits could be "}},
		{name: "-a naming two algorithms of one length", in: fooSHA256 + "  foo.txt\n", opt: ReadOptions{Algs: mustAlgs(t, "sha256", "blake3")},
			badAt: []int{1}, badText: []string{"fit sha256,blake3 of -a"}},
		{name: "-a picks by length among its algorithms", in: fooMD5 + "  a\n" + fooSHA256 + "  b\n", opt: ReadOptions{Algs: mustAlgs(t, "sha256", "md5")},
			want: []got{g1(1, "a", md5), g1(2, "b", s256)}},
		{name: "-a excludes other lengths", in: fooMD5 + "  a\n", opt: ReadOptions{Algs: sha256},
			badAt: []int{1}, badText: []string{"32 hex digits fit no algorithm of -a sha256"}},
		{name: "unknown length", in: strings.Repeat("ab", 28) + "  sha224.txt\n",
			badAt: []int{1}, badText: []string{"56 hex digits: no supported algorithm"}},
		{name: "reversal ignored for non-GOST", in: fooMD5 + "  a\n", opt: ReadOptions{Reversed: true},
			want: []got{g1(1, "a", md5)}},
		{name: "malformed lines", in: "hello world\n" + fooMD5 + "\n" + fooMD5 + "  \x00x\n" + fooMD5[:31] + "g  x\n" + fooMD5 + "  ok\n",
			want:  []got{g1(5, "ok", md5)},
			badAt: []int{1, 2, 3, 4}, badText: []string{"not a checksum line", "no file name", "NUL", "not a checksum line"}},
		{name: "BSD tags", in: "SHA256 (foo.txt) = " + fooSHA256 + "\nMD5   (a (1) = b).txt) = " + fooMD5 + "\nSHA1 (x)=" + strings.ToUpper(fooSHA1) + "  \n",
			want: []got{g1(1, "foo.txt", s256), g1(2, "a (1) = b).txt", md5), g1(3, "x", "sha1="+fooSHA1)}},
		{name: "BSD problems", in: "SHA256 (x) = abc\nSHA224 (x) = " + strings.Repeat("ab", 28) + "\nSHA256 (x) =\n",
			badAt: []int{1, 2, 3}, badText: []string{"sha256 digest must have 64", "SHA224 is not supported", "no digest"}},
	})
}

func TestReadFormatsRestrictLines(t *testing.T) {
	md5 := "md5=" + fooMD5
	runListCases(t, []listCase{
		{name: "bsd rejects GNU lines", in: fooMD5 + "  a\nMD5 (b) = " + fooMD5 + "\n", opt: ReadOptions{Format: FormatBSD},
			want: []got{g1(2, "b", md5)}, badAt: []int{1}, badText: []string{"not a tag line"}},
		{name: "bsd unescapes like GNU --tag", in: `\MD5 (a\nb) = ` + fooMD5 + "\n", opt: ReadOptions{Format: FormatBSD},
			want: []got{g1(1, "a\nb", md5)}},
		{name: "rhash-bsd keeps backslashes", in: `MD5 (a\nb) = ` + fooMD5 + "\n" + `\MD5 (c) = ` + fooMD5 + "\n", opt: ReadOptions{Format: FormatRhashBSD},
			want: []got{g1(1, `a\nb`, md5)}, badAt: []int{2}},
		{name: "gnu has no name-first lines", in: "foo.txt  " + fooMD5 + "  " + fooSHA1 + "\n", opt: ReadOptions{Format: FormatGNU},
			badAt: []int{1}, badText: []string{"not a checksum line"}},
		{name: "gnu has no ; comments", in: "; sfv\n", opt: ReadOptions{Format: FormatGNU}, badAt: []int{1}},
		{name: "dpkg", in: fooMD5 + "  usr/bin/foo\n", opt: ReadOptions{Format: FormatDpkg},
			want: []got{g1(1, "usr/bin/foo", md5)}},
		{name: "dpkg is md5 only", in: fooSHA1 + "  usr/bin/foo\n", opt: ReadOptions{Format: FormatDpkg},
			badAt: []int{1}, badText: []string{"40 hex digits fit no algorithm of dpkg md5sums"}},
	})
}

func TestReadRhashLayouts(t *testing.T) {
	md5, sha1 := "md5="+fooMD5, "sha1="+fooSHA1
	for _, f := range []Format{FormatAuto, FormatRhash} {
		t.Run(string(f), func(t *testing.T) {
			runListCases(t, []listCase{
				{name: "several digests per line", in: "foo.txt  " + fooMD5 + "  " + fooSHA1 + "\n", opt: ReadOptions{Format: f},
					want: []got{{Line: 1, Name: "foo.txt", Size: -1, Sums: []string{md5, sha1}}}},
				{name: "names with double spaces and upper case", in: "two  spaces  " + strings.ToUpper(fooMD5) + "  " + fooSHA1 + "  \n", opt: ReadOptions{Format: f},
					want: []got{{Line: 1, Name: "two  spaces", Size: -1, Sums: []string{md5, sha1}}}},
				{name: "one digest is digest-first", in: fooMD5 + "  foo.txt\n", opt: ReadOptions{Format: f},
					want: []got{g1(1, "foo.txt", md5)}},
				{name: "ambiguous columns", in: "foo.txt  " + fooSHA256 + "  " + fooSHA256 + "\n", opt: ReadOptions{Format: f},
					badAt: []int{1}, badText: []string{"2 columns of 64 hex digits could be"}},
				{name: "crc32 column skipped", in: "; comment\nfoo.txt  7e3265a8  " + fooMD5 + "\n", opt: ReadOptions{Format: f},
					want: []got{g1(2, "foo.txt", md5)}},
				{name: "-a picks one column, skips the rest", in: "foo.txt  " + fooMD5 + "  " + fooSHA256 + "\n", opt: ReadOptions{Format: f, Algs: mustAlgs(t, "sha256")},
					want: []got{g1(1, "foo.txt", "sha256="+fooSHA256)}},
				{name: "-a naming too few of one length", in: "foo.txt  " + fooSHA256 + "  " + fooSHA256 + "\n", opt: ReadOptions{Format: f, Algs: mustAlgs(t, "sha256")},
					badAt: []int{1}, badText: []string{"-a sha256 names 1 algorithm(s) of that length"}},
				{name: "SFV line", in: "foo.txt 7E3265A8\n", opt: ReadOptions{Format: f},
					badAt: []int{1}, badText: []string{"not a checksum line"}},
			})
		})
	}
	// rhash does not escape names, so a leading backslash is part of the
	// name there; auto reads GNU's escaping.
	runListCases(t, []listCase{
		{name: "rhash names are raw", in: `\x  ` + fooMD5 + "  " + fooSHA1 + "\n", opt: ReadOptions{Format: FormatRhash},
			want: []got{{Line: 1, Name: `\x`, Size: -1, Sums: []string{md5, sha1}}}},
		{name: "rhash BSD lines", in: "MD5   (a) = " + fooMD5 + "\n", opt: ReadOptions{Format: FormatRhash},
			want: []got{g1(1, "a", md5)}},
	})
}

func TestReadRhashColumnOrder(t *testing.T) {
	// rhash prints GOST R 34.11-94, then Streebog, then SHA-256, whatever
	// the order of its options; -a may name them in any order.
	opt := ReadOptions{Algs: mustAlgs(t, "sha256", "gost94-cryptopro", "gost12-256")}
	in := "foo.txt  " + fooRhashG94P + "  " + fooGost12sum + "  " + fooSHA256 + "\n"
	entries, bad, err := ReadList(strings.NewReader(in), opt)
	if err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	want := []got{{Line: 1, Name: "foo.txt", Size: -1, Sums: []string{
		"gost94-cryptopro=" + fooRhashG94P, "gost12-256=" + fooGost12sum, "sha256=" + fooSHA256}}}
	if g := simplify(entries); !reflect.DeepEqual(g, want) {
		t.Errorf("got %#v\nwant %#v", g, want)
	}
}

func TestGOSTReverseColumn(t *testing.T) {
	for _, c := range []struct {
		alg  string
		want bool
	}{{"gost94", true}, {"gost94-cryptopro", true}, {"gost12-256", false}, {"gost12-512", false}, {"sha256", false}} {
		a := mustAlg(t, c.alg)
		if got := GOSTReverseColumn(a, true).Reversed; got != c.want {
			t.Errorf("%s reversed = %v, want %v (rhash --gost-reverse)", c.alg, got, c.want)
		}
		if GOSTReverseColumn(a, false).Reversed {
			t.Errorf("%s reversed without the flag", c.alg)
		}
	}
}

func TestReadGOSTFormats(t *testing.T) {
	g94p := mustAlg(t, "gost94-cryptopro")
	mustAlg(t, "gost12-256")
	rev := hex.EncodeToString(Reverse(mustHex(t, fooGostsum)))
	if rev != fooRhashG94P {
		t.Fatalf("gostsum's digest reversed is %s, rhash prints %s", rev, fooRhashG94P)
	}
	runListCases(t, []listCase{
		{name: "gostsum reverses", in: fooGostsum + " foo.txt\n" + fooGostsum + "  lead\n", opt: ReadOptions{Format: FormatGostsum},
			want: []got{g1(1, "foo.txt", "gost94-cryptopro/reversed="+fooRhashG94P), g1(2, " lead", "gost94-cryptopro/reversed="+fooRhashG94P)}},
		{name: "gostsum names are raw", in: fooGostsum + ` \x*` + "\n" + fooGostsum + "\n" + fooGost12sum[:10] + " x\n", opt: ReadOptions{Format: FormatGostsum},
			want: []got{g1(1, `\x*`, "gost94-cryptopro/reversed="+fooRhashG94P)}, badAt: []int{2, 3}, badText: []string{"no file name", "64 hex digits"}},
		{name: "gostsum -t", in: fooGostsum + " foo.txt\n", opt: ReadOptions{Format: FormatGostsum, Algs: mustAlgs(t, "gost94")},
			want: []got{g1(1, "foo.txt", "gost94/reversed="+fooRhashG94P)}},
		{name: "gostsum ignores --gost-reverse", in: fooGostsum + " foo.txt\n", opt: ReadOptions{Format: FormatGostsum, Reversed: true},
			want: []got{g1(1, "foo.txt", "gost94-cryptopro/reversed="+fooRhashG94P)}},
		{name: "gost12sum by length", in: fooGost12sum + " foo.txt\n" + strings.Repeat("0a", 64) + " big\n", opt: ReadOptions{Format: FormatGost12sum},
			want: []got{g1(1, "foo.txt", "gost12-256="+fooGost12sum), g1(2, "big", "gost12-512="+strings.Repeat("0a", 64))}},
		{name: "auto reads a gostsum list only with -a, in the order it is told",
			in: fooGostsum + " foo.txt\n", opt: ReadOptions{Algs: []*Algorithm{g94p}},
			want: []got{g1(1, "foo.txt", "gost94-cryptopro="+fooGostsum)}},
		{name: "auto with --gost-reverse", in: fooGostsum + " foo.txt\n", opt: ReadOptions{Algs: []*Algorithm{g94p}, Reversed: true},
			want: []got{g1(1, "foo.txt", "gost94-cryptopro/reversed="+fooRhashG94P)}},
		{name: "auto without -a", in: fooGostsum + " foo.txt\n",
			badAt: []int{1}, badText: []string{"could be", "gost94-cryptopro", "-a"}},
	})
	for _, c := range []struct {
		f    Format
		algs []*Algorithm
		msg  string
	}{
		{FormatGostsum, mustAlgs(t, "gost12-256"), "gostsum lists hold GOST R 34.11-94"},
		{FormatGostsum, mustAlgs(t, "gost94", "gost94-cryptopro"), "gostsum lists hold"},
		{FormatGost12sum, mustAlgs(t, "sha256"), "gost12sum lists hold"},
		{FormatDpkg, mustAlgs(t, "sha256"), "dpkg md5sums lists hold md5"},
		{"sfv", nil, "unknown list format"},
	} {
		_, _, err := ReadList(strings.NewReader(""), ReadOptions{Format: c.f, Algs: c.algs, File: "L"})
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "L: ") {
			t.Errorf("%s %v: err = %v, want %q", c.f, algNames(c.algs), err, c.msg)
		}
	}
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadHashdeep(t *testing.T) {
	const header = "%%%% HASHDEEP-1.0\n%%%% size,md5,sha256,filename\n## Invoked from: /home/user\n## \n"
	both := []string{"md5=" + fooMD5, "sha256=" + fooSHA256}
	line := "4," + fooMD5 + "," + fooSHA256 + ","
	for _, f := range []Format{FormatAuto, FormatHashdeep} {
		t.Run(string(f), func(t *testing.T) {
			runListCases(t, []listCase{
				{name: "plain", in: header + line + "foo.txt\n" + line + "a,b, c.txt\n" + line + "имя файла.txt\n", opt: ReadOptions{Format: f},
					want: []got{
						{Line: 5, Name: "foo.txt", Size: 4, Sums: both},
						{Line: 6, Name: "a,b, c.txt", Size: 4, Sums: both},
						{Line: 7, Name: "имя файла.txt", Size: 4, Sums: both}}},
				{name: "crlf and upper case", in: strings.ReplaceAll(header+strings.ToUpper(line)+"C:\\kit\\foo.txt\n", "\n", "\r\n"), opt: ReadOptions{Format: f},
					want: []got{{Line: 5, Name: `C:\kit\foo.txt`, Size: 4, Sums: both}}},
				{name: "any column order, no size", in: "%%%% HASHDEEP-1.0\n%%%% sha1,md5,filename\n" + fooSHA1 + "," + fooMD5 + ",x\n", opt: ReadOptions{Format: f},
					want: []got{{Line: 3, Name: "x", Size: -1, Sums: []string{"sha1=" + fooSHA1, "md5=" + fooMD5}}}},
				{name: "unsupported column skipped", in: "%%%% HASHDEEP-1.0\n%%%% size,tiger,sha1,filename\n4," + strings.Repeat("ab", 24) + "," + fooSHA1 + ",x\n", opt: ReadOptions{Format: f},
					want: []got{{Line: 3, Name: "x", Size: 4, Sums: []string{"sha1=" + fooSHA1}}}},
				{name: "bad lines", in: header + "4," + fooMD5 + "\n-1," + fooMD5 + "," + fooSHA256 + ",x\n4," + fooMD5 + ",zz,x\n" + line + "\n" + line + "ok\n", opt: ReadOptions{Format: f},
					want:  []got{{Line: 9, Name: "ok", Size: 4, Sums: both}},
					badAt: []int{5, 6, 7, 8}, badText: []string{"2 fields, the header names 4", "not a byte count", "sha256 digest", "empty file name"}},
			})
		})
	}
	runListCases(t, []listCase{
		{name: "data before the header", in: line + "x\n", opt: ReadOptions{Format: FormatHashdeep},
			badAt: []int{1}, badText: []string{"before the"}},
	})
	for _, c := range []struct{ in, msg string }{
		{"%%%% HASHDEEP-1.0\n%%%% size,tiger,whirlpool,filename\n", "only tiger, whirlpool digests"},
		{"%%%% HASHDEEP-1.0\n%%%% size,md5\n", "does not end with the filename column"},
		{"%%%% size,filename\n", "names no digest column"},
	} {
		_, _, err := ReadList(strings.NewReader(c.in), ReadOptions{File: "h.txt"})
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.HasPrefix(err.Error(), "h.txt line ") {
			t.Errorf("%q: err = %v, want %q", c.in, err, c.msg)
		}
	}
}

func TestReadLongLineAndErrors(t *testing.T) {
	in := fooMD5 + "  " + strings.Repeat("x", maxLine+10) + "\n" + fooMD5 + "  ok\n"
	entries, bad, err := ReadList(strings.NewReader(in), ReadOptions{File: "big.md5"})
	if err != nil {
		t.Fatal(err)
	}
	if len(bad) != 1 || bad[0].Line != 1 || !strings.Contains(bad[0].Error(), "big.md5 line 1: line longer") {
		t.Errorf("bad = %v", bad)
	}
	if len(entries) != 1 || entries[0].Line != 2 || entries[0].Name != "ok" {
		t.Errorf("entries = %v", simplify(entries))
	}
	var le LineError
	if !errors.As(error(bad[0]), &le) || le.Unwrap() == nil {
		t.Error("LineError does not unwrap")
	}

	boom := errors.New("disk on fire")
	_, _, err = ReadList(&failingReader{data: fooMD5 + "  a\n", err: boom}, ReadOptions{File: "f"})
	if !errors.Is(err, boom) || !strings.HasPrefix(err.Error(), "f: ") {
		t.Errorf("err = %v", err)
	}
}

type failingReader struct {
	data string
	err  error
}

func (r *failingReader) Read(p []byte) (int, error) {
	if r.data == "" {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	return n, nil
}

// TestListName: on Windows a list names files with forward slashes, as on
// Linux; elsewhere a backslash is part of a name and stays.
func TestListName(t *testing.T) {
	for _, c := range []struct{ in, windows, other string }{
		{"kit/a.dll", "kit/a.dll", "kit/a.dll"},
		{`kit\b c.dll`, "kit/b c.dll", `kit\b c.dll`},
		{`C:\Program Files\Продукт\bin\агент.exe`, "C:/Program Files/Продукт/bin/агент.exe", `C:\Program Files\Продукт\bin\агент.exe`},
		{"plain.txt", "plain.txt", "plain.txt"},
	} {
		want := c.other
		if runtime.GOOS == "windows" {
			want = c.windows
		}
		if got := ListName(c.in); got != want {
			t.Errorf("ListName(%q) = %q, want %q", c.in, got, want)
		}
	}
}

func TestEscapeName(t *testing.T) {
	for _, c := range []struct {
		in, out string
		bs      bool
	}{
		{"plain.txt", "plain.txt", false},
		{"имя.txt", "имя.txt", false},
		{`a\b`, `a\\b`, true},
		{"a\nb", `a\nb`, true},
		{"a\rb", `a\rb`, true},
		{"tab\tok", "tab\tok", false},
	} {
		out, bs := EscapeName(c.in)
		if out != c.out || bs != c.bs {
			t.Errorf("EscapeName(%q) = %q, %v; want %q, %v", c.in, out, bs, c.out, c.bs)
		}
		back, err := UnescapeName(out)
		if bs && (err != nil || back != c.in) {
			t.Errorf("UnescapeName(%q) = %q, %v", out, back, err)
		}
	}
	for _, bad := range []string{`a\`, `a\t`, `\0`} {
		if _, err := UnescapeName(bad); err == nil {
			t.Errorf("UnescapeName(%q) accepted", bad)
		}
	}
}

// The writers' output matches what coreutils prints for the same names
// (see testdata/lists/sha256sum-escaped*.txt).
func TestWriteMatchesCoreutils(t *testing.T) {
	col := Column{Alg: mustAlg(t, "sha256")}
	names := []string{`back\slash`, "new\nline", "cr\rname"}
	contents := []string{`a\b`, "z", "a\rb"}
	var gnu, tag bytes.Buffer
	for i, n := range names {
		h := col.Alg.New()
		h.Write([]byte(contents[i]))
		d := h.Sum(nil)
		if err := WriteGNU(&gnu, col, d, n, false); err != nil {
			t.Fatal(err)
		}
		if err := WriteBSD(&tag, col, d, n); err != nil {
			t.Fatal(err)
		}
	}
	for file, got := range map[string]string{"sha256sum-escaped.txt": gnu.String(), "sha256sum-escaped-tag.txt": tag.String()} {
		want, err := os.ReadFile(filepath.Join("testdata", "lists", file))
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s:\n got %q\nwant %q", file, got, want)
		}
	}
}

var roundTripNames = []string{
	"foo.txt", " lead", "*star", `back\slash`, "new\nline", "cr\rname", "trail ", "имя файла.txt",
	"\xff\xfe.bin", "a (1) = b).txt", "#hash", "two  spaces", "x", "a,b.txt", `\`, "dir/sub/file",
}

func TestRoundTripGNUAndBSD(t *testing.T) {
	cols := []Column{{Alg: mustAlg(t, "sha256")}, {Alg: mustAlg(t, "md5")}}
	if g, err := Lookup("gost94-cryptopro"); err == nil {
		cols = append(cols, Column{Alg: g, Reversed: true})
	}
	for _, col := range cols {
		for _, bsd := range []bool{false, true} {
			var buf bytes.Buffer
			var want []got
			for i, n := range roundTripNames {
				d := bytes.Repeat([]byte{byte(i + 1)}, col.Alg.Size)
				d[0] = 0xAB
				binary := !bsd && i%2 == 1
				var err error
				if bsd {
					err = WriteBSD(&buf, col, d, n)
				} else {
					err = WriteGNU(&buf, col, d, n, binary)
				}
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, got{Line: i + 1, Name: n, Size: -1, Binary: binary,
					Sums: []string{col.String() + "=" + hex.EncodeToString(d)}})
			}
			for _, f := range []Format{FormatAuto, FormatGNU} {
				opt := ReadOptions{Format: f, Algs: []*Algorithm{col.Alg}, Reversed: col.Reversed}
				entries, bad, err := ReadList(&buf, opt)
				if err != nil || len(bad) > 0 {
					t.Fatalf("%v bsd=%v %s: %v %v", col, bsd, f, err, bad)
				}
				if g := simplify(entries); !reflect.DeepEqual(g, want) {
					t.Errorf("%v bsd=%v %s:\n got %#v\nwant %#v", col, bsd, f, g, want)
				}
				buf.Reset()
				for i, n := range roundTripNames { // rewrite for the next format
					d := mustHex(t, strings.SplitN(want[i].Sums[0], "=", 2)[1])
					if bsd {
						WriteBSD(&buf, col, d, n)
					} else {
						WriteGNU(&buf, col, d, n, want[i].Binary)
					}
				}
			}
		}
	}
}

func TestRoundTripHashdeep(t *testing.T) {
	md5, sha256 := mustAlg(t, "md5"), mustAlg(t, "sha256")
	var buf bytes.Buffer
	// Given sha256 first; hashdeep's order puts md5 first all the same.
	w, err := NewHashdeepWriter(&buf, []Column{{Alg: sha256}, {Alg: md5}})
	if err != nil {
		t.Fatal(err)
	}
	var want []got
	line := 3
	for i, n := range roundTripNames {
		ds, dm := bytes.Repeat([]byte{byte(i)}, 32), bytes.Repeat([]byte{byte(i + 100)}, 16)
		err := w.Write(int64(i*1000), [][]byte{ds, dm}, n)
		if strings.ContainsAny(n, "\r\n") {
			if err == nil {
				t.Errorf("%q written to a hashdeep list", n)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, got{Line: line, Name: n, Size: int64(i * 1000),
			Sums: []string{"md5=" + hex.EncodeToString(dm), "sha256=" + hex.EncodeToString(ds)}})
		line++
	}
	if !strings.HasPrefix(buf.String(), "%%%% HASHDEEP-1.0\n%%%% size,md5,sha256,filename\n") {
		t.Errorf("header: %q", buf.String())
	}
	entries, bad, err := ReadList(&buf, ReadOptions{})
	if err != nil || len(bad) > 0 {
		t.Fatal(err, bad)
	}
	if g := simplify(entries); !reflect.DeepEqual(g, want) {
		t.Errorf("got %#v\nwant %#v", g, want)
	}
	if _, err := NewHashdeepWriter(&buf, []Column{{Alg: mustAlg(t, "blake3")}}); err == nil {
		t.Error("hashdeep writer accepted blake3")
	}
	if err := w.Write(1, [][]byte{{1}}, "x"); err == nil {
		t.Error("wrong digest count accepted")
	}
}

func TestWriteRejects(t *testing.T) {
	col := Column{Alg: mustAlg(t, "md5")}
	d := make([]byte, 16)
	var buf bytes.Buffer
	for _, c := range []struct {
		d    []byte
		name string
	}{{d[:15], "x"}, {d, ""}, {d, "a\x00b"}} {
		if WriteGNU(&buf, col, c.d, c.name, false) == nil || WriteBSD(&buf, col, c.d, c.name) == nil {
			t.Errorf("wrote digest of %d bytes named %q", len(c.d), c.name)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %q", buf.String())
	}
}

// fixture is a list made by a real tool over testdata/lists/files.
type fixture struct {
	file    string
	opt     ReadOptions
	algs    []string // -a
	want    []string // columns of every entry
	binary  bool
	hasSize bool
	needs   []string // algorithms the list holds beyond want
	// quirk names a file whose listed digest is the tool's own and not
	// the algorithm's (see TestGostsumEmptyFile).
	quirk string
}

func TestRealToolLists(t *testing.T) {
	fixtures := []fixture{
		{file: "sha256sum.txt", algs: []string{"sha256"}, want: []string{"sha256"}},
		{file: "sha256sum-tag.txt", want: []string{"sha256"}},
		{file: "md5sum-binary.txt", want: []string{"md5"}, binary: true},
		{file: "b3sum.txt", algs: []string{"blake3"}, want: []string{"blake3"}},
		{file: "rhash-sha256.txt", opt: ReadOptions{Format: FormatRhash}, algs: []string{"sha256"}, want: []string{"sha256"}},
		{file: "rhash-simple-md5-sha1.txt", want: []string{"md5", "sha1"}},
		{file: "rhash-simple-md5-sha1.txt", opt: ReadOptions{Format: FormatRhash}, want: []string{"md5", "sha1"}},
		{file: "rhash-crc32-sha256.txt", algs: []string{"sha256"}, want: []string{"sha256"}},
		{file: "rhash-multi.txt", algs: []string{"sha256", "gost12-256", "gost94-cryptopro"}, want: []string{"gost94-cryptopro", "gost12-256", "sha256"}},
		{file: "rhash-upper.txt", opt: ReadOptions{Format: FormatRhash}, algs: []string{"gost12-512", "sha256"}, want: []string{"gost12-512", "sha256"}},
		{file: "rhash-gost-reverse.txt", opt: ReadOptions{Reversed: true}, algs: []string{"gost12-256", "gost94-cryptopro"}, want: []string{"gost94-cryptopro/reversed", "gost12-256"}},
		{file: "rhash-bsd.txt", opt: ReadOptions{Format: FormatRhashBSD}, want: []string{"gost12-256"}},
		{file: "rhash-bsd.txt", want: []string{"sha256"}, needs: []string{"gost12-256"}},
		{file: "rhash-bsd-reverse.txt", opt: ReadOptions{Format: FormatRhashBSD, Reversed: true}, want: []string{"md5"}, needs: []string{"gost94"}},
		{file: "rhash-bsd-reverse.txt", opt: ReadOptions{Format: FormatRhashBSD, Reversed: true}, want: []string{"gost94/reversed"}},
		{file: "hashdeep.txt", want: []string{"md5", "sha256"}, hasSize: true},
		{file: "hashdeep.txt", opt: ReadOptions{Format: FormatHashdeep}, want: []string{"md5", "sha256"}, hasSize: true},
		{file: "hashdeep-sha1-tiger.txt", want: []string{"sha1"}, hasSize: true},
		{file: "gostsum.txt", opt: ReadOptions{Format: FormatGostsum}, want: []string{"gost94-cryptopro/reversed"}, quirk: "empty"},
		{file: "gostsum.txt", opt: ReadOptions{Reversed: true}, algs: []string{"gost94-cryptopro"}, want: []string{"gost94-cryptopro/reversed"}, quirk: "empty"},
		{file: "gostsum-t.txt", opt: ReadOptions{Format: FormatGostsum}, algs: []string{"gost94"}, want: []string{"gost94/reversed"}, quirk: "empty"},
		{file: "gost12sum.txt", opt: ReadOptions{Format: FormatGost12sum}, want: []string{"gost12-256"}},
		{file: "gost12sum.txt", algs: []string{"gost12-256"}, want: []string{"gost12-256"}},
		{file: "gost12sum-l.txt", opt: ReadOptions{Format: FormatGost12sum}, want: []string{"gost12-512"}},
	}
	names := []string{"a,b.txt", "empty", "foo.txt", "two  spaces", "имя файла.txt"}
	for _, fx := range fixtures {
		t.Run(fx.file+"/"+string(fx.opt.Format)+"/"+strings.Join(fx.algs, ","), func(t *testing.T) {
			opt := fx.opt
			opt.Algs = mustAlgs(t, fx.algs...)
			opt.File = fx.file
			for _, w := range append(fx.needs, fx.want...) {
				mustAlg(t, strings.TrimSuffix(w, ReversedSuffix))
			}
			entries, bad := readFixture(t, fx.file, opt)
			if len(bad) > 0 {
				t.Fatalf("bad lines: %v", bad)
			}
			// BSD lists give one line per algorithm: keep the wanted one.
			var seen []string
			for _, e := range entries {
				if len(fx.want) == 1 && len(e.Sums) == 1 && e.Sums[0].Col.String() != fx.want[0] && !strings.HasPrefix(fx.file, "gost") {
					continue
				}
				seen = append(seen, e.Name)
				var cols []string
				for _, s := range e.Sums {
					cols = append(cols, s.Col.String())
				}
				if !reflect.DeepEqual(cols, fx.want) {
					t.Errorf("%s: columns %v, want %v", e.Name, cols, fx.want)
				}
				if e.Binary != fx.binary {
					t.Errorf("%s: binary = %v", e.Name, e.Binary)
				}
				content, err := os.ReadFile(filepath.Join("testdata", "lists", "files", e.Name))
				if err != nil {
					t.Fatal(err)
				}
				if fx.hasSize != (e.Size >= 0) || (e.Size >= 0 && e.Size != int64(len(content))) {
					t.Errorf("%s: size %d, file has %d", e.Name, e.Size, len(content))
				}
				for _, s := range e.Sums {
					h := s.Col.Alg.New()
					h.Write(content)
					if want := h.Sum(nil); !bytes.Equal(s.Digest, want) && e.Name != fx.quirk {
						t.Errorf("%s %v: read %x, the file's digest is %x", e.Name, s.Col, s.Digest, want)
					}
				}
			}
			if !sameSet(seen, names) {
				t.Errorf("names %q, want %q", seen, names)
			}
		})
	}
}

// The GOST tools' known values for "foo\n", read from the lists the tools
// wrote, in canonical order.
func TestRealToolKnownValues(t *testing.T) {
	mustAlg(t, "gost94-cryptopro")
	mustAlg(t, "gost12-256")
	for _, c := range []struct {
		file string
		opt  ReadOptions
		want string
	}{
		{"gostsum.txt", ReadOptions{Format: FormatGostsum}, fooRhashG94P},
		{"gost12sum.txt", ReadOptions{Format: FormatGost12sum}, fooGost12sum},
		{"rhash-gost-reverse.txt", ReadOptions{Format: FormatRhash, Reversed: true, Algs: mustAlgs(t, "gost94-cryptopro", "gost12-256")}, fooRhashG94P},
	} {
		entries, _ := readFixture(t, c.file, c.opt)
		for _, e := range entries {
			if e.Name == "foo.txt" && hex.EncodeToString(e.Sums[0].Digest) != c.want {
				t.Errorf("%s: foo.txt %x, want %s", c.file, e.Sums[0].Digest, c.want)
			}
		}
	}
}

// gostsum (3.0.1) prints a GOST R 34.11-94 digest of an empty file that
// is neither the standard's nor rhash's: lists it made fail on empty
// files in any checker that computes the algorithm right.
func TestGostsumEmptyFile(t *testing.T) {
	mustAlg(t, "gost94-cryptopro")
	for _, c := range []struct{ file, alg, std string }{
		// GOST R 34.11-94 of the empty message, as rhash prints it.
		{"gostsum.txt", "gost94-cryptopro", "981e5f3ca30c841487830f84fb433e13ac1101569b9c13584ac483234cd656c0"},
		{"gostsum-t.txt", "gost94", "ce85b99cc46752fffee35cab9a7b0278abb4c2d2055cff685af4912c49490f8d"},
	} {
		entries, _ := readFixture(t, c.file, ReadOptions{Format: FormatGostsum, Algs: mustAlgs(t, c.alg)})
		h := mustAlg(t, c.alg).New()
		if got := hex.EncodeToString(h.Sum(nil)); got != c.std {
			t.Fatalf("%s of nothing = %s, want %s", c.alg, got, c.std)
		}
		for _, e := range entries {
			if e.Name == "empty" && hex.EncodeToString(e.Sums[0].Digest) == c.std {
				t.Errorf("%s: gostsum now agrees on the empty file; drop its quirk", c.file)
			}
		}
	}
}

func TestRealToolErrors(t *testing.T) {
	// Without -a the 64-digit columns are ambiguous: every line says so.
	for _, file := range []string{"sha256sum.txt", "rhash-multi.txt", "gostsum.txt", "b3sum.txt"} {
		entries, bad := readFixture(t, file, ReadOptions{})
		if len(entries) != 0 || len(bad) != 5 || !strings.Contains(bad[0].Error(), "-a") {
			t.Errorf("%s: %d entries, bad %v", file, len(entries), bad)
		}
	}
	_, _, err := ReadList(openFixture(t, "hashdeep-tiger-whirlpool.txt"), ReadOptions{})
	if err == nil || !strings.Contains(err.Error(), "tiger, whirlpool") {
		t.Errorf("err = %v", err)
	}
}

func TestRealToolEscapedNames(t *testing.T) {
	want := map[string]string{`back\slash`: `a\b`, "new\nline": "z", "cr\rname": "a\rb"}
	for _, file := range []string{"sha256sum-escaped.txt", "sha256sum-escaped-tag.txt"} {
		entries, bad := readFixture(t, file, ReadOptions{Algs: mustAlgs(t, "sha256")})
		if len(bad) > 0 || len(entries) != 3 {
			t.Fatalf("%s: %v %v", file, simplify(entries), bad)
		}
		for _, e := range entries {
			content, ok := want[e.Name]
			if !ok {
				t.Errorf("%s: unexpected name %q", file, e.Name)
				continue
			}
			h := e.Sums[0].Col.Alg.New()
			h.Write([]byte(content))
			if !bytes.Equal(h.Sum(nil), e.Sums[0].Digest) {
				t.Errorf("%s: %q digest mismatch", file, e.Name)
			}
		}
	}
}

func TestDpkgMd5sums(t *testing.T) {
	entries, bad := readFixture(t, "gostsum.md5sums", ReadOptions{Format: FormatDpkg})
	if len(bad) > 0 || len(entries) != 7 {
		t.Fatalf("%v %v", simplify(entries), bad)
	}
	found := false
	for _, e := range entries {
		if e.Sums[0].Col.Alg.Name != "md5" || strings.HasPrefix(e.Name, "/") {
			t.Errorf("%q: %v", e.Name, e.Sums[0].Col)
		}
		if e.Name == "usr/share/doc/gostsum/copyright" {
			found = true
			content, err := os.ReadFile(filepath.Join("testdata", "lists", "dpkg-root", e.Name))
			if err != nil {
				t.Fatal(err)
			}
			h := e.Sums[0].Col.Alg.New()
			h.Write(content)
			if !bytes.Equal(h.Sum(nil), e.Sums[0].Digest) {
				t.Errorf("copyright digest mismatch")
			}
		}
	}
	if !found {
		t.Error("copyright entry missing")
	}
	// auto reads the same file: md5 has a unique length.
	auto, bad := readFixture(t, "gostsum.md5sums", ReadOptions{})
	if len(bad) > 0 || !reflect.DeepEqual(simplify(auto), simplify(entries)) {
		t.Errorf("auto differs: %v", bad)
	}
}

func openFixture(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "lists", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func readFixture(t *testing.T, name string, opt ReadOptions) ([]Entry, []LineError) {
	t.Helper()
	entries, bad, err := ReadList(openFixture(t, name), opt)
	if err != nil {
		t.Fatal(err)
	}
	return entries, bad
}

func sameSet(a, b []string) bool {
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

func TestParseFormat(t *testing.T) {
	for _, f := range Formats() {
		if g, err := ParseFormat(string(f)); err != nil || g != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, g, err)
		}
	}
	if _, err := ParseFormat("sfv"); err == nil {
		t.Error("sfv accepted")
	}
}

// TestReadListNamesOutliveTheirLines: each name is copied out of the
// line buffer, which the next line overwrites, into blocks of their own.
// A list whose names fill several blocks, one of them longer than a
// block, gives back every name as written.
func TestReadListNamesOutliveTheirLines(t *testing.T) {
	sha256 := mustAlg(t, "sha256")
	var want []string
	var list strings.Builder
	for i := range 3000 {
		name := fmt.Sprintf("dir-%04d/a file of its own, line %04d.bin", i%97, i)
		if i == 1500 {
			name = strings.Repeat("long/", 20<<10) + "end" // 100 KiB
		}
		want = append(want, name)
		list.WriteString(fooSHA256 + "  " + name + "\n")
	}
	entries, bad, err := ReadList(strings.NewReader(list.String()), ReadOptions{Algs: []*Algorithm{sha256}})
	if err != nil || len(bad) != 0 {
		t.Fatalf("ReadList: %v, %v", err, bad)
	}
	if len(entries) != len(want) {
		t.Fatalf("%d entries, want %d", len(entries), len(want))
	}
	for i, e := range entries {
		if e.Name != want[i] {
			t.Fatalf("line %d: name %.40q…, want %.40q…", i+1, e.Name, want[i])
		}
	}
}

// A list of more malformed lines than MaxLineErrors keeps the first with
// their reasons and counts the rest in one more, on the last of them: a
// gigabyte of malformed lines would otherwise take tens of gigabytes to
// report.
func TestReadListCountsMalformedLinesBeyondMax(t *testing.T) {
	var list strings.Builder
	for i := range 3*MaxLineErrors + 7 {
		if i == 5 {
			list.WriteString(fooSHA256 + "  kept\n")
			continue
		}
		fmt.Fprintf(&list, "not a line %d\n", i)
	}
	lines := 3*MaxLineErrors + 7
	entries, bad, err := ReadList(strings.NewReader(list.String()), ReadOptions{Algs: []*Algorithm{mustAlg(t, "sha256")}, File: "SUMS"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name != "kept" {
		t.Fatalf("entries %+v, want the one good line", entries)
	}
	if len(bad) != MaxLineErrors+1 {
		t.Fatalf("%d malformed lines kept, want %d and one counting the rest", len(bad), MaxLineErrors+1)
	}
	if got := BadLines(bad); got != lines-1 {
		t.Errorf("BadLines %d, want %d", got, lines-1)
	}
	if b := bad[MaxLineErrors-1]; b.Line != MaxLineErrors+1 || !strings.Contains(b.Error(), "not a checksum line") {
		t.Errorf("the last malformed line kept: %v", b)
	}
	more := bad[MaxLineErrors]
	want := fmt.Sprintf("SUMS line %d: %d more malformed lines up to this one, not shown one by one", lines, lines-1-MaxLineErrors)
	if more.Error() != want {
		t.Errorf("the count of the rest: %q, want %q", more.Error(), want)
	}
	if BadLines(bad[:3]) != 3 || BadLines(nil) != 0 {
		t.Errorf("BadLines of a few lines kept whole: %d, %d", BadLines(bad[:3]), BadLines(nil))
	}
}

// Each line is parsed where it lies in the reader's buffer, which the
// next reads overwrite: the digests and the errors of a list longer than
// that buffer, BSD and GNU lines mixed, are those of each line parsed
// alone.
func TestReadListKeepsNothingOfItsLines(t *testing.T) {
	opt := ReadOptions{Algs: []*Algorithm{mustAlg(t, "sha256")}}
	var lines []string
	for i := range 4000 {
		d := fmt.Sprintf("%x", sha256.Sum256(fmt.Appendf(nil, "%d", i)))
		switch i % 4 {
		case 0:
			lines = append(lines, fmt.Sprintf("%s  file %04d", d, i))
		case 1:
			lines = append(lines, fmt.Sprintf("SHA256 (tagged %04d) = %s", i, d))
		case 2: // a digest of the right length that is not hex: the error quotes it
			lines = append(lines, fmt.Sprintf("SHA256 (bad %04d) = %sz", i, d[:63]))
		case 3:
			lines = append(lines, fmt.Sprintf("\\%s  escaped\\n%04d", d, i))
		}
	}
	entries, bad, err := ReadList(strings.NewReader(strings.Join(lines, "\n")+"\n"), opt)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, fmt.Sprintf("%d %q %x", e.Line, e.Name, e.Sums[0].Digest))
	}
	for _, b := range bad {
		got = append(got, fmt.Sprintf("%d %v", b.Line, b.Err))
	}
	var want, wantBad []string
	for i, l := range lines {
		es, bs, err := ParseList([]byte(l+"\n"), opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			want = append(want, fmt.Sprintf("%d %q %x", i+1, e.Name, e.Sums[0].Digest))
		}
		for _, b := range bs {
			wantBad = append(wantBad, fmt.Sprintf("%d %v", i+1, b.Err))
		}
	}
	want = append(want, wantBad...)
	if len(got) != len(want) {
		t.Fatalf("%d entries and errors, want %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("read %s\nwant %s", got[i], want[i])
		}
	}
}

// A list's entries are made at once, but never more than its bytes could
// fill: a list of empty lines or short comments, the most lines for its
// size, asks for no more memory than a list of that size holding digests
// (64 bytes an entry, against 512 MB for 8 MiB of empty lines when the
// lines alone were counted).
func TestParseListBoundedByBytes(t *testing.T) {
	for _, line := range []string{"\n", "#\n", "; 33 bytes of an SFV comment ...\n"} {
		data := bytes.Repeat([]byte(line), (8<<20)/len(line))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		entries, bad, err := ParseList(data, ReadOptions{File: "list"})
		runtime.ReadMemStats(&after)
		if err != nil || len(entries) != 0 || len(bad) != 0 {
			t.Fatalf("%q: %d entries, %v, %v", line, len(entries), bad, err)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > uint64(3*len(data)) {
			t.Errorf("%q: %d MB allocated for %d MB of list", line, got>>20, len(data)>>20)
		}
	}
}
