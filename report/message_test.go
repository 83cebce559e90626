package report

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/docs"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/formulartest"
	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/internal/testkit"
	"github.com/sverka/sverka/verify"
)

// faultyChecks runs real checks that give as many kinds of reason,
// warning, detail and hint as a directory check can.
func faultyChecks(t *testing.T) []*verify.Result {
	t.Helper()
	kit := t.TempDir()
	testkit.WriteTree(t, kit, map[string]string{"a.txt": "alpha", "b.txt": "beta", "c.txt": "gamma", "gone.txt": "delta",
		"moved.txt": "epsilon", "rev.txt": "zeta", "sub/e.txt": "eta"})
	media := formulartest.Table(t, formular.KindMedia, kit, "sha256,gost94-cryptopro,md5")
	media.Line = 10
	media.Closed = false
	for i, e := range media.Entries {
		if e.Path == "rev.txt" {
			media.Entries[i].Sums = formular.JoinSums([][]byte{e.Sum(media.Columns, 0), checksum.Reverse(e.Sum(media.Columns, 1)), e.Sum(media.Columns, 2)})
		}
	}
	os.WriteFile(filepath.Join(kit, "a.txt"), []byte("ALPHA"), 0o644)
	os.Remove(filepath.Join(kit, "b.txt"))
	os.Mkdir(filepath.Join(kit, "b.txt"), 0o755)
	os.Remove(filepath.Join(kit, "gone.txt"))
	os.Rename(filepath.Join(kit, "moved.txt"), filepath.Join(kit, "moved (1).txt"))
	os.WriteFile(filepath.Join(kit, "new.txt"), []byte("theta"), 0o644)
	os.Remove(filepath.Join(kit, "c.txt"))
	if err := os.Symlink("a.txt", filepath.Join(kit, "c.txt")); err != nil {
		t.Skip(err)
	}
	os.Symlink("new.txt", filepath.Join(kit, "link.txt"))
	sub := filepath.Join(kit, "sub")
	if os.Chmod(sub, 0) == nil {
		t.Cleanup(func() { os.Chmod(sub, 0o755) })
	}

	mods := formulartest.Table(t, formular.KindModules, kit, "sha256")
	mods.Line, mods.Root = 30, filepath.Join(t.TempDir(), "not-installed")

	settings := filepath.Join(t.TempDir(), "app.ini")
	os.WriteFile(settings, []byte("[S]\nA = no\nB = 5\nC = lots\nE = 1\nA = off\n"), 0o644)
	f, err := formular.Parse([]byte("sverka-formular 1\ncertificate: 4068\nvalid-until: 2020-01-01\nsupport-until: 2019-01-01\n\n"+
		"[parameters closed format=ini]\nS.A = yes  # 4.2\nS.B range 1..16\nS.C range 1..16\nS.D present\n"), "f.txt")
	if err != nil {
		t.Fatal(err)
	}
	f.Tables = append([]*formular.Table{{Kind: formular.KindImage, Line: 2}, media, mods}, f.Tables...)
	at := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	faulty, err := verify.Check(context.Background(), f, verify.Sources{Media: kit, Installed: "/", Settings: []string{settings}, At: at})
	if err != nil {
		t.Fatal(err)
	}

	// Nothing the sources reach, and no validity date.
	empty, err := formular.Parse([]byte("sverka-formular 1\n\n[media sha256]\n\n[modules root=/opt/x sha256]\n\n"+
		"[parameters source=/etc/x.ini format=ini]\nS.A = yes\n"), "g.txt")
	if err != nil {
		t.Fatal(err)
	}
	nothing, err := verify.Check(context.Background(), empty, verify.Sources{At: at})
	if err != nil {
		t.Fatal(err)
	}
	// Two names on disk that a check ignoring case cannot tell apart.
	folded := t.TempDir()
	testkit.WriteTree(t, folded, map[string]string{"read.me": "x"})
	foldedTab := formulartest.Table(t, formular.KindMedia, folded, "sha256")
	foldedTab.Line = 3 // a table read from a formular has its header line
	testkit.WriteTree(t, folded, map[string]string{"READ.ME": "y"})
	ambiguous, err := verify.Check(context.Background(), &formular.Formular{Tables: []*formular.Table{foldedTab}},
		verify.Sources{Media: folded, IgnoreCase: true, At: at})
	if err != nil {
		t.Fatal(err)
	}
	return []*verify.Result{faulty, nothing, ambiguous}
}

// TestMessagesSayWhatVerifySays: the English rendering of every message
// of real checks is verify's own sentence, and the Russian one is another.
func TestMessagesSayWhatVerifySays(t *testing.T) {
	seen := map[verify.Code]bool{}
	check := func(what string, code verify.Code, text string, say func(lang) string) {
		t.Helper()
		seen[code] = true
		if got := say(en); got != safetext.Display(text) {
			t.Errorf("%s %s in English:\n got  %q\n want %q", what, code, got, text)
		}
		if code == verify.DetailError {
			return // an OS error, as the OS says it
		}
		if ru := say(ru); ru == say(en) || ru == "" {
			t.Errorf("%s %s is not translated: %q", what, code, ru)
		}
	}
	for _, res := range faultyChecks(t) {
		for _, ms := range [][]verify.Message{res.Reasons, res.Warnings, res.Scope.NotChecked} {
			for i := range ms {
				m := &ms[i]
				check("message", m.Code, m.Text, func(l lang) string { return l.message(m, l.status) })
			}
		}
		for _, tb := range res.Tables {
			for i := range tb.Items {
				it := &tb.Items[i]
				if it.DetailCode != "" || it.Detail != "" {
					check("detail of "+it.Name, it.DetailCode, it.Detail, func(l lang) string { return l.detail(it) })
				}
				if it.HintCode != "" || it.Hint != "" {
					check("hint of "+it.Name, it.HintCode, it.Hint, func(l lang) string { return l.hint(it) })
				}
			}
		}
	}
	want := []verify.Code{
		verify.CodeTableFailed, verify.CodeNothingChecked, verify.CodeCertificateExpired, verify.CodeNoValidUntil,
		verify.CodeSupportEnded, verify.CodeTableNotChecked, verify.CodeExtraFiles,
		verify.CodeWeakAlgorithm, verify.CodeSettings,
		verify.DetailReplacedBy, verify.DetailRootNotFound,
		verify.DetailSettingsLine, verify.DetailConstraintError, verify.HintGOSTReversed,
	}
	// What the system lets a test stage: symbolic links (not on Windows
	// without the privilege, nor under Wine), two names differing in case
	// (not on NTFS), a directory the user may not list (not as root, and
	// not with Windows' mode bits).
	if testkit.CanSymlink() {
		want = append(want, verify.CodeExtraLinks, verify.DetailReplacedBySymlink, verify.DetailUnlistedSymlink)
	}
	if runtime.GOOS != "windows" {
		want = append(want, verify.DetailAmbiguousName)
		if os.Geteuid() != 0 {
			want = append(want, verify.DetailUnreadableDirectory)
		}
	}
	for _, c := range want {
		if !seen[c] {
			t.Errorf("the checks gave no %s", c)
		}
	}
}

// schemaCodes lists the codes the report schema admits, per kind of
// message.
func schemaCodes(t *testing.T) map[string][]string {
	var s struct {
		Defs map[string]struct {
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(docs.ReportSchema, &s); err != nil {
		t.Fatal(err)
	}
	return map[string][]string{
		"reason":     s.Defs["reason"].Properties["code"].Enum,
		"warning":    s.Defs["warning"].Properties["code"].Enum,
		"notChecked": s.Defs["notChecked"].Properties["code"].Enum,
		"detail":     s.Defs["item"].Properties["detail_code"].Enum,
		"hint":       s.Defs["item"].Properties["hint_code"].Enum,
	}
}

// TestEveryCodeRendered: every code the schema admits is said from its
// code and arguments in both languages, not by falling back to the text.
func TestEveryCodeRendered(t *testing.T) {
	const fallback = "ENGLISH FALLBACK"
	args := map[string]string{"why": verify.WhyNoMedia, "type": verify.TypeFIFO, "column": "gost12-256",
		"should_be": "gost12-256/reversed", "until": "2026-01-31", "check_date": "2026-02-01", "kind": "modules",
		"tree": verify.TreeJoliet, "members_tree": verify.TreeRockRidge, "covers": "4398046511104", "stored": "802816"}
	for _, k := range []string{"certificate", "error", "recorded", "computed", "source", "algorithms", "file", "line",
		"message", "media", "offset", "target", "directory", "root", "name", "expected", "size", "entry", "lines",
		"record", "records", "members_record"} {
		args[k] = "v"
	}
	codes := schemaCodes(t)
	for kind, list := range codes {
		if len(list) == 0 {
			t.Fatalf("no %s codes in the schema", kind)
		}
		for _, c := range list {
			code := verify.Code(c)
			for _, l := range []lang{en, ru} {
				var got string
				switch kind {
				case "reason", "warning", "notChecked":
					m := verify.Message{Code: code, Table: "media", Line: 3, Args: args, Text: fallback,
						Counts: map[verify.Status]int{verify.Modified: 1, verify.Extra: 2}}
					got = l.message(&m, l.status)
				case "detail":
					if code == verify.DetailError {
						continue
					}
					got = l.detail(&verify.Item{DetailCode: code, DetailArgs: args, Detail: fallback})
				case "hint":
					got = l.hint(&verify.Item{HintCode: code, HintArgs: args, Hint: fallback})
				}
				if got == fallback || got == "" || strings.Contains(got, "%!") {
					t.Errorf("%s %s in %s: %q", kind, c, l.code(), got)
				}
			}
		}
	}
}

// TestMessageArgsSurvive: arguments that are not clean text travel as
// display form plus raw bytes, and read back as they were.
func TestMessageArgsSurvive(t *testing.T) {
	r := fixedReport()
	target := "../evil\nname\xff"
	r.Result.Warnings = append(r.Result.Warnings, verify.Message{Code: verify.CodeReadStopped,
		Args: map[string]string{"media": "/dev/sr\x000", "offset": "2048", "error": "input/output error"},
		Text: "media /dev/sr\x000: read stopped at byte 2048: input/output error"})
	it := &r.Result.Tables[1].Items[4]
	it.DetailCode, it.DetailArgs = verify.DetailReplacedBySymlink, map[string]string{"target": target}
	it.Detail = "replaced by a symbolic link to " + target + " (not followed)"
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if err := Validate(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"target": "../evil\\nname\\xff"`, `"detail_args_b64": {`, `"args_b64": {`, `"text_b64": "`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the JSON lacks %s", want)
		}
	}
	back, err := ReadJSON(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Result.Tables[1].At(4).DetailArgs["target"]; got != target {
		t.Errorf("target came back as %q", got)
	}
	if !reflect.DeepEqual(back.Result.Warnings, r.Result.Warnings) {
		t.Errorf("warnings came back as %+v", back.Result.Warnings)
	}
	var text bytes.Buffer
	WriteText(&text, back, TextOptions{Lang: "ru"})
	for _, want := range []string{`заменён символической ссылкой на ../evil\nname\xff`, `носитель /dev/sr\x000: чтение остановилось на байте 2048`} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the Russian text lacks %q:\n%s", want, text.String())
		}
	}
}

// TestSchemaRejectsBadMessages: the schema holds every code to its
// arguments.
func TestSchemaRejectsBadMessages(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, fixedReport()); err != nil {
		t.Fatal(err)
	}
	good := b.String()
	cases := []struct{ name, old, new string }{
		{"unknown code", `"code": "support-ended"`, `"code": "support-over"`},
		{"a reason among warnings", `"code": "support-ended"`, `"code": "table-failed"`},
		{"missing argument", `"until": "2026-10-31"`, `"till": "2026-10-31"`},
		{"not a date", `"until": "2026-10-31"`, `"until": "31.10.2026"`},
		{"a string for a message", `"warnings": [`, `"warnings": ["support ended", `},
		{"counts for a message that has none", `"code": "weak-algorithm",`, `"code": "weak-algorithm", "counts": {"EXTRA": 1},`},
		{"table without line", `"table": "media",
      "line": 13,`, `"table": "media",`},
		{"unknown detail code", `"detail_code": "error"`, `"detail_code": "oops"`},
		{"detail code without its arguments", `"detail_code": "settings-line",`, `"detail_code": "root-not-found",`},
		{"an error detail's argument that is not an error's", `"error_code": "EACCES"`, `"x": "y"`},
		{"an error code that is a sentence", `"error_code": "EACCES"`, `"error_code": "permission denied"`},
		{"a warning's argument that is not its message's", `"message_key": "Update.Threads"`, `"key": "Update.Threads"`},
		{"hint without its column", `"column": "gost12-256",`, ``},
		{"empty text", `"text": "[image] table (line 10): 1 MODIFIED"`, `"text": ""`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(good, c.old) {
				t.Fatalf("fixture lacks %q", c.old)
			}
			data := []byte(strings.Replace(good, c.old, c.new, 1))
			if err := Validate(data); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

// TestDuplicateReadingOfManyLines: a key given on more lines than a
// detail names carries their count, says it in both languages, and keeps
// to the schema through JSON and back.
func TestDuplicateReadingOfManyLines(t *testing.T) {
	r := fixedReport()
	var it *verify.Item
	for ti := range r.Result.Tables {
		for i := range r.Result.Tables[ti].Items {
			if r.Result.Tables[ti].Items[i].DetailCode == verify.DetailSettingsLine {
				it = &r.Result.Tables[ti].Items[i]
			}
		}
	}
	if it == nil {
		t.Fatal("the fixture has no parameter with a settings line")
	}
	lines := "2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21"
	it.Status, it.DetailCode = verify.Violated, verify.DetailDuplicateReading
	it.DetailArgs = map[string]string{"file": "kesl.ini", "lines": lines, "count": "100001", "line": "2"}
	it.Detail = "given more than once in kesl.ini (100001 lines, the first of them " + lines + "): a program may read the one at line 2"
	if got := en.detail(it); got != it.Detail {
		t.Errorf("in English:\n got  %q\n want %q", got, it.Detail)
	}
	if got, want := ru.detail(it), "задан в kesl.ini несколько раз (строк: 100001, первые из них "+lines+"): программа может прочитать вариант из строки 2"; got != want {
		t.Errorf("in Russian:\n got  %q\n want %q", got, want)
	}
	// A count that is not a number is refused, by the schema and the reader.
	back := roundTripRefusing(t, r, `"count": "100001"`, `"count": "many"`)
	found := false
	for _, tb := range back.Result.Tables {
		for i := range tb.Items {
			if tb.Items[i].DetailCode == verify.DetailDuplicateReading {
				found = tb.Items[i].DetailArgs["count"] == "100001"
			}
		}
	}
	if !found {
		t.Error("the count did not come back")
	}
}

// roundTripRefusing writes r as JSON, holds it to the schema, reads it
// back, and returns what came back; the same JSON with old replaced by
// bad must be refused by the schema and by the reader alike.
func roundTripRefusing(t *testing.T, r *Report, old, bad string) *Report {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	if err := Validate(b.Bytes()); err != nil {
		t.Fatal(err)
	}
	back, err := ReadJSON(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), old) {
		t.Fatalf("no %s in the JSON", old)
	}
	forged := []byte(strings.Replace(b.String(), old, bad, 1))
	if err := Validate(forged); err == nil {
		t.Errorf("the schema took %s", bad)
	}
	if _, err := ReadJSON(forged); err == nil {
		t.Errorf("the reader took %s", bad)
	}
	return back
}

// TestNotReadLongerDetail: a file judged by its size, unread, says so in
// both languages, keeps to the schema through JSON and back, and a
// report that gives the detail arguments (it has none) is refused.
func TestNotReadLongerDetail(t *testing.T) {
	r := fixedReport()
	it := &r.Result.Tables[1].Items[4]
	size := int64(1 << 40)
	it.Status, it.DetailCode, it.DetailArgs, it.Actual, it.ActualSize = verify.Modified, verify.DetailNotReadLonger, nil, nil, &size
	it.Detail = "not read: more than twice the size listed, so not the file listed, whatever it holds"
	if got := en.detail(it); got != it.Detail {
		t.Errorf("in English: %q", got)
	}
	if got := ru.detail(it); !strings.HasPrefix(got, "не прочитан: вдвое с лишним больше") {
		t.Errorf("in Russian: %q", got)
	}
	back := roundTripRefusing(t, r, `"detail_code": "not-read-longer"`, `"detail_code": "not-read-longer", "detail_args": {"size": "1"}`)
	if got := back.Result.Tables[1].At(4); got.DetailCode != verify.DetailNotReadLonger || got.ActualSize == nil || *got.ActualSize != size {
		t.Errorf("came back as %s, size %v", got.DetailCode, got.ActualSize)
	}
}

// notReadImplantReport is the fixed report of an image whose implanted
// MD5 was not read: it covers far more than the file holds on its disk.
func notReadImplantReport() *Report {
	r := fixedReport()
	r.Sources.Media.ImplantedMD5 = &ImplantedMD5{Present: true, Expected: hexOf("md5a", 16), NotRead: true}
	r.Result.Reasons[0] = verify.Message{Code: verify.CodeImplantedMD5NotRead,
		Args: map[string]string{"covers": "4398046511104", "stored": "802816"},
		Text: "the MD5 implanted in the image (isomd5sum) was not checked: it covers 4398046511104 bytes, more than four times the 802816 bytes the file holds on its disk (a sparse file, mostly holes)"}
	return r
}

// TestImplantedMD5NotRead: an implanted MD5 left unread is a reason said
// in both languages with its sizes grouped, keeps to the schema through
// JSON and back, and a report that gives a sum computed for it, or sizes
// that are not numbers, is refused.
func TestImplantedMD5NotRead(t *testing.T) {
	r := notReadImplantReport()
	m := &r.Result.Reasons[0]
	none := func(verify.Status) string { return "" }
	if got, want := en.message(m, none), "it covers 4\u00a0398\u00a0046\u00a0511\u00a0104 bytes, more than four times the 802\u00a0816 bytes the file holds on its disk"; !strings.Contains(got, want) {
		t.Errorf("in English: %q", got)
	}
	if got, want := ru.message(m, none), "не проверена: она охватывает 4\u00a0398\u00a0046\u00a0511\u00a0104 байт"; !strings.Contains(got, want) {
		t.Errorf("in Russian: %q", got)
	}
	back := roundTripRefusing(t, r, `"not_read": true`, `"not_read": true, "computed": "`+hexOf("md5b", 16)+`"`)
	if im := back.Sources.Media.ImplantedMD5; im == nil || !im.NotRead || im.OK || !im.Present {
		t.Errorf("came back as %+v", im)
	}
	roundTripRefusing(t, r, `"covers": "4398046511104"`, `"covers": "4 TiB"`)
	// A forged report's size past what an int64 holds is said, grouped,
	// not dropped for the English text.
	huge := *m
	huge.Args = map[string]string{"covers": "123456789012345678901234567890", "stored": "802816"}
	if got := ru.message(&huge, none); !strings.Contains(got, "123\u00a0456\u00a0789\u00a0012\u00a0345\u00a0678\u00a0901\u00a0234\u00a0567\u00a0890 байт") {
		t.Errorf("a size past an int64, in Russian: %q", got)
	}
	roundTripRefusing(t, r, `"present": true`, `"present": false`)
}
