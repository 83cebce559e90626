package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/charmbracelet/lipgloss"
	"github.com/go-json-experiment/json"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

// DiffSchema names the version of the JSON document WriteDiffJSON
// writes (docs/report.md, "Differences between two checks").
const DiffSchema = "sverka-diff/1"

// DiffOptions say how a diff is written.
type DiffOptions struct {
	Lang string // text: "ru" or "en"; LangFromEnv gives the default
	// A and B name the two reports (their files), as the user gave them.
	A, B string
}

// WriteDiffText writes the changes for a terminal in the language asked
// for: which checks are compared and the notes on them, the verdict and
// scope, then each list of items that changed, and the number of changes.
// Everything from the reports is shown in display form.
func WriteDiffText(w io.Writer, c *Changes, opt DiffOptions) error {
	l := langOf(opt.Lang)
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "sverka · %s\n", l.t("diff-title"))
	for _, s := range []struct {
		label, path string
		c           *Checked
	}{{l.t("diff-a"), opt.A, &c.A}, {l.t("diff-b"), opt.B, &c.B}} {
		fmt.Fprintf(bw, "%s: %s\n", s.label, safetext.Display(l.f("diff-side", s.path, s.c.HostID, l.timestamp(s.c.Start), l.verdict(s.c.Verdict))))
	}
	for _, n := range c.Notes {
		a, b := n.A, n.B
		if n.Code == NoteOrder {
			a, b = l.timestamp(c.A.Start), l.timestamp(c.B.Start)
		}
		fmt.Fprintf(bw, "%s: %s\n", l.t("diff-note"), safetext.Display(l.f("diff-note-"+n.Code, a, b)))
	}
	if c.VerdictChanged() || len(c.Checked)+len(c.Unchecked) > 0 {
		bw.WriteByte('\n')
	}
	if c.VerdictChanged() {
		fmt.Fprintf(bw, "%s: %s → %s\n", l.t("diff-verdict"), l.verdict(c.A.Verdict), l.verdict(c.B.Verdict))
	}
	kinds := func(ks []formular.Kind) string {
		out := make([]string, len(ks))
		for i, k := range ks {
			out[i] = l.kind(safetext.Display(string(k)))
		}
		return strings.Join(out, ", ")
	}
	if len(c.Checked) > 0 {
		fmt.Fprintf(bw, "%s: %s\n", l.t("diff-checked"), kinds(c.Checked))
	}
	if len(c.Unchecked) > 0 {
		fmt.Fprintf(bw, "%s: %s\n", l.t("diff-unchecked"), kinds(c.Unchecked))
	}

	// One column for the table kinds of every list, one for statuses.
	width, swidth := 0, 0
	for _, list := range [][]ItemChange{c.New, c.Resolved, c.Statuses, c.Digests, c.Values} {
		for _, ch := range list {
			width = max(width, lipgloss.Width(l.kind(safetext.Display(string(ch.Kind)))))
			for _, it := range []*verify.Item{ch.A, ch.B} {
				if it != nil {
					swidth = max(swidth, lipgloss.Width(l.status(it.Status)))
				}
			}
		}
	}
	pad := func(s string, w int) string { return s + strings.Repeat(" ", max(0, w-lipgloss.Width(s))) }
	kind := func(ch *ItemChange) string { return pad(l.kind(safetext.Display(string(ch.Kind))), width) }
	section := func(id string, list []ItemChange, line func(ch *ItemChange) string) {
		if len(list) == 0 {
			return
		}
		fmt.Fprintf(bw, "\n%s:\n", l.f(id, len(list)))
		for i := range list {
			fmt.Fprintf(bw, "  %s\n", line(&list[i]))
		}
	}
	section("diff-new", c.New, func(ch *ItemChange) string {
		return pad(l.status(ch.B.Status), swidth) + " " + kind(ch) + " " + safetext.Display(ch.Name) + itemDetail(l, ch.Kind, ch.B)
	})
	section("diff-resolved", c.Resolved, func(ch *ItemChange) string {
		now := l.t("diff-now-ok")
		if ch.B == nil {
			now = l.t("diff-unlisted")
		}
		return pad(l.status(ch.A.Status), swidth) + " " + kind(ch) + " " + safetext.Display(ch.Name) + " — " + now
	})
	section("diff-statuses", c.Statuses, func(ch *ItemChange) string {
		return kind(ch) + " " + safetext.Display(ch.Name) + ": " + l.status(ch.A.Status) + " → " + l.status(ch.B.Status)
	})
	section("diff-digests", c.Digests, func(ch *ItemChange) string {
		var parts []string
		for _, alg := range ch.Algs {
			parts = append(parts, safetext.Display(alg)+" "+orNone(actualDigest(ch.A, alg), l)+" → "+orNone(actualDigest(ch.B, alg), l))
		}
		return kind(ch) + " " + safetext.Display(ch.Name) + ": " + strings.Join(parts, "; ")
	})
	section("diff-values", c.Values, func(ch *ItemChange) string {
		return kind(ch) + " " + safetext.Display(ch.Name) + ": " + valueOf(ch.A, l) + " → " + valueOf(ch.B, l)
	})
	bw.WriteByte('\n')
	if c.HasChanges() {
		fmt.Fprintln(bw, l.plural("diff-count", c.Count(), c.Count()))
	} else {
		fmt.Fprintln(bw, l.t("diff-none"))
	}
	return bw.Flush()
}

// itemDetail is what a finding says beside its name, " — …", or "".
func itemDetail(l lang, k formular.Kind, it *verify.Item) string {
	t := verify.Table{Kind: k}
	if d := describe(l, &t, it); d != "" {
		return " — " + d
	}
	return ""
}

// actualDigest is an item's actual digest of alg, "" when it has none.
func actualDigest(it *verify.Item, alg string) string {
	for _, d := range it.Actual {
		if d.Alg == alg {
			return d.Hex
		}
	}
	return ""
}

// orNone says "none" for a digest an item does not have.
func orNone(hex string, l lang) string {
	if hex == "" {
		return l.t("diff-no-digest")
	}
	return hex
}

// valueOf is a parameter's actual value in display form, or "not set".
func valueOf(it *verify.Item, l lang) string {
	if !it.HasValue {
		return l.t("d-unset")
	}
	return safetext.Display(it.Value)
}

// The JSON document of a diff (docs/report.md). Strings from the checked
// system (paths, names, values) follow the report's rule: a display form,
// and its raw bytes in a _b64 companion when they differ.

type jsonDiff struct {
	Schema    string           `json:"schema"`
	A         jsonDiffSide     `json:"a"`
	B         jsonDiffSide     `json:"b"`
	Notes     []jsonDiffNote   `json:"notes"`
	Changes   int              `json:"changes"`
	Verdict   bool             `json:"verdict_changed"`
	Checked   []string         `json:"checked"`
	Unchecked []string         `json:"unchecked"`
	New       []jsonDiffChange `json:"new"`
	Resolved  []jsonDiffChange `json:"resolved"`
	Statuses  []jsonDiffChange `json:"statuses"`
	Digests   []jsonDiffChange `json:"digests"`
	Values    []jsonDiffChange `json:"values"`
}

type jsonDiffSide struct {
	Path           string   `json:"path"`
	PathB64        string   `json:"path_b64,omitempty"`
	HostID         string   `json:"host_id"`
	Host           string   `json:"host"`
	Groups         []string `json:"groups,omitempty"`
	FormularID     string   `json:"formular_id,omitempty"`
	FormularSHA256 string   `json:"formular_sha256,omitempty"`
	Start          string   `json:"start"`
	Verdict        string   `json:"verdict"`
	Checked        []string `json:"checked"`
}

type jsonDiffNote struct {
	Code string `json:"code"`
	A    string `json:"a"`
	B    string `json:"b"`
}

type jsonDiffChange struct {
	Table   string        `json:"table"`
	Name    string        `json:"name"`
	NameB64 string        `json:"name_b64,omitempty"`
	Algs    []string      `json:"algorithms,omitempty"`
	A       *jsonDiffItem `json:"a,omitempty"`
	B       *jsonDiffItem `json:"b,omitempty"`
}

type jsonDiffItem struct {
	Status   verify.Status `json:"status"`
	Failure  bool          `json:"failure"`
	Actual   []jsonDigest  `json:"actual,omitempty"`
	Value    string        `json:"value,omitempty"`
	ValueB64 string        `json:"value_b64,omitempty"`
	HasValue bool          `json:"has_value,omitzero"`
	Other    string        `json:"other,omitempty"`
	OtherB64 string        `json:"other_b64,omitempty"`
}

// WriteDiffJSON writes the changes as the JSON document DiffSchema.
func WriteDiffJSON(w io.Writer, c *Changes, opt DiffOptions) error {
	d := jsonDiff{
		Schema: DiffSchema, A: diffSide(&c.A, opt.A), B: diffSide(&c.B, opt.B),
		Notes: []jsonDiffNote{}, Changes: c.Count(), Verdict: c.VerdictChanged(),
		Checked: kindStrings(nonNil(c.Checked)), Unchecked: kindStrings(nonNil(c.Unchecked)),
		New: diffChanges(c.New), Resolved: diffChanges(c.Resolved), Statuses: diffChanges(c.Statuses),
		Digests: diffChanges(c.Digests), Values: diffChanges(c.Values),
	}
	for _, n := range c.Notes {
		d.Notes = append(d.Notes, jsonDiffNote(n))
	}
	b, err := json.Marshal(&d, writeOptions)
	if err != nil {
		return fmt.Errorf("encoding diff: %w", err)
	}
	_, err = w.Write(append(b, '\n'))
	return err
}

func diffSide(c *Checked, path string) jsonDiffSide {
	s := jsonDiffSide{
		HostID: c.HostID, Host: c.Host, Groups: c.Groups,
		FormularID: c.FormularID, FormularSHA256: c.FormularSHA256,
		Start: c.Start.Format(timeLayout), Verdict: string(c.Verdict),
		Checked: kindStrings(nonNil(c.Scope)),
	}
	s.Path, s.PathB64 = encodeText(path)
	return s
}

func diffChanges(list []ItemChange) []jsonDiffChange {
	out := make([]jsonDiffChange, len(list))
	for i, ch := range list {
		out[i] = jsonDiffChange{Table: string(ch.Kind), Algs: ch.Algs, A: diffItem(ch.A), B: diffItem(ch.B)}
		out[i].Name, out[i].NameB64 = encodeText(ch.Name)
	}
	return out
}

func diffItem(it *verify.Item) *jsonDiffItem {
	if it == nil {
		return nil
	}
	j := &jsonDiffItem{Status: it.Status, Failure: it.Failure, Actual: digestsOf(nil, it.Actual), HasValue: it.HasValue}
	if len(j.Actual) == 0 {
		j.Actual = nil
	}
	j.Value, j.ValueB64 = encodeText(it.Value)
	j.Other, j.OtherB64 = encodeText(it.Other)
	return j
}

// DiffCSVHeader is the header row of WriteDiffCSV.
var DiffCSVHeader = []string{"change", "table", "name", "algorithm", "a", "b"}

// WriteDiffCSV writes the changes as CSV (RFC 4180: a header row, fields
// quoted where they must be, CRLF line ends), one row per change and per
// algorithm of a changed digest. change is one of note-CODE, verdict,
// checked, unchecked, new, resolved, status, digest, value; a and b are
// what each report has: a status, a verdict, a digest, a value. Strings
// from the checked system are in display form, and one a spreadsheet
// would take for a formula (starting with =, +, -, @) gets a leading '.
func WriteDiffCSV(w io.Writer, c *Changes) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	rows := [][]string{DiffCSVHeader}
	row := func(change string, k formular.Kind, name, alg, a, b string) {
		rows = append(rows, []string{change, string(k), cell(name), alg, a, b})
	}
	for _, n := range c.Notes {
		row("note-"+n.Code, "", "", "", cell(n.A), cell(n.B))
	}
	if c.VerdictChanged() {
		row("verdict", "", "", "", string(c.A.Verdict), string(c.B.Verdict))
	}
	for _, k := range c.Checked {
		row("checked", k, "", "", "", "")
	}
	for _, k := range c.Unchecked {
		row("unchecked", k, "", "", "", "")
	}
	status := func(it *verify.Item) string {
		if it == nil {
			return ""
		}
		return string(it.Status)
	}
	for _, ch := range c.New {
		row("new", ch.Kind, ch.Name, "", status(ch.A), status(ch.B))
	}
	for _, ch := range c.Resolved {
		row("resolved", ch.Kind, ch.Name, "", status(ch.A), status(ch.B))
	}
	for _, ch := range c.Statuses {
		row("status", ch.Kind, ch.Name, "", status(ch.A), status(ch.B))
	}
	for _, ch := range c.Digests {
		for _, alg := range ch.Algs {
			row("digest", ch.Kind, ch.Name, alg, actualDigest(ch.A, alg), actualDigest(ch.B, alg))
		}
	}
	value := func(it *verify.Item) string {
		if !it.HasValue {
			return ""
		}
		return cell(it.Value)
	}
	for _, ch := range c.Values {
		row("value", ch.Kind, ch.Name, "", value(ch.A), value(ch.B))
	}
	if err := cw.WriteAll(rows); err != nil {
		return fmt.Errorf("writing CSV: %w", err)
	}
	return nil
}

// cell is a string from the checked system as a CSV cell: its display
// form, with a leading ' where a spreadsheet would run it as a formula.
func cell(s string) string {
	d := safetext.Display(s)
	if d != "" && strings.ContainsRune("=+-@", rune(d[0])) {
		return "'" + d
	}
	return d
}
