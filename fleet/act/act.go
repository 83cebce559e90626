// Package act is the consolidated act of a fleet over a period («Сводный
// протокол контроля целостности»): every host's last verdict in the
// period, the intervals in which hosts were broken, the findings most
// hosts share, the hosts that did not report, and totals. Build assembles
// it from the store of checks; WriteHTML (printable on A4, with a
// signature block) and WriteJSON (the document sverka-act/1) render it,
// purely from the Act.
package act

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/sverka/sverka/fleet"
)

// Schema names the version of the act's JSON document.
const Schema = "sverka-act/1"

// Act is the consolidated act of a fleet over a period.
type Act struct {
	Generated time.Time
	// From and To bound the period: checks at From or later and before To.
	From, To time.Time
	// Period is the period of control: a host whose last check in the
	// act's period is older than To (or Generated, when earlier) by more
	// is overdue.
	Period    time.Duration
	Groups    []string // the groups the act is restricted to; none for all
	Formulars []Formular
	Hosts     []Host
	Broken    []Broken
	Findings  []Finding
	Totals    Totals
}

// Formular is a formular the hosts' last checks in the period ran
// against.
type Formular struct {
	SHA256                        string
	Product, Version, Certificate string
	ValidUntil, SupportUntil      time.Time // zero when the formular names none
	Hosts                         int       // hosts whose last check used it
}

// Host is one host of the act: its last check in the period, or none.
type Host struct {
	HostID, Hostname string
	Groups           []string
	// Verdict is that of the last check in the period; "" when the host
	// has no check in it.
	Verdict        string
	Time           time.Time
	CheckID        int64
	ReportSHA256   string
	FormularSHA256 string
	Findings       int
	// Overdue: the last check is older than the period of control.
	Overdue bool
}

// Broken is an interval in which a host was broken, as far as its checks
// tell: after its last HOLDS and by its first NOT HOLD; repaired by its
// next HOLDS, if any.
type Broken struct {
	HostID, Hostname string
	LastHolds        *time.Time // nil when the host never held before
	FirstNotHold     time.Time
	Repaired         *time.Time // nil when still broken at the period's end
}

// Finding is a finding shared by hosts in their last checks of the period.
type Finding struct {
	Table, Name, Status, Actual string
	Hosts                       int
	HostIDs                     []string // at most MaxExamples of them
}

// MaxExamples bounds the hosts named beside a finding.
const MaxExamples = 5

// Totals count the hosts of the act.
type Totals struct {
	Hosts, Holds, NotHold, CannotCheck int
	Overdue                            int // hosts checked in the period, but not within its last Period
	NoCheck                            int // hosts with no check in the period
}

// Query says which act to build.
type Query struct {
	From, To time.Time
	Groups   []string
	Period   time.Duration
	Now      time.Time
}

// Build assembles the act from the store: the hosts of the groups (all
// when none), each host's last check in [From, To), the intervals of
// breakage overlapping the period, and the findings of those last checks.
func Build(ctx context.Context, st *fleet.Store, q Query) (*Act, error) {
	if !q.From.Before(q.To) {
		return nil, fmt.Errorf("the period's start %s is not before its end %s", q.From.Format(time.DateOnly), q.To.Format(time.DateOnly))
	}
	if q.Period <= 0 {
		q.Period = fleet.DefaultPeriod
	}
	if q.Now.IsZero() {
		q.Now = time.Now()
	}
	f := fleet.Filter{Groups: q.Groups}
	a := &Act{Generated: q.Now, From: q.From, To: q.To, Period: q.Period, Groups: q.Groups}
	known, err := st.Status(ctx, f, q.To, q.Period)
	if err != nil {
		return nil, fmt.Errorf("hosts: %w", err)
	}
	checks, err := st.Checks(ctx, f, q.From, q.To)
	if err != nil {
		return nil, fmt.Errorf("checks: %w", err)
	}
	last := map[string]fleet.Check{}
	for _, c := range checks {
		// The period is [From, To): a check at To belongs to the next.
		if c.Time.Before(q.From) || !c.Time.Before(q.To) {
			continue
		}
		if l, ok := last[c.HostID]; !ok || !c.Time.Before(l.Time) {
			last[c.HostID] = c
		}
	}
	end := q.To
	if q.Now.Before(end) {
		end = q.Now
	}
	seen := map[string]bool{}
	addHost := func(id, name string, groups []string) {
		if seen[id] {
			return
		}
		seen[id] = true
		h := Host{HostID: id, Hostname: name, Groups: groups}
		if c, ok := last[id]; ok {
			h.Hostname, h.Groups = c.Hostname, c.Groups
			h.Verdict, h.Time, h.CheckID, h.ReportSHA256 = c.Verdict, c.Time, c.ID, c.ReportSHA256
			h.FormularSHA256, h.Findings = c.FormularSHA256, c.Findings
			h.Overdue = end.Sub(c.Time) > q.Period
		}
		a.Hosts = append(a.Hosts, h)
	}
	for _, h := range known {
		if _, ok := last[h.HostID]; !ok && !h.Last.Time.Before(q.To) {
			// Known now, but was it known by the period's end? A host
			// that first reported after it is not part of the act.
			hist, err := st.History(ctx, h.HostID)
			if err != nil {
				return nil, fmt.Errorf("history of %s: %w", h.HostID, err)
			}
			if len(hist) == 0 || !hist[len(hist)-1].Time.Before(q.To) {
				continue
			}
		}
		addHost(h.HostID, h.Hostname, h.Groups)
	}
	for id, c := range last {
		addHost(id, c.Hostname, c.Groups)
	}
	slices.SortFunc(a.Hosts, func(x, y Host) int {
		return cmp.Or(cmp.Compare(x.Hostname, y.Hostname), cmp.Compare(x.HostID, y.HostID))
	})

	ivs, err := st.Intervals(ctx, f, q.From, q.To)
	if err != nil {
		return nil, fmt.Errorf("intervals: %w", err)
	}
	for _, iv := range ivs {
		b := Broken{HostID: iv.HostID, Hostname: iv.Hostname, FirstNotHold: iv.FirstNotHold.Time}
		if iv.LastHolds != nil {
			t := iv.LastHolds.Time
			b.LastHolds = &t
		}
		if iv.Repaired != nil && iv.Repaired.Time.Before(q.To) {
			t := iv.Repaired.Time
			b.Repaired = &t
		}
		a.Broken = append(a.Broken, b)
	}
	slices.SortStableFunc(a.Broken, func(x, y Broken) int {
		return cmp.Or(x.FirstNotHold.Compare(y.FirstNotHold), cmp.Compare(x.HostID, y.HostID))
	})

	forms := map[string]*Formular{}
	type key struct{ table, name, status, actual string }
	found := map[key]*Finding{}
	for _, h := range a.Hosts {
		if h.Verdict == "" {
			continue
		}
		c := last[h.HostID]
		fm, ok := forms[c.FormularSHA256]
		if !ok {
			fm = &Formular{SHA256: c.FormularSHA256, Product: c.Product, Version: c.Version, Certificate: c.Certificate,
				ValidUntil: c.ValidUntil, SupportUntil: c.SupportUntil}
			forms[c.FormularSHA256] = fm
		}
		fm.Hosts++
		if c.Findings == 0 {
			continue
		}
		fs, err := st.CheckFindings(ctx, c.ID)
		if err != nil {
			return nil, fmt.Errorf("findings of check %d: %w", c.ID, err)
		}
		counted := map[key]bool{}
		for _, x := range fs {
			if !x.Failure {
				continue
			}
			k := key{x.Table, x.Name, x.Status, x.Actual}
			if counted[k] {
				continue
			}
			counted[k] = true
			fd := found[k]
			if fd == nil {
				fd = &Finding{Table: x.Table, Name: x.Name, Status: x.Status, Actual: x.Actual}
				found[k] = fd
			}
			fd.Hosts++
			if len(fd.HostIDs) < MaxExamples {
				fd.HostIDs = append(fd.HostIDs, h.HostID)
			}
		}
	}
	for _, fm := range forms {
		a.Formulars = append(a.Formulars, *fm)
	}
	slices.SortFunc(a.Formulars, func(x, y Formular) int {
		return cmp.Or(cmp.Compare(y.Hosts, x.Hosts), cmp.Compare(x.Product, y.Product), cmp.Compare(x.SHA256, y.SHA256))
	})
	for _, fd := range found {
		a.Findings = append(a.Findings, *fd)
	}
	slices.SortFunc(a.Findings, func(x, y Finding) int {
		return cmp.Or(cmp.Compare(y.Hosts, x.Hosts), cmp.Compare(x.Table, y.Table), cmp.Compare(x.Name, y.Name),
			cmp.Compare(x.Status, y.Status), cmp.Compare(x.Actual, y.Actual))
	})
	a.Totals = totals(a.Hosts)
	return a, nil
}

func totals(hosts []Host) Totals {
	var t Totals
	t.Hosts = len(hosts)
	for _, h := range hosts {
		switch h.Verdict {
		case fleet.Holds:
			t.Holds++
		case fleet.NotHold:
			t.NotHold++
		case fleet.CannotCheck:
			t.CannotCheck++
		case "":
			t.NoCheck++
		}
		if h.Overdue {
			t.Overdue++
		}
	}
	return t
}

// ParseDay reads a date of --from or --to: YYYY-MM-DD in loc.
func ParseDay(s string, loc *time.Location) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a date YYYY-MM-DD", s)
	}
	return d, nil
}
