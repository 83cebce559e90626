package doctable

import (
	"archive/zip"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
)

// maxPart bounds how much of one decompressed part of a DOCX is read: a
// checksum table never comes near it, a zip bomb does.
const maxPart = 64 << 20

const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
)

// ParseDOCX reads the checksum tables of a Word document. Rows are
// numbered by table row, counting the rows of all tables from the start
// of the document; skipped holds every table row it could not use.
func ParseDOCX(r io.ReaderAt, size int64, file string, opt Options) (rows []Row, skipped []Skipped, err error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: not a DOCX file: %w", file, err)
	}
	body, err := mainPart(zr)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	tables, err := readTables(body)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	d := &docxParser{file: file, res: newResolver(opt)}
	for _, t := range tables {
		if err := d.table(t); err != nil {
			return nil, nil, err
		}
	}
	sort.SliceStable(d.rows, func(i, j int) bool { return d.rows[i].Line < d.rows[j].Line })
	sort.SliceStable(d.skipped, func(i, j int) bool { return d.skipped[i].Line < d.skipped[j].Line })
	if len(d.rows) == 0 {
		return nil, d.skipped, noTable(file, "row", d.skipped)
	}
	return d.rows, d.skipped, nil
}

// mainPart returns the document body: the part _rels/.rels names as the
// office document, word/document.xml if it names none.
func mainPart(zr *zip.Reader) ([]byte, error) {
	name := "word/document.xml"
	if rels, err := readPart(zr, "_rels/.rels"); err == nil {
		var doc struct {
			Rels []struct {
				Type   string `xml:"Type,attr"`
				Target string `xml:"Target,attr"`
			} `xml:"Relationship"`
		}
		if xml.Unmarshal(rels, &doc) == nil {
			for _, r := range doc.Rels {
				if strings.HasSuffix(r.Type, "/officeDocument") {
					name = strings.TrimPrefix(path.Clean("/"+r.Target), "/")
					break
				}
			}
		}
	}
	b, err := readPart(zr, name)
	if err != nil {
		return nil, fmt.Errorf("not a DOCX file: %w", err)
	}
	return b, nil
}

func readPart(zr *zip.Reader, name string) ([]byte, error) {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxPart+1))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if len(b) > maxPart {
			return nil, fmt.Errorf("%s: larger than %d MiB", name, maxPart>>20)
		}
		return b, nil
	}
	return nil, fmt.Errorf("no part %s", name)
}

// dcell is a table cell: its text, paragraphs and breaks as newlines.
type dcell struct {
	text    string
	grid    int // first grid column
	span    int // grid columns covered
	vmerge  int // 0 none, 1 restart, 2 continues the cell above
	hasText bool
}

type drow struct {
	n     int // row number in the document
	cells []dcell
}

type dtable struct{ rows []drow }

func isW(n xml.Name, local string) bool {
	return n.Local == local && (n.Space == nsW || n.Space == nsWStrict)
}

func attr(e xml.StartElement, local string) (string, bool) {
	for _, a := range e.Attr {
		if a.Name.Local == local && (a.Name.Space == nsW || a.Name.Space == nsWStrict || a.Name.Space == "") {
			return a.Value, true
		}
	}
	return "", false
}

// readTables walks the document's w:tbl/w:tr/w:tc. A table nested in a
// cell is read as a table of its own; its text is not the outer cell's.
func readTables(body []byte) ([]dtable, error) {
	dec := xml.NewDecoder(strings.NewReader(string(body)))
	type open struct {
		t    dtable
		row  *drow
		cell *dcell
		sb   strings.Builder
		grid int
	}
	var stack []*open
	var done []dtable
	inText := false
	rowN := 0
	top := func() *open {
		if len(stack) == 0 {
			return nil
		}
		return stack[len(stack)-1]
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("document body: %w", err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			o := top()
			switch {
			case isW(e.Name, "tbl"):
				stack = append(stack, &open{})
			case o == nil:
			case isW(e.Name, "tr"):
				rowN++
				o.row = &drow{n: rowN}
				o.grid = 0
			case isW(e.Name, "gridBefore") && o.row != nil:
				if v, ok := attr(e, "val"); ok {
					if n, err := strconv.Atoi(v); err == nil && n > 0 && n < 1000 {
						o.grid += n
					}
				}
			case isW(e.Name, "tc") && o.row != nil:
				o.cell = &dcell{grid: o.grid, span: 1}
				o.sb.Reset()
			case o.cell == nil:
			case isW(e.Name, "gridSpan"):
				if v, ok := attr(e, "val"); ok {
					if n, err := strconv.Atoi(v); err == nil && n > 1 && n < 1000 {
						o.cell.span = n
					}
				}
			case isW(e.Name, "vMerge"):
				if v, _ := attr(e, "val"); v == "restart" {
					o.cell.vmerge = 1
				} else {
					o.cell.vmerge = 2
				}
			case isW(e.Name, "t"):
				inText = true
			case isW(e.Name, "br"), isW(e.Name, "cr"):
				o.sb.WriteByte('\n')
			case isW(e.Name, "tab"):
				o.sb.WriteByte('\t')
			case isW(e.Name, "noBreakHyphen"):
				o.sb.WriteByte('-')
			}
		case xml.EndElement:
			o := top()
			switch {
			case o == nil:
			case isW(e.Name, "tbl"):
				stack = stack[:len(stack)-1]
				done = append(done, o.t)
			case isW(e.Name, "t"):
				inText = false
			case isW(e.Name, "p") && o.cell != nil:
				o.sb.WriteByte('\n')
			case isW(e.Name, "tc") && o.cell != nil && o.row != nil:
				o.cell.text = o.sb.String()
				o.cell.hasText = strings.TrimSpace(o.cell.text) != ""
				o.row.cells = append(o.row.cells, *o.cell)
				o.grid += o.cell.span
				o.cell = nil
			case isW(e.Name, "tr") && o.row != nil:
				o.t.rows = append(o.t.rows, *o.row)
				o.row = nil
			}
		case xml.CharData:
			if o := top(); inText && o != nil && o.cell != nil {
				o.sb.Write(e)
			}
		}
	}
	// Tables end inner first; put them back in the order they start.
	sort.SliceStable(done, func(i, j int) bool { return firstRow(done[i]) < firstRow(done[j]) })
	return done, nil
}

func firstRow(t dtable) int {
	if len(t.rows) == 0 {
		return 1 << 30
	}
	return t.rows[0].n
}

type docxParser struct {
	file    string
	res     *resolver
	rows    []Row
	skipped []Skipped
}

func (d *docxParser) skip(r drow, why string) {
	var parts []string
	for _, c := range r.cells {
		if t := strings.Join(strings.Fields(c.text), " "); t != "" {
			parts = append(parts, t)
		}
	}
	d.skipped = append(d.skipped, Skipped{Line: r.n, Text: strings.Join(parts, " | "), Why: why})
}

// skipOutside skips a row that is in no table; a row that looks like a
// table header (it names a checksum column among others) is skipped as a
// candidate, saying why it is not one.
func (d *docxParser) skipOutside(r drow, why, notHeader string) {
	var cells []string
	for _, c := range r.cells {
		if t := strings.Join(strings.Fields(c.text), " "); t != "" {
			cells = append(cells, t)
		}
	}
	if !candidateCells(cells) {
		d.skip(r, why)
		return
	}
	d.skip(r, candidatePrefix+notHeader)
	d.skipped[len(d.skipped)-1].Candidate = true
}

func (d *docxParser) errorf(row int, format string, a ...any) error {
	return fmt.Errorf("%s row %d: %s", d.file, row, fmt.Sprintf(format, a...))
}

// gridText is the text of each grid column of a row; a cell spanning
// several columns gives its text to each, a cell continuing a vertical
// merge takes the text of the cell it continues.
func gridText(r drow, above map[int]string) (map[int]string, map[int]bool) {
	out := map[int]string{}
	spans := map[int]bool{}
	for _, c := range r.cells {
		t := c.text
		if c.vmerge == 2 && !c.hasText {
			t = above[c.grid]
		}
		for g := c.grid; g < c.grid+c.span && g < c.grid+1000; g++ {
			out[g] = t
			if c.span > 1 {
				spans[g] = true
			}
		}
	}
	return out, spans
}

// table reads one table of the document: its header, then the rows under
// it. A table with no checksum header gives no rows, its rows skipped.
func (d *docxParser) table(t dtable) error {
	texts := gridTexts(t)
	h, ok := d.findHeader(t, texts)
	if !ok {
		return nil
	}
	if err := d.checkUsable(h); err != nil {
		return err
	}
	rows, lens := d.readBody(t.rows[h.body:], texts[h.body:], h)
	resolved, err := d.resolveColumns(h, rows, lens)
	if err != nil {
		return err
	}
	d.addRows(rows, h.grids, resolved)
	return nil
}

// docxHeader is the header of a table.
type docxHeader struct {
	cols  map[int]column // by grid column
	grids []int          // the grid columns of cols, in order
	row   drow           // its first row
	body  int            // the index of the first row after it
}

// pendingRow is a row under the header, its digests still hex, before the
// digest columns' lengths are known.
type pendingRow struct {
	row     drow
	name    string
	size    int64
	digests map[int]string // by grid column
}

// gridTexts is the text of every row by grid column, a vertical merge
// taking the text of the row above.
func gridTexts(t dtable) []map[int]string {
	var texts []map[int]string
	above := map[int]string{}
	for _, r := range t.rows {
		g, _ := gridText(r, above)
		texts = append(texts, g)
		above = g
	}
	return texts
}

// findHeader finds the header: the first rows whose every cell is a column
// title or a piece of one, naming a file column and a checksum column.
// The rows before it are skipped as not in a checksum table; ok is false
// when there is no header.
func (d *docxParser) findHeader(t dtable, texts []map[int]string) (h docxHeader, ok bool) {
	for i := 0; i < len(t.rows); {
		j := i
		for j < len(t.rows) && isHeaderRow(t.rows[j]) {
			j++
		}
		if j == i {
			if !emptyRow(t.rows[i]) {
				d.skipOutside(t.rows[i], "not in a checksum table", headerRowWhy(t.rows[i]))
			}
			i++
			continue
		}
		cols := docxColumns(t.rows[i:j], texts[i:j])
		why := missingColumns(sortedColumns(cols))
		if why == "" {
			d.noteUnsupported(t.rows[i], cols)
			h = docxHeader{cols: cols, row: t.rows[i], body: j}
			for g := range cols {
				h.grids = append(h.grids, g)
			}
			sort.Ints(h.grids)
			return h, true
		}
		for k := i; k < j; k++ {
			d.skipOutside(t.rows[k], "not in a checksum table", why)
		}
		i = j
	}
	return docxHeader{}, false
}

// checkUsable fails a table whose every digest column names an algorithm
// sverka does not support: its rows could give no digest at all.
func (d *docxParser) checkUsable(h docxHeader) error {
	for _, c := range h.cols {
		if c.kind == colDigest && c.unsupported == "" {
			return nil
		}
	}
	for _, g := range h.grids {
		if c := h.cols[g]; c.kind == colDigest {
			return d.errorf(h.row.n, "column %q: algorithm %s is not supported", c.title, c.unsupported)
		}
	}
	return nil
}

// readBody reads the rows under the header, skipping those that are not
// a file's. lens counts, for each digest column, the hex lengths of its
// digests, those of skipped rows too.
func (d *docxParser) readBody(rows []drow, texts []map[int]string, h docxHeader) (pending []pendingRow, lens map[int]map[int]int) {
	lens = map[int]map[int]int{} // grid -> hex length -> count
	for k, r := range rows {
		if emptyRow(r) {
			continue
		}
		if isHeaderRow(r) {
			continue // a header repeated on a new page
		}
		var cellTexts []string
		for _, c := range r.cells {
			cellTexts = append(cellTexts, strings.TrimSpace(c.text))
		}
		if columnNumbers(cellTexts) {
			d.skip(r, "column numbers")
			continue
		}
		p, why := readRow(r, texts[k], h, lens)
		switch {
		case why != "":
			d.skip(r, why)
		case p.name == "":
			d.skip(r, "a row without a file name")
		case len(p.digests) == 0:
			d.skip(r, "a row without a digest")
		default:
			pending = append(pending, p)
		}
	}
	return pending, lens
}

// readRow reads a row's cells by column: the name, the size and the hex
// of each digest, counting the digests' lengths in lens. why says what
// makes the row unusable.
func readRow(r drow, g map[int]string, h docxHeader, lens map[int]map[int]int) (p pendingRow, why string) {
	p = pendingRow{row: r, size: -1, digests: map[int]string{}}
	for _, gi := range h.grids {
		c := h.cols[gi]
		v := strings.TrimSpace(g[gi])
		switch c.kind {
		case colName:
			for _, part := range strings.Split(v, "\n") {
				p.name = joinName(p.name, part)
			}
		case colSize:
			if v == "" {
				continue
			}
			n, ok := parseSize(strings.Join(strings.Fields(v), " "))
			if !ok {
				why = fmt.Sprintf("%q is not a size", v)
			}
			p.size = n
		case colDigest:
			if c.unsupported != "" || v == "" {
				continue
			}
			hx, ok := hexGroups(v)
			if !ok {
				why = fmt.Sprintf("%q under column %q is not a hex digest", strings.Join(strings.Fields(v), " "), c.title)
				continue
			}
			p.digests[gi] = hx
			if lens[gi] == nil {
				lens[gi] = map[int]int{}
			}
			lens[gi][len(hx)]++
		}
	}
	return p, why
}

// resolveColumns settles each digest column's algorithm. A column takes
// the length its header gives, else the one most of its digests have.
func (d *docxParser) resolveColumns(h docxHeader, rows []pendingRow, lens map[int]map[int]int) (map[int]checksum0, error) {
	resolved := map[int]checksum0{}
	for _, gi := range h.grids {
		c := h.cols[gi]
		if c.kind != colDigest || c.unsupported != "" || len(lens[gi]) == 0 {
			continue
		}
		n := c.hexLen
		if n == 0 {
			best := -1
			for l, cnt := range lens[gi] {
				if cnt > best || cnt == best && l > n {
					n, best = l, cnt
				}
			}
		}
		first := 0
		for _, p := range rows {
			if len(p.digests[gi]) == n {
				first = p.row.n
				break
			}
		}
		col, err := d.res.resolve(c.spec, n, c.title)
		if err != nil {
			return nil, d.errorf(first, "%v", err)
		}
		resolved[gi] = checksum0{n: n, col: col}
	}
	return resolved, nil
}

// addRows decodes the digests of the pending rows into rows; a row with a
// digest that does not decode is skipped.
func (d *docxParser) addRows(rows []pendingRow, grids []int, resolved map[int]checksum0) {
	for _, p := range rows {
		row := Row{Line: p.row.n, Name: p.name, Size: p.size}
		why := ""
		for _, gi := range grids {
			h, ok := p.digests[gi]
			if !ok {
				continue
			}
			rc, ok := resolved[gi]
			if !ok {
				continue
			}
			dg, err := decode(rc.col, h)
			if err != nil {
				why = err.Error()
				break
			}
			row.Digests = append(row.Digests, dg)
		}
		if why != "" {
			d.skip(p.row, why)
			continue
		}
		d.rows = append(d.rows, row)
	}
}

// noteUnsupported records, on the header's first row, the columns that
// name an algorithm sverka does not support and are left out.
func (d *docxParser) noteUnsupported(r drow, cols map[int]column) {
	var gs []int
	for g, c := range cols {
		if c.kind == colDigest && c.unsupported != "" {
			gs = append(gs, g)
		}
	}
	sort.Ints(gs)
	for _, g := range gs {
		d.skip(r, fmt.Sprintf("column %q ignored: algorithm %s is not supported", cols[g].title, cols[g].unsupported))
	}
}

func emptyRow(r drow) bool {
	for _, c := range r.cells {
		if c.hasText {
			return false
		}
	}
	return true
}

// headerRowWhy says why a row is not a header row: a cell that is not a
// column title.
func headerRowWhy(r drow) string {
	for _, c := range r.cells {
		t := strings.Join(strings.Fields(c.text), " ")
		if t == "" {
			continue
		}
		if w := fragmentWhy(t); w != "" {
			return w
		}
	}
	return "no cell names a column"
}

// sortedColumns lists the columns of a header in grid order.
func sortedColumns(cols map[int]column) []column {
	var grids []int
	for g := range cols {
		grids = append(grids, g)
	}
	sort.Ints(grids)
	var out []column
	for _, g := range grids {
		out = append(out, cols[g])
	}
	return out
}

// isHeaderRow reports whether every non-empty cell of a row reads as a
// column title or a piece of one, one of them a title.
func isHeaderRow(r drow) bool {
	titled := false
	for _, c := range r.cells {
		t := strings.Join(strings.Fields(c.text), " ")
		if t == "" {
			continue
		}
		if !headerFragment(t) {
			return false
		}
		titled = titled || headerCell(t)
	}
	return titled
}

// docxColumns reads the columns of header rows, keyed by grid column. A
// cell spanning several grid columns is a parent title read into each.
// Whether they make a checksum table's header is for missingColumns.
func docxColumns(rows []drow, texts []map[int]string) map[int]column {
	own := map[int][]string{}
	par := map[int][]string{}
	for k, r := range rows {
		_, spans := gridText(r, nil)
		for g, t := range texts[k] {
			t = strings.Join(strings.Fields(t), " ")
			if t == "" {
				continue
			}
			if spans[g] {
				par[g] = append(par[g], t)
			} else {
				own[g] = append(own[g], t)
			}
		}
	}
	cols := map[int]column{}
	for g := range mergeKeys(own, par) {
		o := strings.Join(dedupe(own[g]), " ")
		full := strings.TrimSpace(strings.Join(append(dedupe(par[g]), o), " "))
		s := classify(o)
		if s.kind == colOther || s.kind == colDigest && s.alg == nil && s.family == "" && s.unsupported == "" {
			if ps := classify(full); ps.kind != colOther {
				s = ps
			}
		}
		cols[g] = column{spec: s, title: full, start: g, end: g + 1}
	}
	return cols
}

func mergeKeys(a, b map[int][]string) map[int]bool {
	out := map[int]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

// dedupe drops a title repeated by a vertical merge.
func dedupe(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
