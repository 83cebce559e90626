package report

import (
	"bufio"
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"path"
	"strings"

	"github.com/sverka/sverka/verify"
)

//go:embed report.html.tmpl
var htmlSource string

// HTMLOptions control the printable rendering.
type HTMLOptions struct {
	Lang string // "ru" or "en"
	// ReportKeyID is the key id of a verified signature over the report
	// file itself, shown when a saved report is rendered again.
	ReportKeyID string
}

// WriteHTML writes the printable report in one self-contained HTML file:
// inline CSS, no scripts, nothing fetched. It prints on A4 with the table
// headers repeated on every page and numbered pages.
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
	if err := tmpl.Execute(bw, newHTMLDoc(l, r, opt)); err != nil {
		return fmt.Errorf("rendering HTML report: %w", err)
	}
	return bw.Flush()
}

type kv struct{ Key, Value string }

type countRow struct {
	Table string
	Total int
	Cells []int
}

type findingRow struct {
	N             int
	Table, Name   string
	Status        verify.Status
	Class, Detail string
}

type digestCell struct {
	Hex, Expected, Actual string // Hex when they agree or only one is known
}

type fileRow struct {
	N                       int
	Name, Size, Mode, Class string
	Status                  verify.Status
	Digests                 []digestCell
	Detail                  string
}

type dirGroup struct {
	Dir   string // "" for the table root
	Rows  []fileRow
	Total string
	size  int64
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
	Algs        []string
	HasMode     bool
	Widths      []int // percent per column, in order
	Groups      []dirGroup
	Grouped     bool
	ParamRows   []paramRow
	Total       string
}

type htmlDoc struct {
	Lang, Title, Product string
	PageLabel            [3]string // before counter(page), between, after counter(pages)
	Chars                []kv
	Holds                bool
	Verdict, VerdictText string
	Reasons, Warnings    []string
	CountCols            []verify.Status
	CountRows            []countRow
	Findings             []findingRow
	Tables               []htmlTable
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
		Lang:    l.code(),
		Title:   l.t("title"),
		Product: strings.TrimSpace(f.Get("product") + " " + f.Get("version")),
		Holds:   r.Result.Verdict == verify.Holds,
		Verdict: string(r.Result.Verdict),
	}
	// counter(page) and counter(pages) go between the label's parts.
	parts := strings.SplitN(l.t("page"), "%s", 3)
	for i := range min(len(parts), 3) {
		d.PageLabel[i] = parts[i]
	}
	if d.Holds {
		d.VerdictText = l.t("holds")
	} else {
		d.VerdictText = l.t("notholds")
	}
	for _, s := range r.Result.Reasons {
		d.Reasons = append(d.Reasons, Display(s))
	}
	for _, s := range r.Result.Warnings {
		d.Warnings = append(d.Warnings, Display(s))
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
		if used[s] {
			d.CountCols = append(d.CountCols, s)
		}
	}
	for ti := range r.Result.Tables {
		t := &r.Result.Tables[ti]
		row := countRow{Table: tableTitle(l, t), Total: len(t.Items)}
		for _, s := range d.CountCols {
			row.Cells = append(row.Cells, t.Counts[s])
		}
		d.CountRows = append(d.CountRows, row)
		for ii := range t.Items {
			it := &t.Items[ii]
			if it.Status == verify.OK {
				continue
			}
			d.Findings = append(d.Findings, findingRow{
				N: len(d.Findings) + 1, Table: l.kind(t.Kind), Name: Display(it.Name),
				Status: it.Status, Class: statusClass(it), Detail: describe(l, t, it),
			})
		}
		d.Tables = append(d.Tables, itemTable(l, t))
	}
	return d
}

func characteristics(l lang, r *Report, opt HTMLOptions) []kv {
	f := &r.Formular
	var c []kv
	add := func(k, v string) {
		if v != "" {
			c = append(c, kv{k, v})
		}
	}
	add(l.t("product"), f.Get("product"))
	add(l.t("version"), f.Get("version"))
	add(l.t("certificate"), f.Get("certificate"))
	add(l.t("issuer"), f.Get("certificate-issuer"))
	add(l.t("class"), f.Get("protection-class"))
	add(l.t("valid-until"), l.dateText(f.Get("valid-until")))
	add(l.t("support-until"), l.dateText(f.Get("support-until")))
	add(l.t("formular-id"), f.Get("formular-id"))
	add(l.t("formular"), Display(f.Path))
	add(l.t("formular-sha256"), f.SHA256)
	add(l.t("signature"), signatureText(l, f.Signature))
	if f.Signature != nil {
		add(l.t("trusted-comment"), Display(f.Signature.TrustedComment))
	}
	known := map[string]bool{"product": true, "version": true, "certificate": true,
		"certificate-issuer": true, "protection-class": true, "valid-until": true,
		"support-until": true, "formular-id": true}
	for _, h := range f.Header {
		if !known[h.Key] {
			add(h.Key, Display(h.Value))
		}
	}
	add(l.t("check-date"), l.date(r.Run.CheckDate))
	add(l.t("host"), Display(r.Run.Host))
	add(l.t("os"), strings.TrimSpace(r.Run.OS+" "+r.Run.Arch+", "+r.Run.OSVersion))
	add(l.t("user"), Display(r.Run.User))
	add(l.t("started"), l.timestamp(r.Run.Start))
	add(l.t("finished"), l.timestamp(r.Run.End))
	add(l.t("duration"), l.f("seconds", fmt.Sprintf("%.1f", r.Run.Duration().Seconds())))
	add(l.t("tool"), strings.TrimSpace(r.Tool.Name+" "+r.Tool.Version))
	add(l.t("tool-sha256"), r.Tool.SHA256)
	args := make([]string, len(r.Run.Args))
	for i, a := range r.Run.Args {
		args[i] = Display(a)
	}
	add(l.t("command"), strings.Join(args, " "))
	if m := r.Sources.Media; m != nil {
		add(l.t("media"), Display(m.Path)+" ("+l.t(m.Kind)+")")
		add(l.t("media-size"), bytesText(m.Size))
		for _, dg := range m.Digests {
			add(l.f("media-digest", dg.Alg), dg.Hex)
		}
		if im := m.ImplantedMD5; im != nil {
			switch {
			case !im.Present:
				add(l.t("implanted"), l.t("implanted-none"))
			case im.OK:
				add(l.t("implanted"), l.t("implanted-ok")+" ("+im.Computed+")")
			default:
				add(l.t("implanted"), l.t("implanted-bad")+" ("+im.Expected+" ≠ "+im.Computed+")")
			}
		}
	}
	if in := r.Sources.Installed; in != nil {
		root := Display(in.Root)
		if root == "" {
			root = l.t("running-host")
		}
		add(l.t("installed"), root)
		for _, v := range in.Vars {
			add(l.f("var", v.Name), Display(v.Path))
		}
	}
	for _, s := range r.Sources.Settings {
		add(l.t("settings"), Display(s))
	}
	add(l.t("report-key"), opt.ReportKeyID)
	return c
}

func tableTitle(l lang, t *verify.Table) string {
	s := l.kind(t.Kind) + " (" + l.f("table-line", t.Line) + ")"
	if t.Root != "" {
		s += " " + Display(t.Root)
	}
	if t.Source != "" {
		s += " " + Display(t.Source)
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
	for i := range t.Items {
		for _, dg := range t.Items[i].Expected {
			addAlg(dg.Alg)
		}
		for _, dg := range t.Items[i].Actual {
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

func itemTable(l lang, t *verify.Table) htmlTable {
	ht := htmlTable{Title: tableTitle(l, t), Params: t.Kind == "parameters"}
	var meta []string
	if t.Format != "" {
		meta = append(meta, t.Format)
	}
	if t.Closed {
		meta = append(meta, l.t("closed"))
	}
	for _, a := range t.Weak {
		meta = append(meta, l.f("weak", a))
	}
	ht.Meta = strings.Join(meta, "; ")

	if ht.Params {
		for i := range t.Items {
			it := &t.Items[i]
			actual := l.t("d-unset")
			if it.HasValue {
				actual = Display(it.Value)
			}
			var note []string
			if it.Note != "" {
				note = append(note, Display(it.Note))
			}
			if it.Detail != "" {
				note = append(note, Display(it.Detail))
			}
			if it.Hint != "" {
				note = append(note, l.f("d-hint", Display(it.Hint)))
			}
			ht.ParamRows = append(ht.ParamRows, paramRow{
				N: i + 1, Key: Display(it.Name), Allowed: it.Allowed, Actual: actual,
				Note: strings.Join(note, "; "), Status: it.Status, Class: statusClass(it),
			})
		}
		ht.Total = l.f("params-total", len(t.Items))
		return ht
	}

	ht.Algs = algorithms(t)
	for i := range t.Items {
		if t.Items[i].Mode != "" || t.Items[i].ActualMode != "" {
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
	name := 34
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

	index := map[string]int{}
	var total int64
	for i := range t.Items {
		it := &t.Items[i]
		dir, base := path.Split(it.Name)
		dir = strings.TrimSuffix(dir, "/")
		gi, ok := index[dir]
		if !ok {
			gi = len(ht.Groups)
			index[dir] = gi
			ht.Groups = append(ht.Groups, dirGroup{Dir: Display(dir)})
		}
		row := fileRow{
			Name: Display(base), Status: it.Status, Class: statusClass(it),
			Detail: describe(l, t, it),
		}
		if it.Mode != "" || it.ActualMode != "" {
			row.Mode = it.Mode
			if it.Mode == "" || it.ActualMode != "" && it.ActualMode != it.Mode {
				row.Mode = strings.TrimPrefix(it.Mode+" → "+it.ActualMode, " → ")
			}
		}
		for _, a := range ht.Algs {
			exp, act := digestOf(it.Expected, a), digestOf(it.Actual, a)
			switch {
			case exp == act, act == "":
				row.Digests = append(row.Digests, digestCell{Hex: exp})
			case exp == "":
				row.Digests = append(row.Digests, digestCell{Hex: act})
			default:
				row.Digests = append(row.Digests, digestCell{Expected: exp, Actual: act})
			}
		}
		size := it.Size
		if it.Status == verify.Extra && it.ActualSize != nil {
			size = *it.ActualSize
		}
		row.Size = bytesText(size)
		ht.Groups[gi].Rows = append(ht.Groups[gi].Rows, row)
		ht.Groups[gi].size += size
		total += size
	}
	n := 0
	for gi := range ht.Groups {
		g := &ht.Groups[gi]
		for ri := range g.Rows {
			n++
			g.Rows[ri].N = n
		}
		g.Total = l.f("dir-total", len(g.Rows), bytesText(g.size))
	}
	ht.Grouped = len(ht.Groups) > 1 || len(ht.Groups) == 1 && ht.Groups[0].Dir != ""
	ht.Total = l.f("grand-total", len(t.Items), bytesText(total))
	return ht
}
