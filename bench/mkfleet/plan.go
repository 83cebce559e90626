package main

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
)

// What a host's installation can have suffered: the kinds of change.
const (
	changeModify  = 'M' // a listed file's content changed: MODIFIED
	changeRemove  = 'D' // a listed file removed: MISSING
	changeAdd     = 'E' // a file added to the closed tree: EXTRA
	changeViolate = 'V' // a parameter set out of its bounds: VIOLATED
)

// change is one change to the product's installation.
type change struct {
	kind  byte
	index int // the file, parameter or added file it is about
	// variant makes a host's changed content its own; the update's
	// content, which many hosts share, is variant 0.
	variant uint64
}

// state is the set of changes a host's installation has on one day,
// sorted; none is intact.
type state []change

func (s state) key() string {
	var b strings.Builder
	for _, c := range s {
		fmt.Fprintf(&b, "%c%d.%d;", c.kind, c.index, c.variant)
	}
	return b.String()
}

// plannedCheck is one daily check of one host.
type plannedCheck struct {
	day int
	at  time.Time // the run's start
	// cannot, when not empty, is why the check could not be made.
	cannot string
	state  state
}

// hostPlan is one host's history.
type hostPlan struct {
	id      string
	groups  []string
	checks  []plannedCheck
	overdue bool // its last days are missing
	update  bool // it took the update
}

// config is what the fleet is made of.
type config struct {
	hosts, days int
	files       int // modules items
	params      int // parameters items
	extras      int // names a file can be added under
	seed        uint64
	end         time.Time // the day of the last checks, midnight UTC
}

// Per-mille chances, integers so that no floating-point rounding decides
// the story.
const (
	episodePerMille  = 12  // a clean host starts an episode of changes on a day
	cannotPerMille   = 3   // a check cannot be made
	overduePerMille  = 30  // a host stops reporting before the end
	updatePerMille   = 150 // a host takes the update
	maxEpisodeDays   = 5
	maxEpisodeChange = 3
)

// updateFile is the listed file the update changes on every host that
// takes it: the same new content, the same finding.
const updateFile = 1

// cannotReasons are the errors of checks that could not be made.
var cannotReasons = []string{
	"root variable INSTALLDIR: stat /opt/product: input/output error",
	"interrupted",
	"formular: product.formular.minisig: signature verification failed",
	"root variable CONFDIR: stat /etc/product: permission denied",
}

var (
	locations = []string{"msk", "spb", "ekb", "kzn"}
	roles     = []string{"arm", "srv"}
)

// hostID names host i (0-based): host-0001, … wide enough for n hosts.
func hostID(i, n int) string {
	w := max(4, len(fmt.Sprint(n)))
	return fmt.Sprintf("host-%0*d", w, i+1)
}

// updateDays is how many of the last days carry the update: a tenth.
func updateDays(days int) int { return max(1, days/10) }

// plan makes every host's history. Host i's story depends on the seed and
// i alone, so it does not change with the order hosts are planned in.
func plan(c config) []hostPlan {
	hosts := make([]hostPlan, c.hosts)
	firstUpdate := c.days - updateDays(c.days)
	for i := range hosts {
		r := rand.New(rand.NewPCG(c.seed, uint64(i)))
		h := hostPlan{id: hostID(i, c.hosts)}
		h.groups = []string{locations[r.IntN(len(locations))], roles[boolInt(r.IntN(5) == 0)]}
		// When the host runs its daily check, and how long it has been
		// silent at the end (overdue past a 7-day period).
		offset := time.Duration(r.IntN(240)) * time.Minute
		lastDay := c.days - 1
		if c.days > 13 && r.IntN(1000) < overduePerMille {
			h.overdue = true
			lastDay -= 8 + r.IntN(5)
		}
		h.update = c.files > updateFile && r.IntN(1000) < updatePerMille
		var episode state
		left := 0
		for d := 0; d <= lastDay; d++ {
			if left == 0 {
				episode = nil
				if r.IntN(1000) < episodePerMille {
					left = 1 + r.IntN(maxEpisodeDays)
					episode = changes(r, c)
				}
			}
			st := slices.Clone(episode)
			if h.update && d >= firstUpdate {
				st = withUpdate(st)
			}
			pc := plannedCheck{
				day:   d,
				at:    c.end.AddDate(0, 0, d-(c.days-1)).Add(2*time.Hour + offset + time.Duration(r.IntN(1200))*time.Second),
				state: st,
			}
			if r.IntN(1000) < cannotPerMille {
				pc.cannot = cannotReasons[r.IntN(len(cannotReasons))]
			}
			h.checks = append(h.checks, pc)
			if left > 0 {
				left--
			}
		}
		hosts[i] = h
	}
	return hosts
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// changes draws the one to three changes of an episode, each of its own
// file or parameter.
func changes(r *rand.Rand, c config) state {
	n := 1 + r.IntN(maxEpisodeChange)
	var s state
	for range n {
		var ch change
		switch k := r.IntN(4); {
		case k == 0 && c.params > 0:
			ch = change{kind: changeViolate, index: r.IntN(c.params), variant: 1 + r.Uint64()%1000}
		case k == 1:
			ch = change{kind: changeRemove, index: r.IntN(c.files)}
		case k == 2:
			ch = change{kind: changeAdd, index: r.IntN(c.extras), variant: 1 + r.Uint64()%1000}
		default:
			ch = change{kind: changeModify, index: r.IntN(c.files), variant: 1 + r.Uint64()%1000}
		}
		if !slices.ContainsFunc(s, func(o change) bool { return o.kind == ch.kind && o.index == ch.index }) &&
			!(ch.kind != changeAdd && ch.kind != changeViolate && touches(s, ch.index)) {
			s = append(s, ch)
		}
	}
	sortState(s)
	return s
}

// touches says whether s already changes or removes listed file i.
func touches(s state, i int) bool {
	return slices.ContainsFunc(s, func(c change) bool {
		return (c.kind == changeModify || c.kind == changeRemove) && c.index == i
	})
}

// withUpdate adds the update to s, unless the episode removed or changed
// the file itself: what is on the disk is what the check sees.
func withUpdate(s state) state {
	if touches(s, updateFile) {
		return s
	}
	s = append(s, change{kind: changeModify, index: updateFile})
	sortState(s)
	return s
}

func sortState(s state) {
	slices.SortFunc(s, func(a, b change) int {
		if a.kind != b.kind {
			return int(a.kind) - int(b.kind)
		}
		return a.index - b.index
	})
}

// outcome is what the fleet should show at the end.
type outcome struct {
	reports, holds, notHold, cannot int // checks by verdict
	// Hosts by their state after the last day, with a 7-day period.
	nowHolds, nowNotHold, nowCannot, nowOverdue int
	// updateHosts is how many hosts' latest check has the update.
	updateHosts int
}

// expect counts what the plan makes: checks by verdict, and hosts by
// their state once the last day's checks are in.
func expect(hosts []hostPlan, days int) outcome {
	var o outcome
	for _, h := range hosts {
		for _, c := range h.checks {
			o.reports++
			switch {
			case c.cannot != "":
				o.cannot++
			case len(c.state) > 0:
				o.notHold++
			default:
				o.holds++
			}
		}
		if len(h.checks) == 0 {
			continue
		}
		last := h.checks[len(h.checks)-1]
		switch {
		case days-1-last.day >= 8:
			o.nowOverdue++
		case last.cannot != "":
			o.nowCannot++
		case len(last.state) > 0:
			o.nowNotHold++
		default:
			o.nowHolds++
		}
		if last.cannot == "" && slices.Contains(last.state, change{kind: changeModify, index: updateFile}) {
			o.updateHosts++
		}
	}
	return o
}
