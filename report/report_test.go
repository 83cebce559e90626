package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sverka/sverka/docs"
	"github.com/sverka/sverka/internal/golden"
	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

// firstDiff shows where got first differs from want.
func firstDiff(want, got []byte) string { return golden.Diff(want, got) }

func TestGolden(t *testing.T) {
	r := fixedReport()
	cases := []struct {
		name   string
		render func(*bytes.Buffer) error
	}{
		{"text_en.txt", func(b *bytes.Buffer) error { return WriteText(b, r, TextOptions{Lang: "en"}) }},
		{"text_ru.txt", func(b *bytes.Buffer) error { return WriteText(b, r, TextOptions{Lang: "ru"}) }},
		{"text_en_verbose.txt", func(b *bytes.Buffer) error { return WriteText(b, r, TextOptions{Lang: "en", Verbose: true}) }},
		{"text_ru_verbose.txt", func(b *bytes.Buffer) error { return WriteText(b, r, TextOptions{Lang: "ru", Verbose: true}) }},
		{"report.json", func(b *bytes.Buffer) error { return WriteJSON(b, r) }},
		{"report.ndjson", func(b *bytes.Buffer) error { return WriteNDJSON(b, r) }},
		{"report_en.html", func(b *bytes.Buffer) error { return WriteHTML(b, r, "en") }},
		{"report_ru.html", func(b *bytes.Buffer) error { return WriteHTML(b, r, "ru") }},
	}
	for name, r := range map[string]*Report{"partial": partialReport(), "cannot": cannotReport()} {
		cases = append(cases, []struct {
			name   string
			render func(*bytes.Buffer) error
		}{
			{name + "_en.txt", func(b *bytes.Buffer) error { return WriteText(b, r, TextOptions{Lang: "en"}) }},
			{name + "_ru.txt", func(b *bytes.Buffer) error { return WriteText(b, r, TextOptions{Lang: "ru"}) }},
			{name + ".json", func(b *bytes.Buffer) error { return WriteJSON(b, r) }},
			{name + ".ndjson", func(b *bytes.Buffer) error { return WriteNDJSON(b, r) }},
			{name + "_en.html", func(b *bytes.Buffer) error { return WriteHTML(b, r, "en") }},
			{name + "_ru.html", func(b *bytes.Buffer) error { return WriteHTML(b, r, "ru") }},
		}...)
	}
	v1, err := os.ReadFile(filepath.Join("testdata", "report-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	old, err := ReadJSON(v1)
	if err != nil {
		t.Fatalf("a version 1 report: %v", err)
	}
	saved := &Saved{Signature: "report-v1.json.minisig"}
	cases = append(cases, []struct {
		name   string
		render func(*bytes.Buffer) error
	}{
		{"v1_en.txt", func(b *bytes.Buffer) error { return WriteText(b, old, TextOptions{Lang: "en", Saved: saved}) }},
		{"v1_ru.txt", func(b *bytes.Buffer) error { return WriteText(b, old, TextOptions{Lang: "ru", Saved: saved}) }},
	}...)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := c.render(&b); err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "golden", c.name), b.Bytes())
		})
	}
}

func TestTextShowsWhatBroke(t *testing.T) {
	r := fixedReport()
	var b bytes.Buffer
	if err := WriteText(&b, r, TextOptions{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"Kaspersky Endpoint Security для Linux 12.1.0.1297",
		"4068, ФСТЭК России, class 4Б, valid until 31 May 2027",
		"NOT HOLD  the certified configuration does not hold",
		`doc/README\n\xffbad.txt`, // escaped: the newline must not split the line
		"found as packages/kesl-gui_12.1.0-1297_amd64 (1).deb",
		"hint: the gost12-256 digest matches byte-reversed: the table's column should be gost12-256/reversed (import the list with --gost-reverse)",
		"  - [media] table (line 13): 2 MODIFIED, 1 MISSING, 1 RENAMED, 1 UNREADABLE\n",
		"  - support of certificate 4068 ended on 2026-10-31 (check date 2026-11-23)\n",
		"mode 0644 → 0666",
		"packages/locked.deb — permission denied",
		"allowed range 1..16; actual 32; kesl.ini line 9; note: operations manual, 4.2",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "autorun.inf") {
		t.Error("an OK item is listed without -v")
	}
	if strings.Contains(out, "\x1b") {
		t.Error("escape codes without colour")
	}
	// One line per non-OK item after the counts.
	lines := 0
	for _, l := range strings.Split(out, "\n") {
		for _, s := range verify.Statuses[1:] {
			if strings.HasPrefix(l, string(s)+" ") {
				lines++
			}
		}
	}
	if want := 11; lines != want {
		t.Errorf("%d finding lines, want %d:\n%s", lines, want, out)
	}

	b.Reset()
	if err := WriteText(&b, r, TextOptions{Lang: "en", Verbose: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "autorun.inf") {
		t.Error("-v does not list OK items")
	}

	b.Reset()
	if err := WriteText(&b, r, TextOptions{Lang: "en", Color: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\x1b[") {
		t.Error("no escape codes with colour")
	}
	plain := stripANSI(b.String())
	var p bytes.Buffer
	WriteText(&p, r, TextOptions{Lang: "en"})
	if plain != p.String() {
		t.Errorf("coloured text differs from plain text beyond the escape codes:\n%s", firstDiff(p.Bytes(), []byte(plain)))
	}
}

func stripANSI(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '[' {
			j := i + 2
			for j < len(s) && (s[j] < 0x40 || s[j] > 0x7e) {
				j++
			}
			i = j
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestTextHolds(t *testing.T) {
	r := fixedReport()
	r.Result = verify.Result{Verdict: verify.Holds, Tables: r.Result.Tables[:1]}
	r.Result.Tables[0].Items[0].Status = verify.OK
	r.Result.Tables[0].Items[0].Failure = false
	r.Result.Tables[0] = count(r.Result.Tables[0])
	for _, lang := range []string{"en", "ru"} {
		var b bytes.Buffer
		if err := WriteText(&b, r, TextOptions{Lang: lang}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), "\n"+map[string]string{"en": "HOLDS", "ru": "ВЫПОЛНЕНО"}[lang]+"  ") {
			t.Errorf("%s: no HOLDS line:\n%s", lang, b.String())
		}
	}
}

func TestLangFromEnv(t *testing.T) {
	cases := []struct {
		all, messages, lang, want string
	}{
		{"", "", "", "en"},
		{"", "", "ru_RU.UTF-8", "ru"},
		{"", "", "en_US.UTF-8", "en"},
		{"C", "", "ru_RU.UTF-8", "en"},
		{"", "ru_RU.UTF-8", "en_US.UTF-8", "ru"},
		{"ru_RU.KOI8-R", "en_US", "en_US", "ru"},
		{"", "", "uk_UA.UTF-8", "en"},
	}
	for _, c := range cases {
		t.Setenv("LC_ALL", c.all)
		t.Setenv("LC_MESSAGES", c.messages)
		t.Setenv("LANG", c.lang)
		if got := LangFromEnv(); got != c.want {
			t.Errorf("LC_ALL=%q LC_MESSAGES=%q LANG=%q: %q, want %q", c.all, c.messages, c.lang, got, c.want)
		}
	}
}

func TestCatalogueComplete(t *testing.T) {
	for id, m := range catalogue {
		if m[en] == "" || m[ru] == "" {
			t.Errorf("message %q lacks a language: %q", id, m)
		}
		if strings.Count(m[en], "%") != strings.Count(m[ru], "%") {
			t.Errorf("message %q: the languages take different arguments: %q", id, m)
		}
	}
	for _, s := range verify.Statuses {
		if _, ok := catalogue["st-"+string(s)]; !ok {
			t.Errorf("status %s has no label", s)
		}
	}
}

func TestDates(t *testing.T) {
	d := time.Date(2026, 11, 23, 9, 5, 7, 0, msk)
	cases := []struct {
		l             lang
		date, instant string
	}{
		{ru, "23.11.2026", "23.11.2026 09:05:07 +03:00"},
		{en, "23 November 2026", "23 November 2026 09:05:07 +03:00"},
	}
	for _, c := range cases {
		if got := c.l.date(d); got != c.date {
			t.Errorf("date = %q, want %q", got, c.date)
		}
		if got := c.l.timestamp(d); got != c.instant {
			t.Errorf("timestamp = %q, want %q", got, c.instant)
		}
	}
	if got := ru.dateText("2027-05-31"); got != "31.05.2027" {
		t.Errorf("dateText = %q", got)
	}
	if got := ru.dateText("indefinite"); got != "indefinite" {
		t.Errorf("dateText of a non-date = %q", got)
	}
}

func TestDisplay(t *testing.T) {
	cases := []struct {
		in, want string
		clean    bool
	}{
		{"plain/name.txt", "plain/name.txt", true},
		{"Руководство.pdf", "Руководство.pdf", true},
		{`back\slash`, `back\slash`, true},
		{"a\nb", `a\nb`, false},
		{"tab\there", `tab\there`, false},
		{"bad\xffbyte", `bad\xffbyte`, false},
		{"\x1b[31mred", `\x1b[31mred`, false},
		{"del\x7f", `del\x7f`, false},
		{"c1\u0085", `c1\u0085`, false},
		{"evil\u202eexe.txt", `evil\u202eexe.txt`, false},
		{"trunc\xd0", `trunc\xd0`, false},
		{"", "", true},
	}
	for _, c := range cases {
		if got := safetext.Display(c.in); got != c.want {
			t.Errorf("safetext.Display(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := safetext.Clean(c.in); got != c.clean {
			t.Errorf("safetext.Clean(%q) = %v", c.in, got)
		}
		d, raw := encodeText(c.in)
		back, err := decodeText("name", d, raw)
		if err != nil || back != c.in {
			t.Errorf("round trip of %q: %q, %v", c.in, back, err)
		}
	}
	if _, err := decodeText("name", "other.txt", "YWJj"); err == nil {
		t.Error("a display form that does not match its raw bytes was accepted")
	}
}

// normalize makes nil and empty slices alike and times comparable, the
// only differences a JSON round trip may introduce.
func normalize(r *Report) *Report {
	for i := range r.Result.Tables {
		r.Result.Tables[i].Expand()
	}
	c := *r
	c.Run.Start = c.Run.Start.UTC()
	c.Run.End = c.Run.End.UTC()
	c.Run.CheckDate = time.Date(c.Run.CheckDate.Year(), c.Run.CheckDate.Month(), c.Run.CheckDate.Day(), 0, 0, 0, 0, time.UTC)
	b, _ := json.Marshal(struct {
		R Report
	}{c})
	var out struct{ R Report }
	json.Unmarshal(b, &out)
	return &out.R
}

func TestJSONRoundTrip(t *testing.T) {
	r := fixedReport()
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if err := Validate(b.Bytes()); err != nil {
		t.Fatalf("the written report does not validate: %v", err)
	}
	back, err := ReadJSON(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalize(back), normalize(r)) {
		t.Errorf("round trip changed the report:\n%+v\n%+v", normalize(back), normalize(r))
	}
	if !back.Run.Start.Equal(r.Run.Start) || !back.Run.End.Equal(r.Run.End) {
		t.Errorf("times changed: %v %v", back.Run.Start, back.Run.End)
	}
	if _, off := back.Run.Start.Zone(); off != 3*3600 {
		t.Errorf("start lost its zone: %v", back.Run.Start)
	}
	got := back.Result.Tables[1].At(2).Name
	if got != invalidName {
		t.Errorf("the invalid UTF-8 name came back as %q, want %q", got, invalidName)
	}
	var again bytes.Buffer
	if err := WriteJSON(&again, back); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), b.Bytes()) {
		t.Errorf("writing the read report gives other bytes:\n%s", firstDiff(b.Bytes(), again.Bytes()))
	}
}

// The writer gives the bytes encoding/json's indenting encoder gives,
// with HTML escaping off: what reports were written with before, and
// what the golden files hold. Items carry the most varied strings.
func TestJSONEncodingMatchesEncodingJSON(t *testing.T) {
	tricky := []string{"", "plain", `quote " back \ slash`, "<html> & 'x'", "ctl \x00\x01\x1f\x7f",
		"\b\f\n\r\t", "\u2028\u2029 separators", "Кириллица", "emoji 🙂"}
	var items []jsonItem
	for _, s := range tricky {
		items = append(items, jsonItem{Name: s, NameB64: s, Status: verify.Status(s), Other: s, Allowed: s, Note: s, Hint: s,
			Mode: s, Detail: s, Differs: []string{s, "x"}, Expected: []jsonDigest{{Alg: s, Hex: s}},
			DetailCode: s, DetailArgs: map[string]string{s: s, "b": s, "a": "x"}, DetailArgsB64: map[string]string{"z": s},
			HintCode: s, HintArgs: map[string]string{s + "k": s}})
	}
	for _, tb := range fixedReport().Result.Tables {
		for i := range tb.Items {
			var j jsonItem
			itemOf(&tb.Items[i], &j)
			items = append(items, j)
		}
	}
	for _, it := range items {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(&it); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := jsonv2.MarshalWrite(&got, &it, writeOptions); err != nil {
			t.Fatal(err)
		}
		got.WriteByte('\n')
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%q:\n%s", it.Name, firstDiff(want.Bytes(), got.Bytes()))
		}
	}
	var streamed bytes.Buffer
	// An empty report is still a valid document.
	empty := fixedReport()
	empty.Result = verify.Result{Verdict: verify.NotHolds, Reasons: []verify.Message{{Code: verify.CodeNothingChecked,
		Text: "nothing was checked: give --media, --installed or --settings"}}}
	streamed.Reset()
	if err := WriteJSON(&streamed, empty); err != nil {
		t.Fatal(err)
	}
	if err := Validate(streamed.Bytes()); err != nil {
		t.Errorf("report without tables: %v\n%s", err, streamed.String())
	}
}

func TestJSONNames(t *testing.T) {
	r := fixedReport()
	r.Run.Args = append(r.Run.Args, "--media", "kit\xff.iso")
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if !json.Valid(b.Bytes()) {
		t.Fatal("invalid JSON")
	}
	if !strings.Contains(b.String(), `"name": "doc/README\\n\\xffbad.txt",`) ||
		!strings.Contains(b.String(), `"name_b64": "ZG9jL1JFQURNRQr/YmFkLnR4dA=="`) {
		t.Errorf("the invalid name is not written as display form plus raw bytes:\n%s", b.String())
	}
	if strings.Count(b.String(), "_b64") != 2 {
		t.Errorf("raw copies written for clean strings: %d", strings.Count(b.String(), "_b64"))
	}
	back, err := ReadJSON(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Run.Args, r.Run.Args) {
		t.Errorf("args came back as %q", back.Run.Args)
	}
}

func TestReadJSONRejects(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, fixedReport()); err != nil {
		t.Fatal(err)
	}
	good := b.String()
	cases := []struct {
		name, old, new, want string
	}{
		{"other version", `"schema": "sverka-report/2"`, `"schema": "sverka-report/3"`, "/schema"},
		{"unknown field", `"schema": "sverka-report/2",`, `"schema": "sverka-report/2", "extra": 1,`, "extra"},
		{"no scope", `"scope": {`, `"scope_": {`, "scope"},
		{"version 1 with a scope", `"schema": "sverka-report/2"`, `"schema": "sverka-report/1"`, "scope"},
		{"holds with reasons", `"verdict": "NOT HOLD"`, `"verdict": "HOLDS"`, "/reasons"},
		{"unknown status", `"status": "RENAMED"`, `"status": "MOVED"`, "/status"},
		{"OK item that fails", `"status": "OK",
          "failure": false`, `"status": "OK",
          "failure": true`, "/failure"},
		{"missing that does not fail", `"status": "MISSING",
          "failure": true`, `"status": "MISSING",
          "failure": false`, "/failure"},
		{"bad time", `"start": "2026-11-23T10:15:00+03:00"`, `"start": "23.11.2026 10:15"`, "/run/start"},
		{"upper-case digest", `"sha256": "` + fixedReport().Formular.SHA256 + `"`, `"sha256": "` + strings.ToUpper(fixedReport().Formular.SHA256) + `"`, "/formular/sha256"},
		{"negative size", `"size": 58,`, `"size": -58,`, "/size"},
		{"mismatched raw name", `"name_b64": "ZG9jL1JFQURNRQr/YmFkLnR4dA=="`, `"name_b64": "YWJj"`, "does not match"},
		{"bad base64", `"name_b64": "ZG9jL1JFQURNRQr/YmFkLnR4dA=="`, `"name_b64": "!!!!"`, "name_b64"},
		{"huge exponent", `"size": 58,`, `"size": 1e999999,`, "out of range"},
		{"huge negative exponent", `"duration_seconds": 12.48`, `"duration_seconds": 12.48e-99999`, "out of range"},
		{"long number", `"size": 58,`, `"size": 5` + strings.Repeat("0", 60) + `,`, "too long"},
		{"trailing data", "\n}\n", "\n}\n{}", "after top-level value"},
		{"null", `"host": "host-1"`, `"host": null`, "/run/host"},
		{"missing failure", `"status": "OK",
          "failure": false,`, `"status": "OK",`, `"failure" missing`},
		{"name given twice", `"host": "host-1"`, `"host": "host-1", "host": "x"`, "given twice"},
		{"item member given twice, once escaped", `"size": 58,`, `"size": 58, "\u0073ize": 58,`, "/size (byte"},
		{"argument given twice, once escaped", `"detail_code": "settings-line",`, `"detail_code": "settings-line", "detail_args": {"a": "1", "\u0061": "1"},`, "/detail_args/a (byte"},
		{"count given twice", `"counts": {`, `"counts": {"OK": 1, "OK": 1, `, "/counts/OK (byte"},
		{"argument given twice, as two invalid UTF-8 names read alike", `"detail_code": "settings-line",`, "\"detail_code\": \"settings-line\", \"detail_args\": {\"\xff\": \"1\", \"\xfe\": \"1\"},", "a name given twice"},
		{"integer with a fraction", `"size": 58,`, `"size": 58.0,`, "/size"},
		{"detail code out of its enum", `"detail_code": "error"`, `"detail_code": "oops"`, "/detail_code"},
		{"detail args beside their code", `"detail_code": "error"`, `"detail_code": "not-read"`, "/detail_args"},
		{"reason code of a warning", `"code": "table-failed"`, `"code": "extra-files"`, "/reasons/1/code"},
		{"table kind", `"kind": "media"`, `"kind": "cdrom"`, "/kind"},
		{"not JSON", good, "<html>", "not JSON"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(good, c.old) {
				t.Fatalf("fixture lacks %q", c.old)
			}
			data := []byte(strings.Replace(good, c.old, c.new, 1))
			_, err := ReadJSON(data)
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
}

// eventSchema compiles the schema's NDJSON event definition.
func eventSchema(t testing.TB) *jsonschema.Schema {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(docs.ReportSchema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(schemaURL, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(schemaURL + "#/$defs/event")
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func TestNDJSON(t *testing.T) {
	r := fixedReport()
	var b bytes.Buffer
	if err := WriteNDJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	sch := eventSchema(t)
	var events []map[string]any
	sc := bufio.NewScanner(&b)
	for sc.Scan() {
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(sc.Bytes()))
		if err != nil {
			t.Fatalf("line %d: %v", len(events)+1, err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("line %d does not follow the schema: %v", len(events)+1, err)
		}
		events = append(events, v.(map[string]any))
	}
	notOK := 0
	for _, tb := range r.Result.Tables {
		for _, it := range tb.Items {
			if it.Status != verify.OK {
				notOK++
			}
		}
	}
	if len(events) != notOK+1 {
		t.Fatalf("%d events, want %d findings and a summary", len(events), notOK)
	}
	for _, e := range events[:notOK] {
		if e["event"] != "finding" || e["host"] != "host-1" {
			t.Errorf("not a finding of host-1: %v", e)
		}
	}
	sum := events[notOK]
	if sum["event"] != "summary" || sum["verdict"] != "NOT HOLD" {
		t.Errorf("last event is not the summary: %v", sum)
	}
	if tot := sum["totals"].(map[string]any); tot["OK"] != json.Number("6") || tot["MODIFIED"] != json.Number("4") {
		t.Errorf("totals: %v", tot)
	}
}

func TestHTMLSelfContained(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		var b bytes.Buffer
		if err := WriteHTML(&b, fixedReport(), lang); err != nil {
			t.Fatal(err)
		}
		h := b.String()
		for _, bad := range []string{"<script", "http://", "https://", "src=", "@import", "url(", "<link", "@font-face"} {
			if strings.Contains(strings.ToLower(h), bad) {
				t.Errorf("%s: the HTML holds %q", lang, bad)
			}
		}
		title := map[string]string{"en": "Integrity check report", "ru": "Протокол контроля целостности"}[lang]
		for _, want := range []string{
			"<title>" + title, map[string]string{"en": "NOT HOLD", "ru": "НЕ ВЫПОЛНЕНО"}[lang], "Kaspersky Endpoint Security для Linux",
			"Руководство администратора.pdf", `README\n\xffbad.txt`, "display: table-header-group",
			"break-inside: avoid", "counter(page)", "word-break: break-all",
		} {
			if !strings.Contains(h, want) {
				t.Errorf("%s: the HTML lacks %q", lang, want)
			}
		}
	}
	var b bytes.Buffer
	WriteHTML(&b, fixedReport(), "ru")
	for _, want := range []string{"23.11.2026", "31.05.2027", "Проверку провёл"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("ru: the HTML lacks %q", want)
		}
	}
}

// WriteJSON appends the items itself: its bytes are those the library
// gives for the whole document, strings of every kind included, and a
// string the library refuses (invalid UTF-8 where no display form stands
// in) is refused too.
func TestWriteJSONAsLibrary(t *testing.T) {
	tricky := []string{"", "plain", `quote " back \ slash`, "<html> & 'x'", "ctl \x00\x01\x1f\x7f",
		"\b\f\n\r\t", "\u2028\u2029 separators", "Кириллица", "emoji 🙂"}
	odd := fixedReport()
	items := odd.Result.Tables[0].Items
	for i, s := range tricky {
		it := items[i%len(items)]
		it.Name, it.Other, it.Value, it.Detail = s+"n", s, s, s
		it.Mode, it.Allowed, it.Note, it.Hint = s, s, s, s
		it.Differs = []string{s, "x"}
		it.Expected = []verify.Digest{{Alg: s, Hex: "00"}}
		it.DetailArgs = map[string]string{s: s, "b": s, "a": "x"}
		it.HintArgs = map[string]string{s + "k": s, "z": ""}
		items = append(items, it)
	}
	odd.Result.Tables[0].Items = items
	// The same hostile strings where one chunk ends and the next begins,
	// each appended on another goroutine.
	oddChunks := bigReport(4*itemChunk + 1)
	for i, it := range items[len(items)-len(tricky):] {
		at := (1+i/3)*itemChunk - 1 + i%3 // the last of a chunk, then the two first of the next
		oddChunks.Result.Tables[0].Items[at] = it
	}
	empty := fixedReport()
	empty.Result.Tables[0].Items = nil
	none := cannotReport()
	none.Result.Tables = nil
	// Past itemChunk, the items are appended on several goroutines
	// (writeChunks), also on a machine of one core.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	for name, r := range map[string]*Report{"fixed": fixedReport(), "partial": partialReport(), "cannot": none,
		"big": bigReport(500), "chunks": bigReport(4*itemChunk + 1), "odd": odd, "odd, in chunks": oddChunks, "empty table": empty} {
		var want bytes.Buffer
		type table struct {
			jsonTableHead `json:",inline"`
			Items         []jsonItem `json:"items"`
		}
		doc := struct {
			jsonHead `json:",inline"`
			Tables   []table `json:"tables"`
		}{jsonHead: headOf(r), Tables: make([]table, len(r.Result.Tables))}
		for i := range r.Result.Tables {
			t := &r.Result.Tables[i]
			doc.Tables[i] = table{jsonTableHead: tableHeadOf(t), Items: make([]jsonItem, len(t.Items))}
			for j := range t.Items {
				itemOf(&t.Items[j], &doc.Tables[i].Items[j])
			}
		}
		if err := jsonv2.MarshalWrite(&want, &doc, writeOptions); err != nil {
			t.Fatal(err)
		}
		want.WriteByte('\n')
		got := jsonOf(t, r)
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s:\n%s", name, firstDiff(want.Bytes(), got))
		}
	}
	bad := fixedReport()
	bad.Result.Tables[0].Items[0].Note = "\xff"
	if err := WriteJSON(io.Discard, bad); err == nil {
		t.Error("invalid UTF-8 written")
	}
	// A member of a type the items do not have is refused, not written
	// as its kind would be.
	type other string
	for _, v := range []any{&struct {
		X float64 `json:"x"`
	}{}, &struct {
		X other `json:"x"`
	}{}} {
		w := itemWriter{types: wireTypes{}}
		if b, err := w.object(nil, reflect.ValueOf(v).Elem(), 0); err == nil {
			t.Errorf("%T written as %s", v, b)
		}
	}
	// Of two bad items in chunks on different goroutines, the error
	// names the first, whichever goroutine comes to its own first.
	for _, first := range []int{itemChunk + 3, 3*itemChunk - 1} {
		bad := bigReport(4*itemChunk + 1)
		items := bad.Result.Tables[0].Items
		items[first].Note = "\xff"
		items[3*itemChunk+2].Note = "\xfe"
		err := WriteJSON(io.Discard, bad)
		if want := "item " + items[first].Name + ": note:"; err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("bad items %d and %d: %v, want %q", first, 3*itemChunk+2, err, want)
		}
	}
}
