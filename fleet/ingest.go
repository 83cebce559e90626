package fleet

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/verify"
)

// Ingested says what Ingest did with one report.
type Ingested struct {
	CheckID int64
	HostID  string
	Verdict string
	// New is false when the same report (the same bytes) was stored
	// already: nothing was changed.
	New bool
}

// RefusedError is the error of a report the store will not take: it is
// not a report, breaks its schema, or disagrees with itself.
type RefusedError struct {
	Name string
	Err  error
}

func (e *RefusedError) Error() string { return fmt.Sprintf("report %s refused: %v", e.Name, e.Err) }
func (e *RefusedError) Unwrap() error { return e.Err }

// Ingest stores the report data (named name in messages) as one check.
// The report is read strictly (report.Read: its schema, then its verdict
// recomputed from its items) and refused whole if anything is wrong with
// it; otherwise the check, its findings and the report's bytes go in
// together in one transaction, or nothing does. The same bytes twice are
// stored once (New is false the second time).
func (s *Store) Ingest(ctx context.Context, name string, data []byte) (Ingested, error) {
	sum := sha256.Sum256(data)
	if in, ok, err := s.stored(ctx, hex.EncodeToString(sum[:])); err != nil || ok {
		return in, err
	}
	p, err := s.Prepare(name, data)
	if err != nil {
		return Ingested{}, err
	}
	return s.Put(ctx, p)
}

// Prepared is a report read, checked, drawn into the check the store
// keeps, and compressed: all of an ingest that needs no store, and most
// of its time, so that several can be prepared at once (IngestEach).
type Prepared struct {
	name   string
	digest string
	size   int64
	rec    *record
	gz     []byte
}

// Prepare reads and checks the report data as Ingest does, without
// storing it: a *RefusedError for a report the store will not take.
func (s *Store) Prepare(name string, data []byte) (*Prepared, error) {
	sum := sha256.Sum256(data)
	rep, err := report.ReadJSON(data)
	if err != nil {
		return nil, &RefusedError{Name: name, Err: err}
	}
	rec, err := recordOf(rep)
	if err != nil {
		return nil, &RefusedError{Name: name, Err: err}
	}
	gz, err := s.compress(data)
	if err != nil {
		return nil, fmt.Errorf("report %s: compressing: %w", name, err)
	}
	return &Prepared{name: name, digest: hex.EncodeToString(sum[:]), size: int64(len(data)), rec: rec, gz: gz}, nil
}

// Put stores a prepared report in one transaction, as Ingest does.
func (s *Store) Put(ctx context.Context, p *Prepared) (Ingested, error) {
	return s.put(ctx, p, false)
}

// put is Put; lazy lets a PostgreSQL commit return before the server has
// flushed it to disk (synchronous_commit off), for a batch that makes
// its commits durable at its end with flush.
func (s *Store) put(ctx context.Context, p *Prepared, lazy bool) (Ingested, error) {
	if in, ok, err := s.stored(ctx, p.digest); err != nil || ok {
		return in, err
	}
	in, err := s.insert(ctx, p.rec, p.digest, p.size, p.gz, lazy)
	if err != nil {
		return Ingested{}, fmt.Errorf("store %s: report %s: %w", s.name, p.name, err)
	}
	return in, nil
}

// IngestEach ingests n reports: load(i) gives the i-th report's name and
// bytes (or an error, a *RefusedError for one to refuse), up to workers
// of them are loaded and prepared at once, and they are stored one at a
// time in their order, each in its own transaction; done(i, ...) is
// called in that order with what became of each. An error done returns,
// or a cancelled ctx, stops it: what was stored stays, whole.
//
// On PostgreSQL the batch's commits do not each wait for the disk: a
// commit's fsync costs more than storing a report, and more than half the
// rate. Each is still atomic, and before IngestEach returns, however it
// ends, one last commit that does wait makes every earlier one durable
// (the server flushes its log in order). SQLite's store commits the same
// way throughout (synchronous=NORMAL in WAL mode).
func (s *Store) IngestEach(ctx context.Context, n, workers int,
	load func(i int) (string, []byte, error), done func(i int, in Ingested, err error) error) (err error) {
	lazy := false
	defer func() {
		if lazy {
			if ferr := s.flush(context.WithoutCancel(ctx)); ferr != nil && err == nil {
				err = ferr
			}
		}
	}()
	type result struct {
		p   *Prepared
		err error
	}
	workers = max(workers, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// queue holds the results to come in order; its capacity bounds the
	// reports in memory at once.
	queue := make(chan chan result, workers)
	go func() {
		defer close(queue)
		for i := 0; i < n; i++ {
			ch := make(chan result, 1)
			select {
			case queue <- ch:
			case <-ctx.Done():
				return
			}
			go func(i int) {
				name, data, err := load(i)
				if err != nil {
					ch <- result{err: err}
					return
				}
				p, err := s.Prepare(name, data)
				ch <- result{p: p, err: err}
			}(i)
		}
	}()
	i := 0
	for ch := range queue {
		r := <-ch
		if err := ctx.Err(); err != nil {
			return err
		}
		var in Ingested
		err := r.err
		if err == nil {
			pg := s.d == &postgres
			in, err = s.put(ctx, r.p, pg)
			lazy = lazy || (pg && err == nil && in.New)
		}
		if err := done(i, in, err); err != nil {
			return err
		}
		i++
	}
	return ctx.Err()
}

// stored finds the check of the report whose digest is given.
func (s *Store) stored(ctx context.Context, digest string) (Ingested, bool, error) {
	var in Ingested
	err := s.db.QueryRowContext(ctx, s.d.q(`SELECT c.id, c.host_id, c.verdict FROM checks c
		JOIN evidence e ON e.id = c.evidence_id WHERE e.sha256 = ?`), digest).Scan(&in.CheckID, &in.HostID, &in.Verdict)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Ingested{}, false, nil
	case err != nil:
		return Ingested{}, false, fmt.Errorf("store %s: %w", s.name, err)
	}
	return in, true, nil
}

// compress gzips data. A gzip writer is some hundreds of kilobytes of
// state: one is reused between ingests rather than made for each.
func (s *Store) compress(data []byte) ([]byte, error) {
	var b bytes.Buffer
	zw, _ := s.gzips.Get().(*gzip.Writer)
	if zw == nil {
		var err error
		if zw, err = gzip.NewWriterLevel(&b, gzip.BestSpeed); err != nil {
			return nil, err
		}
	} else {
		zw.Reset(&b)
	}
	defer s.gzips.Put(zw)
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// record is a check as the store keeps it, drawn from a report.
type record struct {
	check    Check
	findings []Finding
}

// text is s as the store keeps it: its display form (see migrations).
func text(s string) string { return safetext.Display(s) }

// recordOf draws the stored check out of a report read by report.Read.
// A report of version 1 has no host id: its hostname stands for it.
func recordOf(rep *report.Report) (*record, error) {
	res := &rep.Result
	c := Check{
		HostID:         text(rep.Run.HostID),
		Hostname:       text(rep.Run.Host),
		Time:           rep.Run.End.UTC(),
		Verdict:        string(res.Verdict),
		FormularSHA256: rep.Formular.SHA256,
		Product:        text(rep.Formular.Get(formular.KeyProduct)),
		Version:        text(rep.Formular.Get(formular.KeyVersion)),
		Certificate:    text(rep.Formular.Get(formular.KeyCertificate)),
		ToolVersion:    text(rep.Tool.Version),
		ToolSHA256:     rep.Tool.SHA256,
		Counts:         map[string]int{},
	}
	if c.HostID == "" {
		c.HostID = c.Hostname
	}
	if c.HostID == "" {
		return nil, errors.New("it names no host (neither host id nor hostname)")
	}
	switch c.Verdict {
	case Holds, NotHold, CannotCheck:
	default:
		return nil, fmt.Errorf("verdict %q is not one the store knows", c.Verdict)
	}
	if rep.Run.End.IsZero() {
		return nil, errors.New("it has no end time")
	}
	// A check that could not read its formular names none; it is stored
	// all the same (under the empty digest), or the host would vanish
	// from the fleet just when it cannot be checked.
	if !isHex64(c.FormularSHA256) && (c.FormularSHA256 != "" || c.Verdict != CannotCheck) {
		return nil, fmt.Errorf("formular sha256 %q is not 64 hex digits", c.FormularSHA256)
	}
	for _, g := range rep.Run.Groups {
		if g := text(g); !slices.Contains(c.Groups, g) {
			c.Groups = append(c.Groups, g)
		}
	}
	c.ValidUntil = day(rep.Formular.Get(formular.KeyValidUntil))
	c.SupportUntil = day(rep.Formular.Get(formular.KeySupportUntil))
	if rep.HasScope() {
		for _, k := range res.Scope.Checked {
			c.Checked = appendOnce(c.Checked, string(k))
		}
		for _, m := range res.Scope.NotChecked {
			if m.Table != "" {
				c.NotChecked = appendOnce(c.NotChecked, string(m.Table))
			}
		}
	} else {
		// Version 1 says nothing of scope: the tables it lists are what it
		// checked, and nothing is known of the rest.
		for _, t := range res.Tables {
			c.Checked = appendOnce(c.Checked, string(t.Kind))
		}
	}
	var fs []Finding
	for ti := range res.Tables {
		t := &res.Tables[ti]
		for st, n := range t.Counts {
			c.Counts[string(st)] += n
		}
		name := tableName(t)
		for it := range t.Findings() {
			if it.Failure {
				c.Findings++
			}
			fs = append(fs, Finding{
				Table:    name,
				Name:     text(it.Name),
				Status:   string(it.Status),
				Failure:  it.Failure,
				Expected: expectedOf(&it),
				Actual:   actualOf(&it),
			})
		}
	}
	return &record{check: c, findings: fs}, nil
}

func appendOnce(ss []string, s string) []string {
	if slices.Contains(ss, s) {
		return ss
	}
	return append(ss, s)
}

func isHex64(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// day reads a header date; what is not one is the zero time (the report
// itself says the date was unreadable).
func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}
	}
	return t
}

func dayText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// tableName names a table alike on every host: its kind and its line in
// the formular ("media:11"). Its root and source are where this host
// keeps it, and differ from host to host.
func tableName(t *verify.Table) string {
	if t.Line > 0 {
		return string(t.Kind) + ":" + strconv.Itoa(t.Line)
	}
	return string(t.Kind)
}

// digestsText is digests as "alg:hex", space separated.
func digestsText(ds []verify.Digest) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = text(d.Alg) + ":" + d.Hex
	}
	return strings.Join(parts, " ")
}

func expectedOf(it *verify.Item) string {
	switch {
	case it.Allowed != "":
		return text(it.Allowed)
	case len(it.Expected) > 0:
		return digestsText(it.Expected)
	case it.Mode != "":
		return text(it.Mode)
	}
	return ""
}

func actualOf(it *verify.Item) string {
	switch {
	case it.HasValue:
		return text(it.Value)
	case len(it.Actual) > 0:
		return digestsText(it.Actual)
	case it.Other != "":
		return "-> " + text(it.Other)
	case it.ActualMode != "":
		return text(it.ActualMode)
	}
	return ""
}

// countsText is counts as "STATUS=N" words in a fixed order; countsOf
// reads it back.
func countsText(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+"="+strconv.Itoa(m[k]))
	}
	return strings.Join(parts, " ")
}

func countsOf(s string) map[string]int {
	m := map[string]int{}
	for _, f := range strings.Fields(s) {
		k, v, ok := strings.Cut(f, "=")
		if n, err := strconv.Atoi(v); ok && err == nil {
			m[k] = n
		}
	}
	return m
}

// insert stores one check in one transaction. A concurrent ingest of the
// same report finds the evidence taken and changes nothing.
func (s *Store) insert(ctx context.Context, rec *record, digest string, size int64, gz []byte, lazy bool) (Ingested, error) {
	c := &rec.check
	tx, err := s.begin(ctx)
	if err != nil {
		return Ingested{}, err
	}
	defer tx.Rollback()
	if lazy {
		if _, err := tx.ExecContext(ctx, "SET LOCAL synchronous_commit TO off"); err != nil {
			return Ingested{}, err
		}
	}
	if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO formulars (sha256, product, version, certificate, valid_until, support_until)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING`),
		c.FormularSHA256, c.Product, c.Version, c.Certificate, dayText(c.ValidUntil), dayText(c.SupportUntil)); err != nil {
		return Ingested{}, fmt.Errorf("formular: %w", err)
	}
	var formularID int64
	if err := tx.QueryRowContext(ctx, s.d.q("SELECT id FROM formulars WHERE sha256 = ?"), c.FormularSHA256).Scan(&formularID); err != nil {
		return Ingested{}, fmt.Errorf("formular: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO evidence (sha256, size, gzip) VALUES (?, ?, ?)
		ON CONFLICT (sha256) DO NOTHING`), digest, size, gz); err != nil {
		return Ingested{}, fmt.Errorf("evidence: %w", err)
	}
	var evidenceID int64
	if err := tx.QueryRowContext(ctx, s.d.q("SELECT id FROM evidence WHERE sha256 = ?"), digest).Scan(&evidenceID); err != nil {
		return Ingested{}, fmt.Errorf("evidence: %w", err)
	}
	in := Ingested{HostID: c.HostID, Verdict: c.Verdict, New: true}
	err = tx.QueryRowContext(ctx, s.d.q(`INSERT INTO checks (host_id, hostname, groups, at_ns, verdict, formular_id,
		tool_version, tool_sha256, checked, not_checked, counts, failures, evidence_id, ingested_ns)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (evidence_id) DO NOTHING RETURNING id`),
		c.HostID, c.Hostname, strings.Join(c.Groups, "\n"), c.Time.UnixNano(), c.Verdict, formularID,
		c.ToolVersion, c.ToolSHA256, strings.Join(c.Checked, " "), strings.Join(c.NotChecked, " "),
		countsText(c.Counts), c.Findings, evidenceID, time.Now().UnixNano()).Scan(&in.CheckID)
	if errors.Is(err, sql.ErrNoRows) {
		// Stored meanwhile by another ingest of the same report.
		tx.Rollback()
		in, _, err := s.stored(ctx, digest)
		return in, err
	}
	if err != nil {
		return Ingested{}, fmt.Errorf("check: %w", err)
	}
	// The host's latest check, kept so that the answers need not look
	// for it among all its checks. A report may come late: an older
	// check does not replace a newer one.
	// Its columns are copied in the row (see the schema's version 3).
	if _, err := tx.ExecContext(ctx, s.d.q(`INSERT INTO hosts (host_id, last_check_id, last_at_ns,
		hostname, groups, verdict, formular_id, tool_version, tool_sha256, checked, not_checked, counts, failures, report_sha256)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (host_id) DO UPDATE SET last_check_id = excluded.last_check_id, last_at_ns = excluded.last_at_ns,
			hostname = excluded.hostname, groups = excluded.groups, verdict = excluded.verdict,
			formular_id = excluded.formular_id, tool_version = excluded.tool_version, tool_sha256 = excluded.tool_sha256,
			checked = excluded.checked, not_checked = excluded.not_checked, counts = excluded.counts,
			failures = excluded.failures, report_sha256 = excluded.report_sha256
		WHERE excluded.last_at_ns > hosts.last_at_ns
			OR (excluded.last_at_ns = hosts.last_at_ns AND excluded.last_check_id > hosts.last_check_id)`),
		c.HostID, in.CheckID, c.Time.UnixNano(),
		c.Hostname, strings.Join(c.Groups, "\n"), c.Verdict, formularID, c.ToolVersion, c.ToolSHA256,
		strings.Join(c.Checked, " "), strings.Join(c.NotChecked, " "), countsText(c.Counts), c.Findings, digest); err != nil {
		return Ingested{}, fmt.Errorf("host: %w", err)
	}
	for _, g := range c.Groups {
		if _, err := tx.ExecContext(ctx, s.d.q("INSERT INTO check_groups (check_id, grp) VALUES (?, ?)"), in.CheckID, g); err != nil {
			return Ingested{}, fmt.Errorf("group: %w", err)
		}
	}
	if err := insertFindings(ctx, tx, s.d, in.CheckID, rec.findings); err != nil {
		return Ingested{}, err
	}
	if err := commit(ctx, tx); err != nil {
		return Ingested{}, err
	}
	return in, nil
}

// begin starts a write transaction that ctx cancels between statements
// and during each (they are run with ctx), never during its commit: a
// commit cut short may have been made, and the caller would be told it
// was not. Commit it with commit.
func (s *Store) begin(ctx context.Context) (*sql.Tx, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.db.BeginTx(context.WithoutCancel(ctx), nil)
}

// flush makes the lazy commits before it durable: a commit that waits
// for the disk waits for the server's log up to its own record, which
// holds every earlier commit. An empty transaction writes no record, so
// this one rewrites a row of schema_version as it is.
func (s *Store) flush(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store %s: %w", s.name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `UPDATE schema_version SET applied_ns = applied_ns
		WHERE version = (SELECT MAX(version) FROM schema_version)`); err != nil {
		return fmt.Errorf("store %s: %w", s.name, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store %s: %w", s.name, err)
	}
	return nil
}

// commit commits tx unless ctx is cancelled by now.
func commit(ctx context.Context, tx *sql.Tx) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return tx.Commit()
}

// findingsBatch is how many findings one INSERT carries: 8 parameters
// each, well under SQLite's and PostgreSQL's limits.
const findingsBatch = 500

func insertFindings(ctx context.Context, tx *sql.Tx, d *dialect, checkID int64, fs []Finding) error {
	for start := 0; start < len(fs); start += findingsBatch {
		batch := fs[start:min(start+findingsBatch, len(fs))]
		var b strings.Builder
		b.WriteString("INSERT INTO findings (check_id, seq, tbl, name, status, failure, expected, actual) VALUES ")
		args := make([]any, 0, 8*len(batch))
		for i, f := range batch {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?, ?)")
			fail := 0
			if f.Failure {
				fail = 1
			}
			args = append(args, checkID, start+i, f.Table, f.Name, f.Status, fail, f.Expected, f.Actual)
		}
		if _, err := tx.ExecContext(ctx, d.q(b.String()), args...); err != nil {
			return fmt.Errorf("findings: %w", err)
		}
	}
	return nil
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
