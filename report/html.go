package report

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"path"
	"strconv"
	"strings"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

//go:embed report.html.tmpl
var htmlSource string

// HTMLOptions control the printable rendering.
type HTMLOptions struct {
	Lang string // "ru" or "en"
	// Saved says what rendering a saved report checked of it; nil for a
	// report straight from a check.
	Saved *Saved
	// Summary renders the act without the list of objects: header,
	// verdict, counts per table and findings.
	Summary bool
}

// WriteHTML writes the printable report in one self-contained HTML file:
// inline CSS, no scripts, nothing fetched. It prints on A4 with the table
// headers repeated on every page and numbered pages. The verdict, with
// what it covers, comes first. Everything from the report is shown in
// display form and escaped for HTML.
func WriteHTML(w io.Writer, r *Report, lang string) error {
	return WriteHTMLOptions(w, r, HTMLOptions{Lang: lang})
}

// WriteHTMLOptions is WriteHTML with every option.
func WriteHTMLOptions(w io.Writer, r *Report, opt HTMLOptions) error {
	l := langOf(opt.Lang)
	tmpl, err := template.New("report").Funcs(template.FuncMap{
		"t": l.t,
		"status": func(s verify.Status) string {
			return l.status(s)
		},
	}).Parse(htmlSource)
	if err != nil {
		return fmt.Errorf("report template: %w", err)
	}
	bw := bufio.NewWriterSize(w, 256<<10)
	d := newHTMLDoc(l, r, opt)
	if err := tmpl.ExecuteTemplate(bw, "top", d); err != nil {
		return fmt.Errorf("rendering HTML report: %w", err)
	}
	for i := range d.Tables {
		if d.Cannot || d.Summary {
			break
		}
		ht := &d.Tables[i]
		if ht.Params {
			err = tmpl.ExecuteTemplate(bw, "params", ht)
		} else if err = tmpl.ExecuteTemplate(bw, "files-start", ht); err == nil {
			writeFileRows(bw, l, &r.Result.Tables[i], ht)
			err = tmpl.ExecuteTemplate(bw, "files-end", ht)
		}
		if err != nil {
			return fmt.Errorf("rendering HTML report, table %d: %w", i+1, err)
		}
	}
	if err := tmpl.ExecuteTemplate(bw, "bottom", d); err != nil {
		return fmt.Errorf("rendering HTML report: %w", err)
	}
	return bw.Flush()
}

type kv struct {
	Key, Value string
	Head       bool // a heading row that starts a group
}

// countRow is one status across the tables (the counts are transposed:
// table titles wrap at spaces, status words would break mid-word).
type countRow struct {
	Status verify.Status
	Cells  []int
	Total  int
}

type findingRow struct {
	N             int
	Table, Name   string
	Status        verify.Status
	Class, Detail string
}

// dirGroup is one directory of a file table: its items in table order.
type dirGroup struct {
	Dir   string // display form; "" for the table root
	Items []int  // indexes into the table's items listed one by one
	// Folded are the directory's items of a status listed by directory
	// (GroupOver), a row per status.
	Folded []itemGroup
	Total  string // the per-directory count row
	size   int64
	count  int
}

type paramRow struct {
	N                          int
	Key, Allowed, Actual, Note string
	Status                     verify.Status
	Class                      string
}

type htmlTable struct {
	Title, Meta string
	Params      bool
	Algs        []string // display forms of algs
	algs        []string // the digest columns
	HasMode     bool
	Widths      []int // percent per column, in order
	Groups      []dirGroup
	Grouped     bool
	ParamRows   []paramRow
	Total       string
}

type htmlDoc struct {
	Lang, Title, Product string
	// Host names the checked host under the title: its id and groups.
	Host      string
	PageLabel [3]string // before counter(page), between, after counter(pages)
	Chars     []kv
	// Class is the verdict box's: holds, fails or cannot.
	Class string
	// Evidence names the saved report the act was rendered from, on the
	// first page and in every page's footer.
	Evidence, Footer     string
	Cannot               bool // the check could not be made: no tables to show
	Summary              bool // no list of objects
	Verdict, VerdictText string
	// Scope is the part of the verdict's scope that needs saying: the
	// tables not checked and why.
	Scope     string
	Uncovered []string
	Required  string
	// ReportSig says that the report's own signature was not checked,
	// for a saved report rendered without a key.
	ReportSig         string
	Reasons, Warnings []string
	CountTables       []string // column heads
	CountRows         []countRow
	CountItems        []int // items per table
	CountAll          int
	Findings          []findingRow
	// FoldNotes say which findings are listed by directory.
	FoldNotes []string
	Tables    []htmlTable
}

func statusClass(it *verify.Item) string {
	switch {
	case it.Status == verify.OK:
		return "ok"
	case it.Failure:
		return "bad"
	}
	return "warn"
}

func newHTMLDoc(l lang, r *Report, opt HTMLOptions) *htmlDoc {
	f := &r.Formular
	d := &htmlDoc{
		Lang:     l.code(),
		Title:    l.t("title"),
		Product:  safetext.Display(strings.TrimSpace(f.Get("product") + " " + f.Get("version"))),
		Class:    "fails",
		Cannot:   r.Result.Verdict == verify.CannotCheck,
		Summary:  opt.Summary,
		Evidence: l.evidence(opt.Saved),
		Footer:   l.evidenceFooter(opt.Saved),
		Verdict:  safetext.Display(l.verdict(r.Result.Verdict)),
		Required: safetext.Display(l.required(r)),
	}
	if id, groups := l.hostRows(r); id[1] != "" {
		d.Host = id[0] + ": " + safetext.Display(id[1])
		if groups[1] != "" {
			d.Host += "; " + groups[0] + ": " + safetext.Display(groups[1])
		}
	}
	head, scope := l.verdictParts(r)
	d.VerdictText, d.Scope = safetext.Display(head), safetext.Display(scope)
	switch r.Result.Verdict {
	case verify.Holds:
		d.Class = "holds"
	case verify.CannotCheck:
		d.Class = "cannot"
	}
	for _, u := range l.uncovered(r, l.status) {
		d.Uncovered = append(d.Uncovered, safetext.Display(u))
	}
	if s := opt.Saved; s != nil && s.KeyID == "" {
		_, d.ReportSig, _ = l.reportSignature(s)
		d.ReportSig = safetext.Display(d.ReportSig)
	}
	// counter(page) and counter(pages) go between the label's parts.
	parts := strings.SplitN(l.t("page"), "%s", 3)
	for i := range min(len(parts), 3) {
		d.PageLabel[i] = parts[i]
	}
	if !d.Cannot {
		for i := range r.Result.Reasons {
			d.Reasons = append(d.Reasons, safetext.Display(l.message(&r.Result.Reasons[i], l.status)))
		}
	}
	ws := shownWarnings(r)
	for i := range ws {
		d.Warnings = append(d.Warnings, safetext.Display(l.message(&ws[i], l.status)))
	}
	d.Chars = characteristics(l, r, opt)

	used := map[verify.Status]bool{verify.OK: true}
	for _, t := range r.Result.Tables {
		for s, n := range t.Counts {
			if n > 0 {
				used[s] = true
			}
		}
	}
	for _, s := range verify.Statuses {
		if !used[s] {
			continue
		}
		row := countRow{Status: s}
		for _, t := range r.Result.Tables {
			row.Cells = append(row.Cells, t.Counts[s])
			row.Total += t.Counts[s]
		}
		d.CountRows = append(d.CountRows, row)
	}
	for ti := range r.Result.Tables {
		t := &r.Result.Tables[ti]
		d.CountTables = append(d.CountTables, tableTitle(l, t))
		d.CountItems = append(d.CountItems, t.Len())
		d.CountAll += t.Len()
		folded := foldedStatuses(t)
		kind := l.kind(safetext.Display(string(t.Kind)))
		for _, v := range t.AllButDigests() { // OK items are skipped
			it := &v
			if it.Status == verify.OK || folded[it.Status] {
				continue
			}
			d.Findings = append(d.Findings, findingRow{
				N: len(d.Findings) + 1, Table: kind, Name: safetext.Display(it.Name),
				Status: it.Status, Class: statusClass(it), Detail: safetext.Display(describe(l, t, it)),
			})
		}
		for _, g := range itemGroups(t, folded) {
			d.Findings = append(d.Findings, findingRow{
				N: len(d.Findings) + 1, Table: kind, Name: l.dirLabel(g.Dir),
				Status: g.Status, Class: statusClass(groupItem(t, &g)), Detail: l.groupText(t, &g),
			})
		}
		for _, s := range groupable {
			if folded[s] {
				d.FoldNotes = append(d.FoldNotes, l.foldNote(t, s, l.status))
			}
		}
		if !d.Summary {
			d.Tables = append(d.Tables, itemTable(l, t, folded))
		}
	}
	return d
}

func characteristics(l lang, r *Report, opt HTMLOptions) []kv {
	f := &r.Formular
	var c []kv
	add := func(k, v string) {
		if v != "" {
			c = append(c, kv{Key: safetext.Display(k), Value: safetext.Display(v)})
		}
	}
	head := func(k string) { c = append(c, kv{Key: k, Head: true}) }
	head(l.t("g-product"))
	add(l.t("product"), f.Get("product"))
	add(l.t("version"), f.Get("version"))
	add(l.t("certificate"), f.Get("certificate"))
	add(l.t("issuer"), f.Get("certificate-issuer"))
	add(l.t("class"), f.Get("protection-class"))
	add(l.t("valid-until"), l.dateText(f.Get("valid-until")))
	add(l.t("support-until"), l.dateText(f.Get("support-until")))
	head(l.t("formular"))
	add(l.t("formular-id"), f.Get("formular-id"))
	add(l.t("formular"), safetext.Display(f.Path))
	add(l.t("formular-sha256"), f.SHA256)
	if r.Result.Verdict != verify.CannotCheck || f.Signature != nil {
		add(l.t("signature"), signatureText(l, f.Signature, opt.Saved))
	}
	if f.Signature != nil {
		add(l.t("trusted-comment"), safetext.Display(f.Signature.TrustedComment))
	}
	known := map[string]bool{"product": true, "version": true, "certificate": true,
		"certificate-issuer": true, "protection-class": true, "valid-until": true,
		"support-until": true, "formular-id": true}
	for _, h := range f.Header {
		if !known[h.Key] {
			add(h.Key, safetext.Display(h.Value))
		}
	}
	head(l.t("g-run"))
	add(l.t("check-date"), l.date(r.Run.CheckDate))
	id, groups := l.hostRows(r)
	add(id[0], id[1])
	add(l.t("host"), safetext.Display(r.Run.Host))
	add(groups[0], groups[1])
	add(l.t("os"), strings.TrimSpace(r.Run.OS+" "+r.Run.Arch+", "+r.Run.OSVersion))
	add(l.t("user"), safetext.Display(r.Run.User))
	add(l.t("started"), l.timestamp(r.Run.Start))
	add(l.t("finished"), l.timestamp(r.Run.End))
	add(l.t("duration"), l.f("seconds", l.decimal(r.Run.Duration().Seconds(), 1)))
	add(l.t("tool"), strings.TrimSpace(r.Tool.Name+" "+r.Tool.Version))
	add(l.t("tool-sha256"), r.Tool.SHA256)
	args := make([]string, len(r.Run.Args))
	for i, a := range r.Run.Args {
		args[i] = safetext.Display(a)
	}
	add(l.t("command"), strings.Join(args, " "))
	head(l.t("g-sources"))
	if m := r.Sources.Media; m != nil {
		add(l.t("media"), safetext.Display(m.Path)+" ("+l.t(m.Kind)+")")
		add(l.t("media-size"), bytesText(m.Size))
		for _, dg := range m.Digests {
			add(l.f("media-digest", dg.Alg), dg.Hex)
		}
		if im := m.ImplantedMD5; im != nil {
			switch {
			case !im.Present:
				add(l.t("implanted"), l.t("implanted-none"))
			case im.NotRead:
				add(l.t("implanted"), l.t("implanted-not-read")+" ("+im.Expected+")")
			case im.OK:
				add(l.t("implanted"), l.t("implanted-ok")+" ("+im.Computed+")")
			default:
				add(l.t("implanted"), l.t("implanted-bad")+" ("+im.Expected+" ≠ "+im.Computed+")")
			}
		}
	}
	if in := r.Sources.Installed; in != nil {
		root := safetext.Display(in.Root)
		if root == "" {
			root = l.t("running-host")
		}
		add(l.t("installed"), root)
		for _, v := range in.Vars {
			add(l.f("var", v.Name), safetext.Display(v.Path))
		}
	}
	for _, s := range r.Sources.Settings {
		add(l.t("settings"), safetext.Display(s))
	}
	if s := opt.Saved; s != nil && s.SHA256 != "" {
		add(l.t("report-sha256"), s.SHA256)
	}
	if label, v, ok := l.reportSignature(opt.Saved); ok {
		add(label, v)
	}
	// A group none of whose fields are known (a check that could not be
	// made) is left out.
	out := c[:0]
	for i, f := range c {
		if f.Head && (i+1 == len(c) || c[i+1].Head) {
			continue
		}
		out = append(out, f)
	}
	return out
}

func tableTitle(l lang, t *verify.Table) string {
	s := l.kind(safetext.Display(string(t.Kind))) + " (" + l.f("table-line", t.Line) + ")"
	if t.Root != "" {
		s += " " + safetext.Display(t.Root)
	}
	if t.Source != "" {
		s += " " + safetext.Display(t.Source)
	}
	return s
}

// algorithms returns a table's digest columns: its declared columns that
// name algorithms, else the algorithms its items carry, in first-seen order.
func algorithms(t *verify.Table) []string {
	var algs []string
	seen := map[string]bool{}
	addAlg := func(a string) {
		if !seen[a] && a != "" {
			seen[a] = true
			algs = append(algs, a)
		}
	}
	for _, c := range t.Columns {
		if c != "size" && c != "mode" && c != "name" && c != "path" {
			addAlg(c)
		}
	}
	if len(algs) > 0 {
		return algs
	}
	for _, it := range t.All() {
		for _, dg := range it.Expected {
			addAlg(dg.Alg)
		}
		for _, dg := range it.Actual {
			addAlg(dg.Alg)
		}
	}
	return algs
}

func digestOf(ds []verify.Digest, alg string) string {
	for _, d := range ds {
		if d.Alg == alg {
			return d.Hex
		}
	}
	return ""
}

func itemTable(l lang, t *verify.Table, folded map[verify.Status]bool) htmlTable {
	ht := htmlTable{Title: tableTitle(l, t), Params: t.Kind == formular.KindParameters}
	var meta []string
	if t.Format != "" {
		meta = append(meta, safetext.Display(t.Format))
	}
	if t.Closed {
		meta = append(meta, l.t("closed"))
	}
	for _, a := range t.Weak {
		meta = append(meta, l.f("weak", safetext.Display(a)))
	}
	ht.Meta = strings.Join(meta, "; ")

	if ht.Params {
		for i, v := range t.All() {
			it := &v
			actual := l.t("d-unset")
			if it.HasValue {
				actual = safetext.Display(it.Value)
			}
			var note []string
			if it.Note != "" {
				note = append(note, safetext.Display(it.Note))
			}
			if d := l.detail(it); d != "" {
				note = append(note, d)
			}
			if h := l.hint(it); h != "" {
				note = append(note, l.f("d-hint", h))
			}
			ht.ParamRows = append(ht.ParamRows, paramRow{
				N: i + 1, Key: safetext.Display(it.Name), Allowed: l.allowed(it.Allowed), Actual: actual,
				Note: safetext.Display(strings.Join(note, "; ")), Status: it.Status, Class: statusClass(it),
			})
		}
		ht.Total = l.f("params-total", t.Len())
		return ht
	}

	ht.algs = algorithms(t)
	for _, a := range ht.algs {
		ht.Algs = append(ht.Algs, safetext.Display(a))
	}
	for _, it := range t.AllButDigests() {
		if it.Mode != "" || it.ActualMode != "" {
			ht.HasMode = true
			break
		}
	}
	// Fixed column widths keep a long name or digest from pushing the
	// table off the page; digests take what the other columns leave.
	fixed := 5 + 10 + 12 // number, size, status
	if ht.HasMode {
		fixed += 6
	}
	name := 23
	if len(ht.Algs) == 0 {
		name = 100 - fixed
	}
	left := 100 - fixed - name
	ht.Widths = append(ht.Widths, 5, name, 10)
	if ht.HasMode {
		ht.Widths = append(ht.Widths, 6)
	}
	for i := range ht.Algs {
		wd := left / len(ht.Algs)
		if i == 0 {
			wd += left % len(ht.Algs)
		}
		ht.Widths = append(ht.Widths, wd)
	}
	ht.Widths = append(ht.Widths, 12)

	listed := listFolded(t, folded)
	if len(listed) > len(folded) {
		ht.Meta = strings.TrimPrefix(ht.Meta+"; "+l.f("list-note", bytesText(int64(t.Len())), ListOver), "; ")
	}
	folded = listed
	index := map[string]int{}
	var total int64
	for i, v := range t.AllButDigests() {
		it := &v
		dir := itemDir(it.Name)
		gi, ok := index[dir]
		if !ok {
			gi = len(ht.Groups)
			index[dir] = gi
			ht.Groups = append(ht.Groups, dirGroup{Dir: safetext.Display(dir)})
		}
		size := itemSize(it)
		if !folded[it.Status] {
			ht.Groups[gi].Items = append(ht.Groups[gi].Items, i)
		}
		ht.Groups[gi].size += size
		ht.Groups[gi].count++
		total += size
	}
	for _, g := range itemGroups(t, folded) {
		gi := index[g.Dir]
		ht.Groups[gi].Folded = append(ht.Groups[gi].Folded, g)
	}
	for gi := range ht.Groups {
		g := &ht.Groups[gi]
		g.Total = l.f("dir-total", g.count, bytesText(g.size))
	}
	ht.Grouped = len(ht.Groups) > 1 || len(ht.Groups) == 1 && ht.Groups[0].Dir != ""
	ht.Total = l.f("grand-total", t.Len(), bytesText(total))
	return ht
}

// itemDir is the directory part of an item's name, "" at the table root.
func itemDir(name string) string {
	dir, _ := path.Split(name)
	return strings.TrimSuffix(dir, "/")
}

// itemSize is the size an item shows: the listed size, or the size found
// for an item the formular does not list or lists without a size.
func itemSize(it *verify.Item) int64 {
	if (it.Status == verify.Extra || it.Size < 0) && it.ActualSize != nil {
		return *it.ActualSize
	}
	return max(it.Size, 0)
}

// writeFileRows writes the rows of a file table, grouped by directory. A
// table may hold a whole kit, so the rows are written here rather than by
// the template: the same markup, escaped the same way, a few times faster.
func writeFileRows(w *bufio.Writer, l lang, t *verify.Table, ht *htmlTable) {
	cols := strconv.Itoa(len(ht.Widths))
	exp, act := template.HTMLEscapeString(l.t("exp")), template.HTMLEscapeString(l.t("act"))
	labels := map[verify.Status]string{}
	n := 0
	for gi := range ht.Groups {
		g := &ht.Groups[gi]
		if ht.Grouped {
			w.WriteString(`<tr class="dir"><td colspan="` + cols + `">`)
			if g.Dir != "" {
				escape(w, g.Dir)
				w.WriteString("/")
			} else {
				escape(w, l.t("root-dir"))
			}
			w.WriteString("</td></tr>\n")
		}
		for _, i := range g.Items {
			v := t.At(i)
			it := &v
			n++
			class := statusClass(it)
			if class == "ok" {
				w.WriteString("<tr>")
			} else {
				w.WriteString(`<tr class="` + class + `">`)
			}
			w.WriteString(`<td class="n">` + strconv.Itoa(n) + `</td><td class="name">`)
			_, base := path.Split(it.Name)
			escape(w, safetext.Display(base))
			if class != "ok" {
				if d := describe(l, t, it); d != "" {
					w.WriteString(`<div class="det">`)
					escape(w, safetext.Display(d))
					w.WriteString("</div>")
				}
			}
			w.WriteString(`</td><td class="n">`)
			escape(w, bytesText(itemSize(it)))
			w.WriteString("</td>")
			if ht.HasMode {
				w.WriteString("<td>")
				m := it.Mode
				if it.Mode == "" || it.ActualMode != "" && it.ActualMode != it.Mode {
					m = strings.TrimPrefix(it.Mode+" → "+it.ActualMode, " → ")
				}
				escape(w, safetext.Display(m))
				w.WriteString("</td>")
			}
			for _, a := range ht.algs {
				e, x := digestOf(it.Expected, a), digestOf(it.Actual, a)
				w.WriteString(`<td class="hex">`)
				switch {
				case e == x, x == "":
					escape(w, safetext.Display(e))
				case e == "":
					escape(w, safetext.Display(x))
				default:
					w.WriteString(exp + " ")
					escape(w, safetext.Display(e))
					w.WriteString("<br><strong>" + act + " ")
					escape(w, safetext.Display(x))
					w.WriteString("</strong>")
				}
				w.WriteString("</td>")
			}
			label, ok := labels[it.Status]
			if !ok {
				label = template.HTMLEscapeString(l.status(it.Status))
				labels[it.Status] = label
			}
			w.WriteString(`<td class="st ` + class + `">` + label + "</td></tr>\n")
		}
		for fi := range g.Folded {
			fg := &g.Folded[fi]
			class := statusClass(groupItem(t, fg))
			w.WriteString(`<tr class="` + class + `"><td class="n"></td><td class="name" colspan="` + strconv.Itoa(len(ht.Widths)-2) + `">`)
			escape(w, l.groupText(t, fg))
			w.WriteString(`</td><td class="st ` + class + `">`)
			escape(w, l.status(fg.Status))
			w.WriteString("</td></tr>\n")
		}
		if ht.Grouped {
			w.WriteString(`<tr class="dirtotal"><td colspan="` + cols + `">`)
			escape(w, g.Total)
			w.WriteString("</td></tr>\n")
		}
	}
}

// escape writes s as HTML text, escaping what html/template escapes in
// text: & < > " ' and NUL.
func escape(w *bufio.Writer, s string) {
	last := 0
	for i := 0; i < len(s); i++ {
		var rep string
		switch s[i] {
		case '&':
			rep = "&amp;"
		case '<':
			rep = "&lt;"
		case '>':
			rep = "&gt;"
		case '"':
			rep = "&#34;"
		case '\'':
			rep = "&#39;"
		case 0:
			rep = "\uFFFD"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(rep)
		last = i + 1
	}
	w.WriteString(s[last:])
}
