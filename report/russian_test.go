package report

import (
	"bytes"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

// russianAllowed are the Latin words a Russian rendering may show besides
// what comes from the checked system or the formular: names of tools,
// formats and standards, which Russian writes in Latin letters too.
var russianAllowed = map[string]bool{
	"sverka": true, "SHA": true, "MD5": true, "JSON": true, "ISO": true, "UDF": true,
	"FIFO": true, "UTF": true, "Windows": true, "regedit": true, "isomd5sum": true,
	"Rock": true, "Ridge": true, "Joliet": true, "pub": true, "reg": true, "minisig": true,
}

// latinWord is a word of Latin letters (digits and dots inside allowed),
// and flag is a command-line option, which stays as typed.
var (
	latinWord = regexp.MustCompile(`[A-Za-z][A-Za-z0-9]*`)
	flagWord  = regexp.MustCompile(`(^|[\s(«])--?[a-z][a-z-]*`)
	// emptyGroup is a heading of the HTML's characteristics with no
	// field under it.
	emptyGroup = regexp.MustCompile(`<tr class="group"><td colspan="2">[^<]*</td></tr>\n(<tr class="group"|</tbody>)`)
	markup     = regexp.MustCompile(`(?s)<style>.*?</style>|<[^>]*>|&[#a-z0-9]+;`)
)

// reportValues are the strings of a report that come from the checked
// system, the run or the formular (names, paths, digests, values, header
// fields): shown as written in every language. What the renderings say
// themselves (kinds, statuses, constraints, messages) is not among them.
func reportValues(r *Report) []string {
	v := []string{r.Tool.Name, r.Tool.Version, r.Tool.SHA256, r.Run.HostID, r.Run.Host, r.Run.OS, r.Run.OSVersion,
		r.Run.Arch, r.Run.User, r.Formular.Path, r.Formular.SHA256}
	v = append(v, r.Run.Args...)
	v = append(v, r.Run.Groups...)
	for _, h := range r.Formular.Header {
		v = append(v, h.Key, h.Value)
	}
	if s := r.Formular.Signature; s != nil {
		v = append(v, s.KeyID, s.TrustedComment)
	}
	digs := func(ds []verify.Digest) {
		for _, d := range ds {
			v = append(v, d.Alg, d.Hex)
		}
	}
	if m := r.Sources.Media; m != nil {
		v = append(v, m.Path)
		digs(m.Digests)
		if im := m.ImplantedMD5; im != nil {
			v = append(v, im.Expected, im.Computed)
		}
	}
	if in := r.Sources.Installed; in != nil {
		v = append(v, in.Root)
		for _, x := range in.Vars {
			v = append(v, x.Name, x.Path)
		}
	}
	v = append(v, r.Sources.Settings...)
	msgs := func(ms []verify.Message) {
		for _, m := range ms {
			for k, a := range m.Args {
				if k != "why" && !strings.HasSuffix(k, "code") {
					v = append(v, a)
				}
			}
		}
	}
	msgs(r.Result.Reasons)
	msgs(r.Result.Warnings)
	msgs(r.Result.Scope.Uncovered)
	for _, t := range r.Result.Tables {
		v = append(v, t.Root, t.Source, t.Format)
		v = append(v, t.Columns...)
		v = append(v, t.Weak...)
		for _, it := range t.All() {
			v = append(v, it.Name, it.Other, it.Value, it.Note, it.Mode, it.ActualMode)
			// The HTML lists a name under its directory, by its last part.
			v = append(v, strings.Split(it.Name, "/")...)
			v = append(v, path.Dir(it.Name))
			v = append(v, it.Differs...)
			digs(it.Expected)
			digs(it.Actual)
			for _, a := range it.DetailArgs {
				v = append(v, a)
			}
			for _, a := range it.HintArgs {
				v = append(v, a)
			}
			// The values a constraint names are the formular's.
			v = append(v, constraintValues(it.Allowed)...)
		}
	}
	return v
}

// constraintValues are the values a constraint names, without its
// operator.
func constraintValues(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(" {},.=!<>/", r) })
}

// latinLeft lists the Latin words of a Russian rendering that are neither
// the report's values, nor options, nor on the allow-list.
func latinLeft(text string, values []string) []string {
	text = markup.ReplaceAllString(text, " ")
	// The longest first: a path is removed before a name inside it.
	values = slices.Clone(values)
	slices.SortFunc(values, func(a, b string) int { return len(b) - len(a) })
	for _, s := range values {
		for _, f := range []string{s, safetext.Display(s)} {
			if len(f) > 1 {
				text = removeWhole(text, f)
			}
		}
	}
	text = flagWord.ReplaceAllString(text, " ")
	var left []string
	for _, w := range latinWord.FindAllString(text, -1) {
		if !russianAllowed[w] && !slices.Contains(left, w) {
			left = append(left, w)
		}
	}
	return left
}

// Everything a Russian reader sees of a report is in Russian, except
// what comes from the checked system or the formular and the names on
// russianAllowed.
func TestRussianRenderingsHaveNoEnglish(t *testing.T) {
	v1, err := os.ReadFile("testdata/report-v1.json")
	if err != nil {
		t.Fatal(err)
	}
	old, err := ReadJSON(v1)
	if err != nil {
		t.Fatal(err)
	}
	bare := fixedReport()
	bare.Formular.Header = []Field{{"formular-id", "643.46856491.00111-01 30 01"}}
	for name, r := range map[string]*Report{"fixed": fixedReport(), "partial": partialReport(),
		"cannot": cannotReport(), "big": bigReport(300), "extra": extraReport(120), "v1": old, "bare": bare} {
		values := append(reportValues(r), "check.json.minisig")
		var outs = map[string]*bytes.Buffer{}
		for _, o := range []struct {
			name string
			opt  TextOptions
		}{{"text", TextOptions{Lang: LangRu}}, {"text -v", TextOptions{Lang: LangRu, Verbose: true}}} {
			outs[o.name] = &bytes.Buffer{}
			if err := WriteText(outs[o.name], r, o.opt); err != nil {
				t.Fatal(err)
			}
		}
		for _, o := range []struct {
			name string
			opt  HTMLOptions
		}{{"html", HTMLOptions{Lang: LangRu}}, {"html saved", HTMLOptions{Lang: LangRu, Saved: &Saved{Signature: "check.json.minisig"}}}} {
			outs[o.name] = &bytes.Buffer{}
			if err := WriteHTMLOptions(outs[o.name], r, o.opt); err != nil {
				t.Fatal(err)
			}
		}
		for how, b := range outs {
			if g := emptyGroup.FindString(b.String()); g != "" {
				t.Errorf("%s, %s: an empty group: %s", name, how, g)
			}
			if left := latinLeft(b.String(), values); len(left) > 0 {
				t.Errorf("%s, %s: Latin words in the Russian rendering: %s", name, how, strings.Join(left, " "))
			}
		}
	}
}

// removeWhole blanks the occurrences of s in text that are not part of a
// longer word: the algorithm md5 goes, isomd5sum stays whole.
func removeWhole(text, s string) string {
	word := func(b byte) bool {
		return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
	}
	var b strings.Builder
	for {
		i := strings.Index(text, s)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		end := i + len(s)
		whole := (i == 0 || !word(text[i-1]) || !word(s[0])) && (end == len(text) || !word(text[end]) || !word(s[len(s)-1]))
		b.WriteString(text[:i])
		if whole {
			b.WriteString(" ")
		} else {
			b.WriteString(s)
		}
		text = text[end:]
	}
}
