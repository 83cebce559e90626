package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/internal/safetext"
	"golang.org/x/sync/errgroup"
)

// stateClass is the CSS class of a state.
func stateClass(s string) string {
	switch s {
	case fleet.Holds:
		return "holds"
	case fleet.NotHold:
		return "nothold"
	case fleet.CannotCheck:
		return "cannot"
	case fleet.Overdue:
		return "overdue"
	}
	return ""
}

func stateLabel(lang, s string) string { return t(lang, "s-"+s) }

// statusLabel says a finding's status in lang; one the catalogue does not
// know is shown as the store has it.
func statusLabel(lang, s string) string {
	if _, ok := catalogue["st-"+s]; ok {
		return t(lang, "st-"+s)
	}
	return disp(s)
}

func disp(s string) string { return safetext.Display(s) }

func groupsText(gs []string) string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = disp(g)
	}
	return strings.Join(out, ", ")
}

func productText(c fleet.Check) string {
	return disp(strings.TrimSpace(c.Product + " " + c.Version))
}

// brokenText says when a host broke: between its last HOLDS and its first
// NOT HOLD, which is all its checks can tell.
func brokenText(lang string, b *fleet.Interval) string {
	if b == nil {
		return ""
	}
	if b.LastHolds == nil {
		return tf(lang, "broken-by", stamp(lang, b.FirstNotHold.Time))
	}
	return tf(lang, "broken-between", stamp(lang, b.LastHolds.Time), stamp(lang, b.FirstNotHold.Time))
}

type card struct {
	Class, Label, Href string
	N                  int
}

type certRow struct {
	Host, Href, Product, What, Date, Left, Class string
}

type fleetBody struct {
	Period, WarnBefore string
	Total              int
	Cards              []card
	Certs              []certRow
	Trend              trend
}

// FleetCounts counts hosts by state, and the hosts whose certificate or
// its support ends before now+warn (ended ones too), soonest first.
func FleetCounts(hosts []fleet.HostState) map[string]int {
	n := map[string]int{}
	for _, h := range hosts {
		n[h.State]++
	}
	return n
}

// ending is a date of a host's certificate that ends soon.
type ending struct {
	Host  fleet.HostState
	Key   string // "cert-valid" or "cert-support"
	Until time.Time
}

// Endings lists the certificates and supports of the hosts' latest checks
// that end before now+warn, ended ones included, soonest first.
func Endings(hosts []fleet.HostState, now time.Time, warn time.Duration) []ending {
	var out []ending
	limit := now.Add(warn)
	for _, h := range hosts {
		for _, e := range []ending{{h, "cert-valid", h.Last.ValidUntil}, {h, "cert-support", h.Last.SupportUntil}} {
			if !e.Until.IsZero() && e.Until.Before(limit) {
				out = append(out, e)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b ending) int {
		return cmp.Or(a.Until.Compare(b.Until), cmp.Compare(a.Host.HostID, b.Host.HostID))
	})
	return out
}

// daysLeft is the whole days from now to the end of the day until names.
func daysLeft(now, until time.Time) int {
	y, m, d := until.Date()
	end := time.Date(y, m, d, 0, 0, 0, 0, until.Location()).AddDate(0, 0, 1)
	return int(end.Sub(now).Hours() / 24)
}

func (s *Server) fleetPage(w http.ResponseWriter, r *http.Request, p *page) error {
	if len(r.URL.Query()) > 1 || len(r.URL.Query()) == 1 && !r.URL.Query().Has("lang") {
		if _, err := ParseFilter(r.URL.Query()); err != nil {
			return badRequest(err)
		}
	}
	ctx := r.Context()
	now := s.cfg.Now()
	from := startOfDay(now).AddDate(0, 0, -29)
	// The fleet now and its trend are read at once, each on a connection
	// of its own: the page takes the time of the slower.
	var hosts []fleet.HostState
	var days []fleet.Day
	var g errgroup.Group
	g.Go(func() (err error) {
		if hosts, err = s.st.Status(ctx, fleet.Filter{}, now, s.cfg.Period); err != nil {
			return fmt.Errorf("status: %w", err)
		}
		return nil
	})
	g.Go(func() (err error) {
		if days, err = s.st.Trend(ctx, fleet.Filter{}, from, now, s.cfg.Period); err != nil {
			return fmt.Errorf("trend: %w", err)
		}
		return nil
	})
	if err := g.Wait(); err != nil {
		return err
	}
	n := FleetCounts(hosts)
	b := fleetBody{Period: duration(p.Lang, s.cfg.Period), WarnBefore: duration(p.Lang, s.cfg.WarnBefore), Total: len(hosts)}
	for _, st := range []string{fleet.Holds, fleet.NotHold, fleet.CannotCheck, fleet.Overdue} {
		b.Cards = append(b.Cards, card{Class: stateClass(st), Label: stateLabel(p.Lang, st), N: n[st],
			Href: p.with("/hosts", url.Values{"state": {stateToken(st)}})})
	}
	ends := Endings(hosts, now, s.cfg.WarnBefore)
	certHosts := map[string]bool{}
	for _, e := range ends {
		certHosts[e.Host.HostID] = true
		row := certRow{Host: disp(e.Host.Hostname), Href: p.host(e.Host.HostID), Product: productText(e.Host.Last),
			What: t(p.Lang, e.Key), Date: date(p.Lang, e.Until), Class: "overdue"}
		switch d := daysLeft(now, e.Until); {
		case d < 1 && !e.Until.Before(startOfDay(now)):
			row.Left, row.Class = t(p.Lang, "cert-today"), "nothold"
		case d < 1:
			row.Left, row.Class = tf(p.Lang, "cert-ended", -d+1), "nothold"
		default:
			row.Left = tf(p.Lang, "cert-left", d)
		}
		if row.Host == "" {
			row.Host = disp(e.Host.HostID)
		}
		b.Certs = append(b.Certs, row)
	}
	b.Cards = append(b.Cards, card{Class: "cert", Label: tf(p.Lang, "cert-title", b.WarnBefore), N: len(certHosts), Href: p.URL("/") + "#certs"})
	b.Trend = trendOf(p.Lang, days)
	p.Title, p.Nav, p.Body = t(p.Lang, "fleet-title"), "fleet", b
	return s.render(w, r, p, "fleet")
}

func startOfDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// trend is the per-day bars of the fleet page, as SVG geometry.
type trend struct {
	Width, Height, LabelY int
	Bars                  []bar
}

type bar struct {
	Title  string
	Parts  []rect
	Label  string
	LabelX int
}

type rect struct {
	Class      string
	X, Y, W, H int
}

// trendOf lays the days out as stacked bars, one per day, the tallest
// day filling the chart; every fifth day is labelled with its date.
func trendOf(lang string, days []fleet.Day) trend {
	const barW, gap, chartH, top = 24, 6, 160, 8
	tr := trend{Width: len(days)*(barW+gap) + gap, Height: top + chartH + 22}
	tr.LabelY = top + chartH + 15
	most := 1
	for _, d := range days {
		most = max(most, d.Holds+d.NotHold+d.CannotCheck+d.Overdue)
	}
	for i, d := range days {
		x := gap + i*(barW+gap)
		b := bar{Title: tf(lang, "trend-day", date(lang, d.Date), d.Holds, d.NotHold, d.CannotCheck, d.Overdue)}
		y := top + chartH
		for _, part := range []struct {
			class string
			n     int
		}{{"holds", d.Holds}, {"nothold", d.NotHold}, {"cannot", d.CannotCheck}, {"overdue", d.Overdue}} {
			if part.n == 0 {
				continue
			}
			h := max(part.n*chartH/most, 1)
			y -= h
			b.Parts = append(b.Parts, rect{Class: part.class, X: x, Y: y, W: barW, H: h})
		}
		if (len(days)-1-i)%5 == 0 {
			b.Label, b.LabelX = d.Date.Format("02.01"), x+barW/2
		}
		tr.Bars = append(tr.Bars, b)
	}
	return tr
}

type option struct {
	Value, Label string
	On           bool
}

func options(values []string, on ...string) []option {
	var out []option
	for _, v := range values {
		out = append(out, option{Value: v, Label: disp(v), On: slices.Contains(on, v)})
	}
	return out
}

type hostRow struct {
	ID, Name, Href, Groups, State, Class, Last, Product, Broken string
	Findings                                                    int
}

type hostsBody struct {
	States, Groups, Products, Formulars []option
	CSV                                 string
	Hosts                               []hostRow
}

func (s *Server) filter(r *http.Request) (fleet.Filter, error) {
	f, err := ParseFilter(r.URL.Query())
	if err != nil {
		return f, badRequest(err)
	}
	return f, nil
}

func (s *Server) hostsPage(w http.ResponseWriter, r *http.Request, p *page) error {
	f, err := s.filter(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	hosts, err := s.st.Status(ctx, f, s.cfg.Now(), s.cfg.Period)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	vals, err := s.st.Values(ctx)
	if err != nil {
		return fmt.Errorf("values: %w", err)
	}
	b := hostsBody{
		Groups: options(vals.Groups, f.Groups...), Products: options(vals.Products, f.Product),
		Formulars: options(vals.Formulars, f.FormularSHA256),
		CSV:       p.with("/hosts.csv", filterQuery(f, "")),
	}
	for _, st := range []string{fleet.Holds, fleet.NotHold, fleet.CannotCheck, fleet.Overdue} {
		b.States = append(b.States, option{Value: stateToken(st), Label: stateLabel(p.Lang, st), On: f.State == st})
	}
	for _, h := range hosts {
		row := hostRow{ID: disp(h.HostID), Name: disp(h.Hostname), Href: p.host(h.HostID), Groups: groupsText(h.Groups),
			State: stateLabel(p.Lang, h.State), Class: stateClass(h.State), Last: stamp(p.Lang, h.Last.Time),
			Product: productText(h.Last), Findings: h.Last.Findings, Broken: brokenText(p.Lang, h.Broken)}
		if row.Name == "" {
			row.Name = row.ID
		}
		b.Hosts = append(b.Hosts, row)
	}
	p.Title, p.Nav, p.Body = t(p.Lang, "hosts-title"), "hosts", b
	return s.render(w, r, p, "hosts")
}

type checkRow struct {
	ID                                        int64
	Time, Verdict, Class, Product, HTML, JSON string
	Findings                                  int
}

type hostBody struct {
	ID, Name, Groups, State, Class, Broken, DiffAction string
	Checks                                             []checkRow
}

func (s *Server) hostPage(w http.ResponseWriter, r *http.Request, p *page) error {
	if err := onlyLang(r); err != nil {
		return err
	}
	id := r.PathValue("id")
	ctx := r.Context()
	hosts, err := s.st.Status(ctx, fleet.Filter{HostID: id}, s.cfg.Now(), s.cfg.Period)
	if err != nil {
		return fmt.Errorf("status of %s: %w", id, err)
	}
	if len(hosts) == 0 {
		return notFound(r.URL.Path)
	}
	h := hosts[0]
	checks, err := s.st.History(ctx, id)
	if err != nil {
		return fmt.Errorf("history of %s: %w", id, err)
	}
	b := hostBody{ID: disp(h.HostID), Name: disp(h.Hostname), Groups: groupsText(h.Groups),
		State: stateLabel(p.Lang, h.State), Class: stateClass(h.State), Broken: brokenText(p.Lang, h.Broken),
		DiffAction: "/hosts/" + url.PathEscape(h.HostID) + "/diff"}
	if b.Name == "" {
		b.Name = b.ID
	}
	for _, c := range checks {
		cid := strconv.FormatInt(c.ID, 10)
		b.Checks = append(b.Checks, checkRow{ID: c.ID, Time: stamp(p.Lang, c.Time), Verdict: stateLabel(p.Lang, c.Verdict),
			Class: stateClass(c.Verdict), Product: productText(c), Findings: c.Findings,
			HTML: p.URL("/checks/" + cid), JSON: "/checks/" + cid + "/report.json"})
	}
	p.Title, p.Nav, p.Body = tf(p.Lang, "host-title", b.Name), "hosts", b
	return s.render(w, r, p, "host")
}

// onlyLang refuses a query with anything but lang.
func onlyLang(r *http.Request) error {
	for k := range r.URL.Query() {
		if k != "lang" {
			return badRequest(fmt.Errorf("unknown parameter %q", k))
		}
	}
	return nil
}

type exampleHost struct{ Name, Href string }

type findingRow struct {
	Hosts                       int
	Table, Name, Status, Actual string
	Examples                    []exampleHost
}

type findingsBody struct {
	CSV  string
	Rows []findingRow
}

func (s *Server) findingsPage(w http.ResponseWriter, r *http.Request, p *page) error {
	f, err := s.filter(r)
	if err != nil {
		return err
	}
	counts, err := s.st.Findings(r.Context(), f)
	if err != nil {
		return fmt.Errorf("findings: %w", err)
	}
	b := findingsBody{CSV: p.with("/findings.csv", filterQuery(f, ""))}
	for _, c := range counts {
		row := findingRow{Hosts: c.Hosts, Table: disp(c.Table), Name: disp(c.Name), Status: statusLabel(p.Lang, c.Status), Actual: disp(c.Actual)}
		for _, h := range c.HostIDs {
			row.Examples = append(row.Examples, exampleHost{Name: disp(h), Href: p.host(h)})
		}
		b.Rows = append(b.Rows, row)
	}
	p.Title, p.Nav, p.Body = t(p.Lang, "findings-title"), "findings", b
	return s.render(w, r, p, "findings")
}
