package report

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/verify"
)

// TestReportsAgreeWithThemselves: what this package writes, it reads
// back; the check of a report against its own content refuses nothing
// true.
func TestReportsAgreeWithThemselves(t *testing.T) {
	v1, err := os.ReadFile(filepath.Join("testdata", "report-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string][]byte{"version 1": v1}
	for name, r := range map[string]*Report{"fixed": fixedReport(), "partial": partialReport(), "cannot": cannotReport(), "big": bigReport(2000)} {
		docs[name] = jsonOf(t, r)
	}
	for _, res := range faultyChecks(t) {
		r := fixedReport()
		r.Result = *res
		r.Formular.Header = []Field{{"certificate", "4068"}, {"valid-until", "2020-01-01"}, {"support-until", "2019-01-01"}}
		r.Sources.Media = nil
		if !slices.ContainsFunc(res.Reasons, func(m verify.Message) bool { return m.Code == verify.CodeCertificateExpired }) {
			r.Formular.Header = nil // the check's formular had no dates
		}
		docs[fmt.Sprintf("real check %d", len(docs))] = jsonOf(t, r)
	}
	for name, data := range docs {
		if _, err := ReadJSON(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestForgedReportsRefused: a report edited so that its verdict,
// reasons, counts or failure flags say other than its items, scope and
// dates is refused, naming the disagreement.
func TestForgedReportsRefused(t *testing.T) {
	fixed := string(jsonOf(t, fixedReport()))
	partial := string(jsonOf(t, partialReport()))
	required := partialReport()
	required.Result.Scope.Required = []formular.Kind{formular.KindMedia, formular.KindModules}
	required.Result.Verdict = verify.NotHolds
	required.Result.Reasons = []verify.Message{{Code: verify.CodeRequiredNotChecked, Args: map[string]string{"kind": "modules"}, Text: "required modules not checked"}}
	req := string(jsonOf(t, required))
	// A media table whose only failure is one MODIFIED item.
	one := partialReport()
	one.Result.Tables[0].Items[1].Status, one.Result.Tables[0].Items[1].Failure = verify.Modified, true
	one.Result.Tables[0].Items[1].Actual = digests("tampered", "sha256", "gost12-256")
	one.Result.Tables[0].Items[1].Differs = []string{"sha256", "gost12-256"}
	one.Result.Tables[0] = count(one.Result.Tables[0])
	one.Result.Verdict = verify.NotHolds
	one.Result.Reasons = []verify.Message{{Code: verify.CodeTableFailed, Table: "media", Line: 13,
		Counts: map[verify.Status]int{verify.Modified: 1}, Text: "[media] table (line 13): 1 MODIFIED"}}
	modified := string(jsonOf(t, one))
	if _, err := ReadJSON([]byte(modified)); err != nil {
		t.Fatalf("the fixture disagrees with itself: %v", err)
	}
	noMD5Reason := fixedReport()
	noMD5Reason.Result.Reasons = noMD5Reason.Result.Reasons[1:]
	twice := fixedReport()
	twice.Result.Reasons = append(twice.Result.Reasons, twice.Result.Reasons[2])
	noExtraWarning := fixedReport()
	noExtraWarning.Result.Warnings = slices.Delete(noExtraWarning.Result.Warnings, 2, 3)
	notRead := string(jsonOf(t, notReadImplantReport()))
	notReadHidden := notReadImplantReport()
	notReadHidden.Result.Reasons = notReadHidden.Result.Reasons[1:]
	reasonsOf := func(doc string) string {
		i := strings.Index(doc, `  "reasons": [`)
		j := strings.Index(doc, `  "warnings": [`)
		return doc[i:j]
	}

	cases := []struct {
		name, doc string
		edits     [][2]string
		want      string
	}{
		{"HOLDS over a MODIFIED item", modified, [][2]string{{`"verdict": "NOT HOLD"`, `"verdict": "HOLDS"`}, {reasonsOf(modified), "  \"reasons\": [],\n"}},
			"verdict HOLDS disagrees with its items: media table (line 13) has 1 MODIFIED"},
		{"table counts edited", modified, [][2]string{{`"OK": 1,
        "MODIFIED": 1`, `"OK": 2`}},
			"media table (line 13): its counts say 2 OK, its items have 1 OK, 1 MODIFIED"},
		{"reason counts edited", fixed, [][2]string{{`"MODIFIED": 2,
        "MISSING": 1,`, `"MODIFIED": 1,
        "MISSING": 1,`}},
			"reason table-failed of the media table (line 13) says 1 MODIFIED, 1 MISSING, 1 RENAMED, 1 UNREADABLE, its items have 2 MODIFIED"},
		{"a reason dropped", fixed, [][2]string{{`"code": "table-failed",
      "table": "image"`, `"code": "table-failed",
      "table": "media"`}},
			"verdict NOT HOLD disagrees with its items: image table (line 10) has 1 MODIFIED, and no reason says so"},
		{"EXTRA in a closed table that does not fail", fixed, [][2]string{{`"status": "EXTRA",
          "failure": true`, `"status": "EXTRA",
          "failure": false`}},
			"modules table (line 30), item lib/libinject.so: status EXTRA in a closed table with failure false"},
		{"EXTRA in an open table that fails", fixed, [][2]string{{`"status": "EXTRA",
          "failure": false`, `"status": "EXTRA",
          "failure": true`}},
			"reason table-failed of the media table (line 13) says 2 MODIFIED, 1 MISSING, 1 RENAMED, 1 UNREADABLE, its items have 2 MODIFIED, 1 MISSING, 1 RENAMED, 1 EXTRA, 1 UNREADABLE"},
		{"a link out of a closed table called a warning", string(jsonOf(t, linked("/tmp/evil.so"))), nil,
			"modules table (line 30), item lib/evil.so: status EXTRA in a closed table with failure false"},
		{"a link climbing out of a closed table called a warning", string(jsonOf(t, linked("../../evil.so"))), nil,
			"item lib/evil.so: status EXTRA in a closed table with failure false"},
		{"OK item whose digests differ", partial, [][2]string{{`"actual": [
            {
              "alg": "sha256",
              "hex": "` + dg("sha256", "autorun.inf").Hex, `"actual": [
            {
              "alg": "sha256",
              "hex": "` + dg("sha256", "tampered").Hex}},
			"media table (line 13), item autorun.inf (line 14): OK, yet its sha256 digests differ"},
		{"OK item whose size differs", partial, [][2]string{{`"actual_size": 58,`, `"actual_size": 59,`}},
			"item autorun.inf (line 14): OK, yet its sizes differ: listed 58, found 59"},
		// The reader keeps an OK row that agrees with itself as a row;
		// one whose mode differs stays an item, and is refused.
		{"OK item whose mode differs", fixed, [][2]string{{`"actual_mode": "0755"`, `"actual_mode": "0700"`}},
			"item bin/kesl (line 31): OK, yet its modes differ: listed 0755, found 0700"},
		{"expired certificate said to hold", partial, [][2]string{{`"value": "2027-05-31"`, `"value": "2026-05-31"`}},
			"verdict HOLDS disagrees with its certificate dates: valid-until 2026-05-31 is before the check date 2026-11-23"},
		{"check date moved before the support ended", fixed, [][2]string{{`"check_date": "2026-11-23",
    "host_id"`, `"check_date": "2026-10-01",
    "host_id"`}},
			"warning support-ended is not called for by the report's certificate dates"},
		{"implanted MD5 mismatch hidden", string(jsonOf(t, noMD5Reason)), nil,
			"verdict NOT HOLD disagrees with its media: the MD5 implanted in the image does not match, and no reason says so"},
		{"implanted MD5 said to match", fixed, [][2]string{{`"present": true,
        "ok": false`, `"present": true,
        "ok": true`}},
			"reason implanted-md5-mismatch is not called for by the report's media"},
		{"implanted MD5 not read, and no reason says so", string(jsonOf(t, notReadHidden)), nil,
			"verdict NOT HOLD disagrees with its media: the MD5 implanted in the image was not read, and no reason says so"},
		{"implanted MD5 said to be read", notRead, [][2]string{{`"not_read": true`, `"not_read": false`}},
			"the MD5 implanted in the image does not match, and no reason says so"},
		{"required kind said to hold", req, [][2]string{{`"verdict": "NOT HOLD"`, `"verdict": "HOLDS"`}, {reasonsOf(req), "  \"reasons\": [],\n"}},
			"verdict HOLDS disagrees with its scope: modules is required and was not checked"},
		{"scope that claims more", partial, [][2]string{{`"checked": [
      "media"
    ]`, `"checked": [
      "media",
      "modules"
    ]`}},
			"its scope says media, modules checked, its tables are of media"},
		{"a table both checked and not", partial, [][2]string{{`"table": "modules",
        "line": 30`, `"table": "media",
        "line": 13`}},
			"its scope says the media table (line 13) was not checked, yet the report holds its items"},
		{"a reason given twice", string(jsonOf(t, twice)), nil,
			"reason table-failed of the media table (line 13) is given twice"},
		{"a warning of unlisted files dropped", string(jsonOf(t, noExtraWarning)), nil,
			"its warnings disagree with its items: media table (line 13) has 1 unlisted files that are not failures, and no warning says so"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := c.doc
			for _, e := range c.edits {
				if !strings.Contains(doc, e[0]) {
					t.Fatalf("fixture lacks %q", e[0])
				}
				doc = strings.Replace(doc, e[0], e[1], 1)
			}
			_, err := ReadJSON([]byte(doc))
			if err == nil {
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not say %q", err, c.want)
			}
		})
	}
}

// linked is the fixed report with an unlisted link to target in its
// closed modules table, called a warning.
func linked(target string) *Report {
	r := fixedReport()
	mods := &r.Result.Tables[2]
	mods.Items = append(mods.Items, verify.Item{Name: "lib/evil.so", Status: verify.Extra,
		Detail: "symbolic link to " + target + ", not followed", DetailCode: verify.DetailUnlistedSymlink,
		DetailArgs: map[string]string{"target": target}})
	*mods = count(*mods)
	r.Result.Warnings = append(r.Result.Warnings, verify.Message{Code: verify.CodeExtraLinks, Table: "modules", Line: 30,
		Counts: map[verify.Status]int{verify.Extra: 1}, Text: "[modules] table (line 30): 1 unlisted symbolic link, not followed (formulars list content, not links)"})
	return r
}

// TestLinkToListedIsAWarning: in a closed table, an unlisted link that
// leads to a listed file shows certified content under another name and
// stays a warning.
func TestLinkToListedIsAWarning(t *testing.T) {
	for _, target := range []string{"libkesl.so", "../lib/libkesl.so", "../bin/kesl"} {
		if _, err := ReadJSON(jsonOf(t, linked(target))); err != nil {
			t.Errorf("a link to %s: %v", target, err)
		}
	}
}

// TestCannotCheckReport: a check that could not be made has a report
// that validates, reads back, and says the verdict and why in every
// format and language.
func TestCannotCheckReport(t *testing.T) {
	r := cannotReport()
	data := jsonOf(t, r)
	if err := Validate(data); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Result.Verdict != verify.CannotCheck {
		t.Errorf("verdict %q", back.Result.Verdict)
	}
	for _, l := range []string{"en", "ru"} {
		var text, page bytes.Buffer
		if err := WriteText(&text, back, TextOptions{Lang: l}); err != nil {
			t.Fatal(err)
		}
		if err := WriteHTML(&page, back, l); err != nil {
			t.Fatal(err)
		}
		for what, out := range map[string]string{"text": text.String(), "html": page.String()} {
			verdict := map[string]string{"en": "CANNOT CHECK", "ru": "ПРОВЕРКА НЕ ПРОВЕДЕНА"}[l]
			for _, want := range []string{verdict, "signature formular.txt.minisig: invalid signature", "formular.txt", "host-1"} {
				if !strings.Contains(out, want) {
					t.Errorf("%s %s lacks %q", l, what, want)
				}
			}
		}
	}
	var events bytes.Buffer
	if err := WriteNDJSON(&events, back); err != nil {
		t.Fatal(err)
	}
	sch := eventSchema(t)
	for _, line := range strings.Split(strings.TrimSpace(events.String()), "\n") {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(line))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("event %s: %v", line, err)
		}
	}
	if !strings.Contains(events.String(), `"verdict":"CANNOT CHECK"`) {
		t.Errorf("no CANNOT CHECK summary: %s", events.String())
	}
	// A CANNOT CHECK with tables, or with another reason, is not one.
	for _, edit := range [][2]string{
		{`"tables": []`, `"tables": [{"kind": "media", "line": 3, "counts": {}, "items": []}]`},
		{`"code": "cannot-check"`, `"code": "nothing-checked"`},
	} {
		if err := Validate(bytes.Replace(data, []byte(edit[0]), []byte(edit[1]), 1)); err == nil {
			t.Errorf("accepted with %s", edit[1])
		}
	}
}

// TestScopeSaid: the verdict line says what it covers in both languages,
// in text and HTML, and the tables not checked are not repeated among the
// warnings.
func TestScopeSaid(t *testing.T) {
	r := partialReport()
	want := map[string][]string{
		"en": {"HOLDS  the certified configuration holds for media only; modules not checked: no --installed ROOT or --var given; parameters not checked: no --settings FILE or --installed ROOT given for its source\n",
			"  not covered: boot code not covered by the formular\n"},
		"ru": {"ВЫПОЛНЕНО  сертифицированная конфигурация сохраняется только в части дистрибутива; модули не проверены: не задан ни --installed КОРЕНЬ, ни --var; параметры не проверены: не задан ни --settings ФАЙЛ, ни --installed КОРЕНЬ для источника настроек\n",
			"  не охвачено: загрузочный код формуляром не охвачен"},
	}
	for l, lines := range want {
		var b bytes.Buffer
		if err := WriteText(&b, r, TextOptions{Lang: l}); err != nil {
			t.Fatal(err)
		}
		for _, w := range lines {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s text lacks %q:\n%s", l, w, b.String())
			}
		}
		if strings.Contains(b.String(), "Warnings") || strings.Contains(b.String(), "Предупреждения") {
			t.Errorf("%s: the tables not checked are among the warnings:\n%s", l, b.String())
		}
		var h bytes.Buffer
		if err := WriteHTML(&h, r, l); err != nil {
			t.Fatal(err)
		}
		page := html.UnescapeString(h.String())
		v := strings.Index(page, `<div class="verdict holds">`)
		c := strings.Index(page, "<table")
		if v < 0 || c < 0 || v > c {
			t.Errorf("%s: the verdict is not the first thing on the page", l)
		}
		head, scope, _ := strings.Cut(strings.TrimSuffix(lines[0], "\n"), "; ")
		verdict, head, _ := strings.Cut(head, "  ")
		if !strings.Contains(page, "<strong>"+verdict+"</strong> — "+head+"</p>") ||
			!strings.Contains(page, `<p class="scope">`+scope+"</p>") {
			t.Errorf("%s HTML lacks the scope", l)
		}
	}
	// Two tables of a kind, one checked: the other is named by its line.
	two := partialReport()
	two.Result.Scope.NotChecked[0].Table = "media"
	two.Result.Scope.NotChecked[0].Line = 20
	if got := en.notChecked(two); !strings.HasPrefix(got, "media (line 20) not checked: ") {
		t.Errorf("a second media table: %q", got)
	}
	// One singular kind: the Russian predicate agrees.
	one := partialReport()
	one.Result.Scope.NotChecked = []verify.Message{{Code: verify.CodeTableNotChecked, Table: "image", Line: 3,
		Args: map[string]string{"why": verify.WhyMediaIsDirectory}, Text: "x"}}
	if got := ru.notChecked(one); got != "образ не проверен: носитель — каталог, а не образ" {
		t.Errorf("Russian, one image: %q", got)
	}
	// A full scope says so.
	full := partialReport()
	full.Result.Scope.NotChecked, full.Result.Scope.Uncovered = nil, nil
	full.Result.Warnings = nil
	if got := ru.verdictText(full); got != "сертифицированная конфигурация сохраняется в части дистрибутива" {
		t.Errorf("Russian, full scope: %q", got)
	}
}

// TestTrustedCommentEscaped: a trusted comment with an escape code and
// bytes that are not UTF-8 travels as display form plus raw bytes, and
// reaches no terminal or page raw.
func TestTrustedCommentEscaped(t *testing.T) {
	r := fixedReport()
	comment := "release\x1b[2J\x1b]0;owned\x07 \xff\xfe build"
	r.Formular.Signature.TrustedComment = comment
	data := jsonOf(t, r)
	if !bytes.Contains(data, []byte(`"trusted_comment": "release\\x1b[2J\\x1b]0;owned\\x07 \\xff\\xfe build"`)) ||
		!bytes.Contains(data, []byte(`"trusted_comment_b64": "`+base64.StdEncoding.EncodeToString([]byte(comment))+`"`)) {
		t.Fatalf("the comment is not written as display form and raw bytes:\n%s", data)
	}
	back, err := ReadJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	if back.Formular.Signature.TrustedComment != comment {
		t.Errorf("the comment came back as %q", back.Formular.Signature.TrustedComment)
	}
	bad := bytes.Replace(data, []byte(`"trusted_comment": "release`), []byte(`"trusted_comment": "harmless`), 1)
	if _, err := ReadJSON(bad); err == nil || !strings.Contains(err.Error(), "trusted_comment") {
		t.Errorf("a display form that is not its raw bytes': %v", err)
	}
	var text, page bytes.Buffer
	WriteText(&text, back, TextOptions{Lang: "en", Saved: &Saved{}})
	WriteHTML(&page, back, "ru")
	for what, out := range map[string]string{"text": text.String(), "html": page.String()} {
		if strings.ContainsAny(out, "\x1b\x07") || strings.Contains(out, "\xff") {
			t.Errorf("%s holds the comment's raw bytes", what)
		}
		if !strings.Contains(out, `release\x1b[2J\x1b]0;owned\x07 \xff\xfe build`) {
			t.Errorf("%s lacks the comment's display form", what)
		}
	}
}

// TestHostileReportEscaped: every string a report carries reaches the
// terminal and the page in display form, escaped for HTML.
func TestHostileReportEscaped(t *testing.T) {
	const evil = "\x1b[31m<b>\u202e\x00"
	r := fixedReport()
	r.Tool.Version = evil
	r.Run.Host, r.Run.OS, r.Run.OSVersion, r.Run.Arch, r.Run.User = evil, evil, evil, evil, evil
	for i := range r.Formular.Header {
		r.Formular.Header[i].Value += evil
	}
	r.Formular.Header = append(r.Formular.Header, Field{"x" + evil, evil})
	r.Formular.Signature.TrustedComment = evil
	mod := &r.Result.Tables[2]
	mod.Format, mod.Weak, mod.Columns = evil, []string{"md5" + evil}, []string{"md5" + evil, "sha256"}
	mod.Root = evil
	for i := range mod.Items {
		it := &mod.Items[i]
		it.Mode, it.ActualMode, it.Note = "07"+evil, "06"+evil, evil
		for j := range it.Expected {
			it.Expected[j].Alg += evil
		}
		for j := range it.Actual {
			it.Actual[j].Alg += evil
		}
	}
	par := &r.Result.Tables[3]
	for i := range par.Items {
		par.Items[i].Allowed += evil
		par.Items[i].Note += evil
	}
	for _, l := range []string{"en", "ru"} {
		for _, verbose := range []bool{false, true} {
			var b bytes.Buffer
			if err := WriteText(&b, r, TextOptions{Lang: l, Verbose: verbose, Saved: &Saved{}}); err != nil {
				t.Fatal(err)
			}
			for _, c := range []string{"\x1b", "\x00", "\u202e"} {
				if strings.Contains(b.String(), c) {
					t.Errorf("%s text (verbose %v) holds %q:\n%s", l, verbose, c, b.String())
				}
			}
		}
		var h bytes.Buffer
		if err := WriteHTMLOptions(&h, r, HTMLOptions{Lang: l, Saved: &Saved{}}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []string{"\x1b", "\x00", "\u202e", "<b>"} {
			if strings.Contains(h.String(), c) {
				t.Errorf("%s HTML holds %q", l, c)
			}
		}
	}
}

// TestReadLimits: nesting deeper than any report is refused before the
// validator sees it, in the items and around them.
func TestReadLimits(t *testing.T) {
	good := string(jsonOf(t, partialReport()))
	deep := strings.Repeat("[", 70) + strings.Repeat("]", 70)
	// Nesting is refused where it starts: no member of a report takes an
	// array of arrays.
	for name, c := range map[string]struct{ doc, want string }{
		"in an item":    {strings.Replace(good, `"line": 14,`, `"line": 14, "note": `+deep+`,`, 1), `/note (byte `},
		"in the header": {strings.Replace(good, `"host": "host-1",`, `"host": `+deep+`,`, 1), `at /run/host (byte `},
		"whole":         {strings.Repeat("[", 100000) + strings.Repeat("]", 100000), `at / (byte 0)`},
	} {
		err := Validate([]byte(c.doc))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want it to name %q", name, err, c.want)
		}
	}
	if err := Validate(make([]byte, 1)); err == nil {
		t.Error("a one-byte report read")
	}
	if !errors.Is(disagree("x"), errDisagrees) {
		t.Error("disagree does not wrap errDisagrees")
	}
}

// TestCannotCheckKnowsLittle: a check stopped before the tool's or the
// formular's digest was taken still has a report.
func TestCannotCheckKnowsLittle(t *testing.T) {
	r := cannotReport()
	r.Tool.SHA256 = ""
	data := jsonOf(t, r)
	if bytes.Contains(data, []byte(`"sha256"`)) {
		t.Errorf("an unknown digest is written:\n%s", data)
	}
	if _, err := ReadJSON(data); err != nil {
		t.Fatal(err)
	}
	held := fixedReport()
	held.Tool.SHA256 = ""
	if err := Validate(jsonOf(t, held)); err == nil {
		t.Error("a check that was made without its tool's digest is valid")
	}
}
