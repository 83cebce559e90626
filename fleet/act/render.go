package act

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/internal/safetext"
)

//go:embed act.html.tmpl
var htmlSource string

// htmlTemplate is parsed on the first act rendered, not when any
// command of sverka starts.
var htmlTemplate = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("act").Parse(htmlSource))
})

// catalogue holds every string the act shows, English then Russian.
var catalogue = map[string][2]string{
	"title":          {"Consolidated integrity control report", "Сводный протокол контроля целостности"},
	"period":         {"Period: %s to %s inclusive", "Период: с %s по %s включительно"},
	"groups":         {"Groups: %s", "Группы: %s"},
	"all-groups":     {"all hosts in the store", "все узлы хранилища"},
	"generated":      {"Made on %s", "Составлен %s"},
	"control":        {"Period of control: %s", "Период контроля: %s"},
	"s1":             {"Totals", "Итоги"},
	"s2":             {"Formulars", "Формуляры"},
	"s3":             {"Hosts", "Узлы"},
	"s4":             {"Hosts that broke", "Нарушения целостности по узлам"},
	"s5":             {"Findings, most common first", "Нарушения, от самых частых"},
	"s6":             {"Hosts that did not report", "Узлы, не представившие результаты"},
	"t-hosts":        {"Hosts", "Узлов всего"},
	"t-holds":        {"HOLDS", "ВЫПОЛНЕНО"},
	"t-nothold":      {"NOT HOLD", "НЕ ВЫПОЛНЕНО"},
	"t-cannot":       {"CANNOT CHECK", "ПРОВЕРКА НЕ ПРОВЕДЕНА"},
	"t-overdue":      {"Overdue (no check within the period of control)", "Просрочено (нет проверки в пределах периода контроля)"},
	"t-nocheck":      {"No check in the period", "Нет проверок за период"},
	"v-HOLDS":        {"HOLDS", "ВЫПОЛНЕНО"},
	"v-NOT HOLD":     {"NOT HOLD", "НЕ ВЫПОЛНЕНО"},
	"v-CANNOT CHECK": {"CANNOT CHECK", "ПРОВЕРКА НЕ ПРОВЕДЕНА"},
	"no":             {"No.", "№"},
	// The statuses of findings, as the single-host protocol says them.
	"st-MODIFIED":    {"MODIFIED", "изменён"},
	"st-MISSING":     {"MISSING", "отсутствует"},
	"st-RENAMED":     {"RENAMED", "переименован"},
	"st-EXTRA":       {"EXTRA", "лишний"},
	"st-UNREADABLE":  {"UNREADABLE", "не читается"},
	"st-VIOLATED":    {"VIOLATED", "нарушен"},
	"st-UNSET":       {"UNSET", "не задан"},
	"product":        {"Product", "Продукт"},
	"version":        {"Version", "Версия"},
	"certificate":    {"Certificate", "Сертификат"},
	"valid-until":    {"Valid until", "Действителен до"},
	"support-until":  {"Support until", "Поддержка до"},
	"sha256":         {"Formular SHA-256", "SHA-256 формуляра"},
	"host":           {"Host", "Узел"},
	"host-id":        {"Host id", "Идентификатор"},
	"groups-col":     {"Groups", "Группы"},
	"verdict":        {"Last verdict", "Последнее заключение"},
	"time":           {"Checked", "Время проверки"},
	"findings":       {"Findings", "Нарушений"},
	"report":         {"Report SHA-256", "SHA-256 протокола"},
	"hosts-n":        {"Hosts", "Узлов"},
	"last-holds":     {"Last held", "Последнее выполнение"},
	"first-not":      {"First found broken", "Нарушение обнаружено"},
	"repaired":       {"Restored", "Восстановлено"},
	"not-repaired":   {"not restored by the period's end", "не восстановлено к концу периода"},
	"never-held":     {"never held", "не выполнялось"},
	"table":          {"Table", "Таблица"},
	"name":           {"Object", "Объект"},
	"status":         {"Status", "Статус"},
	"actual":         {"Found", "Обнаружено"},
	"examples":       {"Hosts, for example", "Узлы, например"},
	"overdue":        {"last check older than %s", "последняя проверка старше %s"},
	"nocheck":        {"no check in the period", "нет проверок за период"},
	"none-formulars": {"No host was checked in the period.", "За период не проверен ни один узел."},
	"none-broken":    {"No host was broken in the period.", "За период нарушений целостности не обнаружено."},
	"none-findings":  {"No findings in the hosts' last checks.", "В последних проверках узлов нарушений нет."},
	"none-silent":    {"Every host reported within the period of control.", "Все узлы представили результаты в пределах периода контроля."},
	"days":           {"%d days", "%d дн."},
	"hours":          {"%d hours", "%d ч"},
	"page":           {"Page %s of %s", "Стр. %s из %s"},
	"signoff":        {"Checked by:", "Проверку провёл:"},
	"signoff-name":   {"name, position", "фамилия, инициалы, должность"},
	"signoff-sign":   {"signature", "подпись"},
	"signoff-date":   {"date", "дата"},
	"evidence":       {"Each host's line names the SHA-256 of the report it is drawn from: the reports are kept in the store of checks.", "Для каждого узла указан SHA-256 протокола, из которого взяты сведения; протоколы хранятся в хранилище проверок."},
}

type lang int

func langOf(s string) lang {
	if strings.HasPrefix(strings.ToLower(s), "ru") {
		return 1
	}
	return 0
}

func (l lang) code() string { return [2]string{"en", "ru"}[l] }

func (l lang) t(k string) string {
	s, ok := catalogue[k]
	if !ok {
		return k
	}
	return s[l]
}

// status says a finding's status in the language; one it does not know
// is shown as the store has it.
func (l lang) status(s string) string {
	if _, ok := catalogue["st-"+s]; ok {
		return l.t("st-" + s)
	}
	return disp(s)
}

func (l lang) f(k string, args ...any) string { return fmt.Sprintf(l.t(k), args...) }

var ruMonths = [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля",
	"августа", "сентября", "октября", "ноября", "декабря"}

func (l lang) date(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	if l == 1 {
		return strconv.Itoa(t.Day()) + " " + ruMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
	}
	return t.Format("2 January 2006")
}

func (l lang) stamp(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Format("02.01.2006 15:04 -07:00")
}

func (l lang) period(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return l.f("days", int(d/(24*time.Hour)))
	}
	return l.f("hours", int(d/time.Hour))
}

func disp(s string) string { return safetext.Display(s) }

type kv struct{ Key, Value, Class string }

type htmlAct struct {
	Lang, Title  string
	Period, Sub  []string
	PageLabel    [3]string
	Totals       []kv
	Formulars    []htmlFormular
	Hosts        []htmlHost
	Broken       []htmlBroken
	Findings     []htmlFinding
	Silent       []htmlHost
	T            func(string) string
	NoFormulars  string
	NoBroken     string
	NoFindings   string
	NoSilent     string
	EvidenceNote string
}

type htmlFormular struct {
	N                                                      int
	Product, Certificate, ValidUntil, SupportUntil, SHA256 string
	Hosts                                                  int
}

type htmlHost struct {
	N                                           int
	Name, ID, Groups, Verdict, Class, Time, SHA string
	Findings                                    string
	Note                                        string
}

type htmlBroken struct {
	N                                   int
	Host, LastHolds, FirstNot, Repaired string
	Open                                bool
}

type htmlFinding struct {
	N                                     int
	Hosts                                 int
	Table, Name, Status, Actual, Examples string
}

func verdictClass(v string) string {
	switch v {
	case fleet.Holds:
		return "holds"
	case fleet.NotHold:
		return "bad"
	}
	return "warn"
}

// WriteHTML writes the act as one self-contained HTML document, printable
// on A4: inline CSS, no script, nothing fetched, numbered pages, and a
// signature block for the auditor. What came from the hosts is shown in
// display form and escaped.
func WriteHTML(w io.Writer, a *Act, language string) error {
	l := langOf(language)
	d := htmlAct{Lang: l.code(), Title: l.t("title"), T: l.t,
		NoFormulars: l.t("none-formulars"), NoBroken: l.t("none-broken"),
		NoFindings: l.t("none-findings"), NoSilent: l.t("none-silent"), EvidenceNote: l.t("evidence")}
	d.Period = []string{l.f("period", l.date(a.From), l.date(a.To.Add(-time.Nanosecond)))}
	groups := l.t("all-groups")
	if len(a.Groups) > 0 {
		gs := make([]string, len(a.Groups))
		for i, g := range a.Groups {
			gs[i] = disp(g)
		}
		groups = strings.Join(gs, ", ")
	}
	d.Sub = []string{l.f("groups", groups), l.f("control", l.period(a.Period)), l.f("generated", l.stamp(a.Generated))}
	parts := strings.SplitN(l.t("page"), "%s", 3)
	for i := range min(len(parts), 3) {
		d.PageLabel[i] = parts[i]
	}
	tt := a.Totals
	d.Totals = []kv{
		{l.t("t-hosts"), strconv.Itoa(tt.Hosts), ""},
		{l.t("t-holds"), strconv.Itoa(tt.Holds), "holds"},
		{l.t("t-nothold"), strconv.Itoa(tt.NotHold), "bad"},
		{l.t("t-cannot"), strconv.Itoa(tt.CannotCheck), "warn"},
		{l.t("t-overdue"), strconv.Itoa(tt.Overdue), "warn"},
		{l.t("t-nocheck"), strconv.Itoa(tt.NoCheck), "warn"},
	}
	for i, f := range a.Formulars {
		d.Formulars = append(d.Formulars, htmlFormular{N: i + 1, Product: disp(strings.TrimSpace(f.Product + " " + f.Version)),
			Certificate: disp(f.Certificate), ValidUntil: l.date(f.ValidUntil), SupportUntil: l.date(f.SupportUntil),
			SHA256: disp(f.SHA256), Hosts: f.Hosts})
	}
	for _, h := range a.Hosts {
		hh := htmlHost{N: len(d.Hosts) + 1, Name: disp(h.Hostname), ID: disp(h.HostID), Groups: disp(strings.Join(h.Groups, ", ")),
			Time: l.stamp(h.Time), SHA: disp(h.ReportSHA256), Verdict: "—", Class: "warn", Findings: "—"}
		if h.Verdict != "" {
			hh.Verdict, hh.Class, hh.Findings = l.t("v-"+h.Verdict), verdictClass(h.Verdict), strconv.Itoa(h.Findings)
		}
		switch {
		case h.Verdict == "":
			hh.Note = l.t("nocheck")
		case h.Overdue:
			hh.Note = l.f("overdue", l.period(a.Period))
		}
		d.Hosts = append(d.Hosts, hh)
		if hh.Note != "" {
			s := hh
			s.N = len(d.Silent) + 1
			d.Silent = append(d.Silent, s)
		}
	}
	for i, b := range a.Broken {
		hb := htmlBroken{N: i + 1, Host: disp(b.Hostname), LastHolds: l.t("never-held"), FirstNot: l.stamp(b.FirstNotHold),
			Repaired: l.t("not-repaired"), Open: b.Repaired == nil}
		if hb.Host == "" {
			hb.Host = disp(b.HostID)
		}
		if b.LastHolds != nil {
			hb.LastHolds = l.stamp(*b.LastHolds)
		}
		if b.Repaired != nil {
			hb.Repaired = l.stamp(*b.Repaired)
		}
		d.Broken = append(d.Broken, hb)
	}
	for i, f := range a.Findings {
		ex := make([]string, len(f.HostIDs))
		for j, h := range f.HostIDs {
			ex[j] = disp(h)
		}
		d.Findings = append(d.Findings, htmlFinding{N: i + 1, Hosts: f.Hosts, Table: disp(f.Table), Name: disp(f.Name),
			Status: l.status(f.Status), Actual: disp(f.Actual), Examples: strings.Join(ex, ", ")})
	}
	if err := htmlTemplate().Execute(w, &d); err != nil {
		return fmt.Errorf("rendering the act: %w", err)
	}
	return nil
}

// The JSON document sverka-act/1 (docs/fleet.md).
type jsonAct struct {
	Schema    string         `json:"schema"`
	Generated string         `json:"generated"`
	From      string         `json:"from"`
	To        string         `json:"to"`
	PeriodSec int64          `json:"period_seconds"`
	Groups    []string       `json:"groups"`
	Totals    jsonTotals     `json:"totals"`
	Formulars []jsonFormular `json:"formulars"`
	Hosts     []jsonHost     `json:"hosts"`
	Broken    []jsonBroken   `json:"broken"`
	Findings  []jsonFinding  `json:"findings"`
}

type jsonTotals struct {
	Hosts       int `json:"hosts"`
	Holds       int `json:"holds"`
	NotHold     int `json:"not_hold"`
	CannotCheck int `json:"cannot_check"`
	Overdue     int `json:"overdue"`
	NoCheck     int `json:"no_check"`
}

type jsonFormular struct {
	SHA256       string `json:"sha256"`
	Product      string `json:"product"`
	Version      string `json:"version"`
	Certificate  string `json:"certificate"`
	ValidUntil   string `json:"valid_until,omitempty"`
	SupportUntil string `json:"support_until,omitempty"`
	Hosts        int    `json:"hosts"`
}

type jsonHost struct {
	HostID         string   `json:"host_id"`
	Hostname       string   `json:"hostname"`
	Groups         []string `json:"groups"`
	Verdict        string   `json:"verdict,omitempty"`
	Time           string   `json:"time,omitempty"`
	ReportSHA256   string   `json:"report_sha256,omitempty"`
	FormularSHA256 string   `json:"formular_sha256,omitempty"`
	Findings       int      `json:"findings"`
	Overdue        bool     `json:"overdue"`
	NoCheck        bool     `json:"no_check"`
}

type jsonBroken struct {
	HostID       string  `json:"host_id"`
	Hostname     string  `json:"hostname"`
	LastHolds    *string `json:"last_holds"`
	FirstNotHold string  `json:"first_not_hold"`
	Repaired     *string `json:"repaired"`
}

type jsonFinding struct {
	Table   string   `json:"table"`
	Name    string   `json:"name"`
	Status  string   `json:"status"`
	Actual  string   `json:"actual"`
	Hosts   int      `json:"hosts"`
	HostIDs []string `json:"host_ids"`
}

func rfc(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// WriteJSON writes the act as the JSON document sverka-act/1. The period's
// end is written as the last day it includes, as --to gives it.
func WriteJSON(w io.Writer, a *Act) error {
	j := jsonAct{Schema: Schema, Generated: rfc(a.Generated), From: day(a.From), To: day(a.To.Add(-time.Nanosecond)),
		PeriodSec: int64(a.Period / time.Second), Groups: nonNil(a.Groups),
		Totals:    jsonTotals{a.Totals.Hosts, a.Totals.Holds, a.Totals.NotHold, a.Totals.CannotCheck, a.Totals.Overdue, a.Totals.NoCheck},
		Formulars: []jsonFormular{}, Hosts: []jsonHost{}, Broken: []jsonBroken{}, Findings: []jsonFinding{}}
	for _, f := range a.Formulars {
		j.Formulars = append(j.Formulars, jsonFormular{f.SHA256, f.Product, f.Version, f.Certificate, day(f.ValidUntil), day(f.SupportUntil), f.Hosts})
	}
	for _, h := range a.Hosts {
		j.Hosts = append(j.Hosts, jsonHost{HostID: h.HostID, Hostname: h.Hostname, Groups: nonNil(h.Groups), Verdict: h.Verdict,
			Time: rfc(h.Time), ReportSHA256: h.ReportSHA256, FormularSHA256: h.FormularSHA256, Findings: h.Findings,
			Overdue: h.Overdue, NoCheck: h.Verdict == ""})
	}
	for _, b := range a.Broken {
		jb := jsonBroken{HostID: b.HostID, Hostname: b.Hostname, FirstNotHold: rfc(b.FirstNotHold)}
		if b.LastHolds != nil {
			s := rfc(*b.LastHolds)
			jb.LastHolds = &s
		}
		if b.Repaired != nil {
			s := rfc(*b.Repaired)
			jb.Repaired = &s
		}
		j.Broken = append(j.Broken, jb)
	}
	for _, f := range a.Findings {
		j.Findings = append(j.Findings, jsonFinding{f.Table, f.Name, f.Status, f.Actual, f.Hosts, nonNil(f.HostIDs)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&j); err != nil {
		return fmt.Errorf("writing the act: %w", err)
	}
	return nil
}
