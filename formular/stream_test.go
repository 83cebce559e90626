package formular

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/sverka/sverka/checksum"
)

// Write writes what Marshal returns, byte for byte.
func TestWriteAsMarshal(t *testing.T) {
	demo, err := os.ReadFile("../testdata/demo/formular.txt")
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(demo, "formular.txt")
	if err != nil {
		t.Fatal(err)
	}
	sha, _ := checksum.Lookup("sha256")
	md5, _ := checksum.Lookup("md5")
	sum, sum5 := bytes.Repeat([]byte{0xAB}, 32), bytes.Repeat([]byte{0xCD}, 16)
	built := &Formular{Header: []Field{{Key: KeyProduct, Value: "X"}}, Tables: []*Table{
		{Kind: KindModules, Root: "${INSTALLDIR}", Defaults: map[string]string{"": "/opt/x"}, Closed: true, HasMode: true,
			Columns: []checksum.Column{{Alg: sha}, {Alg: md5}}, Entries: []Entry{
				{Path: "z", Sums: JoinSums([][]byte{sum, sum5}), Size: 3, Mode: 0o755},
				{Path: "a\tb", Sums: JoinSums([][]byte{sum, sum5}), Size: 0, Mode: 0o644},
				{Path: "\xff", Sums: JoinSums([][]byte{sum, sum5}), Size: -1, Mode: 0o600},
			}},
		{Kind: KindModules, Root: "%SystemRoot%", OS: OSWindows, Columns: []checksum.Column{{Alg: sha}},
			Entries: []Entry{{Path: "B/c", Sums: sum, Size: 1}, {Path: "a", Sums: sum, Size: 2}}},
	}}
	for name, f := range map[string]*Formular{"demo": f, "built": built} {
		want := mustMarshal(t, f)
		var got bytes.Buffer
		if err := Write(&got, f); err != nil {
			t.Fatalf("%s: Write: %v", name, err)
		}
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("%s: Write wrote\n%s\nMarshal\n%s", name, got.Bytes(), want)
		}
	}
}

// Write refuses what Marshal refuses, the rows it streams included.
func TestWriteRejectsBadModels(t *testing.T) {
	sha, _ := checksum.Lookup("sha256")
	col := []checksum.Column{{Alg: sha}}
	sum := make([]byte, 32)
	rows := func(paths ...string) []Entry {
		var es []Entry
		for _, p := range paths {
			es = append(es, Entry{Path: p, Sums: sum})
		}
		return es
	}
	cases := map[string]*Formular{
		"newline in value": {Header: []Field{{Key: "product", Value: "a\nsecret: b"}}, Tables: []*Table{{Kind: KindMedia, Columns: col}}},
		"no table":         {Header: []Field{{Key: "product", Value: "a"}}},
		"short digest":     {Tables: []*Table{{Kind: KindMedia, Columns: col, Entries: []Entry{{Path: "a", Sums: []byte{1}}}}}},
		"absolute path":    {Tables: []*Table{{Kind: KindMedia, Columns: col, Entries: rows("/a")}}},
		"dot dot":          {Tables: []*Table{{Kind: KindModules, Root: "/opt", Columns: col, Entries: rows("a", "../b")}}},
		"empty path":       {Tables: []*Table{{Kind: KindModules, Root: "/opt", Columns: col, Entries: rows("")}}},
		"duplicate path":   {Tables: []*Table{{Kind: KindMedia, Columns: col, Entries: rows("b", "a", "b")}}},
		"version 2":        {Version: 2, Tables: []*Table{{Kind: KindMedia, Columns: col}}},
		"windows case": {Tables: []*Table{{Kind: KindModules, Root: "%SystemRoot%", OS: OSWindows, Columns: col,
			Entries: rows("A", "a")}}},
	}
	for name, f := range cases {
		if _, err := Marshal(f); err == nil {
			t.Errorf("%s: Marshal accepts it: the case tests nothing", name)
		}
		var out bytes.Buffer
		if err := Write(&out, f); err == nil {
			t.Errorf("%s: wrote\n%s", name, out.Bytes())
		}
	}
}

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteSaysWriteError(t *testing.T) {
	sha, _ := checksum.Lookup("sha256")
	f := &Formular{Tables: []*Table{{Kind: KindMedia, Columns: []checksum.Column{{Alg: sha}},
		Entries: []Entry{{Path: "a", Sums: make([]byte, 32)}}}}}
	if err := Write(errWriter{}, f); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Write = %v, want the writer's error", err)
	}
}
