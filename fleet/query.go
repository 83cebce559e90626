package fleet

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
)

// ErrNotFound is wrapped by the error of asking for a check or host the
// store does not hold.
var ErrNotFound = errors.New("not in the store")

// checkCols are the columns scanCheck reads, from checks c joined with
// formulars f and evidence e (checkFrom).
const checkCols = checkRowCols + `e.sha256`

// checkRowCols are checkCols but the report's digest, which a check's row
// takes from the evidence and a host's copy keeps itself (latestCols).
const checkRowCols = `c.id, c.host_id, c.hostname, c.groups, c.at_ns, c.verdict,
	f.sha256, f.product, f.version, f.certificate, f.valid_until, f.support_until,
	c.tool_version, c.tool_sha256, c.checked, c.not_checked, c.counts, c.failures, `

const checkFrom = ` FROM checks c JOIN formulars f ON f.id = c.formular_id JOIN evidence e ON e.id = c.evidence_id`

// hostsAsChecks is each host's latest check as hosts keeps a copy of it
// (the schema's version 3), under the names of checks (c): a row per host
// from one small table, not a look-up of a check, a formular and the
// evidence per host.
const hostsAsChecks = `(SELECT last_check_id AS id, host_id, hostname, groups, last_at_ns AS at_ns, verdict,
	formular_id, tool_version, tool_sha256, checked, not_checked, counts, failures, report_sha256 FROM hosts) c`

// latestCols are checkCols of hostsAsChecks: the report's digest from
// the copy, not the evidence.
const latestCols = checkRowCols + `c.report_sha256`

// latestFrom is the hosts' latest checks with their formulars, to be
// filtered by filterSQL's conditions after it.
const latestFrom = ` FROM ` + hostsAsChecks + ` JOIN formulars f ON f.id = c.formular_id WHERE 1 = 1`

// latestCTE names the hosts the filter selects by their latest check
// (sel: the check's id, the host and the verdict). Its filter, on the
// check c and its formular f, goes where %s is. It is materialised: a row
// per host, computed once for the query around it.
const latestCTE = `WITH sel AS MATERIALIZED (SELECT c.id, c.host_id, c.verdict` + latestFrom + `%s) `

type scanner interface{ Scan(dest ...any) error }

func scanCheck(r scanner) (Check, error) {
	var c Check
	var groups, valid, support, checked, notChecked, counts string
	var at int64
	err := r.Scan(&c.ID, &c.HostID, &c.Hostname, &groups, &at, &c.Verdict,
		&c.FormularSHA256, &c.Product, &c.Version, &c.Certificate, &valid, &support,
		&c.ToolVersion, &c.ToolSHA256, &checked, &notChecked, &counts, &c.Findings, &c.ReportSHA256)
	if err != nil {
		return Check{}, err
	}
	if groups != "" {
		c.Groups = strings.Split(groups, "\n")
	}
	c.Time = time.Unix(0, at).UTC()
	c.ValidUntil, c.SupportUntil = day(valid), day(support)
	c.Checked, c.NotChecked = strings.Fields(checked), strings.Fields(notChecked)
	c.Counts = countsOf(counts)
	return c, nil
}

// filterSQL is the condition f puts on a host's latest check (c, f).
// Overdue depends on the time asked at: only Status applies it.
func filterSQL(f Filter) (string, []any, error) {
	var b strings.Builder
	var args []any
	if len(f.Groups) > 0 {
		b.WriteString(" AND EXISTS (SELECT 1 FROM check_groups g WHERE g.check_id = c.id AND g.grp IN (")
		for i, g := range f.Groups {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("?")
			args = append(args, g)
		}
		b.WriteString("))")
	}
	switch f.State {
	case "", Overdue:
	case Holds, NotHold, CannotCheck:
		b.WriteString(" AND c.verdict = ?")
		args = append(args, f.State)
	default:
		return "", nil, fmt.Errorf("filter: unknown state %q", f.State)
	}
	for _, w := range []struct{ col, v string }{{"f.product", f.Product}, {"f.sha256", f.FormularSHA256}, {"c.host_id", f.HostID}} {
		if w.v != "" {
			b.WriteString(" AND " + w.col + " = ?")
			args = append(args, w.v)
		}
	}
	return b.String(), args, nil
}

// noOverdue refuses a filter on Overdue where no time is asked at.
func noOverdue(f Filter) error {
	if f.State == Overdue {
		return errors.New("filter: OVERDUE depends on the period: only the status answers it")
	}
	return nil
}

// selected starts a query over the hosts f selects: latestCTE with its
// filter, then rest.
func (s *Store) selected(f Filter, rest string) (string, []any, error) {
	cond, args, err := filterSQL(f)
	if err != nil {
		return "", nil, err
	}
	return s.d.q(fmt.Sprintf(latestCTE, cond) + rest), args, nil
}

func (s *Store) queryChecks(ctx context.Context, query string, args ...any) ([]Check, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.name, err)
	}
	defer rows.Close()
	var cs []Check
	for rows.Next() {
		c, err := scanCheck(rows)
		if err != nil {
			return nil, fmt.Errorf("store %s: %w", s.name, err)
		}
		cs = append(cs, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %s: %w", s.name, err)
	}
	return cs, nil
}

// latest is the latest check of each host f selects, by host id.
func (s *Store) latest(ctx context.Context, f Filter) ([]Check, error) {
	cond, args, err := filterSQL(f)
	if err != nil {
		return nil, err
	}
	q := "SELECT " + latestCols + latestFrom + cond + " ORDER BY c.host_id"
	return s.queryChecks(ctx, s.d.q(q), args...)
}

// Status is every host's latest check and its state at now: its verdict,
// or Overdue when the check is older than period; a host whose latest
// verdict other than CANNOT CHECK is NOT HOLD has the interval in which
// it broke. Hosts come in host id order.
func (s *Store) Status(ctx context.Context, f Filter, now time.Time, period time.Duration) ([]HostState, error) {
	state := f.State
	f.State = ""
	// The two reads are independent: each on a connection of its own,
	// they take the time of the slower.
	var last []Check
	var open map[string]*Interval
	var g errgroup.Group
	g.Go(func() (err error) { last, err = s.latest(ctx, f); return err })
	g.Go(func() (err error) { open, err = s.openIntervals(ctx, f); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	var hs []HostState
	for _, c := range last {
		h := HostState{HostID: c.HostID, Hostname: c.Hostname, Groups: c.Groups, Last: c, State: c.Verdict}
		if now.Sub(c.Time) > period {
			h.State = Overdue
		}
		if iv, ok := open[c.HostID]; ok {
			h.Broken = iv
		}
		if state == "" || state == h.State {
			hs = append(hs, h)
		}
	}
	return hs, nil
}

// point is a check as the intervals see it.
type point struct {
	host    string
	id, at  int64
	verdict string
}

// span is an interval by check ids (0: none).
type span struct {
	host                         string
	lastHolds, first, repaired   int64
	cannot                       []int64
	lastNotHold                  int64 // the last NOT HOLD before the repair, or the latest
	startAt, firstAt, repairedAt int64
}

// spans finds the intervals in points sorted by host, time and id: each
// NOT HOLD after a HOLDS (or after nothing) opens one, the next HOLDS
// closes it; CANNOT CHECK does neither, and those after the last HOLDS and
// before the first NOT HOLD are listed.
func spans(pts []point) []span {
	var out []span
	var cur *span
	var lastHolds, lastHoldsAt int64
	var pending []int64
	host := ""
	for i, p := range pts {
		if i == 0 || p.host != host {
			if cur != nil {
				out = append(out, *cur)
			}
			host, cur, lastHolds, lastHoldsAt, pending = p.host, nil, 0, 0, nil
		}
		switch p.verdict {
		case Holds:
			if cur != nil {
				cur.repaired, cur.repairedAt = p.id, p.at
				out = append(out, *cur)
				cur = nil
			}
			lastHolds, lastHoldsAt, pending = p.id, p.at, nil
		case NotHold:
			if cur == nil {
				cur = &span{host: p.host, lastHolds: lastHolds, first: p.id, cannot: pending,
					startAt: lastHoldsAt, firstAt: p.at}
				if lastHolds == 0 {
					cur.startAt = p.at
				}
				pending = nil
			}
			cur.lastNotHold = p.id
		case CannotCheck:
			if cur == nil {
				pending = append(pending, p.id)
			}
		}
	}
	if cur != nil {
		out = append(out, *cur)
	}
	return out
}

// points reads the checks of the selected hosts as points; since, when
// true, keeps of each host only what follows its last HOLDS (all an open
// interval needs).
func (s *Store) points(ctx context.Context, f Filter, since bool) ([]point, error) {
	rest := "SELECT c.host_id, c.id, c.at_ns, c.verdict FROM checks c WHERE c.host_id IN (SELECT host_id FROM sel) ORDER BY c.host_id, c.at_ns, c.id"
	if since {
		// A host whose latest check holds has no open interval. Each
		// other's last HOLDS is one look-up in checks_host_verdict, and
		// what follows it one range of checks_host.
		rest = `, ok AS (SELECT sel.host_id, (SELECT MAX(h.at_ns) FROM checks h WHERE h.host_id = sel.host_id AND h.verdict = 'HOLDS') AS at FROM sel WHERE sel.verdict <> 'HOLDS')
		SELECT c.host_id, c.id, c.at_ns, c.verdict FROM ok JOIN checks c ON c.host_id = ok.host_id
		WHERE c.at_ns >= COALESCE(ok.at, -9223372036854775807)
		ORDER BY c.host_id, c.at_ns, c.id`
	}
	q, args, err := s.selected(f, rest)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.name, err)
	}
	defer rows.Close()
	var pts []point
	for rows.Next() {
		var p point
		if err := rows.Scan(&p.host, &p.id, &p.at, &p.verdict); err != nil {
			return nil, fmt.Errorf("store %s: %w", s.name, err)
		}
		pts = append(pts, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %s: %w", s.name, err)
	}
	return pts, nil
}

// openIntervals is the interval of each selected host still broken.
func (s *Store) openIntervals(ctx context.Context, f Filter) (map[string]*Interval, error) {
	pts, err := s.points(ctx, f, true)
	if err != nil {
		return nil, err
	}
	var open []span
	for _, sp := range spans(pts) {
		if sp.repaired == 0 {
			open = append(open, sp)
		}
	}
	ivs, err := s.intervalsOf(ctx, open)
	if err != nil {
		return nil, err
	}
	m := make(map[string]*Interval, len(ivs))
	for i := range ivs {
		m[ivs[i].HostID] = &ivs[i]
	}
	return m, nil
}

// intervalsOf fills spans in with their checks.
func (s *Store) intervalsOf(ctx context.Context, sps []span) ([]Interval, error) {
	var ids []int64
	for _, sp := range sps {
		ids = append(ids, sp.first)
		if sp.lastHolds != 0 {
			ids = append(ids, sp.lastHolds)
		}
		if sp.repaired != 0 {
			ids = append(ids, sp.repaired)
		}
		ids = append(ids, sp.cannot...)
	}
	byID, err := s.checksByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	ivs := make([]Interval, 0, len(sps))
	for _, sp := range sps {
		first := byID[sp.first]
		iv := Interval{HostID: first.HostID, Hostname: first.Hostname, FirstNotHold: first}
		if sp.lastHolds != 0 {
			c := byID[sp.lastHolds]
			iv.LastHolds = &c
		}
		if sp.repaired != 0 {
			c := byID[sp.repaired]
			iv.Repaired = &c
		}
		for _, id := range sp.cannot {
			iv.CannotCheck = append(iv.CannotCheck, byID[id])
		}
		ivs = append(ivs, iv)
	}
	return ivs, nil
}

// idBatch is how many ids one IN list carries.
const idBatch = 500

func (s *Store) checksByID(ctx context.Context, ids []int64) (map[int64]Check, error) {
	m := make(map[int64]Check, len(ids))
	for start := 0; start < len(ids); start += idBatch {
		batch := ids[start:min(start+idBatch, len(ids))]
		args := make([]any, len(batch))
		for i, id := range batch {
			args[i] = id
		}
		q := "SELECT " + checkCols + checkFrom + " WHERE c.id IN (?" + strings.Repeat(", ?", len(batch)-1) + ")"
		cs, err := s.queryChecks(ctx, s.d.q(q), args...)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			m[c.ID] = c
		}
	}
	for _, id := range ids {
		if _, ok := m[id]; !ok {
			return nil, fmt.Errorf("store %s: check %d: %w", s.name, id, ErrNotFound)
		}
	}
	return m, nil
}

// Since is the interval of each selected host broken now: since when it
// is broken, the longest broken first.
func (s *Store) Since(ctx context.Context, f Filter) ([]Interval, error) {
	if err := noOverdue(f); err != nil {
		return nil, err
	}
	open, err := s.openIntervals(ctx, f)
	if err != nil {
		return nil, err
	}
	ivs := make([]Interval, 0, len(open))
	for _, iv := range open {
		ivs = append(ivs, *iv)
	}
	slices.SortFunc(ivs, func(a, b Interval) int {
		if c := a.FirstNotHold.Time.Compare(b.FirstNotHold.Time); c != 0 {
			return c
		}
		return strings.Compare(a.HostID, b.HostID)
	})
	return ivs, nil
}

// Intervals is every interval of the selected hosts that overlaps
// [from, to]: from the last HOLDS before it (or its first NOT HOLD) to
// its repair (or now), in the order they began.
func (s *Store) Intervals(ctx context.Context, f Filter, from, to time.Time) ([]Interval, error) {
	if err := noOverdue(f); err != nil {
		return nil, err
	}
	pts, err := s.points(ctx, f, false)
	if err != nil {
		return nil, err
	}
	var in []span
	for _, sp := range spans(pts) {
		if sp.startAt <= to.UnixNano() && (sp.repaired == 0 || sp.repairedAt >= from.UnixNano()) {
			in = append(in, sp)
		}
	}
	slices.SortStableFunc(in, func(a, b span) int {
		switch {
		case a.firstAt < b.firstAt:
			return -1
		case a.firstAt > b.firstAt:
			return 1
		}
		return strings.Compare(a.host, b.host)
	})
	return s.intervalsOf(ctx, in)
}

// History is every stored check of the host, newest first.
func (s *Store) History(ctx context.Context, hostID string) ([]Check, error) {
	cs, err := s.queryChecks(ctx, s.d.q("SELECT "+checkCols+checkFrom+" WHERE c.host_id = ? ORDER BY c.at_ns DESC, c.id DESC"), hostID)
	if err != nil {
		return nil, err
	}
	if len(cs) == 0 {
		return nil, fmt.Errorf("host %q: %w", hostID, ErrNotFound)
	}
	return cs, nil
}

// Check is the stored check id.
func (s *Store) Check(ctx context.Context, id int64) (Check, error) {
	m, err := s.checksByID(ctx, []int64{id})
	if err != nil {
		return Check{}, err
	}
	return m[id], nil
}

// Checks is every check of the selected hosts made in [from, to], in
// time order.
func (s *Store) Checks(ctx context.Context, f Filter, from, to time.Time) ([]Check, error) {
	if err := noOverdue(f); err != nil {
		return nil, err
	}
	q, args, err := s.selected(f, "SELECT "+checkCols+checkFrom+
		" WHERE c.host_id IN (SELECT host_id FROM sel) AND c.at_ns >= ? AND c.at_ns <= ? ORDER BY c.at_ns, c.id")
	if err != nil {
		return nil, err
	}
	return s.queryChecks(ctx, q, append(args, from.UnixNano(), to.UnixNano())...)
}

// CheckFindings is every item of the check that is not OK, in report
// order.
func (s *Store) CheckFindings(ctx context.Context, checkID int64) ([]Finding, error) {
	if _, err := s.Check(ctx, checkID); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, s.d.q("SELECT tbl, name, status, failure, expected, actual FROM findings WHERE check_id = ? ORDER BY seq"), checkID)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.name, err)
	}
	defer rows.Close()
	var fs []Finding
	for rows.Next() {
		var f Finding
		var fail int
		if err := rows.Scan(&f.Table, &f.Name, &f.Status, &fail, &f.Expected, &f.Actual); err != nil {
			return nil, fmt.Errorf("store %s: %w", s.name, err)
		}
		f.Failure = fail != 0
		fs = append(fs, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %s: %w", s.name, err)
	}
	return fs, nil
}

// maxEvidence bounds a report read back: what Ingest took, and no more.
const maxEvidence = 4 << 30

// Evidence is the report's bytes as they were ingested for the check.
func (s *Store) Evidence(ctx context.Context, checkID int64) ([]byte, error) {
	var gz []byte
	var size int64
	var digest string
	err := s.db.QueryRowContext(ctx, s.d.q("SELECT e.gzip, e.size, e.sha256 FROM evidence e JOIN checks c ON c.evidence_id = e.id WHERE c.id = ?"), checkID).Scan(&gz, &size, &digest)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store %s: check %d: %w", s.name, checkID, ErrNotFound)
	} else if err != nil {
		return nil, fmt.Errorf("store %s: check %d: %w", s.name, checkID, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("store %s: evidence of check %d: %w", s.name, checkID, err)
	}
	data, err := io.ReadAll(io.LimitReader(zr, min(size, maxEvidence)+1))
	if err == nil && int64(len(data)) != size {
		err = fmt.Errorf("%d bytes where %d were stored", len(data), size)
	}
	if err == nil && sha256Hex(data) != digest {
		// The store was changed behind sverka's back: never hand out
		// evidence that is not what was ingested.
		err = errors.New("its SHA-256 is not the one stored")
	}
	if err != nil {
		return nil, fmt.Errorf("store %s: evidence of check %d: %w", s.name, checkID, err)
	}
	return data, nil
}

// Findings is each finding as it stands on the selected hosts' latest
// checks, with how many hosts have it: the most common first.
func (s *Store) Findings(ctx context.Context, f Filter) ([]FindingCount, error) {
	if err := noOverdue(f); err != nil {
		return nil, err
	}
	q, args, err := s.selected(f, `, x AS (SELECT x.tbl, x.name, x.status, x.actual, c.host_id FROM findings x
		JOIN checks c ON c.id = x.check_id WHERE x.check_id IN (SELECT id FROM sel))
	SELECT tbl, name, status, COUNT(DISTINCT host_id), MIN(actual), MAX(actual) FROM x
	GROUP BY tbl, name, status ORDER BY 4 DESC, tbl, name, status`)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.name, err)
	}
	defer rows.Close()
	var fcs []FindingCount
	type key struct{ t, n, s string }
	index := map[key]int{}
	for rows.Next() {
		var fc FindingCount
		var lo, hi string
		if err := rows.Scan(&fc.Table, &fc.Name, &fc.Status, &fc.Hosts, &lo, &hi); err != nil {
			return nil, fmt.Errorf("store %s: %w", s.name, err)
		}
		if lo == hi {
			fc.Actual = lo
		}
		index[key{fc.Table, fc.Name, fc.Status}] = len(fcs)
		fcs = append(fcs, fc)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %s: %w", s.name, err)
	}
	rows.Close()
	// A few hosts of each, to name.
	q, args, err = s.selected(f, `SELECT tbl, name, status, host_id FROM (
		SELECT x.tbl, x.name, x.status, c.host_id,
			ROW_NUMBER() OVER (PARTITION BY x.tbl, x.name, x.status ORDER BY c.host_id) AS rn
		FROM findings x JOIN checks c ON c.id = x.check_id WHERE x.check_id IN (SELECT id FROM sel)) r
	WHERE rn <= ? ORDER BY host_id`)
	if err != nil {
		return nil, err
	}
	rows, err = s.db.QueryContext(ctx, q, append(args, FindingHosts)...)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", s.name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var k key
		var host string
		if err := rows.Scan(&k.t, &k.n, &k.s, &host); err != nil {
			return nil, fmt.Errorf("store %s: %w", s.name, err)
		}
		if i, ok := index[k]; ok && !slices.Contains(fcs[i].HostIDs, host) {
			fcs[i].HostIDs = append(fcs[i].HostIDs, host)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %s: %w", s.name, err)
	}
	return fcs, nil
}

// FindingHosts is how many hosts FindingCount.HostIDs names at most.
const FindingHosts = 5

// Trend is the fleet's state at the end of each day (UTC) from from to
// to: each selected host counted once, by its latest check by then,
// Overdue when that check is older than period; hosts not yet checked
// are not counted.
func (s *Store) Trend(ctx context.Context, f Filter, from, to time.Time, period time.Duration) ([]Day, error) {
	if err := noOverdue(f); err != nil {
		return nil, err
	}
	pts, err := s.points(ctx, f, false)
	if err != nil {
		return nil, err
	}
	start := time.Date(from.UTC().Year(), from.UTC().Month(), from.UTC().Day(), 0, 0, 0, 0, time.UTC)
	var days []Day
	for d := start; !d.After(to); d = d.AddDate(0, 0, 1) {
		days = append(days, Day{Date: d})
		if len(days) > 100*366 {
			return nil, errors.New("trend: more than 100 years of days")
		}
	}
	for i := 0; i < len(pts); {
		j := i
		for j < len(pts) && pts[j].host == pts[i].host {
			j++
		}
		host := pts[i:j]
		k := -1 // the host's latest point by the end of the day
		for di := range days {
			end := days[di].Date.AddDate(0, 0, 1).UnixNano() - 1
			for k+1 < len(host) && host[k+1].at <= end {
				k++
			}
			if k < 0 {
				continue
			}
			switch {
			case end-host[k].at > int64(period):
				days[di].Overdue++
			case host[k].verdict == Holds:
				days[di].Holds++
			case host[k].verdict == NotHold:
				days[di].NotHold++
			default:
				days[di].CannotCheck++
			}
		}
		i = j
	}
	return days, nil
}

// Values are what the filters can take: the groups, products and
// formulars (by SHA-256) of the stored checks, sorted.
type Values struct{ Groups, Products, Formulars []string }

// Values lists what the filters can take.
func (s *Store) Values(ctx context.Context) (Values, error) {
	var v Values
	for _, l := range []struct {
		dst *[]string
		q   string
	}{
		{&v.Groups, "SELECT DISTINCT grp FROM check_groups ORDER BY grp"},
		{&v.Products, "SELECT DISTINCT product FROM formulars WHERE product <> '' ORDER BY product"},
		{&v.Formulars, "SELECT sha256 FROM formulars WHERE sha256 <> '' ORDER BY sha256"},
	} {
		rows, err := s.db.QueryContext(ctx, l.q)
		if err != nil {
			return Values{}, fmt.Errorf("store %s: %w", s.name, err)
		}
		for rows.Next() {
			var x string
			if err := rows.Scan(&x); err != nil {
				rows.Close()
				return Values{}, fmt.Errorf("store %s: %w", s.name, err)
			}
			*l.dst = append(*l.dst, x)
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return Values{}, fmt.Errorf("store %s: %w", s.name, err)
		}
	}
	return v, nil
}
