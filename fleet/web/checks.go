package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/internal/lazyre"
	"github.com/sverka/sverka/report"
)

// checkID reads the {id} of a check's path.
func checkID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, notFound(r.URL.Path)
	}
	return id, nil
}

// evidence is a stored check and its report's bytes, the bytes checked
// against the digest the store keeps of them.
func (s *Server) evidence(r *http.Request) (fleet.Check, []byte, error) {
	id, err := checkID(r)
	if err != nil {
		return fleet.Check{}, nil, err
	}
	c, err := s.st.Check(r.Context(), id)
	if err != nil {
		if isNotFound(err) {
			return c, nil, notFound(r.URL.Path)
		}
		return c, nil, fmt.Errorf("check %d: %w", id, err)
	}
	data, err := s.st.Evidence(r.Context(), id)
	if err != nil {
		return c, nil, fmt.Errorf("check %d: evidence: %w", id, err)
	}
	sum := sha256.Sum256(data)
	if got := hex.EncodeToString(sum[:]); c.ReportSHA256 != "" && got != c.ReportSHA256 {
		return c, nil, fmt.Errorf("check %d: the stored report's SHA-256 is %s, not %s as recorded", id, got, c.ReportSHA256)
	}
	return c, data, nil
}

// checkPage renders a stored report as the printable protocol, read
// again from its bytes as they were ingested.
func (s *Server) checkPage(w http.ResponseWriter, r *http.Request, p *page) error {
	if err := onlyLang(r); err != nil {
		return err
	}
	c, data, err := s.evidence(r)
	if err != nil {
		return err
	}
	rep, err := report.ReadJSON(data)
	if err != nil {
		return fmt.Errorf("check %d: the stored report does not read: %w", c.ID, err)
	}
	sum := sha256.Sum256(data)
	var b bytes.Buffer
	saved := &report.Saved{Path: reportName(c), SHA256: hex.EncodeToString(sum[:])}
	if err := report.WriteHTMLOptions(&b, rep, report.HTMLOptions{Lang: p.Lang, Saved: saved}); err != nil {
		return fmt.Errorf("check %d: %w", c.ID, err)
	}
	// The protocol is a self-contained document with its own inline
	// style: the policy allows exactly that style, by its digest.
	w.Header().Set("Content-Security-Policy", ProtocolPolicy(b.Bytes()))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err = w.Write(b.Bytes())
	return err
}

// reportName is the file name a stored report is downloaded as.
func reportName(c fleet.Check) string { return "check-" + strconv.FormatInt(c.ID, 10) + ".json" }

// checkJSON sends the stored report's bytes as they were ingested.
func (s *Server) checkJSON(w http.ResponseWriter, r *http.Request, p *page) error {
	if err := onlyLang(r); err != nil {
		return err
	}
	c, data, err := s.evidence(r)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Disposition", `attachment; filename="`+reportName(c)+`"`)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	_, err = w.Write(data)
	return err
}

var (
	styleElement   = lazyre.New(`(?s)<style>(.*?)</style>`)
	styleAttribute = lazyre.New(`\sstyle="([^"]*)"`)
)

// ProtocolPolicy is the Content-Security-Policy of a rendered protocol:
// the dashboard's policy, with the document's own style element and style
// attributes allowed by their SHA-256, and nothing else inline.
func ProtocolPolicy(doc []byte) string {
	var hashes []string
	add := func(s string) {
		sum := sha256.Sum256([]byte(s))
		h := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
		if !slices.Contains(hashes, h) {
			hashes = append(hashes, h)
		}
	}
	for _, m := range styleElement().FindAllSubmatch(doc, -1) {
		add(string(m[1]))
	}
	attrs := false
	for _, m := range styleAttribute().FindAllSubmatch(doc, -1) {
		add(html.UnescapeString(string(m[1])))
		attrs = true
	}
	style := "style-src"
	if attrs {
		style += " 'unsafe-hashes'"
	}
	if len(hashes) == 0 {
		style += " 'none'"
	}
	style += " " + strings.Join(hashes, " ")
	return "default-src 'none'; " + strings.TrimSpace(style) + "; form-action 'none'; base-uri 'none'; frame-ancestors 'none'"
}

// csvCell keeps a value from being read as a formula by a spreadsheet:
// a host names its own groups and files, and "=HYPERLINK(...)" in a cell
// would run when an auditor opens the export.
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func writeCSV(w http.ResponseWriter, name string, rows [][]string) error {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	for _, row := range rows {
		for i := range row {
			row[i] = csvCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	_, err := w.Write(b.Bytes())
	return err
}

// HostsCSV is the host list as CSV rows, the header first.
func HostsCSV(hosts []fleet.HostState) [][]string {
	rows := [][]string{{"host_id", "hostname", "groups", "state", "last_check", "verdict", "product", "version",
		"certificate", "formular_sha256", "findings", "last_holds", "first_not_hold"}}
	for _, h := range hosts {
		var lastHolds, firstNot string
		if b := h.Broken; b != nil {
			if b.LastHolds != nil {
				lastHolds = csvTime(b.LastHolds.Time)
			}
			firstNot = csvTime(b.FirstNotHold.Time)
		}
		rows = append(rows, []string{h.HostID, h.Hostname, strings.Join(h.Groups, ";"), h.State, csvTime(h.Last.Time),
			h.Last.Verdict, h.Last.Product, h.Last.Version, h.Last.Certificate, h.Last.FormularSHA256,
			strconv.Itoa(h.Last.Findings), lastHolds, firstNot})
	}
	return rows
}

// FindingsCSV is the common findings as CSV rows, the header first.
func FindingsCSV(fs []fleet.FindingCount) [][]string {
	rows := [][]string{{"hosts", "table", "name", "status", "actual", "host_ids"}}
	for _, f := range fs {
		rows = append(rows, []string{strconv.Itoa(f.Hosts), f.Table, f.Name, f.Status, f.Actual, strings.Join(f.HostIDs, ";")})
	}
	return rows
}

func (s *Server) hostsCSV(w http.ResponseWriter, r *http.Request, p *page) error {
	f, err := s.filter(r)
	if err != nil {
		return err
	}
	hosts, err := s.st.Status(r.Context(), f, s.cfg.Now(), s.cfg.Period)
	if err != nil {
		return fmt.Errorf("status: %w", err)
	}
	return writeCSV(w, "hosts.csv", HostsCSV(hosts))
}

func (s *Server) findingsCSV(w http.ResponseWriter, r *http.Request, p *page) error {
	f, err := s.filter(r)
	if err != nil {
		return err
	}
	counts, err := s.st.Findings(r.Context(), f)
	if err != nil {
		return fmt.Errorf("findings: %w", err)
	}
	return writeCSV(w, "findings.csv", FindingsCSV(counts))
}

// isNotFound says whether err is the store's "not in the store".
func isNotFound(err error) bool { return errors.Is(err, fleet.ErrNotFound) }

type diffBody struct {
	Name, HostHref, AHref, BHref, Text string
}

// diffPage shows what changed between two checks of a host, as
// 'sverka report diff' says it, from the reports as ingested.
func (s *Server) diffPage(w http.ResponseWriter, r *http.Request, p *page) error {
	id := r.PathValue("id")
	q := r.URL.Query()
	for k, vs := range q {
		if k != "lang" && k != "a" && k != "b" {
			return badRequest(fmt.Errorf("unknown parameter %q", k))
		}
		if len(vs) > 1 {
			return badRequest(fmt.Errorf("%s given %d times", k, len(vs)))
		}
	}
	var reps [2]*report.Report
	var names [2]string
	for i, k := range []string{"a", "b"} {
		n, err := strconv.ParseInt(q.Get(k), 10, 64)
		if err != nil || n <= 0 {
			return badRequest(fmt.Errorf("%s must be the number of a check, not %q", k, q.Get(k)))
		}
		c, err := s.st.Check(r.Context(), n)
		if isNotFound(err) || err == nil && c.HostID != id {
			return notFound(fmt.Sprintf("check %d of host %s", n, id))
		} else if err != nil {
			return fmt.Errorf("check %d: %w", n, err)
		}
		data, err := s.st.Evidence(r.Context(), n)
		if err != nil {
			return fmt.Errorf("check %d: evidence: %w", n, err)
		}
		if reps[i], err = report.ReadJSON(data); err != nil {
			return fmt.Errorf("check %d: the stored report does not read: %w", n, err)
		}
		names[i] = reportName(c)
	}
	ch := report.Diff(reps[0], reps[1])
	var b bytes.Buffer
	if err := report.WriteDiffText(&b, &ch, report.DiffOptions{Lang: p.Lang, A: names[0], B: names[1]}); err != nil {
		return err
	}
	body := diffBody{Name: disp(id), HostHref: p.host(id), Text: b.String(),
		AHref: p.URL("/checks/" + q.Get("a")), BHref: p.URL("/checks/" + q.Get("b"))}
	p.Title, p.Nav, p.Body = tf(p.Lang, "diff-of", body.Name), "hosts", body
	return s.render(w, r, p, "diff")
}
