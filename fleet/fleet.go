// Package fleet keeps the history of checks of many hosts: a store of
// reports (SQLite in one file, or PostgreSQL), and the answers drawn from
// it: which hosts hold now, since when each broken host is broken, what
// findings many hosts share, which hosts have not reported in their period.
//
// A report enters the store only whole and only after report.Read has
// validated it and recomputed its verdict; the store keeps the report's own
// bytes as the evidence.
package fleet

import "time"

// Verdicts as reports spell them.
const (
	Holds       = "HOLDS"
	NotHold     = "NOT HOLD"
	CannotCheck = "CANNOT CHECK"
	// Overdue is not a verdict: it is the state of a host whose last check
	// is older than the period.
	Overdue = "OVERDUE"
)

// DefaultPeriod is the period of control when --period is not given.
const DefaultPeriod = 7 * 24 * time.Hour

// Check is one stored check of one host.
type Check struct {
	ID       int64
	HostID   string
	Hostname string
	Groups   []string
	Time     time.Time // the run's end, as the report says
	Verdict  string    // Holds, NotHold or CannotCheck

	FormularSHA256 string
	Product        string // the formular's product, version and certificate, as its header says
	Version        string
	Certificate    string
	ValidUntil     time.Time // zero when the formular names none
	SupportUntil   time.Time

	ToolVersion string
	ToolSHA256  string

	// Scope: the kinds of tables checked, and those named but not checked.
	Checked    []string
	NotChecked []string

	Counts   map[string]int // items per status, as the report counts them
	Findings int            // items that break the verdict

	ReportSHA256 string // digest of the report's bytes: the evidence's key
}

// Finding is one item of a check that is not OK.
type Finding struct {
	Table    string // the table's kind and title, as the report names it
	Name     string // path or parameter key, in display form
	Status   string // MODIFIED, MISSING, EXTRA, ...
	Failure  bool   // it breaks the verdict (an EXTRA in an open table does not)
	Expected string // expected digest or allowed values
	Actual   string // observed digest or value
}

// HostState is a host's latest check and what follows from it.
type HostState struct {
	HostID   string
	Hostname string
	Groups   []string
	Last     Check
	// State is Last.Verdict, or Overdue when Last is older than the period.
	State string
	// Broken is the interval in which the host broke, when its latest
	// verdict that is not CANNOT CHECK is NOT HOLD.
	Broken *Interval
}

// Interval is when a host broke: after its last HOLDS and by its first
// NOT HOLD. A check only sees its own time, so that is all that is known.
// CANNOT CHECK checks neither start nor end an interval; those between the
// two ends are listed.
type Interval struct {
	HostID       string
	Hostname     string
	LastHolds    *Check // nil when the host never held in the store
	FirstNotHold Check
	// Repaired is the first HOLDS after FirstNotHold; nil while the host is
	// still broken.
	Repaired    *Check
	CannotCheck []Check
}

// FindingCount is one finding as it appears across hosts.
type FindingCount struct {
	Table  string
	Name   string
	Status string
	Actual string // the observed digest or value, when the hosts share one
	Hosts  int    // hosts whose latest check has it
	// HostIDs lists at most a few of them, for display.
	HostIDs []string
}

// Day is the fleet's state on one day: each host counted once, by its
// latest check by the end of that day.
type Day struct {
	Date                                 time.Time
	Holds, NotHold, CannotCheck, Overdue int
}

// Filter narrows the hosts an answer speaks of. A zero Filter means all.
type Filter struct {
	Groups         []string // hosts in any of these groups
	State          string   // Holds, NotHold, CannotCheck or Overdue
	Product        string
	FormularSHA256 string
	HostID         string
}
