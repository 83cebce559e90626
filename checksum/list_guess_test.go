package checksum

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func col(t *testing.T, s string) Column {
	t.Helper()
	c, err := ParseColumn(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestOtherColumns(t *testing.T) {
	for _, c := range []struct {
		col  string
		want []string
	}{
		{"sha256", []string{"blake3", "gost12-256", "gost94", "gost94/reversed", "gost94-cryptopro", "gost94-cryptopro/reversed"}},
		{"gost94-cryptopro/reversed", []string{"sha256", "blake3", "gost12-256", "gost94", "gost94/reversed"}},
		{"sha512", []string{"gost12-512"}},
		{"md5", nil},
	} {
		var got []string
		for _, o := range OtherColumns(col(t, c.col)) {
			got = append(got, o.String())
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("OtherColumns(%s) = %v, want %v", c.col, got, c.want)
		}
	}
}

func TestMatchesAs(t *testing.T) {
	d := []byte{1, 2, 3, 4}
	r := []byte{4, 3, 2, 1}
	for _, c := range []struct {
		listed, as string
		want, got  []byte
		match      bool
	}{
		{"sha256", "blake3", d, d, true},
		{"sha256", "gost94/reversed", d, r, true},
		{"sha256", "gost94/reversed", d, d, false},
		{"gost94/reversed", "gost94-cryptopro/reversed", d, d, true},
		{"gost94/reversed", "sha256", d, r, true},
		{"sha256", "blake3", d, r, false},
	} {
		if m := MatchesAs(col(t, c.listed), c.want, col(t, c.as), c.got); m != c.match {
			t.Errorf("MatchesAs(%s %v, %s %v) = %v", c.listed, c.want, c.as, c.got, m)
		}
	}
}

func TestReadingFlags(t *testing.T) {
	for as, want := range map[string]string{
		"blake3":                    "-a blake3",
		"gost12-256":                "-a gost12-256",
		"gost94-cryptopro/reversed": "-a gost94-cryptopro --gost-reverse",
	} {
		if got := (Reading{Listed: col(t, "sha256"), As: col(t, as)}).Flags(); got != want {
			t.Errorf("%s: Flags() = %q, want %q", as, got, want)
		}
	}
}

func TestAssumed(t *testing.T) {
	read := func(list string, opt ReadOptions) []Entry {
		t.Helper()
		es, bad, err := ReadList(strings.NewReader(list), opt)
		if err != nil || len(bad) > 0 {
			t.Fatalf("%q: %v %v", list, err, bad)
		}
		return es
	}
	def := ReadOptions{Algs: LengthAlgs(FormatAuto), Defaults: true}
	for _, c := range []struct {
		name string
		es   []Entry
		want string // "" or a part of the sentence
	}{
		{"sha256 by length", read(fooSHA256+"  foo.txt\n", def), "sha256 assumed from the length of the digests (64 hex digits), as sha256sum reads them; blake3, gost12-256, gost94, gost94-cryptopro digests"},
		{"sha512 by length", read(strings.Repeat("ab", 64)+"  foo.txt\n", def), "sha512 assumed from the length of the digests (128 hex digits), as sha512sum reads them; gost12-512 digests"},
		{"md5: no other algorithm has its length", read(fooMD5+"  foo.txt\n", def), ""},
		{"tagged", read("SHA256 (foo.txt) = "+fooSHA256+"\n", def), ""},
		{"-a given", read(fooSHA256+"  foo.txt\n", ReadOptions{Algs: []*Algorithm{mustAlg(t, "sha256")}}), ""},
		{"gost12sum format", read(fooSHA256+" foo.txt\n", ReadOptions{Format: FormatGost12sum}), ""},
	} {
		got := Assumed(c.es)
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: Assumed = %q, want %q", c.name, got, c.want)
		}
	}
}

// The one-blank layout names the GOST tools: without -a or --from its
// ambiguous lengths are refused, naming the line; lengths only one
// algorithm has, and -a, read as before.
func TestReadOneBlankWithoutAlgorithm(t *testing.T) {
	def := ReadOptions{Algs: LengthAlgs(FormatGNU), Defaults: true, Format: FormatGNU, File: "L"}
	for _, c := range []struct {
		in, err string
	}{
		{fooSHA256 + " foo.txt\n", "L line 1: one blank between digest and name is the layout of gost12sum and gostsum"},
		{"# c\n" + strings.Repeat("ab", 64) + " foo.txt\n", "L line 2: one blank between digest and name is the layout of gost12sum and gostsum, not of sha256sum: 128 hex digits could be gost12-512"},
		{fooMD5 + " foo.txt\n", ""},
	} {
		_, _, err := ReadList(strings.NewReader(c.in), def)
		if (c.err == "") != (err == nil) || err != nil && !strings.HasPrefix(err.Error(), c.err) {
			t.Errorf("%q: err = %v, want %q", c.in, err, c.err)
		}
	}
	es, _, err := ReadList(strings.NewReader(fooSHA256+" foo.txt\n"), ReadOptions{Algs: []*Algorithm{mustAlg(t, "sha256")}})
	if err != nil || len(es) != 1 || es[0].Sums[0].ByLength {
		t.Errorf("with -a sha256: %v %v", es, err)
	}
}

func TestRereadings(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	a, b := write("a", "foo\n"), write("b", "bar\n")
	b3 := mustAlg(t, "blake3")
	sum := func(p string, alg *Algorithm) []byte {
		s, _, err := HashReader(context.Background(), strings.NewReader(map[string]string{a: "foo\n", b: "bar\n"}[p]), []*Algorithm{alg}, Options{})
		if err != nil {
			t.Fatal(err)
		}
		return s[0]
	}
	sha := col(t, "sha256")
	entries := []Entry{
		{Name: a, Size: -1, Sums: []Sum{{Col: sha, Digest: sum(a, b3)}}},
		{Name: b, Size: -1, Sums: []Sum{{Col: sha, Digest: sum(b, b3)}}},
		{Name: filepath.Join(dir, "gone"), Size: -1, Sums: []Sum{{Col: sha, Digest: sum(b, b3)}}},
	}
	rs, tried, err := Rereadings(context.Background(), entries, Options{})
	if err != nil || tried != 2 || !reflect.DeepEqual(rs, []Reading{{Listed: sha, As: Column{Alg: b3}}}) {
		t.Errorf("Rereadings = %v, %d, %v; want blake3 over 2 files", rs, tried, err)
	}
	// One file of another algorithm is no reading of the list.
	entries[1].Sums[0].Digest = sum(b, mustAlg(t, "gost12-256"))
	if rs, _, _ := Rereadings(context.Background(), entries, Options{}); len(rs) != 0 {
		t.Errorf("mixed algorithms: Rereadings = %v, want none", rs)
	}
}
