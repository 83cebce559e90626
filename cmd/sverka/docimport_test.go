package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wantDocRows is the table of the test formular document, as the DOCX and
// its PDF (through pdftotext -layout) both give it.
const wantDocRows = `[media closed gost12-256 sha256]
2391dbdb5a2e070c54e5298bdad5fe38059634190b61fec1d64d04be7cea2eba 75b4c1886338c1fc11949a30a71cd803613b0ff41a77deecd85c84357c364293 29 README.txt
540579cf9577373de36bcf677194d216d80e9e7a33b33cddb874b80c9479f89e e765fb69ed8119b9e21823b5c0fa16a68daeebac66d0d884156a5731a6deb648 25 bin/kesl-control
3d4a51ee7713e6467442facefe06f153a303e7bdefbe7f9bdf2edb4ae9c866ff b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c 4 foo.txt
621728347866af3c780cc2f278b2ca4bd68b6704a238e6d05c2819a2f4d8519d 445e3b9daabe086ed18195aebdfa29ebbf819775923cbb6c8dcbb8e0212545e3 18 kesl-12.1.0.1297-certified-distribution-package-for-astra-linux-special-edition.tar.gz
5be793dfafdf19fa3795ad33ae4327f4596b85db3656f8a75559ac9dd9c1a2d5 6756b8ce7125d6d5a3484ec5b67e6e345c3baca03e2160a7913c581e5eb4c9f5 55 setup.sh
5f2eacb6ee63cdf68458d8de4625f733dd33d83f118c0c482433c06fb0370f02 5354d6a2ebd52ea4dfab97491d0cf909a521d7abc98bffdaed6de7866f3dfe3f 87 Руководство администратора.txt
f605d7aec635c23579586265b5fc82ef1602c196b306e235f7c29c6009520bb9 203a02d34ab0c870cbccbf5cc0851c1d8c574558d71317f0dba62a072674d7cf 52 Формуляр изделия.odt
`

// TestImportDOCX takes the vendor's formular as a Word document through
// import, signature and verification. It is a Go test rather than a
// script because a DOCX is a zip archive, which a txtar file cannot hold.
func TestImportDOCX(t *testing.T) {
	t.Setenv("LANG", "en_US.UTF-8")
	t.Setenv("NO_COLOR", "1")
	src := filepath.Join("..", "..", "formular", "doctable", "testdata")
	dir := t.TempDir()
	kit := filepath.Join(dir, "kit")
	copyDocKit(t, filepath.Join(src, "kit"), kit)
	in := func(name string) string { return filepath.Join(dir, name) }

	sverka := func(want int, args ...string) (stdout, stderr string) {
		t.Helper()
		var out, errb bytes.Buffer
		code := run(context.Background(), args, &cli{stdin: strings.NewReader(""), stdout: &out, stderr: &errb})
		if code != want {
			t.Fatalf("sverka %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, want, out.String(), errb.String())
		}
		return out.String(), errb.String()
	}
	header := []string{"--set", "product=Kaspersky Endpoint Security для Linux", "--set", "version=12.1.0.1297"}

	sverka(exitOK, "keygen", "-W", "-p", in("k.pub"), "-s", in("k.key"))
	_, stderr := sverka(exitOK, append([]string{"formular", "import", "--from", "docx",
		filepath.Join(src, "formular.docx"), "-o", in("docx.txt")}, header...)...)
	// Rows it did not use are named with their numbers, none silently lost.
	for _, want := range []string{
		"formular.docx line 3: not used: column numbers: 1 | 2 | 3 | 4 | 5",
		"formular.docx line 11: not used: a row without a digest: Итого: 7 файлов | 270",
		"formular.docx: 7 rows read, 4 lines not used",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("import stderr lacks %q:\n%s", want, stderr)
		}
	}
	got, err := os.ReadFile(in("docx.txt"))
	if err != nil {
		t.Fatal(err)
	}
	wantFile := "sverka-formular 1\nproduct: Kaspersky Endpoint Security для Linux\nversion: 12.1.0.1297\n\n" + wantDocRows
	if string(got) != wantFile {
		t.Fatalf("formular imported from the DOCX:\n%s\nwant:\n%s", got, wantFile)
	}
	if _, err := os.Stat(in("docx.txt.minisig")); err == nil {
		t.Fatal("import signed the formular; it must leave that to sign")
	}

	// The same document printed to PDF and turned into text gives the
	// same formular, byte for byte.
	sverka(exitOK, append([]string{"formular", "import", "--from", "text",
		filepath.Join(src, "formular.txt"), "-o", in("pdf.txt")}, header...)...)
	fromPDF, err := os.ReadFile(in("pdf.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fromPDF, got) {
		t.Errorf("the DOCX and the PDF text give different formulars:\n%s\n---\n%s", got, fromPDF)
	}

	sverka(exitOK, "sign", "-s", in("k.key"), in("docx.txt"))
	stdout, _ := sverka(exitOK, "verify", "-f", in("docx.txt"), "-p", in("k.pub"), "--media", kit)
	if !strings.Contains(stdout, "HOLDS") || !strings.Contains(stdout, "total 7, OK 7") {
		t.Errorf("verify of the intact kit:\n%s", stdout)
	}

	// One byte of one file changed: NOT HOLD, that file named.
	tool := filepath.Join(kit, "bin", "kesl-control")
	data, err := os.ReadFile(tool)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)-2] ^= 0xff
	if err := os.WriteFile(tool, data, 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, _ = sverka(exitFail, "verify", "-f", in("docx.txt"), "-p", in("k.pub"), "--media", kit)
	for _, want := range []string{"NOT HOLD", "MODIFIED", "bin/kesl-control", "total 7, OK 6, MODIFIED 1"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("verify of the damaged kit lacks %q:\n%s", want, stdout)
		}
	}

	// A document whose bytes were damaged in transit is refused, not
	// read as an empty table.
	docx, err := os.ReadFile(filepath.Join(src, "formular.docx"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(in("cut.docx"), docx[:len(docx)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	sverka(exitError, "formular", "import", "--from", "docx", in("cut.docx"), "-o", in("cut.txt"))
	if _, err := os.Stat(in("cut.txt")); err == nil {
		t.Error("a formular was written from a truncated DOCX")
	}
}

// copyDocKit copies the regular files under src to dst.
func copyDocKit(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
