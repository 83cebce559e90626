package report

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/settings"
	"github.com/sverka/sverka/verify"
)

// TestErrorCodesInBothLanguages: every code an error or warning inside a
// message may carry has its sentence in English and in Russian, naming
// as many arguments as errArgNames lists for it.
func TestErrorCodesInBothLanguages(t *testing.T) {
	groups := map[string][]string{
		"settings":  settings.Codes(),
		"formular":  formular.CheckCodes(),
		"errno":     verify.ErrnoNames(),
		"windows":   verify.NameCodes(),
		"line only": {"at-line"},
	}
	seen := map[string]bool{}
	for group, codes := range groups {
		if len(codes) == 0 {
			t.Fatalf("no %s codes", group)
		}
		for _, c := range codes {
			if seen[c] {
				t.Errorf("%s code %s is also another package's code", group, c)
			}
			seen[c] = true
			pair, ok := catalogue["err-"+c]
			if !ok {
				t.Errorf("%s code %s has no sentence", group, c)
				continue
			}
			want := len(errArgNames[c])
			if c == "at-line" {
				want = 2
			}
			for _, l := range []lang{en, ru} {
				if pair[l] == "" {
					t.Errorf("%s code %s has no %s sentence", group, c, l.code())
				}
				if n := strings.Count(pair[l], "%s"); n != want || strings.Count(pair[l], "%") != n {
					t.Errorf("%s code %s in %s names %d arguments, want %d: %q", group, c, l.code(), n, want, pair[l])
				}
			}
			if pair[en] == pair[ru] {
				t.Errorf("%s code %s is not translated: %q", group, c, pair[ru])
			}
		}
	}
	for c := range errArgNames {
		if !seen[c] {
			t.Errorf("errArgNames lists %s, which no package gives", c)
		}
	}
}

// TestRussianReportSaysErrorsInRussian: a real check with a duplicated
// INI key, a range over a value that is no number and a settings file that
// is not there, in a report with a file the OS refused to read, renders in Russian
// without the English sentences those come with, in the text and the HTML
// report, also once the report has gone through its JSON form.
func TestRussianReportSaysErrorsInRussian(t *testing.T) {
	dir := t.TempDir()
	ini := filepath.Join(dir, "app.ini")
	if err := os.WriteFile(ini, []byte("[S]\nA = yes\nC = lots\nA = off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "gone.ini")
	// How this system words a missing file: "no such file or directory",
	// or Windows' own words.
	var pe *fs.PathError
	if _, err := os.Open(missing); !errors.As(err, &pe) {
		t.Fatalf("opening a missing file: %v", err)
	}
	enoent := pe.Err.Error()
	f, err := formular.Parse([]byte("sverka-formular 1\ncertificate: 4068\nvalid-until: 2030-01-01\n\n"+
		"[parameters source=app.ini format=ini]\nS.A = yes\nS.C range 1..16\n\n"+
		"[parameters source=gone.ini format=ini]\nS.B = 1\n"), "f.txt")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	res, err := verify.Check(context.Background(), f, verify.Sources{Settings: []string{ini, missing}, At: at})
	if err != nil {
		t.Fatal(err)
	}
	r := fixedReport()
	r.Result.Reasons = append(r.Result.Reasons, res.Reasons...)
	r.Result.Warnings = append(r.Result.Warnings, res.Warnings...)
	r.Result.Tables = append(r.Result.Tables, res.Tables...)
	// The fixture's packages/locked.deb is a file the OS refused to read
	// (EACCES), as the media check says it: such a refusal cannot be
	// staged when the tests run as root.
	var js bytes.Buffer
	if err := WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"message_code": "duplicate-key"`, `"error_code": "not-an-integer"`,
		`"error_code": "ENOENT"`, "set again", "not an integer", enoent} {
		if !strings.Contains(js.String(), want) {
			t.Errorf("the JSON report lacks %s", want)
		}
	}
	back, err := ReadJSON(js.Bytes())
	if err != nil {
		t.Fatal(err)
	}

	russian := []string{
		"ключ «S.A» задан повторно (впервые в строке 2); действует значение из строки 4",
		"значение не удалось оценить: «lots» — не целое число",
		"источник " + missing + ": нет такого файла или каталога",
		"доступ запрещён",
	}
	english := []string{"set again", "not an integer", enoent, "permission denied"}
	for _, rep := range []*Report{r, back} {
		var text, html bytes.Buffer
		if err := WriteText(&text, rep, TextOptions{Lang: LangRu}); err != nil {
			t.Fatal(err)
		}
		if err := WriteHTML(&html, rep, LangRu); err != nil {
			t.Fatal(err)
		}
		for name, out := range map[string]string{"text": text.String(), "HTML": html.String()} {
			for _, want := range russian {
				if !strings.Contains(out, want) {
					t.Errorf("the Russian %s report lacks %q:\n%s", name, want, out)
				}
			}
			for _, bad := range english {
				if strings.Contains(out, bad) {
					t.Errorf("the Russian %s report says %q", name, bad)
				}
			}
		}
	}

	// English keeps the sentences as the readers and the OS wrote them.
	var text bytes.Buffer
	if err := WriteText(&text, back, TextOptions{Lang: LangEn, Verbose: true}); err != nil {
		t.Fatal(err)
	}
	for _, want := range english {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the English report lacks %q:\n%s", want, text.String())
		}
	}
}

// TestUnknownErrorCodeFallsBack: a code this build does not know, or one
// whose arguments are missing, is said by the English text as written.
func TestUnknownErrorCodeFallsBack(t *testing.T) {
	cases := []map[string]string{
		{"error": "disk on fire", "error_code": "EFIRE"},
		{"error": "disk on fire", "error_code": "not-an-integer"}, // no error_value
		{"error": "disk on fire"},
	}
	for _, args := range cases {
		it := &verify.Item{DetailCode: verify.DetailConstraintError, DetailArgs: args, Detail: "disk on fire"}
		if got := ru.detail(it); !strings.HasSuffix(got, ": disk on fire") {
			t.Errorf("%v: %q", args, got)
		}
	}
	it := &verify.Item{DetailCode: verify.DetailError, Detail: "input/output error",
		DetailArgs: map[string]string{"error_code": "EIO"}}
	if got := ru.detail(it); got != "ошибка ввода-вывода" {
		t.Errorf("EIO in Russian: %q", got)
	}
	if got := en.detail(it); got != "input/output error" {
		t.Errorf("EIO in English: %q", got)
	}
	// A parse error names its line.
	m := &verify.Message{Code: verify.CodeSourceUnreadable, Table: "parameters", Line: 5,
		Args: map[string]string{"source": "a.reg", "error": "settings a.reg line 1: empty file, not a registry export",
			"error_code": settings.CodeRegEmpty, "error_line": "1"}}
	if got := ru.message(m, ru.status); !strings.HasSuffix(got, "источник a.reg: строка 1: файл пуст, это не выгрузка реестра") {
		t.Errorf("parse error in Russian: %q", got)
	}
	if !slices.Contains(settings.Codes(), settings.CodeRegEmpty) {
		t.Error("settings.Codes lacks reg-empty")
	}
}

// A certificate date that is not a date is said in the report's language
// when the report carries the header's text; an older report without it
// keeps the English error.
func TestUnreadableDateInRussian(t *testing.T) {
	m := &verify.Message{Code: verify.CodeValidUntilUnreadable,
		Args: map[string]string{"error": `valid-until: "31.05.2027" is not a date YYYY-MM-DD`, "value": "31.05.2027"}}
	if got := ru.message(m, ru.status); got != "не удаётся прочитать valid-until: «31.05.2027» — не дата вида ГГГГ-ММ-ДД" {
		t.Errorf("ru: %q", got)
	}
	if got := en.message(m, en.status); got != `valid-until cannot be read: "31.05.2027" is not a date YYYY-MM-DD` {
		t.Errorf("en: %q", got)
	}
	delete(m.Args, "value")
	if got := ru.message(m, ru.status); !strings.HasSuffix(got, `"31.05.2027" is not a date YYYY-MM-DD`) {
		t.Errorf("ru without value: %q", got)
	}
}

// An image found under another name that could not be read either says
// its error in the report's language.
func TestImageNameDiffersErrorInRussian(t *testing.T) {
	it := &verify.Item{DetailCode: verify.DetailImageNameDiffers, Detail: "file name x.iso, expected kit.iso; permission denied",
		DetailArgs: map[string]string{"name": "x.iso", "expected": "kit.iso", "error": "permission denied", "error_code": "EACCES"}}
	if got := ru.detail(it); got != "имя файла x.iso, ожидалось kit.iso; доступ запрещён" {
		t.Errorf("ru: %q", got)
	}
	if got := en.detail(it); got != "file name x.iso, expected kit.iso; permission denied" {
		t.Errorf("en: %q", got)
	}
}
