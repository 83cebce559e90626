package fleet

import (
	"fmt"
	"io"
	"strconv"
	"time"
)

// The JSON of the answers: docs/fleet.md shows each shape.

type jsonCheck struct {
	CheckID        int64          `json:"check_id"`
	HostID         string         `json:"host_id"`
	Hostname       string         `json:"hostname"`
	Groups         []string       `json:"groups"`
	Time           time.Time      `json:"time"`
	Verdict        string         `json:"verdict"`
	Findings       int            `json:"findings"`
	Counts         map[string]int `json:"counts"`
	Checked        []string       `json:"checked"`
	NotChecked     []string       `json:"not_checked"`
	Product        string         `json:"product"`
	Version        string         `json:"version"`
	Certificate    string         `json:"certificate"`
	ValidUntil     string         `json:"valid_until"`
	SupportUntil   string         `json:"support_until"`
	FormularSHA256 string         `json:"formular_sha256"`
	ToolVersion    string         `json:"tool_version"`
	ToolSHA256     string         `json:"tool_sha256"`
	ReportSHA256   string         `json:"report_sha256"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func checkJSON(c *Check) *jsonCheck {
	if c == nil {
		return nil
	}
	counts := c.Counts
	if counts == nil {
		counts = map[string]int{}
	}
	return &jsonCheck{
		CheckID: c.ID, HostID: c.HostID, Hostname: c.Hostname, Groups: nonNil(c.Groups),
		Time: c.Time.UTC(), Verdict: c.Verdict, Findings: c.Findings, Counts: counts,
		Checked: nonNil(c.Checked), NotChecked: nonNil(c.NotChecked),
		Product: c.Product, Version: c.Version, Certificate: c.Certificate,
		ValidUntil: dayText(c.ValidUntil), SupportUntil: dayText(c.SupportUntil),
		FormularSHA256: c.FormularSHA256, ToolVersion: c.ToolVersion, ToolSHA256: c.ToolSHA256,
		ReportSHA256: c.ReportSHA256,
	}
}

type jsonInterval struct {
	HostID       string      `json:"host_id"`
	Hostname     string      `json:"hostname"`
	LastHolds    *jsonCheck  `json:"last_holds"`
	FirstNotHold *jsonCheck  `json:"first_not_hold"`
	Repaired     *jsonCheck  `json:"repaired"`
	CannotCheck  []jsonCheck `json:"cannot_check"`
}

func intervalJSON(iv *Interval) *jsonInterval {
	if iv == nil {
		return nil
	}
	j := &jsonInterval{HostID: iv.HostID, Hostname: iv.Hostname, LastHolds: checkJSON(iv.LastHolds),
		FirstNotHold: checkJSON(&iv.FirstNotHold), Repaired: checkJSON(iv.Repaired), CannotCheck: []jsonCheck{}}
	for i := range iv.CannotCheck {
		j.CannotCheck = append(j.CannotCheck, *checkJSON(&iv.CannotCheck[i]))
	}
	return j
}

type jsonHead struct {
	Schema      string    `json:"schema"`
	Answer      string    `json:"answer"`
	Now         time.Time `json:"now"`
	PeriodHours int64     `json:"period_hours"`
}

func head(answer string, o AnswerOptions) jsonHead {
	return jsonHead{Schema: JSONSchema, Answer: answer, Now: o.Now.UTC(), PeriodHours: int64(o.Period / time.Hour)}
}

// hostName is a host as a table names it: its id, and its hostname when
// that differs.
func hostName(id, hostname string) string {
	if hostname == "" || hostname == id {
		return id
	}
	return id + " (" + hostname + ")"
}

// WriteStatus writes each host's state: its latest check, whether it is
// overdue, and since when a broken host is broken.
func WriteStatus(w io.Writer, hs []HostState, o AnswerOptions) error {
	if o.Format == JSON {
		type host struct {
			HostID   string        `json:"host_id"`
			Hostname string        `json:"hostname"`
			Groups   []string      `json:"groups"`
			State    string        `json:"state"`
			Last     *jsonCheck    `json:"last"`
			Broken   *jsonInterval `json:"broken"`
		}
		doc := struct {
			jsonHead
			Hosts []host `json:"hosts"`
		}{jsonHead: head("status", o), Hosts: []host{}}
		for i := range hs {
			h := &hs[i]
			doc.Hosts = append(doc.Hosts, host{h.HostID, h.Hostname, nonNil(h.Groups), h.State, checkJSON(&h.Last), intervalJSON(h.Broken)})
		}
		return writeJSON(w, doc)
	}
	c := cellsFor(o)
	cols := []column{
		{"host_id", "HOST", "УЗЕЛ"},
		{"state", "STATE", "СОСТОЯНИЕ"},
		{"last_check", "LAST CHECK", "ПОСЛЕДНЯЯ ПРОВЕРКА"},
		{"last_holds", "LAST HOLDS", "ПОСЛЕДНЕЕ ВЫПОЛНЕНО"},
		{"not_hold_since", "NOT HOLD SINCE", "НЕ ВЫПОЛНЕНО С"},
		{"findings", "FINDINGS", "НАХОДОК"},
		{"groups", "GROUPS", "ГРУППЫ"},
	}
	if c.machine {
		cols = append(cols[:1], append([]column{{"hostname", "", ""}}, cols[1:]...)...)
		cols = append(cols, column{"verdict", "", ""}, column{"product", "", ""}, column{"version", "", ""},
			column{"check_id", "", ""}, column{"report_sha256", "", ""})
	}
	var rows [][]string
	counts := map[string]int{}
	for i := range hs {
		h := &hs[i]
		counts[h.State]++
		state := c.word(h.State)
		if !c.machine && h.State == Overdue {
			state += " (" + c.word(h.Last.Verdict) + ")"
		}
		lastHolds, since := c.none(), c.none()
		if h.Broken != nil {
			lastHolds, since = c.timeOf(h.Broken.LastHolds), c.time(h.Broken.FirstNotHold.Time)
		}
		if c.machine {
			rows = append(rows, []string{h.HostID, h.Hostname, h.State, c.time(h.Last.Time), lastHolds, since,
				strconv.Itoa(h.Last.Findings), c.list(h.Groups), h.Last.Verdict, h.Last.Product, h.Last.Version,
				strconv.FormatInt(h.Last.ID, 10), h.Last.ReportSHA256})
			continue
		}
		groups := c.list(h.Groups)
		if groups == "" {
			groups = c.none()
		}
		rows = append(rows, []string{hostName(h.HostID, h.Hostname), state, c.time(h.Last.Time), lastHolds, since,
			strconv.Itoa(h.Last.Findings), groups})
	}
	if err := writeTable(w, o, cols, rows, "none"); err != nil {
		return err
	}
	if c.machine || len(hs) == 0 {
		return nil
	}
	_, err := fmt.Fprintf(w, "\n%s: %d (%s %d, %s %d, %s %d, %s %d); %s %s\n",
		c.pick("Hosts", "Узлов"), len(hs),
		c.word(Holds), counts[Holds], c.word(NotHold), counts[NotHold],
		c.word(CannotCheck), counts[CannotCheck], c.word(Overdue), counts[Overdue],
		c.word("of period"), c.period(o.Period))
	return err
}

// WriteHistory writes a host's checks, newest first.
func WriteHistory(w io.Writer, hostID string, cs []Check, o AnswerOptions) error {
	if o.Format == JSON {
		doc := struct {
			jsonHead
			HostID string      `json:"host_id"`
			Checks []jsonCheck `json:"checks"`
		}{jsonHead: head("history", o), HostID: hostID, Checks: []jsonCheck{}}
		for i := range cs {
			doc.Checks = append(doc.Checks, *checkJSON(&cs[i]))
		}
		return writeJSON(w, doc)
	}
	c := cellsFor(o)
	cols := []column{
		{"time", "TIME", "ВРЕМЯ"},
		{"verdict", "VERDICT", "ВЕРДИКТ"},
		{"findings", "FINDINGS", "НАХОДОК"},
		{"product", "PRODUCT", "ИЗДЕЛИЕ"},
		{"version", "VERSION", "ВЕРСИЯ"},
		{"formular_sha256", "FORMULAR", "ФОРМУЛЯР"},
		{"report_sha256", "REPORT", "ОТЧЁТ"},
		{"check_id", "CHECK", "ПРОВЕРКА"},
	}
	if c.machine {
		cols = append([]column{{"host_id", "", ""}, {"hostname", "", ""}}, cols...)
	}
	var rows [][]string
	for i := range cs {
		ch := &cs[i]
		r := []string{c.time(ch.Time), c.word(ch.Verdict), strconv.Itoa(ch.Findings), ch.Product, ch.Version,
			c.short(ch.FormularSHA256), c.short(ch.ReportSHA256), strconv.FormatInt(ch.ID, 10)}
		if c.machine {
			r = append([]string{ch.HostID, ch.Hostname}, r...)
		}
		rows = append(rows, r)
	}
	return writeTable(w, o, cols, rows, "none")
}

// WriteSince writes each broken host's interval: after which HOLDS and
// by which NOT HOLD it broke, and the CANNOT CHECK checks between.
func WriteSince(w io.Writer, ivs []Interval, o AnswerOptions) error {
	if o.Format == JSON {
		doc := struct {
			jsonHead
			Intervals []jsonInterval `json:"intervals"`
		}{jsonHead: head("since", o), Intervals: []jsonInterval{}}
		for i := range ivs {
			doc.Intervals = append(doc.Intervals, *intervalJSON(&ivs[i]))
		}
		return writeJSON(w, doc)
	}
	c := cellsFor(o)
	cols := []column{
		{"host_id", "HOST", "УЗЕЛ"},
		{"last_holds", "LAST HOLDS", "ПОСЛЕДНЕЕ ВЫПОЛНЕНО"},
		{"first_not_hold", "FIRST NOT HOLD", "ПЕРВОЕ НЕ ВЫПОЛНЕНО"},
		{"broken_hours", "BROKEN FOR", "НАРУШЕН УЖЕ"},
		{"cannot_check", "CANNOT CHECK BETWEEN", "ПРОВЕРКА НЕ ПРОВЕДЕНА МЕЖДУ НИМИ"},
		{"findings", "FINDINGS", "НАХОДОК"},
	}
	if c.machine {
		cols = append(cols[:1], append([]column{{"hostname", "", ""}}, cols[1:]...)...)
		cols = append(cols, column{"first_not_hold_check_id", "", ""}, column{"first_not_hold_report_sha256", "", ""})
	}
	var rows [][]string
	for i := range ivs {
		iv := &ivs[i]
		var cc []string
		for _, ch := range iv.CannotCheck {
			cc = append(cc, c.time(ch.Time))
		}
		r := []string{hostName(iv.HostID, iv.Hostname), c.timeOf(iv.LastHolds), c.time(iv.FirstNotHold.Time),
			c.age(o.Now.Sub(iv.FirstNotHold.Time)), c.list(cc), strconv.Itoa(iv.FirstNotHold.Findings)}
		if c.machine {
			r[0] = iv.HostID
			r = append(r[:1], append([]string{iv.Hostname}, r[1:]...)...)
			r = append(r, strconv.FormatInt(iv.FirstNotHold.ID, 10), iv.FirstNotHold.ReportSHA256)
		}
		rows = append(rows, r)
	}
	return writeTable(w, o, cols, rows, "no broken")
}

// WriteFindings writes the findings of the hosts' latest checks, the
// most common first, with how many hosts have each.
func WriteFindings(w io.Writer, fcs []FindingCount, o AnswerOptions) error {
	if o.Format == JSON {
		type finding struct {
			Table   string   `json:"table"`
			Name    string   `json:"name"`
			Status  string   `json:"status"`
			Actual  string   `json:"actual"`
			Hosts   int      `json:"hosts"`
			HostIDs []string `json:"host_ids"`
		}
		doc := struct {
			jsonHead
			Findings []finding `json:"findings"`
		}{jsonHead: head("findings", o), Findings: []finding{}}
		for _, f := range fcs {
			doc.Findings = append(doc.Findings, finding{f.Table, f.Name, f.Status, f.Actual, f.Hosts, nonNil(f.HostIDs)})
		}
		return writeJSON(w, doc)
	}
	c := cellsFor(o)
	cols := []column{
		{"hosts", "HOSTS", "УЗЛОВ"},
		{"status", "STATUS", "СОСТОЯНИЕ"},
		{"table", "TABLE", "ТАБЛИЦА"},
		{"name", "NAME", "ИМЯ"},
		{"actual", "ACTUAL", "ФАКТИЧЕСКИ"},
		{"host_ids", "ON HOSTS", "НА УЗЛАХ"},
	}
	var rows [][]string
	for _, f := range fcs {
		hosts := f.HostIDs
		if !c.machine && f.Hosts > len(hosts) {
			hosts = append(hosts[:len(hosts):len(hosts)], "…")
		}
		actual := f.Actual
		if !c.machine && len(actual) > 40 {
			actual = actual[:40] + "…"
		}
		rows = append(rows, []string{strconv.Itoa(f.Hosts), c.word(f.Status), c.table(f.Table), f.Name, actual, c.list(hosts)})
	}
	return writeTable(w, o, cols, rows, "no finds")
}

// WritePruned says what a prune deleted.
func WritePruned(w io.Writer, p Pruned, keep time.Duration, o AnswerOptions) error {
	switch o.Format {
	case JSON:
		return writeJSON(w, struct {
			jsonHead
			KeepHours int64 `json:"keep_hours"`
			Checks    int64 `json:"checks"`
			Evidence  int64 `json:"evidence"`
			Formulars int64 `json:"formulars"`
		}{head("prune", o), int64(keep / time.Hour), p.Checks, p.Evidence, p.Formulars})
	case CSV:
		return writeCSV(w, []column{{key: "keep_hours"}, {key: "checks"}, {key: "evidence"}, {key: "formulars"}},
			[][]string{{strconv.FormatInt(int64(keep/time.Hour), 10), strconv.FormatInt(p.Checks, 10), strconv.FormatInt(p.Evidence, 10), strconv.FormatInt(p.Formulars, 10)}})
	}
	c := cellsFor(o)
	_, err := fmt.Fprintf(w, c.pick("checks older than %s pruned: %d checks, %d reports, %d formulars deleted\n",
		"удалены проверки старше %s: проверок %d, отчётов %d, формуляров %d\n"), c.period(keep), p.Checks, p.Evidence, p.Formulars)
	return err
}
