package doctable

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"
)

// This file builds minimal Word documents for the tests: the committed
// testdata/formular.docx (regenerate with go test -run TestDOCXFixture
// -update) and the small documents of the error cases.

// xcell is a table cell: paragraphs, each a list of lines joined by w:br.
type xcell struct {
	paras  [][]string
	span   int    // w:gridSpan, 0 for none
	vmerge string // "restart", "continue" or ""
}

type xrow []xcell

// c is a cell of one paragraph per argument.
func c(paras ...string) xcell {
	x := xcell{}
	for _, p := range paras {
		x.paras = append(x.paras, []string{p})
	}
	return x
}

// br is a cell of one paragraph whose lines are joined by w:br.
func br(lines ...string) xcell { return xcell{paras: [][]string{lines}} }

func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

func buildDOCX(intro []string, tables [][]xrow, outro []string) []byte {
	var d strings.Builder
	d.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	d.WriteString(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
	para := func(s string) {
		fmt.Fprintf(&d, `<w:p><w:r><w:t xml:space="preserve">%s</w:t></w:r></w:p>`, esc(s))
	}
	for _, p := range intro {
		para(p)
	}
	for ti, t := range tables {
		ncol := 0
		for _, r := range t {
			n := 0
			for _, x := range r {
				n += max(1, x.span)
			}
			ncol = max(ncol, n)
		}
		d.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>`)
		for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
			fmt.Fprintf(&d, `<w:%s w:val="single" w:sz="4" w:space="0" w:color="000000"/>`, side)
		}
		d.WriteString(`</w:tblBorders></w:tblPr><w:tblGrid>`)
		for range ncol {
			d.WriteString(`<w:gridCol w:w="1800"/>`)
		}
		d.WriteString(`</w:tblGrid>`)
		for ri, r := range t {
			d.WriteString(`<w:tr>`)
			if ti == 0 && ri < 2 {
				d.WriteString(`<w:trPr><w:tblHeader/></w:trPr>`)
			}
			for _, x := range r {
				d.WriteString(`<w:tc><w:tcPr>`)
				if x.span > 1 {
					fmt.Fprintf(&d, `<w:gridSpan w:val="%d"/>`, x.span)
				}
				switch x.vmerge {
				case "restart":
					d.WriteString(`<w:vMerge w:val="restart"/>`)
				case "continue":
					d.WriteString(`<w:vMerge/>`)
				}
				d.WriteString(`</w:tcPr>`)
				if len(x.paras) == 0 {
					d.WriteString(`<w:p/>`)
				}
				for _, p := range x.paras {
					d.WriteString(`<w:p><w:r>`)
					for i, line := range p {
						if i > 0 {
							d.WriteString(`<w:br/>`)
						}
						fmt.Fprintf(&d, `<w:t xml:space="preserve">%s</w:t>`, esc(line))
					}
					d.WriteString(`</w:r></w:p>`)
				}
				d.WriteString(`</w:tc>`)
			}
			d.WriteString(`</w:tr>`)
		}
		d.WriteString(`</w:tbl><w:p/>`)
	}
	for _, p := range outro {
		para(p)
	}
	d.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>`)
	d.WriteString(`</w:body></w:document>`)

	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", d.String()},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		// A fixed time keeps the fixture byte-for-byte reproducible.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			panic(err)
		}
		w.Write([]byte(p.body))
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// formularDOCX is the document of testdata/formular.docx: the table of
// testdata/formular.html with a two-level header (merged cells), a row of
// column numbers, a GOST digest split across two paragraphs of its cell,
// a SHA-256 digest split by a line break, Cyrillic and wrapped names, a
// total row, and a second table that holds no checksums.
func formularDOCX() []byte {
	cont := xcell{vmerge: "continue"}
	restart := func(s string) xcell { x := c(s); x.vmerge = "restart"; return x }
	span := func(s string, n int) xcell { x := c(s); x.span = n; return x }
	sums := []xrow{
		{restart("№"), restart("Имя файла"), restart("Размер, байт"), span("Контрольная сумма", 2)},
		{cont, cont, cont, c("ГОСТ Р 34.11-2012 (256)"), c("SHA-256")},
		{c("1"), c("2"), c("3"), c("4"), c("5")},
		{c("1"), c("README.txt"), c("29"),
			c("2391dbdb 5a2e070c 54e5298b dad5fe38 05963419 0b61fec1 d64d04be 7cea2eba"),
			c("75b4c1886338c1fc11949a30a71cd803613b0ff41a77deecd85c84357c364293")},
		{c("2"), c("bin/kesl-control"), c("25"),
			c("540579cf 9577373d e36bcf67 7194d216", "d80e9e7a 33b33cdd b874b80c 9479f89e"),
			br("e765fb69ed8119b9e21823b5c0fa16a6", "8daeebac66d0d884156a5731a6deb648")},
		{c("3"), c("foo.txt"), c("4"),
			c("3d4a51ee 7713e646 7442face fe06f153 a303e7bd efbe7f9b df2edb4a e9c866ff"),
			c("b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c")},
		{c("4"), c("kesl-12.1.0.1297-certified-distribution-", "package-for-astra-linux-special-edition.tar.gz"), c("18"),
			c("62172834 7866af3c 780cc2f2 78b2ca4b d68b6704 a238e6d0 5c2819a2 f4d8519d"),
			c("445e3b9daabe086ed18195aebdfa29ebbf819775923cbb6c8dcbb8e0212545e3")},
		{c("5"), c("setup.sh"), c("55"),
			c("5be793df afdf19fa 3795ad33 ae4327f4", "596b85db 3656f8a7 5559ac9d d9c1a2d5"),
			c("6756b8ce7125d6d5a3484ec5b67e6e345c3baca03e2160a7913c581e5eb4c9f5")},
		{c("6"), c("Руководство администратора.txt"), c("87"),
			c("5f2eacb6 ee63cdf6 8458d8de 4625f733 dd33d83f 118c0c48 2433c06f b0370f02"),
			c("5354d6a2ebd52ea4dfab97491d0cf909a521d7abc98bffdaed6de7866f3dfe3f")},
		{c("7"), c("Формуляр изделия.odt"), c("52"),
			c("f605d7ae c635c235 79586265 b5fc82ef 1602c196 b306e235 f7c29c60 09520bb9"),
			c("203a02d34ab0c870cbccbf5cc0851c1d8c574558d71317f0dba62a072674d7cf")},
		{c(""), c("Итого: 7 файлов"), c("270"), span("", 2)},
	}
	changes := []xrow{
		{c("Изм."), c("Номера листов"), c("Подпись"), c("Дата")},
		{c("1"), c("3, 5"), c("Иванов"), c("01.02.2024")},
	}
	return buildDOCX(
		[]string{"643.46856491.00111-01 30 01", "Kaspersky Endpoint Security для Linux", "Формуляр",
			"Таблица 1 – Контрольные суммы файлов дистрибутива"},
		[][]xrow{sums, changes},
		[]string{"Контрольные суммы проверены."})
}
