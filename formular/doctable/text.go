package doctable

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// tabWidth is the virtual width of a tab-separated cell: a table copied out
// of a word processor arrives with one tab between cells, and giving every
// cell a far-apart position lets header and data cells meet by index.
const tabWidth = 1000

// gap is what a blank, noise or header line adds to the distance between
// two lines: pieces of a row never lie across one when a nearer row exists.
const gap = 1000

// cell is a run of text on a line; x and end are rune positions.
type cell struct {
	text   string
	x, end int
}

type textLine struct {
	n     int // line number, from 1
	raw   string
	cells []cell
	tabs  bool
}

// ParseText reads the checksum tables of a text: the output of
// `pdftotext -layout`, or a table copied out of a document. file names the
// input in errors. Every non-blank line it does not use is returned in
// skipped with the reason.
func ParseText(data []byte, file string, opt Options) (rows []Row, skipped []Skipped, err error) {
	text, err := decodeText(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	lines := splitLines(text)
	p := &textParser{file: file, opt: opt, res: newResolver(opt), lines: lines}
	if err := p.run(); err != nil {
		return nil, nil, err
	}
	sort.SliceStable(p.rows, func(i, j int) bool { return p.rows[i].Line < p.rows[j].Line })
	sort.SliceStable(p.skipped, func(i, j int) bool { return p.skipped[i].Line < p.skipped[j].Line })
	if len(p.rows) == 0 {
		return nil, p.skipped, noTable(file, "line", p.skipped)
	}
	return p.rows, p.skipped, nil
}

// decodeText returns UTF-8 text: UTF-8 (a BOM dropped) or UTF-16 with a
// BOM, as Windows editors save "Unicode" text.
func decodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case len(data) >= 2 && (data[0] == 0xFF && data[1] == 0xFE || data[0] == 0xFE && data[1] == 0xFF):
		be := data[0] == 0xFE
		data = data[2:]
		u := make([]uint16, len(data)/2)
		for i := range u {
			if be {
				u[i] = uint16(data[2*i])<<8 | uint16(data[2*i+1])
			} else {
				u[i] = uint16(data[2*i+1])<<8 | uint16(data[2*i])
			}
		}
		return string(utf16.Decode(u)), nil
	}
	if !utf8.Valid(data) {
		n := 1 + bytes.Count(data[:validPrefix(data)], []byte("\n"))
		return "", fmt.Errorf("line %d: not UTF-8 text (convert it first, e.g. iconv -f cp1251 -t utf-8)", n)
	}
	return string(data), nil
}

func validPrefix(b []byte) int {
	i := 0
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return i
}

var spaceLike = strings.NewReplacer("\u00a0", " ", "\u2007", " ", "\u2009", " ", "\u202f", " ", "\u00ad", "", "\f", "", "\r", "", "\ufeff", "", "\v", "")

func splitLines(text string) []textLine {
	var out []textLine
	for i, raw := range strings.Split(text, "\n") {
		s := spaceLike.Replace(raw)
		l := textLine{n: i + 1, raw: strings.TrimSpace(s)}
		if strings.Contains(s, "\t") && strings.Trim(s, " \t") != "" {
			l.tabs = true
			for j, f := range strings.Split(s, "\t") {
				if f = strings.TrimSpace(f); f != "" {
					l.cells = append(l.cells, cell{text: f, x: j * tabWidth, end: j*tabWidth + tabWidth/2})
				}
			}
		} else {
			l.cells = splitCells(s)
		}
		out = append(out, l)
	}
	return out
}

// splitCells splits a layout line at runs of two or more spaces.
func splitCells(s string) []cell {
	var out []cell
	rs := []rune(s)
	i := 0
	for i < len(rs) {
		for i < len(rs) && rs[i] == ' ' {
			i++
		}
		if i >= len(rs) {
			break
		}
		start := i
		for i < len(rs) && !(rs[i] == ' ' && (i+1 >= len(rs) || rs[i+1] == ' ')) {
			i++
		}
		out = append(out, cell{text: string(rs[start:i]), x: start, end: i})
	}
	return out
}

// tokens splits a cell at single spaces, keeping positions.
func tokens(c cell) []cell {
	var out []cell
	rs := []rune(c.text)
	i := 0
	for i < len(rs) {
		for i < len(rs) && rs[i] == ' ' {
			i++
		}
		start := i
		for i < len(rs) && rs[i] != ' ' {
			i++
		}
		if i > start {
			out = append(out, cell{text: string(rs[start:i]), x: c.x + start, end: c.x + i})
		}
	}
	return out
}

type textParser struct {
	file    string
	opt     Options
	res     *resolver
	lines   []textLine
	rows    []Row
	skipped []Skipped
	// notHeader holds, by line number, why a line that looks like a table
	// header is not one.
	notHeader map[int]string
}

func (p *textParser) skip(l textLine, why string) {
	p.skipped = append(p.skipped, Skipped{Line: l.n, Text: l.raw, Why: why})
}

// skipOutside skips a line that is in no table, saying why it is not a
// header when it looks like one.
func (p *textParser) skipOutside(l textLine, why string) {
	if w, ok := p.notHeader[l.n]; ok {
		p.skipped = append(p.skipped, Skipped{Line: l.n, Text: l.raw, Why: candidatePrefix + w, Candidate: true})
		return
	}
	p.skip(l, why)
}

// findCandidates notes why each line outside the headers found that looks
// like a header is not one.
func (p *textParser) findCandidates(heads []header) {
	p.notHeader = map[int]string{}
	in := map[int]bool{}
	for _, h := range heads {
		for i := h.first; i <= h.last; i++ {
			in[i] = true
		}
	}
	for i, l := range p.lines {
		var texts []string
		for _, c := range l.cells {
			texts = append(texts, c.text)
		}
		if in[i] || !candidateCells(texts) {
			continue
		}
		p.notHeader[l.n] = p.whyNotHeader(i)
	}
}

// whyNotHeader says why line i does not open a table header.
func (p *textParser) whyNotHeader(i int) string {
	for _, c := range p.lines[i].cells {
		if w := fragmentWhy(c.text); w != "" {
			return w
		}
	}
	if !p.headerLine(i, true) {
		return "no cell names a column"
	}
	last := i
	for last+1 < len(p.lines) && p.headerLine(last+1, false) {
		last++
	}
	if w := missingColumns(mergeHeader(p.lines[i : last+1])); w != "" {
		return w
	}
	// The line names both, but lies inside a header that starts above it.
	return "part of the header above"
}

func (p *textParser) errorf(line int, format string, a ...any) error {
	return fmt.Errorf("%s line %d: %s", p.file, line, fmt.Sprintf(format, a...))
}

// header is a table header found in the text: lines [first, last].
type header struct {
	first, last int // indexes into lines
	cols        []column
}

type column struct {
	spec
	title      string
	start, end int
}

func (p *textParser) run() error {
	var heads []header
	for i := 0; i < len(p.lines); {
		h, ok := p.findHeader(i)
		if !ok {
			i++
			continue
		}
		heads = append(heads, h)
		i = h.last + 1
	}
	p.findCandidates(heads)
	if len(heads) == 0 {
		if err := p.headerless(); err != nil {
			// Say which lines looked like the header the reader missed:
			// the error is often that header's absence.
			sort.SliceStable(p.skipped, func(i, j int) bool { return p.skipped[i].Line < p.skipped[j].Line })
			return fmt.Errorf("%w%s", err, candidateList("line", p.skipped))
		}
		return nil
	}
	for i := 0; i < heads[0].first; i++ {
		if p.lines[i].raw != "" {
			p.skipOutside(p.lines[i], "not in a checksum table")
		}
	}
	// Tables whose headers have the same columns are one table broken
	// across pages.
	for i := 0; i < len(heads); {
		j := i + 1
		for j < len(heads) && sameColumns(heads[i].cols, heads[j].cols) {
			j++
		}
		end := len(p.lines)
		if j < len(heads) {
			end = heads[j].first
		}
		if err := p.table(heads[i:j], end); err != nil {
			return err
		}
		i = j
	}
	return nil
}

func sameColumns(a, b []column) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].spec != b[i].spec {
			return false
		}
	}
	return true
}

// findHeader looks for a table header starting at line i: consecutive
// lines of column titles (a title may wrap over several lines) that
// together name a file column and a checksum column.
func (p *textParser) findHeader(i int) (header, bool) {
	if !p.headerLine(i, true) {
		return header{}, false
	}
	last := i
	for last+1 < len(p.lines) && p.headerLine(last+1, false) {
		last++
	}
	// A title may begin on lines made only of fragments above the line
	// that names columns; those lines are taken in by the scan that
	// starts at them, so only the forward run is needed here.
	cols := mergeHeader(p.lines[i : last+1])
	var name, digest bool
	for _, c := range cols {
		name = name || c.kind == colName
		digest = digest || c.kind == colDigest
	}
	if !name || !digest {
		return header{}, false
	}
	return header{first: i, last: last, cols: cols}, true
}

// headerLine reports whether line i can be part of a header: every cell a
// title or a piece of one; with named, at least one cell a title itself.
func (p *textParser) headerLine(i int, named bool) bool {
	l := p.lines[i]
	if len(l.cells) == 0 {
		return false
	}
	titled := false
	for _, c := range l.cells {
		if !headerFragment(c.text) {
			return false
		}
		titled = titled || headerCell(c.text)
	}
	if !named {
		return true
	}
	if titled {
		return true
	}
	// A line of fragments opens the header if the next line names columns.
	return i+1 < len(p.lines) && p.headerLine(i+1, true)
}

// mergeHeader turns the cells of header lines into columns. Cells of
// different lines that overlap one another alone are one title wrapped;
// a cell that spans several cells of another line is a parent title
// ("Контрольная сумма" over "ГОСТ" and "SHA-256") and reads into each.
func mergeHeader(lines []textLine) []column {
	type hc struct {
		cell
		line int
	}
	var all []hc
	for li, l := range lines {
		for _, c := range l.cells {
			all = append(all, hc{c, li})
		}
	}
	overlaps := func(a, b cell) bool { return a.x < b.end && b.x < a.end }
	// count[k][line] is how many cells of that line cell k overlaps.
	count := make([]map[int]int, len(all))
	for k := range all {
		count[k] = map[int]int{}
		for m := range all {
			if all[m].line != all[k].line && overlaps(all[k].cell, all[m].cell) {
				count[k][all[m].line]++
			}
		}
	}
	parent := make([]bool, len(all))
	for k := range all {
		for _, n := range count[k] {
			if n > 1 {
				parent[k] = true
			}
		}
	}
	// Union the non-parent cells that overlap.
	group := make([]int, len(all))
	for k := range group {
		group[k] = k
	}
	find := func(k int) int {
		for group[k] != k {
			group[k] = group[group[k]]
			k = group[k]
		}
		return k
	}
	for k := range all {
		for m := k + 1; m < len(all); m++ {
			if !parent[k] && !parent[m] && all[k].line != all[m].line && overlaps(all[k].cell, all[m].cell) {
				group[find(k)] = find(m)
			}
		}
	}
	idx := map[int]int{}
	var cols []column
	var own, par [][]string
	for k := range all {
		if parent[k] {
			continue
		}
		g := find(k)
		ci, ok := idx[g]
		if !ok {
			ci = len(cols)
			idx[g] = ci
			cols = append(cols, column{start: all[k].x, end: all[k].end})
			own = append(own, nil)
			par = append(par, nil)
		}
		cols[ci].start = min(cols[ci].start, all[k].x)
		cols[ci].end = max(cols[ci].end, all[k].end)
		own[ci] = append(own[ci], all[k].text)
	}
	for k := range all {
		if !parent[k] {
			continue
		}
		for ci := range cols {
			if overlaps(all[k].cell, cell{x: cols[ci].start, end: cols[ci].end}) {
				par[ci] = append(par[ci], all[k].text)
			}
		}
	}
	for ci := range cols {
		o := strings.Join(own[ci], " ")
		full := strings.TrimSpace(strings.Join(append(par[ci], o), " "))
		cols[ci].title = full
		s := classify(o)
		if s.kind == colOther || s.kind == colDigest && s.alg == nil && s.family == "" && s.unsupported == "" {
			if ps := classify(full); ps.kind != colOther {
				s = ps
			}
		}
		cols[ci].spec = s
	}
	sort.Slice(cols, func(i, j int) bool { return cols[i].start < cols[j].start })
	return cols
}

// item is a piece of a row found on one line.
type item struct {
	line int // line number
	kind colKind
	col  int // digest column index, for digests
	text string
}

// table reads the lines of one table (possibly broken across pages by
// repeated headers) up to line index end.
func (p *textParser) table(heads []header, end int) error {
	cols := heads[0].cols
	var digestCols []int
	var usable bool
	for i, c := range cols {
		if c.kind == colDigest {
			digestCols = append(digestCols, i)
			usable = usable || c.unsupported == ""
		}
	}
	if !usable {
		for _, i := range digestCols {
			if cols[i].unsupported != "" {
				return p.errorf(p.lines[heads[0].first].n, "column %q: algorithm %s is not supported", cols[i].title, cols[i].unsupported)
			}
		}
	}
	// isGap marks lines that separate rows: blank, noise, header.
	first := heads[0].first
	isGap := make([]bool, end-first)
	var items []item
	hasNum, hasSize := false, false
	for _, c := range cols {
		hasNum = hasNum || c.kind == colNum
		hasSize = hasSize || c.kind == colSize
	}
	h := 0
	for i := first; i < end; i++ {
		l := p.lines[i]
		if h < len(heads) && i >= heads[h].first && i <= heads[h].last {
			isGap[i-first] = true
			if i == heads[h].first {
				for _, ci := range digestCols {
					if cols[ci].unsupported != "" {
						p.skip(l, fmt.Sprintf("column %q ignored: algorithm %s is not supported", cols[ci].title, cols[ci].unsupported))
					}
				}
			}
			if i == heads[h].last {
				cols = heads[h].cols
				h++
			}
			continue
		}
		if l.raw == "" {
			isGap[i-first] = true
			continue
		}
		if reNoise().MatchString(l.raw) {
			isGap[i-first] = true
			p.skip(l, "page header or footer")
			continue
		}
		var texts []string
		for _, c := range l.cells {
			texts = append(texts, c.text)
		}
		if columnNumbers(texts) {
			isGap[i-first] = true
			p.skip(l, "column numbers")
			continue
		}
		got, why := assignLine(l, cols)
		if why != "" {
			isGap[i-first] = true
			p.skip(l, why)
			continue
		}
		items = append(items, got...)
	}
	return p.rowsOf(tableBody{cols: cols, digestCols: digestCols, items: items,
		dist: newDistance(first, isGap), hasNum: hasNum, hasSize: hasSize})
}

// assignLine places the cells of a line under the table's columns.
func assignLine(l textLine, cols []column) ([]item, string) {
	best := func(c cell) int {
		bi, bo, bd := -1, 0, 1<<30
		for i, col := range cols {
			o := min(c.end, col.end) - max(c.x, col.start)
			d := 0
			if o <= 0 {
				d = max(col.start-c.end, c.x-col.end) + 1
				o = 0
			}
			if o > bo || o == bo && d < bd {
				bi, bo, bd = i, o, d
			}
		}
		return bi
	}
	fits := func(ci int, s string) bool {
		switch cols[ci].kind {
		case colNum:
			return reInteger().MatchString(s)
		case colSize:
			_, ok := parseSize(s)
			return ok
		case colDigest:
			_, ok := hexGroups(s)
			return ok
		}
		return true
	}
	type placed struct {
		col  int
		text string
	}
	var out []placed
	for _, c := range l.cells {
		ci := best(c)
		if l.tabs {
			out = append(out, placed{ci, c.text})
			continue
		}
		// A cell may hold text of neighbouring columns that the layout
		// separated by one space only (" 1 README.txt"): split off the
		// tokens that fall nearer another column and fit it.
		toks := tokens(c)
		target := make([]int, len(toks))
		for k, t := range toks {
			target[k] = ci
			if tc := best(t); tc != ci && cols[tc].kind != colName && cols[tc].kind != colOther && fits(tc, t.text) {
				target[k] = tc
			}
		}
		for k := 0; k < len(toks); {
			m := k
			var parts []string
			for m < len(toks) && target[m] == target[k] {
				parts = append(parts, toks[m].text)
				m++
			}
			out = append(out, placed{target[k], strings.Join(parts, " ")})
			k = m
		}
	}
	seen := map[int]bool{}
	var items []item
	for _, pc := range out {
		col := cols[pc.col]
		if seen[pc.col] {
			return nil, fmt.Sprintf("two cells under column %q", col.title)
		}
		seen[pc.col] = true
		if !fits(pc.col, pc.text) {
			return nil, fmt.Sprintf("%q does not fit column %q", pc.text, col.title)
		}
		switch col.kind {
		case colName, colSize:
			items = append(items, item{line: l.n, kind: col.kind, text: pc.text})
		case colDigest:
			h, _ := hexGroups(pc.text)
			items = append(items, item{line: l.n, kind: colDigest, col: pc.col, text: h})
		case colNum:
			items = append(items, item{line: l.n, kind: colNum, text: pc.text})
		}
	}
	if len(items) == 0 {
		return nil, "nothing under the table's columns"
	}
	return items, ""
}

// distance measures how far apart two lines of a table are, a blank,
// noise or header line between them counting as gap lines.
type distance struct {
	first int
	gaps  []int // gaps[i]: gap lines among lines first..first+i-1 (indexes)
}

func newDistance(first int, isGap []bool) distance {
	g := make([]int, len(isGap)+1)
	for i, b := range isGap {
		g[i+1] = g[i]
		if b {
			g[i+1]++
		}
	}
	return distance{first: first, gaps: g}
}

// between is the distance from line a to line b (line numbers).
func (d distance) between(a, b int) int {
	if a > b {
		a, b = b, a
	}
	ia, ib := a-1-d.first, b-1-d.first
	ia = max(0, min(ia, len(d.gaps)-1))
	ib = max(0, min(ib, len(d.gaps)-1))
	return (b - a) + gap*(d.gaps[ib]-d.gaps[min(ia+1, ib)])
}

// span is a range of lines: a row's anchor or a digest's lines.
type span struct{ a, b int }

func (d distance) toSpan(s span, t span) int {
	if t.b < s.a {
		return d.between(t.b, s.a)
	}
	if t.a > s.b {
		return d.between(s.b, t.a)
	}
	return 0
}

type digestRun struct {
	col   int
	hex   string
	lines span
}

// stream joins a digest column's pieces, in line order, into digests of n
// hex digits. Pieces that would overflow a digest are returned in bad;
// pieces of a digest left incomplete at the end in rest.
func stream(items []item, col, n int) (runs []digestRun, rest, bad []item) {
	var cur digestRun
	var curItems []item
	for _, it := range items {
		if it.kind != colDigest || it.col != col {
			continue
		}
		if cur.hex != "" && len(cur.hex)+len(it.text) > n {
			bad = append(bad, curItems...)
			cur, curItems = digestRun{}, nil
		}
		if cur.hex == "" {
			cur = digestRun{col: col, lines: span{it.line, it.line}}
		}
		cur.hex += it.text
		cur.lines.b = it.line
		curItems = append(curItems, it)
		switch {
		case len(cur.hex) == n:
			runs = append(runs, cur)
			cur, curItems = digestRun{}, nil
		case len(cur.hex) > n:
			bad = append(bad, curItems...)
			cur, curItems = digestRun{}, nil
		}
	}
	return runs, curItems, bad
}

// tableBody is what a table's lines hold under its header.
type tableBody struct {
	cols       []column
	digestCols []int  // the indexes in cols of the digest columns
	items      []item // in line order
	dist       distance
	// hasNum and hasSize tell whether the header has a № column, a size
	// column.
	hasNum, hasSize bool
}

// building is a row of a table while its items are gathered.
type building struct {
	lines   span
	name    []item
	size    string
	sizeSet bool
	digests map[int]digestRun // by digest column index
	used    []int             // the lines its items are on
}

// rowsOf builds the rows of a table from the items of its lines: it
// finds one anchor per row, joins each digest column's pieces into
// digests, gives every item to the row it is nearest, and adds the rows.
func (p *textParser) rowsOf(b tableBody) error {
	anchorKind, anchors := anchorsOf(b)
	runs, lens, usable, err := p.digestRuns(b, anchors, anchorKind)
	if err != nil || len(usable) == 0 {
		return err
	}
	if anchorKind == colDigest {
		for _, r := range runs[usable[0]] {
			anchors = append(anchors, r.lines)
		}
	}
	if len(anchors) == 0 {
		return nil
	}
	rows := make([]building, len(anchors))
	for i, a := range anchors {
		rows[i] = building{lines: a, digests: map[int]digestRun{}, used: []int{a.a}}
	}
	p.placeDigests(b, rows, anchors, runs, usable)
	p.placeItems(b, rows, anchors, anchorKind)
	return p.addRows(b.cols, rows, usable, lens)
}

// anchorsOf picks what anchors the rows, one per row: the № column is the
// surest, then the size; without either, the digests of the first digest
// column, whose anchors are known only once its digests are joined.
func anchorsOf(b tableBody) (colKind, []span) {
	anchorKind := colDigest
	switch {
	case b.hasNum && has(b.items, colNum):
		anchorKind = colNum
	case b.hasSize && has(b.items, colSize):
		anchorKind = colSize
	}
	var anchors []span
	if anchorKind != colDigest {
		for _, it := range b.items {
			if it.kind == anchorKind {
				anchors = append(anchors, span{it.line, it.line})
			}
		}
	}
	return anchorKind, anchors
}

// digestRuns joins the pieces of each supported digest column into
// digests of the column's length, skipping the pieces that do not add
// up. usable lists, in order, the columns with digests.
func (p *textParser) digestRuns(b tableBody, anchors []span, anchorKind colKind) (runs map[int][]digestRun, lens map[int]int, usable []int, err error) {
	lens = map[int]int{}
	runs = map[int][]digestRun{}
	for _, ci := range b.digestCols {
		col := b.cols[ci]
		if col.unsupported != "" {
			continue
		}
		n, err := p.digestLen(col, ci, b.items, anchors, anchorKind)
		if err != nil {
			return nil, nil, nil, err
		}
		if n == 0 {
			continue // no digest under this column
		}
		r, rest, bad := stream(b.items, ci, n)
		lens[ci], runs[ci] = n, r
		for _, it := range append(bad, rest...) {
			p.skipLine(it.line, fmt.Sprintf("digest pieces under column %q do not add up to %d hex digits", col.title, n))
		}
		usable = append(usable, ci)
	}
	return runs, lens, usable, nil
}

// nearestAnchor is the index of the anchor nearest to s and how far it
// is; anchors are in line order, so the nearest is next to where s falls.
func nearestAnchor(anchors []span, dist distance, s span) (int, int) {
	k := sort.Search(len(anchors), func(i int) bool { return anchors[i].b >= s.a })
	bi, bd := -1, 1<<62
	for _, i := range []int{k - 1, k, k + 1} {
		if i < 0 || i >= len(anchors) {
			continue
		}
		if d := dist.toSpan(anchors[i], s); d < bd {
			bi, bd = i, d
		}
	}
	return bi, bd
}

// placeDigests gives each digest to the row of the nearest anchor; a
// second digest of one column for a row is skipped.
func (p *textParser) placeDigests(b tableBody, rows []building, anchors []span, runs map[int][]digestRun, usable []int) {
	for _, ci := range usable {
		for _, r := range runs[ci] {
			i, _ := nearestAnchor(anchors, b.dist, r.lines)
			if _, dup := rows[i].digests[ci]; dup {
				p.skipSpan(r.lines, fmt.Sprintf("a second digest under column %q for the row at line %d", b.cols[ci].title, anchors[i].a))
				continue
			}
			rows[i].digests[ci] = r
			for l := r.lines.a; l <= r.lines.b; l++ {
				rows[i].used = append(rows[i].used, l)
			}
		}
	}
}

// placeItems gives the names, sizes and numbers to the rows: an anchor
// to its own row, any other item to the row nearest it, unless a gap
// line lies between them.
func (p *textParser) placeItems(b tableBody, rows []building, anchors []span, anchorKind colKind) {
	for _, it := range b.items {
		switch it.kind {
		case colName, colSize:
		case colNum:
			if anchorKind == colNum {
				continue
			}
			i, d := nearestAnchor(anchors, b.dist, span{it.line, it.line})
			if d < gap {
				rows[i].used = append(rows[i].used, it.line)
			}
			continue
		default:
			continue
		}
		if it.kind == anchorKind {
			k := sort.Search(len(anchors), func(i int) bool { return anchors[i].a >= it.line })
			rows[k].size, rows[k].sizeSet = it.text, true
			continue
		}
		i, d := nearestAnchor(anchors, b.dist, span{it.line, it.line})
		if d >= gap {
			p.skipLine(it.line, "not next to a row of the table")
			continue
		}
		if it.kind == colSize {
			if rows[i].sizeSet {
				p.skipLine(it.line, fmt.Sprintf("a second size for the row at line %d", anchors[i].a))
				continue
			}
			rows[i].size, rows[i].sizeSet = it.text, true
		} else {
			rows[i].name = append(rows[i].name, it)
		}
		rows[i].used = append(rows[i].used, it.line)
	}
}

// addRows decodes the rows built, each numbered by its first line; a row
// without a name or a digest is skipped.
func (p *textParser) addRows(cols []column, rows []building, usable []int, lens map[int]int) error {
	for _, b := range rows {
		sort.Ints(b.used)
		row := Row{Line: b.used[0], Size: -1}
		for _, it := range b.name {
			row.Name = joinName(row.Name, it.text)
		}
		if b.sizeSet {
			row.Size, _ = parseSize(b.size)
		}
		for _, ci := range usable {
			r, ok := b.digests[ci]
			if !ok {
				continue
			}
			c, err := p.res.resolve(cols[ci].spec, lens[ci], cols[ci].title)
			if err != nil {
				return p.errorf(r.lines.a, "%v", err)
			}
			d, err := decode(c, r.hex)
			if err != nil {
				return p.errorf(r.lines.a, "%v", err)
			}
			row.Digests = append(row.Digests, d)
		}
		switch {
		case row.Name == "":
			p.skipLines(b.used, "a row without a file name")
		case len(row.Digests) == 0:
			p.skipLines(b.used, "a row without a digest")
		default:
			p.rows = append(p.rows, row)
		}
	}
	return nil
}

// digestLen finds how many hex digits the digests of column ci have: from
// the header if it says, else the one length that splits the column's
// pieces into as many digests as the table has rows, else the length of
// every piece when no digest is split.
func (p *textParser) digestLen(col column, ci int, items []item, anchors []span, anchorKind colKind) (int, error) {
	var pieces []item
	for _, it := range items {
		if it.kind == colDigest && it.col == ci {
			pieces = append(pieces, it)
		}
	}
	if len(pieces) == 0 {
		return 0, nil
	}
	cands := specLens(col.spec)
	if len(cands) == 1 {
		return cands[0], nil
	}
	if anchorKind != colDigest {
		var fit []int
		for _, n := range cands {
			r, rest, bad := stream(pieces, ci, n)
			if len(bad) == 0 && len(rest) == 0 && len(r) == len(anchors) {
				fit = append(fit, n)
			}
		}
		if len(fit) == 1 {
			return fit[0], nil
		}
	}
	n := len(pieces[0].text)
	for _, it := range pieces {
		if len(it.text) != n {
			return 0, p.errorf(pieces[0].line, "column %q: cannot tell how long its digests are; say the algorithm with -a", col.title)
		}
	}
	for _, c := range cands {
		if c == n {
			return n, nil
		}
	}
	return 0, p.errorf(pieces[0].line, "column %q: no supported algorithm has %d hex digits", col.title, n)
}

func has(items []item, k colKind) bool {
	for _, it := range items {
		if it.kind == k {
			return true
		}
	}
	return false
}

func (p *textParser) skipLine(n int, why string) {
	if n >= 1 && n <= len(p.lines) {
		p.skip(p.lines[n-1], why)
	}
}

func (p *textParser) skipSpan(s span, why string) {
	for n := s.a; n <= s.b; n++ {
		p.skipLine(n, why)
	}
}

func (p *textParser) skipLines(ns []int, why string) {
	last := -1
	for _, n := range ns {
		if n != last {
			p.skipLine(n, why)
		}
		last = n
	}
}
