package fleet

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"":              "",
		"host-1":        "host-1",
		"=HYPERLINK(1)": "'=HYPERLINK(1)",
		"+1":            "'+1",
		"-1":            "'-1",
		"@SUM(A1)":      "'@SUM(A1)",
		"\t=1":          "'\t=1",
		"a=b":           "a=b",
	} {
		if got := CSVCell(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// hostile is a host whose names would garble a terminal or run in a
// spreadsheet.
func hostile() []HostState {
	c := Check{ID: 7, HostID: "=cmd|' /C calc'!A0", Hostname: "evil\x1b[31mred\nline", Groups: []string{"a,b", `"q"`},
		Time: day0, Verdict: NotHold, Findings: 2, ReportSHA256: strings.Repeat("ab", 32)}
	return []HostState{{HostID: c.HostID, Hostname: c.Hostname, Groups: c.Groups, Last: c, State: NotHold,
		Broken: &Interval{HostID: c.HostID, Hostname: c.Hostname, FirstNotHold: c}}}
}

func TestWriteStatusCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteStatus(&b, hostile(), AnswerOptions{Format: CSV, Now: day0, Period: DefaultPeriod}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "\r\n") {
		t.Error("CSV lines do not end in CRLF")
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0][0] != "host_id" || recs[0][2] != "state" {
		t.Fatalf("%q", recs)
	}
	row := recs[1]
	if row[0] != "'=cmd|' /C calc'!A0" || row[1] != "evil\x1b[31mred\nline" || row[2] != NotHold || row[7] != `a,b;"q"` {
		t.Fatalf("row %q", row)
	}
}

func TestWriteStatusText(t *testing.T) {
	for _, lang := range []string{"en", "ru"} {
		var b bytes.Buffer
		if err := WriteStatus(&b, hostile(), AnswerOptions{Format: Text, Lang: lang, Now: day0, Period: DefaultPeriod}); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if strings.Contains(out, "\x1b") || strings.Count(out, "\n") != 4 || !strings.Contains(out, `evil\x1b[31mred\nline`) {
			t.Fatalf("%s: hostile names not escaped:\n%s", lang, out)
		}
		want := map[string]string{"en": "NOT HOLD", "ru": "НЕ ВЫПОЛНЕНО"}[lang]
		if !strings.Contains(out, want) {
			t.Fatalf("%s: no %q:\n%s", lang, want, out)
		}
	}
}

func TestWriteJSONShapes(t *testing.T) {
	o := AnswerOptions{Format: JSON, Now: day0, Period: 36 * time.Hour}
	hs := hostile()
	for name, write := range map[string]func(*bytes.Buffer) error{
		"status":  func(b *bytes.Buffer) error { return WriteStatus(b, hs, o) },
		"history": func(b *bytes.Buffer) error { return WriteHistory(b, "h", []Check{hs[0].Last}, o) },
		"since":   func(b *bytes.Buffer) error { return WriteSince(b, []Interval{*hs[0].Broken}, o) },
		"findings": func(b *bytes.Buffer) error {
			return WriteFindings(b, []FindingCount{{Table: "media:11", Name: "x", Hosts: 2}}, o)
		},
	} {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if doc["schema"] != JSONSchema || doc["answer"] != name || doc["period_hours"] != 36.0 || doc["now"] != "2026-11-02T09:00:00Z" {
			t.Errorf("%s: head %v", name, doc)
		}
	}
	var b bytes.Buffer
	if err := WriteStatus(&b, nil, o); err != nil || !strings.Contains(b.String(), `"hosts": []`) {
		t.Fatalf("no hosts: %s %v", b.String(), err)
	}
}
