package act

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sverka/sverka/internal/golden"
)

var msk = time.FixedZone("MSK", 3*60*60)

func at(day, hour int) time.Time { return time.Date(2026, 11, day, hour, 0, 0, 0, msk) }

func ptr(t time.Time) *time.Time { return &t }

// fixedAct is an act of five hosts over November 2026: holding, broken
// and repaired, broken still, not checkable, overdue, and one with no
// check, a hostile name among them.
func fixedAct() *Act {
	sha := strings.Repeat("ab", 32)
	rep := func(c string) string { return strings.Repeat(c, 64) }
	a := &Act{
		Generated: at(30, 23).Add(30 * time.Minute), From: at(1, 0),
		To: time.Date(2026, 12, 1, 0, 0, 0, 0, msk), Period: 7 * 24 * time.Hour, Groups: []string{"dc-msk"},
		Formulars: []Formular{{SHA256: sha, Product: "Демо-агент сверки", Version: "1.0.0.42", Certificate: "0000 (demo)",
			ValidUntil: time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC), SupportUntil: time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC), Hosts: 4}},
		Hosts: []Host{
			{HostID: "id-db1", Hostname: "db-1", Groups: []string{"dc-msk"}, Verdict: "HOLDS", Time: at(29, 10), CheckID: 11, ReportSHA256: rep("1"), FormularSHA256: sha},
			{HostID: "id-web1", Hostname: "web-1\x1b[2J<script>", Groups: []string{"dc-msk", "web"}, Verdict: "NOT HOLD", Time: at(29, 11), CheckID: 12, ReportSHA256: rep("2"), FormularSHA256: sha, Findings: 1},
			{HostID: "id-app1", Hostname: "app-1", Groups: []string{"dc-msk"}, Verdict: "CANNOT CHECK", Time: at(28, 9), CheckID: 13, ReportSHA256: rep("3"), FormularSHA256: sha},
			{HostID: "id-old1", Hostname: "старый-1", Groups: []string{"dc-msk"}, Verdict: "HOLDS", Time: at(5, 9), CheckID: 14, ReportSHA256: rep("4"), FormularSHA256: sha, Overdue: true},
			{HostID: "id-mute", Hostname: "mute", Groups: []string{"dc-msk"}},
		},
		Broken: []Broken{
			{HostID: "id-db1", Hostname: "db-1", LastHolds: ptr(at(10, 10)), FirstNotHold: at(11, 10), Repaired: ptr(at(12, 10))},
			{HostID: "id-web1", Hostname: "web-1\x1b[2J<script>", LastHolds: ptr(at(20, 11)), FirstNotHold: at(21, 11)},
		},
		Findings: []Finding{{Table: "media (line 11)", Name: "bin/agent", Status: "MODIFIED", Actual: rep("c"), Hosts: 1, HostIDs: []string{"id-web1"}}},
	}
	a.Totals = totals(a.Hosts)
	return a
}

func TestWriteGolden(t *testing.T) {
	for _, lang := range []string{"ru", "en"} {
		var b bytes.Buffer
		if err := WriteHTML(&b, fixedAct(), lang); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", "golden", "act."+lang+".html"), b.Bytes())
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, fixedAct()); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "golden", "act.json"), b.Bytes())
}

func TestTotals(t *testing.T) {
	got := fixedAct().Totals
	want := Totals{Hosts: 5, Holds: 2, NotHold: 1, CannotCheck: 1, Overdue: 1, NoCheck: 1}
	if got != want {
		t.Errorf("totals %+v, want %+v", got, want)
	}
}

// The act says what an auditor signs: the period, the counts, every
// host's verdict in the language, and no name from a host raw.
func TestHTMLSays(t *testing.T) {
	for _, c := range []struct {
		lang string
		want []string
	}{
		{"ru", []string{"Сводный протокол контроля целостности", "Период: с 1 ноября 2026 по 30 ноября 2026 включительно",
			"Группы: dc-msk", "НЕ ВЫПОЛНЕНО", "ПРОВЕРКА НЕ ПРОВЕДЕНА", "изменён", "последняя проверка старше 7 дн.", "нет проверок за период",
			"не восстановлено к концу периода", "Проверку провёл:", "Действителен до", "15 января 2027"}},
		{"en", []string{"Consolidated integrity control report", "Period: 1 November 2026 to 30 November 2026 inclusive",
			"NOT HOLD", "CANNOT CHECK", "last check older than 7 days", "no check in the period", "not restored by the period&#39;s end",
			"Checked by:", "15 January 2027"}},
	} {
		var b bytes.Buffer
		if err := WriteHTML(&b, fixedAct(), c.lang); err != nil {
			t.Fatal(err)
		}
		s := b.String()
		for _, w := range c.want {
			if !strings.Contains(s, w) {
				t.Errorf("%s: the act lacks %q", c.lang, w)
			}
		}
		if strings.Contains(s, "<script>") || strings.Contains(s, "\x1b") {
			t.Errorf("%s: a host's name reaches the act raw", c.lang)
		}
		for _, bad := range []string{"src=", "http://", "https://", "<script"} {
			if strings.Contains(s, bad) {
				t.Errorf("%s: the act holds %q: it must fetch nothing", c.lang, bad)
			}
		}
	}
}

func TestJSONDocument(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, fixedAct()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Schema, From, To string
		Totals           map[string]int
		Hosts            []struct {
			HostID  string `json:"host_id"`
			NoCheck bool   `json:"no_check"`
			Overdue bool
		}
		Broken []struct {
			Repaired *string
		}
	}
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != "sverka-act/1" || doc.From != "2026-11-01" || doc.To != "2026-11-30" {
		t.Errorf("schema %q, period %s..%s", doc.Schema, doc.From, doc.To)
	}
	if doc.Totals["not_hold"] != 1 || doc.Totals["no_check"] != 1 || doc.Totals["overdue"] != 1 || doc.Totals["hosts"] != 5 {
		t.Errorf("totals %v", doc.Totals)
	}
	if len(doc.Hosts) != 5 || !doc.Hosts[4].NoCheck || !doc.Hosts[3].Overdue {
		t.Errorf("hosts %+v", doc.Hosts)
	}
	if len(doc.Broken) != 2 || doc.Broken[0].Repaired == nil || doc.Broken[1].Repaired != nil {
		t.Errorf("broken %+v", doc.Broken)
	}
}

func TestParseDay(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{{"2026-11-01", true}, {" 2026-02-28 ", true}, {"2026-02-30", false}, {"01.11.2026", false}, {"", false}} {
		_, err := ParseDay(c.in, msk)
		if (err == nil) != c.ok {
			t.Errorf("ParseDay(%q): %v", c.in, err)
		}
	}
}

func FuzzParseDay(f *testing.F) {
	f.Add("2026-11-01")
	f.Add("2026-02-29")
	f.Add("\x00-1-1")
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDay(s, msk)
		if err != nil {
			return
		}
		// A date read is a midnight that writes back as the same date.
		if d.Hour() != 0 || d.Minute() != 0 {
			t.Fatalf("%q: %v is not a midnight", s, d)
		}
		if back, err := ParseDay(d.Format(time.DateOnly), msk); err != nil || !back.Equal(d) {
			t.Fatalf("%q: %v does not read back: %v, %v", s, d, back, err)
		}
	})
}
