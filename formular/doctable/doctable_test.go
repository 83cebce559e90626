package doctable

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sverka/sverka/internal/checksumtest"
	"github.com/sverka/sverka/internal/golden"
)

// kitFile is a file of testdata/kit with its digests as rhash
// --gost12-256 and sha256sum print them.
type kitFile struct {
	name       string
	size       int64
	gost, sha2 string
}

var kit = []kitFile{
	{"README.txt", 29, "2391dbdb5a2e070c54e5298bdad5fe38059634190b61fec1d64d04be7cea2eba", "75b4c1886338c1fc11949a30a71cd803613b0ff41a77deecd85c84357c364293"},
	{"bin/kesl-control", 25, "540579cf9577373de36bcf677194d216d80e9e7a33b33cddb874b80c9479f89e", "e765fb69ed8119b9e21823b5c0fa16a68daeebac66d0d884156a5731a6deb648"},
	{"foo.txt", 4, "3d4a51ee7713e6467442facefe06f153a303e7bdefbe7f9bdf2edb4ae9c866ff", "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c"},
	{"kesl-12.1.0.1297-certified-distribution-package-for-astra-linux-special-edition.tar.gz", 18, "621728347866af3c780cc2f278b2ca4bd68b6704a238e6d05c2819a2f4d8519d", "445e3b9daabe086ed18195aebdfa29ebbf819775923cbb6c8dcbb8e0212545e3"},
	{"setup.sh", 55, "5be793dfafdf19fa3795ad33ae4327f4596b85db3656f8a75559ac9dd9c1a2d5", "6756b8ce7125d6d5a3484ec5b67e6e345c3baca03e2160a7913c581e5eb4c9f5"},
	{"Руководство администратора.txt", 87, "5f2eacb6ee63cdf68458d8de4625f733dd33d83f118c0c482433c06fb0370f02", "5354d6a2ebd52ea4dfab97491d0cf909a521d7abc98bffdaed6de7866f3dfe3f"},
	{"Формуляр изделия.odt", 52, "f605d7aec635c23579586265b5fc82ef1602c196b306e235f7c29c6009520bb9", "203a02d34ab0c870cbccbf5cc0851c1d8c574558d71317f0dba62a072674d7cf"},
}

// TestKitDigests checks that the digests the fixtures print are the true
// digests of the files in testdata/kit.
func TestKitDigests(t *testing.T) {
	for _, f := range kit {
		data, err := os.ReadFile(filepath.Join("testdata", "kit", filepath.FromSlash(f.name)))
		if err != nil {
			t.Fatal(err)
		}
		if int64(len(data)) != f.size {
			t.Errorf("%s: size %d, table says %d", f.name, len(data), f.size)
		}
		for alg, want := range map[string]string{"gost12-256": f.gost, "sha256": f.sha2} {
			h := checksumtest.Alg(t, alg).New()
			h.Write(data)
			if got := hex.EncodeToString(h.Sum(nil)); got != want {
				t.Errorf("%s %s: file has %s, table says %s", f.name, alg, got, want)
			}
		}
	}
}

// checkKit compares imported rows with the kit, row by row.
func checkKit(t *testing.T, rows []Row, lines []int) {
	t.Helper()
	if len(rows) != len(kit) {
		for _, r := range rows {
			t.Logf("row %d %q", r.Line, r.Name)
		}
		t.Fatalf("got %d rows, want %d", len(rows), len(kit))
	}
	for i, want := range kit {
		r := rows[i]
		if r.Line != lines[i] {
			t.Errorf("row %d: line %d, want %d", i+1, r.Line, lines[i])
		}
		if r.Name != want.name {
			t.Errorf("row %d: name %q, want %q", i+1, r.Name, want.name)
		}
		if r.Size != want.size {
			t.Errorf("row %d (%s): size %d, want %d", i+1, r.Name, r.Size, want.size)
		}
		if len(r.Digests) != 2 {
			t.Errorf("row %d (%s): %d digests, want 2", i+1, r.Name, len(r.Digests))
			continue
		}
		for k, w := range []struct{ alg, hex string }{{"gost12-256", want.gost}, {"sha256", want.sha2}} {
			d := r.Digests[k]
			if d.Col.String() != w.alg || d.Hex != w.hex || hex.EncodeToString(d.Sum) != w.hex {
				t.Errorf("row %d (%s) digest %d: %s %s (sum %x), want %s %s", i+1, r.Name, k+1, d.Col, d.Hex, d.Sum, w.alg, w.hex)
			}
		}
	}
}

type wantSkip struct {
	line int
	why  string // a part of the reason
}

func checkSkipped(t *testing.T, got []Skipped, want []wantSkip) {
	t.Helper()
	if len(got) != len(want) {
		for _, s := range got {
			t.Logf("skipped %d %q: %s", s.Line, s.Text, s.Why)
		}
		t.Fatalf("%d lines skipped, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Line != w.line || !strings.Contains(got[i].Why, w.why) {
			t.Errorf("skipped #%d: line %d %q (%s), want line %d (%s)", i+1, got[i].Line, got[i].Text, got[i].Why, w.line, w.why)
		}
	}
}

// TestParseTextPDF reads the pdftotext -layout output of
// testdata/formular.pdf: names wrapped in their cells, digests split over
// two or three lines and centred around their row's name, a page break
// with a running header, a footer and a repeated table header.
func TestParseTextPDF(t *testing.T) {
	data, err := os.ReadFile("testdata/formular.txt")
	if err != nil {
		t.Fatal(err)
	}
	rows, skipped, err := ParseText(data, "formular.txt", Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkKit(t, rows, []int{15, 18, 21, 25, 46, 53, 57})
	checkSkipped(t, skipped, []wantSkip{
		{1, "not in a checksum table"}, {4, "not in"}, {5, "not in"}, {6, "not in"},
		{7, "not in"}, {8, "not in"}, {10, "not in"},
		{37, "page header or footer"},
		{38, "does not fit column"},
		{41, "not next to a row"},
		{63, "does not fit column"},
		{68, "page header or footer"},
	})
}

// TestDOCXFixture: the committed testdata/formular.docx is what its
// generator makes; -update rewrites it from the generator.
func TestDOCXFixture(t *testing.T) {
	golden.Check(t, filepath.Join("testdata", "formular.docx"), formularDOCX())
}

// TestParseDOCX reads testdata/formular.docx: a two-level header of merged
// cells, column numbers, digests split across paragraphs and line breaks,
// a name in two paragraphs, a total row and a table of changes.
func TestParseDOCX(t *testing.T) {
	f, err := os.Open("testdata/formular.docx")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	st, _ := f.Stat()
	rows, skipped, err := ParseDOCX(f, st.Size(), "formular.docx", Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkKit(t, rows, []int{4, 5, 6, 7, 8, 9, 10})
	checkSkipped(t, skipped, []wantSkip{
		{3, "column numbers"},
		{11, "a row without a digest"},
		{12, "not in a checksum table"},
		{13, "not in a checksum table"},
	})
}

func readFixture(name string) ([]byte, error) { return os.ReadFile(name) }
