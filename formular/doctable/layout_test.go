package doctable

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/sverka/sverka/internal/checksumtest"
)

const (
	fooSHA256 = "b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c"
	fooMD5    = "d3b07384d113edec49eaa6238ad5ff00"
	fooSHA1   = "f1d2d2f924e986ac86fdf7b36c94bcdf32beec15"
	barSHA256 = "7d865e959b2466918c9863afca942d0fb89d7c9ac0c99bafc3749504ded97730"
	// foo\n under GOST R 34.11-94 with CryptoPro parameters, as rhash
	// prints it and as gostsum prints it.
	fooGOST94   = "72e0992f1e7caec2f8406b53d7ed09263fb6df1bae9129731f97a50a9de04115"
	fooGOST94gs = "1541e09d0aa5971f732991ae1bdfb63f2609edd7536b40f8c2ae7c1e2f99e072"
)

type wantRow struct {
	line int
	name string
	size int64
	sums []string // "alg hex"
}

func checkRows(t *testing.T, got []Row, want []wantRow) {
	t.Helper()
	if len(got) != len(want) {
		for _, r := range got {
			t.Logf("row %d %q %v", r.Line, r.Name, r.Digests)
		}
		t.Fatalf("got %d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		var sums []string
		for _, d := range g.Digests {
			sums = append(sums, d.Col.String()+" "+hex.EncodeToString(d.Sum))
		}
		if g.Line != w.line || g.Name != w.name || g.Size != w.size || strings.Join(sums, ",") != strings.Join(w.sums, ",") {
			t.Errorf("row %d: got %d %q %d %v\n want %d %q %d %v", i+1, g.Line, g.Name, g.Size, sums, w.line, w.name, w.size, w.sums)
		}
	}
}

func TestParseTextLayouts(t *testing.T) {
	half := func(s string) (string, string) { return s[:len(s)/2], s[len(s)/2:] }
	s1, s2 := half(fooSHA256)
	tests := []struct {
		name    string
		text    string
		algs    []string
		rows    []wantRow
		skipped []wantSkip
	}{
		{
			name: "tab-separated copy",
			text: "№\tИмя файла\tРазмер\tSHA-256\n1\tfoo.txt\t4\t" + fooSHA256 + "\n2\tпапка/бар файл.txt\t1 234\t" + barSHA256 + "\n",
			rows: []wantRow{
				{2, "foo.txt", 4, []string{"sha256 " + fooSHA256}},
				{3, "папка/бар файл.txt", 1234, []string{"sha256 " + barSHA256}},
			},
		},
		{
			name: "top-aligned rows, wrapped name, digest in two lines",
			text: "" +
				" №   Имя файла            Контрольная сумма SHA-256\n" +
				" 1   очень длинное имя    " + s1 + "\n" +
				"     файла.txt            " + s2 + "\n" +
				" 2   bar.txt              " + barSHA256 + "\n" +
				"                          Лист 3\n",
			rows: []wantRow{
				{2, "очень длинное имя файла.txt", -1, []string{"sha256 " + fooSHA256}},
				{4, "bar.txt", -1, []string{"sha256 " + barSHA256}},
			},
			skipped: []wantSkip{{5, "page header or footer"}},
		},
		{
			name: "wrapped header, three algorithms, groups of eight",
			text: "" +
				"Имя файла     Контрольная                       Контрольная сумма                         Контрольная\n" +
				"              сумма MD5                         SHA-1                                     сумма SHA-256\n" +
				"foo.txt       " + fooMD5 + "    " + fooSHA1 + "  " + groups(fooSHA256[:32]) + "\n" +
				"                                                                                          " + groups(fooSHA256[32:]) + "\n",
			rows: []wantRow{
				{3, "foo.txt", -1, []string{"md5 " + fooMD5, "sha1 " + fooSHA1, "sha256 " + fooSHA256}},
			},
		},
		{
			name: "no header: algorithm from the length and -a",
			text: "Контрольные суммы:\n\nfoo.txt  " + groups(s1) + "\n         " + groups(s2) + "\n1 bar файл.txt  " + barSHA256 + "\n",
			algs: []string{"sha256"},
			rows: []wantRow{
				{3, "foo.txt", -1, []string{"sha256 " + fooSHA256}},
				{5, "1 bar файл.txt", -1, []string{"sha256 " + barSHA256}},
			},
			skipped: []wantSkip{{1, "no digest on the line"}},
		},
		{
			name: "no header: md5 needs no -a",
			text: "foo.txt " + fooMD5 + "\n",
			rows: []wantRow{{1, "foo.txt", -1, []string{"md5 " + fooMD5}}},
		},
		{
			name:    "unsupported column next to a supported one",
			text:    "Имя файла   CRC32      SHA-256\nfoo.txt     7e3265a8   " + fooSHA256 + "\n",
			rows:    []wantRow{{2, "foo.txt", -1, []string{"sha256 " + fooSHA256}}},
			skipped: []wantSkip{{1, `column "CRC32" ignored: algorithm CRC32 is not supported`}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, skipped, err := ParseText([]byte(tt.text), "list.txt", Options{Algs: checksumtest.Algs(t, tt.algs...)})
			if err != nil {
				t.Fatal(err)
			}
			checkRows(t, rows, tt.rows)
			checkSkipped(t, skipped, tt.skipped)
		})
	}
}

// groups writes hex in groups of eight, as printed formulars do.
func groups(h string) string {
	var g []string
	for len(h) > 8 {
		g, h = append(g, h[:8]), h[8:]
	}
	return strings.Join(append(g, h), " ")
}

func TestParseTextErrors(t *testing.T) {
	tests := []struct {
		name string
		text string
		algs []string
		want []string // parts of the error
	}{
		{
			name: "CRC32 only",
			text: "Таблица 2\n\nИмя файла     Контрольная сумма CRC32\nfoo.txt       7e3265a8\n",
			want: []string{"list.txt line 3:", "CRC32", "not supported"},
		},
		{
			name: "64 digits without a header",
			text: "foo.txt  " + fooSHA256 + "\nbar.txt  " + barSHA256 + "\n",
			want: []string{"list.txt line 1:", "64 hex digits could be", "sha256", "blake3", "-a"},
		},
		{
			name: "64 digits under a header that names no algorithm",
			text: "№  Имя файла   Контрольная сумма\n1  foo.txt     " + fooSHA256 + "\n",
			want: []string{"list.txt line 2:", "64 hex digits could be", "-a"},
		},
		{
			name: "-a that does not fit the length",
			text: "foo.txt  " + fooSHA256 + "\n",
			algs: []string{"md5"},
			want: []string{"line 1:", "could be", "-a"},
		},
		{
			name: "no table",
			text: "Настоящий формуляр\nне содержит таблиц.\n",
			want: []string{"list.txt: no checksum table found"},
		},
		{
			name: "not UTF-8",
			text: "Имя файла\n\xcf\xf0\xe8\xec\xe5\xf0\n",
			want: []string{"list.txt: line 2: not UTF-8"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseText([]byte(tt.text), "list.txt", Options{Algs: checksumtest.Algs(t, tt.algs...)})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// TestParseTextGOST94 checks the parameter set and byte order of a
// GOST R 34.11-94 column: CryptoPro unless -a says otherwise, and the
// gostsum order read with Reversed gives the same digest.
func TestParseTextGOST94(t *testing.T) {
	text := func(h string) []byte {
		return []byte("Имя файла   Контрольная сумма ГОСТ Р 34.11-94\nfoo.txt     " + h + "\n")
	}
	tests := []struct {
		name string
		in   string
		opt  Options
		col  string
	}{
		{"default parameters", fooGOST94, Options{}, "gost94-cryptopro"},
		{"test parameters by -a", fooGOST94, Options{Algs: checksumtest.Algs(t, "gost94")}, "gost94"},
		{"gostsum byte order", fooGOST94gs, Options{Reversed: true}, "gost94-cryptopro/reversed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, _, err := ParseText(text(tt.in), "list.txt", tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			d := rows[0].Digests[0]
			if d.Col.String() != tt.col || d.Hex != tt.in || hex.EncodeToString(d.Sum) != fooGOST94 {
				t.Errorf("got %s %s sum %x, want %s %s sum %s", d.Col, d.Hex, d.Sum, tt.col, tt.in, fooGOST94)
			}
		})
	}
}

func TestParseDOCXErrors(t *testing.T) {
	tests := []struct {
		name  string
		table []xrow
		want  []string
	}{
		{
			name:  "CRC32 only",
			table: []xrow{{c("Имя файла"), c("CRC32")}, {c("foo.txt"), c("7e3265a8")}},
			want:  []string{"doc.docx row 1:", "CRC32", "not supported"},
		},
		{
			name:  "64 digits under a header that names no algorithm",
			table: []xrow{{c("Файл"), c("Контрольная сумма")}, {c("foo.txt"), c(fooSHA256[:40], fooSHA256[40:])}},
			want:  []string{"doc.docx row 2:", "64 hex digits could be", "-a"},
		},
		{
			name:  "no checksum table",
			table: []xrow{{c("Изм."), c("Подпись")}, {c("1"), c("Иванов")}},
			want:  []string{"doc.docx: no checksum table found"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := buildDOCX(nil, [][]xrow{tt.table}, nil)
			_, _, err := ParseDOCX(bytes.NewReader(doc), int64(len(doc)), "doc.docx", Options{})
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
	_, _, err := ParseDOCX(bytes.NewReader([]byte("PK not a zip")), 12, "doc.docx", Options{})
	if err == nil || !strings.Contains(err.Error(), "doc.docx: not a DOCX file") {
		t.Errorf("garbage: %v", err)
	}
}

func FuzzParseText(f *testing.F) {
	for _, s := range []string{
		"№\tИмя файла\tSHA-256\n1\tfoo.txt\t" + fooSHA256 + "\n",
		" №   Имя файла   Размер   Контрольная сумма ГОСТ Р 34.11-2012\n              " + groups(fooSHA256[:32]) + "\n 1   foo.txt   4\n              " + groups(fooSHA256[32:]) + "\n",
		"foo.txt  " + fooMD5 + "\n   1234\n",
		"Имя файла   CRC32\nfoo  1\n",
		"Наименование файла   Контрольная сумма по ГОСТ Р 34.11-2012 (Стрибог), 256 бит\nfoo.txt  " + fooSHA256 + "\n",
		"Обозначение   Контрольная сумма (ГОСТ Р 34.11-2012, 256 бит)\n\nfoo.txt\n",
	} {
		f.Add([]byte(s))
	}
	if b, err := readFixture("testdata/formular.txt"); err == nil {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, _, err := ParseText(data, "fuzz", Options{})
		if err == nil && len(rows) == 0 {
			t.Fatal("no rows and no error")
		}
		for _, r := range rows {
			for _, d := range r.Digests {
				if len(d.Sum) != d.Col.Alg.Size {
					t.Fatalf("%s digest of %d bytes", d.Col, len(d.Sum))
				}
			}
		}
	})
}

func FuzzParseDOCX(f *testing.F) {
	f.Add(formularDOCX())
	f.Add(buildDOCX(nil, [][]xrow{{{c("Имя"), c("MD5")}, {c("a"), c(fooMD5)}}}, nil))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		// A hang is a failure: the worker dies, and the fuzzer saves the input.
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				panic(fmt.Sprintf("ParseDOCX of %d bytes still running after 10s", len(data)))
			}
		}()
		rows, _, err := ParseDOCX(bytes.NewReader(data), int64(len(data)), "fuzz", Options{})
		if err == nil && len(rows) == 0 {
			t.Fatal("no rows and no error")
		}
	})
}

// TestClassifyHeaders reads checksum column headers worded as real
// formulars word them: the standard or algorithm named and the length in
// bits decide the algorithm; what they leave open is left to the digests.
func TestClassifyHeaders(t *testing.T) {
	tests := []struct {
		title  string
		kind   colKind
		alg    string // the algorithm named, if one
		family string
		hexLen int
	}{
		{"Контрольная сумма (ГОСТ Р 34.11-2012, 256 бит)", colDigest, "", "gost12", 64},
		{"Контрольная сумма по ГОСТ Р 34.11-2012 (Стрибог), 256 бит", colDigest, "", "gost12", 64},
		{"Контрольная сумма по ГОСТ Р 34.11-2012 с длиной хэш-кода 512 бит", colDigest, "", "gost12", 128},
		{"Контрольная сумма, 512 бит, ГОСТ Р 34.11–2012", colDigest, "", "gost12", 128},
		{"ГОСТ Р 34.11-2012 (256)", colDigest, "", "gost12", 64},
		{"ГОСТ Р 34.11-2012", colDigest, "", "gost12", 0},
		{"ГОСТ Р 34.11-2012 (256/512)", colDigest, "", "gost12", 0},
		{"ГОСТ 34.11-2018", colDigest, "", "gost12", 0},
		{"Стрибог-512", colDigest, "", "gost12", 128},
		{"Хэш-код Streebog-256", colDigest, "", "gost12", 64},
		{"КС ГОСТ Р 34.11-94", colDigest, "", "gost94", 64},
		{"Контрольная сумма по ГОСТ Р 34.11 - 94", colDigest, "", "gost94", 64},
		{"Хэш-функция", colDigest, "", "", 0},
		{"Значение контрольной суммы", colDigest, "", "", 0},
		{"Контрольная сумма (256 бит)", colDigest, "", "", 64},
		{"КС", colDigest, "", "", 0},
		{"Дайджест", colDigest, "", "", 0},
		{"MD5", colDigest, "md5", "", 32},
		{"SHA-256", colDigest, "sha256", "", 64},
		{"Контрольная сумма SHA256 (hex)", colDigest, "sha256", "", 64},
		{"SHA-1", colDigest, "sha1", "", 40},
		{"SHA-512", colDigest, "sha512", "", 128},
		{"SHA-2 (256 бит)", colDigest, "sha256", "", 64},
		{"SHA2-512", colDigest, "sha512", "", 128},
		{"SHA-2", colDigest, "", "sha2", 0},
		{"BLAKE3", colDigest, "blake3", "", 64},
		{"Имя файла", colName, "", "", 0},
		{"Наименование исполняемого модуля", colName, "", "", 0},
		{"Путь к файлу", colName, "", "", 0},
		{"Размер, байт", colSize, "", "", 0},
		{"№ п/п", colNum, "", "", 0},
		{"Обозначение", colOther, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			s := classify(tt.title)
			alg := ""
			if s.alg != nil {
				alg = s.alg.Name
			}
			if s.kind != tt.kind || alg != tt.alg || s.family != tt.family || s.hexLen != tt.hexLen {
				t.Errorf("got %s alg %q family %q length %d, want %s alg %q family %q length %d",
					kindName(s.kind), alg, s.family, s.hexLen, kindName(tt.kind), tt.alg, tt.family, tt.hexLen)
			}
			if !headerFragment(tt.title) {
				t.Errorf("not a header fragment: %s", fragmentWhy(tt.title))
			}
		})
	}
	for _, unsupported := range []string{"SHA-512/256", "SHA-384", "CRC32", "SHA3-256"} {
		if s := classify(unsupported); s.kind != colDigest || s.unsupported == "" {
			t.Errorf("%s: got %+v, want an unsupported digest column", unsupported, s)
		}
	}
}

// TestFragmentWhy: a long cell is a title only when it reads as one.
func TestFragmentWhy(t *testing.T) {
	tests := []struct {
		cell string
		why  string // a part of the reason; "" for a title
	}{
		{"Контрольная сумма по ГОСТ Р 34.11-2012 (Стрибог), 256 бит", ""},
		{"Наименование файла (относительно корня дистрибутива)", ""},
		{"Контрольная сумма файла, вычисленная по алгоритму ГОСТ Р 34.11-2012 с длиной хэш-кода 256 бит, как указано в разделе 4 настоящего формуляра", "too long"},
		{"Контрольные суммы файлов приведены в таблице ниже.", "sentence"},
		{"usr/share/doc/product/checksum-of-the-distribution.txt", "path"},
		{"Организация-разработчик программного обеспечения изделия", "names no column"},
		{"2391dbdb 5a2e070c 54e5298b", "hex digits"},
		{"12", "number"},
		{"(256)", ""},
	}
	for _, tt := range tests {
		got := fragmentWhy(tt.cell)
		if tt.why == "" && got != "" || tt.why != "" && !strings.Contains(got, tt.why) {
			t.Errorf("fragmentWhy(%q) = %q, want %q", tt.cell, got, tt.why)
		}
	}
}

// TestParseTextLongHeaders reads tables under long headers: the header,
// not -a, decides the algorithm.
func TestParseTextLongHeaders(t *testing.T) {
	gost := "3d4a51ee7713e6467442facefe06f153a303e7bdefbe7f9bdf2edb4ae9c866ff"
	for _, h := range []string{
		"Контрольная сумма (ГОСТ Р 34.11-2012, 256 бит)",
		"Контрольная сумма по ГОСТ Р 34.11-2012 (Стрибог), 256 бит",
		"Хэш-код по ГОСТ 34.11-2018",
	} {
		t.Run(h, func(t *testing.T) {
			text := "№   Наименование файла (относительно корня)   " + h + "\n1   foo.txt                                    " + gost + "\n"
			rows, skipped, err := ParseText([]byte(text), "list.txt", Options{})
			if err != nil {
				t.Fatal(err)
			}
			checkRows(t, rows, []wantRow{{2, "foo.txt", -1, []string{"gost12-256 " + gost}}})
			checkSkipped(t, skipped, nil)
		})
	}
}

// TestNoTableCandidates: when no table is found, the error lists the
// lines that looked like a header and why each was not one.
func TestNoTableCandidates(t *testing.T) {
	text := "Формуляр\n\nОбозначение   Контрольная сумма (ГОСТ Р 34.11-2012, 256 бит)\n\nfoo.txt\n"
	_, skipped, err := ParseText([]byte(text), "list.txt", Options{})
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{"list.txt: no checksum table found", "line 3: Обозначение", "no column names the file", `"Обозначение" not recognised`} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not say %q", err, w)
		}
	}
	if len(skipped) < 2 || !skipped[1].Candidate || skipped[0].Candidate {
		t.Errorf("skipped %+v: want line 3 alone marked a candidate", skipped)
	}
	doc := buildDOCX(nil, [][]xrow{{{c("Объект"), c("Контрольная сумма (ГОСТ Р 34.11-2012, 256 бит)")}, {c("foo.txt"), c(fooSHA256)}}}, nil)
	_, _, err = ParseDOCX(bytes.NewReader(doc), int64(len(doc)), "doc.docx", Options{})
	if err == nil || !strings.Contains(err.Error(), "row 1: Объект | Контрольная сумма") || !strings.Contains(err.Error(), "no column names the file") {
		t.Errorf("DOCX: %v", err)
	}
}
