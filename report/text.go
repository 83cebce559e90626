package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

// TextOptions control the terminal rendering.
type TextOptions struct {
	Lang    string // "ru" or "en"; LangFromEnv gives the default
	Color   bool   // ANSI colours
	Verbose bool   // list every item, OK ones too
	Quiet   bool   // list only the items that break the verdict, not warnings
	// Summary renders the act without the list of objects: the findings
	// only, never every item.
	Summary bool
	// Saved says what rendering a saved report checked of it; nil for a
	// report straight from a check.
	Saved *Saved
}

// textStyles are the text rendering's styles, all from one renderer
// bound to the output. The caller has decided on colour: without it the
// renderer's profile is plain ASCII, under which the colours write
// nothing, so the output holds no escape codes at all. No style converts
// tabs: the display form never holds one, and the text is not lipgloss's
// to change.
type textStyles struct {
	plain, good, bad, warn lipgloss.Style
}

func newTextStyles(w io.Writer, color bool) textStyles {
	r := lipgloss.NewRenderer(w)
	// Set, not detected: the renderer must not second-guess the caller
	// from the writer.
	profile := termenv.Ascii
	if color {
		profile = termenv.ANSI
	}
	r.SetColorProfile(profile)
	plain := r.NewStyle().TabWidth(lipgloss.NoTabConversion)
	return textStyles{
		plain: plain,
		good:  plain.Foreground(lipgloss.Color("2")).Bold(true),
		bad:   plain.Foreground(lipgloss.Color("1")).Bold(true),
		warn:  plain.Foreground(lipgloss.Color("3")),
	}
}

// column lays text out in a column as wide as the widest of cells: padded
// to that many terminal cells, never wrapped.
func column(st lipgloss.Style, cells []string) lipgloss.Style {
	w := 0
	for _, c := range cells {
		w = max(w, lipgloss.Width(c))
	}
	return st.Inline(true).Width(w)
}

// statusColumn lays out items' statuses in a column wide enough for every
// status, coloured by what each means for the verdict. Each distinct
// status is laid out once: a report may list a million items.
type statusColumn struct {
	label           func(verify.Status) string
	good, bad, warn lipgloss.Style
	done            map[statusKey]string
}

type statusKey struct {
	status  verify.Status
	failure bool
}

func (s textStyles) statusColumn(l lang) *statusColumn {
	names := make([]string, len(verify.Statuses))
	for i, st := range verify.Statuses {
		names[i] = l.status(st)
	}
	return &statusColumn{
		label: l.status,
		good:  column(s.good, names),
		bad:   column(s.bad, names),
		warn:  column(s.warn, names),
		done:  map[statusKey]string{},
	}
}

func (c *statusColumn) cell(it *verify.Item) string {
	k := statusKey{it.Status, it.Failure}
	if s, ok := c.done[k]; ok {
		return s
	}
	st := c.warn
	switch {
	case it.Status == verify.OK:
		st = c.good
	case it.Failure:
		st = c.bad
	}
	s := st.Render(safetext.Display(c.label(it.Status)))
	c.done[k] = s
	return s
}

// WriteText writes the terminal rendering: a header naming the product and
// its certificate, the verdict with what it covers in one line, what it
// does not cover, the counts per table, then one line per item that is
// not OK (every item with Verbose). Everything from the report is shown
// in display form: a report may be hostile, and a terminal obeys escape
// codes.
func WriteText(w io.Writer, r *Report, opt TextOptions) error {
	l := langOf(opt.Lang)
	st := newTextStyles(w, opt.Color)
	bw := bufio.NewWriter(w)
	f := &r.Formular
	cannot := r.Result.Verdict == verify.CannotCheck

	fmt.Fprintf(bw, "%s %s · %s\n", safetext.Display(r.Tool.Name), safetext.Display(r.Tool.Version), l.t("title"))
	rows := [][2]string{}
	if s := strings.TrimSpace(f.Get("product") + " " + f.Get("version")); s != "" {
		rows = append(rows, [2]string{l.t("product"), s})
	}
	fs := safetext.Display(f.Path)
	if id := f.Get("formular-id"); id != "" {
		fs = safetext.Display(id) + " (" + fs + ")"
	}
	rows = append(rows, [2]string{l.t("formular"), fs})
	if !cannot || f.Signature != nil {
		rows = append(rows, [2]string{l.t("signature"), signatureText(l, f.Signature, opt.Saved)})
	}
	if s := f.Signature; s != nil && s.TrustedComment != "" && opt.Saved != nil {
		rows = append(rows, [2]string{l.t("trusted-comment"), s.TrustedComment})
	}
	if s := certificateText(l, f); s != "" {
		rows = append(rows, [2]string{l.t("certificate"), s})
	}
	rows = append(rows, [2]string{l.t("checked"),
		l.f("checked-on", l.timestamp(r.Run.End), safetext.Display(r.Run.Host), l.date(r.Run.CheckDate))})
	id, groups := l.hostRows(r)
	for _, row := range [][2]string{id, groups} {
		if row[1] != "" {
			rows = append(rows, row)
		}
	}
	rows = append(rows, l.sourceRows(r)...)
	if s := opt.Saved; s != nil && s.SHA256 != "" {
		rows = append(rows, [2]string{l.t("report-sha256"), s.SHA256})
	}
	if label, v, ok := l.reportSignature(opt.Saved); ok {
		rows = append(rows, [2]string{label, v})
	}
	labels := make([]string, len(rows))
	for i, row := range rows {
		labels[i] = row[0] + ":"
	}
	label := column(st.plain, labels)
	for i, row := range rows {
		fmt.Fprintf(bw, "%s %s\n", label.Render(labels[i]), safetext.Display(row[1]))
	}

	bw.WriteByte('\n')
	verdict := st.bad
	if r.Result.Verdict == verify.Holds {
		verdict = st.good
	}
	fmt.Fprintf(bw, "%s  %s\n", verdict.Render(safetext.Display(l.verdict(r.Result.Verdict))), safetext.Display(l.verdictText(r)))
	for _, u := range l.uncovered(r, l.status) {
		fmt.Fprintf(bw, "  %s\n", st.warn.Render(safetext.Display(l.f("not-covered", u))))
	}
	if s := l.required(r); s != "" {
		fmt.Fprintf(bw, "  %s\n", safetext.Display(s))
	}
	if !cannot {
		for i := range r.Result.Reasons {
			fmt.Fprintf(bw, "  - %s\n", safetext.Display(l.message(&r.Result.Reasons[i], l.status)))
		}
	}
	if ws := shownWarnings(r); len(ws) > 0 {
		fmt.Fprintf(bw, "%s:\n", st.warn.Render(l.t("warnings")))
		for i := range ws {
			fmt.Fprintf(bw, "  - %s\n", safetext.Display(l.message(&ws[i], l.status)))
		}
	}

	if len(r.Result.Tables) > 0 {
		bw.WriteByte('\n')
	}
	kinds := make([]string, len(r.Result.Tables))
	for ti, t := range r.Result.Tables {
		kinds[ti] = l.kind(safetext.Display(string(t.Kind)))
	}
	kind := column(st.plain, kinds)
	for ti := range kinds {
		kinds[ti] = kind.Render(kinds[ti])
	}
	for ti, t := range r.Result.Tables {
		where := l.f("table-line", t.Line)
		if s := l.tableWhere(r, &t); s != "" {
			where += ", " + safetext.Display(s)
		}
		fmt.Fprintf(bw, "%s  %s: %s", kinds[ti], where, l.f("total-n", t.Len()))
		for _, s := range verify.Statuses {
			if n := t.Counts[s]; n > 0 {
				fmt.Fprintf(bw, ", %s %d", l.status(s), n)
			}
		}
		for _, a := range t.Weak {
			fmt.Fprintf(bw, "; %s", st.warn.Render(l.f("weak", safetext.Display(a))))
		}
		bw.WriteByte('\n')
	}

	status := st.statusColumn(l)
	verbose := opt.Verbose && !opt.Summary
	first := true
	gap := func() {
		if first {
			bw.WriteByte('\n')
			first = false
		}
	}
	for ti := range r.Result.Tables {
		t := &r.Result.Tables[ti]
		folded := foldedStatuses(t)
		items := t.All()
		if !verbose {
			items = t.AllButDigests() // OK items are skipped
		}
		for _, v := range items {
			it := &v
			if (it.Status == verify.OK && !verbose) || (opt.Quiet && !it.Failure) || folded[it.Status] {
				continue
			}
			gap()
			fmt.Fprintf(bw, "%s %s %s", status.cell(it), kinds[ti], safetext.Display(it.Name))
			if d := describe(l, t, it); d != "" {
				fmt.Fprintf(bw, " — %s", safetext.Display(d))
			}
			bw.WriteByte('\n')
		}
		shown := map[verify.Status]bool{}
		for _, g := range itemGroups(t, folded) {
			it := groupItem(t, &g)
			if opt.Quiet && !it.Failure {
				continue
			}
			gap()
			shown[g.Status] = true
			fmt.Fprintf(bw, "%s %s %s — %s\n", status.cell(it), kinds[ti], l.dirLabel(g.Dir), l.groupText(t, &g))
		}
		for _, s := range groupable {
			if shown[s] {
				fmt.Fprintf(bw, "  %s\n", l.foldNote(t, s, l.status))
			}
		}
	}
	return bw.Flush()
}

// groupItem is the item a group's line is coloured by: one that breaks
// the verdict if any does.
func groupItem(t *verify.Table, g *itemGroup) *verify.Item {
	for _, i := range g.Items {
		if it := t.At(i); it.Failure {
			return &it
		}
	}
	it := t.At(g.Items[0])
	return &it
}

// hostRows are the header rows naming the checked host in a fleet: its
// id, and the groups it was checked as (values "" when there are none).
// A report of version 1 has neither: its host is only its hostname.
func (l lang) hostRows(r *Report) (id, groups [2]string) {
	id, groups = [2]string{l.t("host-id"), ""}, [2]string{l.t("groups"), ""}
	if !r.HasScope() {
		return id, groups
	}
	id[1] = r.Run.HostID
	gs := make([]string, len(r.Run.Groups))
	for i, g := range r.Run.Groups {
		gs[i] = safetext.Display(g)
	}
	groups[1] = strings.Join(gs, ", ")
	return id, groups
}

// sourceRows says what the check read besides the formular, as label and
// value: the media, the installed root, each root variable with the path
// it stood for, the settings files. Without them a verdict in a terminal
// does not say which system it speaks for.
func (l lang) sourceRows(r *Report) [][2]string {
	var rows [][2]string
	if m := r.Sources.Media; m != nil {
		rows = append(rows, [2]string{l.t("media"), m.Path + " (" + l.t(m.Kind) + ")"})
	}
	if in := r.Sources.Installed; in != nil {
		if in.Root != "" {
			rows = append(rows, [2]string{l.t("installed"), in.Root})
		}
		for _, v := range in.Vars {
			rows = append(rows, [2]string{l.f("var", v.Name), v.Path})
		}
	}
	for _, s := range r.Sources.Settings {
		rows = append(rows, [2]string{l.t("settings"), s})
	}
	return rows
}

// tableWhere says where a table was checked: the directory its root
// stood for, with the root as the formular writes it when that differs
// (a variable), or its settings source; "" when it has neither.
func (l lang) tableWhere(r *Report, t *verify.Table) string {
	switch {
	case t.Root != "":
		s := l.f("table-root", t.Root)
		if in := r.Sources.Installed; in != nil && t.Kind == formular.KindModules {
			for _, v := range in.Vars {
				if v.Path == t.Root && v.Name != t.Root {
					return s + " (" + v.Name + ")"
				}
			}
		}
		return s
	case t.Source != "":
		return l.f("table-source", t.Source)
	}
	return ""
}

// certificateText is the certificate in one line: number, issuer, class
// and validity.
func certificateText(l lang, f *FormularInfo) string {
	var parts []string
	for _, k := range []string{"certificate", "certificate-issuer"} {
		if v := f.Get(k); v != "" {
			parts = append(parts, v)
		}
	}
	if v := f.Get("protection-class"); v != "" {
		parts = append(parts, l.f("class-short", v))
	}
	if v := f.Get("valid-until"); v != "" {
		parts = append(parts, l.f("valid-short", l.dateText(v)))
	}
	if v := f.Get("support-until"); v != "" {
		parts = append(parts, l.f("support-short", l.dateText(v)))
	}
	return strings.Join(parts, ", ")
}

// describe says in one line what was found for an item beyond its status:
// what differs, the other name, the allowed and actual value, the note,
// the detail and the hint.
func describe(l lang, t *verify.Table, it *verify.Item) string {
	var parts []string
	sizeChanged := it.ActualSize != nil && it.Size >= 0 && *it.ActualSize != it.Size && it.Status != verify.Extra
	modeChanged := it.ActualMode != "" && it.ActualMode != it.Mode && it.Mode != ""
	// Size and mode changes are shown with their values below; the list
	// of what differs need not name them again.
	var differs []string
	for _, d := range it.Differs {
		if !(d == "size" && sizeChanged || d == "mode" && modeChanged) {
			differs = append(differs, d)
		}
	}
	if len(differs) > 0 {
		parts = append(parts, l.f("d-differs", strings.Join(differs, ", ")))
	}
	if sizeChanged {
		parts = append(parts, l.f("d-size", bytesText(it.Size), bytesText(*it.ActualSize)))
	}
	if modeChanged {
		parts = append(parts, l.f("d-mode", it.Mode, it.ActualMode))
	}
	if it.Status == verify.Extra {
		parts = append(parts, l.t("d-extra"))
	}
	if it.Other != "" {
		parts = append(parts, l.f("d-found-as", safetext.Display(it.Other)))
	}
	if t.Kind == formular.KindParameters || it.Allowed != "" {
		if it.Allowed != "" {
			parts = append(parts, l.f("d-allowed", l.allowed(it.Allowed)))
		}
		if it.HasValue {
			parts = append(parts, l.f("d-actual", safetext.Display(it.Value)))
		} else if it.Status != verify.Missing && it.Status != verify.Unreadable {
			// Unread is not unset: the detail says it was not read.
			parts = append(parts, l.f("d-actual", l.t("d-unset")))
		}
	}
	if it.Status != verify.OK && !it.Failure {
		parts = append(parts, l.t("d-warning"))
	}
	if d := l.detail(it); d != "" {
		parts = append(parts, d)
	}
	if it.Note != "" {
		parts = append(parts, l.f("d-note", safetext.Display(it.Note)))
	}
	if h := l.hint(it); h != "" {
		parts = append(parts, l.f("d-hint", h))
	}
	return strings.Join(parts, "; ")
}
