package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/internal/syslog"
	"github.com/sverka/sverka/verify"
)

// Events of --format cef and --syslog (docs/report.md, "CEF events"): ArcSight
// Common Event Format lines, one per finding and one summary per check, for
// a SOC's SIEM. Names and values from the checked host are shown as the
// other renderings show them (safetext.Display), then escaped as CEF asks.

// cefVersion is the version of the format written.
const cefVersion = "CEF:0"

// CEF severities (0-10; 0-3 low, 4-6 medium, 7-8 high, 9-10 very high).
const (
	SeverityHolds       = 1 // the summary of a check that holds
	SeverityCannotCheck = 7 // a check that could not be made: nothing proved
	SeverityNotHold     = 8 // the summary of a check that does not hold
)

// statusSeverity is the severity of a finding by its status: a change of
// what is certified is high, what could not be read medium (it may hide
// a change, and the verdict already fails on it), an unlisted file in an
// open table (a warning) low.
var statusSeverity = map[verify.Status]int{
	verify.Modified:   8,
	verify.Missing:    8,
	verify.Violated:   8,
	verify.Renamed:    7,
	verify.Unset:      7,
	verify.Extra:      7, // in a closed table; 3 when only a warning
	verify.Unreadable: 6,
}

// severityExtraWarning is an EXTRA that does not break the verdict.
const severityExtraWarning = 3

// FindingSeverity is the CEF severity of a finding.
func FindingSeverity(it *verify.Item) int {
	if !it.Failure {
		return severityExtraWarning
	}
	if s, ok := statusSeverity[it.Status]; ok {
		return s
	}
	return SeverityNotHold
}

// VerdictSeverity is the CEF severity of a check's summary.
func VerdictSeverity(v verify.Verdict) int {
	switch v {
	case verify.Holds:
		return SeverityHolds
	case verify.NotHolds:
		return SeverityNotHold
	}
	return SeverityCannotCheck
}

// Event is one CEF event: its line, and what a syslog header needs.
type Event struct {
	Kind     string // "finding" or "check"
	Severity int    // CEF severity, 0-10
	Time     time.Time
	Host     string // the hostname, as shown
	Line     string // the CEF line, without a newline
}

// CEFEvents are a report's events: one per item that is not OK, then the
// check's summary, as --format ndjson orders its events.
func CEFEvents(r *Report) []Event {
	c := newCEFCommon(r)
	var evs []Event
	for ti := range r.Result.Tables {
		t := &r.Result.Tables[ti]
		for it := range t.Findings() {
			evs = append(evs, c.finding(t, &it))
		}
	}
	return append(evs, c.summary(r))
}

// WriteCEF writes the report's CEF events, one a line.
func WriteCEF(w io.Writer, r *Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	for _, ev := range CEFEvents(r) {
		bw.WriteString(ev.Line)
		bw.WriteByte('\n')
	}
	return bw.Flush()
}

// cefCommon is what every event of one check carries.
type cefCommon struct {
	version string
	end     time.Time
	host    string
	ext     []cefField // the fields every event begins with
}

type cefField struct{ key, value string }

func newCEFCommon(r *Report) *cefCommon {
	c := &cefCommon{version: r.Tool.Version, end: r.Run.End, host: safetext.Display(r.Run.Host)}
	hostID := r.Run.HostID
	if hostID == "" {
		hostID = r.Run.Host // a version 1 report names no host id
	}
	c.ext = []cefField{
		{"rt", strconv.FormatInt(r.Run.End.UnixMilli(), 10)},
		{"dvchost", c.host},
		{"deviceExternalId", safetext.Display(hostID)},
		{"cs1Label", "formularId"}, {"cs1", safetext.Display(r.Formular.Get("formular-id"))},
		{"cs2Label", "product"}, {"cs2", safetext.Display(r.Formular.Get("product"))},
		{"cs3Label", "verdict"}, {"cs3", string(r.Result.Verdict)},
	}
	if len(r.Run.Groups) > 0 {
		gs := make([]string, len(r.Run.Groups))
		for i, g := range r.Run.Groups {
			gs[i] = safetext.Display(g)
		}
		c.ext = append(c.ext, cefField{"flexString2Label", "groups"}, cefField{"flexString2", strings.Join(gs, ",")})
	}
	return c
}

// event makes the line of one event.
func (c *cefCommon) event(kind, signature, name string, severity int, more []cefField) Event {
	var b strings.Builder
	b.WriteString(cefVersion)
	for _, h := range []string{"sverka", "sverka", c.version, signature, name, strconv.Itoa(severity)} {
		b.WriteByte('|')
		b.WriteString(cefHeaderEscape(h))
	}
	b.WriteByte('|')
	for i, f := range append(c.ext[:len(c.ext):len(c.ext)], more...) {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f.key)
		b.WriteByte('=')
		b.WriteString(cefValueEscape(f.value))
	}
	return Event{Kind: kind, Severity: severity, Time: c.end, Host: c.host, Line: b.String()}
}

// finding is the event of one item that is not OK.
func (c *cefCommon) finding(t *verify.Table, it *verify.Item) Event {
	name := safetext.Display(it.Name)
	more := []cefField{
		{"cat", "finding"},
		{"outcome", string(it.Status)},
		{"cs4Label", "table"}, {"cs4", string(t.Kind)},
	}
	if it.Line != 0 { // an unlisted file has none
		more = append(more, cefField{"cn1Label", "formularLine"}, cefField{"cn1", strconv.Itoa(it.Line)})
	}
	what := "File"
	if t.Kind == formular.KindParameters {
		what = "Parameter"
		more = append(more, cefField{"flexString1Label", "parameter"}, cefField{"flexString1", name})
	} else {
		more = append(more, cefField{"fname", name})
	}
	expected, actual := expectedActual(t, it)
	more = append(more,
		cefField{"cs5Label", "expected"}, cefField{"cs5", expected},
		cefField{"cs6Label", "actual"}, cefField{"cs6", actual})
	switch {
	case it.Detail != "":
		more = append(more, cefField{"msg", safetext.Display(it.Detail)})
	case len(it.Differs) > 0:
		more = append(more, cefField{"msg", "differs: " + strings.Join(it.Differs, ", ")})
	}
	return c.event("finding", "finding-"+strings.ReplaceAll(string(it.Status), " ", "-"),
		what+" "+string(it.Status), FindingSeverity(it), more)
}

// expectedActual says what the formular expects of an item and what was
// found, in a line each: digests and size of a file, allowed values and
// the value of a parameter.
func expectedActual(t *verify.Table, it *verify.Item) (expected, actual string) {
	if t.Kind == formular.KindParameters {
		expected = safetext.Display(it.Allowed)
		if it.HasValue {
			actual = safetext.Display(it.Value)
		} else if it.Status == verify.Unset {
			actual = "(unset)"
		}
		return expected, actual
	}
	var e, a []string
	for _, d := range it.Expected {
		e = append(e, d.Alg+":"+d.Hex)
	}
	if it.Line != 0 && (len(it.Expected) > 0 || it.Size > 0) {
		e = append(e, "size:"+strconv.FormatInt(it.Size, 10))
	}
	if it.Mode != "" {
		e = append(e, "mode:"+it.Mode)
	}
	for _, d := range it.Actual {
		a = append(a, d.Alg+":"+d.Hex)
	}
	if it.ActualSize != nil {
		a = append(a, "size:"+strconv.FormatInt(*it.ActualSize, 10))
	}
	if it.ActualMode != "" {
		a = append(a, "mode:"+it.ActualMode)
	}
	switch it.Status {
	case verify.Missing:
		a = append(a, "(missing)")
	case verify.Renamed:
		a = append(a, "found as "+safetext.Display(it.Other))
	}
	return strings.Join(e, " "), strings.Join(a, " ")
}

// summary is the event of the whole check.
func (c *cefCommon) summary(r *Report) Event {
	items, failures := 0, 0
	for ti := range r.Result.Tables {
		t := &r.Result.Tables[ti]
		items += t.Len()
		for it := range t.Findings() {
			if it.Failure {
				failures++
			}
		}
	}
	more := []cefField{
		{"cat", "check"},
		{"outcome", string(r.Result.Verdict)},
		{"cn2Label", "items"}, {"cn2", strconv.Itoa(items)},
		{"cn3Label", "failures"}, {"cn3", strconv.Itoa(failures)},
		{"start", strconv.FormatInt(r.Run.Start.UnixMilli(), 10)},
		{"end", strconv.FormatInt(r.Run.End.UnixMilli(), 10)},
	}
	if sha := r.Formular.SHA256; sha != "" {
		more = append(more, cefField{"fileHash", sha}, cefField{"filePath", safetext.Display(r.Formular.Path)})
	}
	var why []string
	for _, m := range r.Result.Reasons {
		why = append(why, m.Text)
	}
	if len(why) > 0 {
		more = append(more, cefField{"reason", safetext.Display(strings.Join(why, "; "))})
	}
	return c.event("check", "check-"+strings.ReplaceAll(string(r.Result.Verdict), " ", "-"),
		"Integrity check "+string(r.Result.Verdict), VerdictSeverity(r.Result.Verdict), more)
}

// cefHeaderEscape escapes a header field: a backslash and a pipe behind
// a backslash; a line break, which the header cannot hold, as a space.
func cefHeaderEscape(s string) string {
	if !strings.ContainsAny(s, "\\|\r\n") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '|':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\r', '\n':
			b.WriteByte(' ')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// cefValueEscape escapes an extension value: a backslash and an equals
// sign behind a backslash, line breaks as \n and \r.
func cefValueEscape(s string) string {
	if !strings.ContainsAny(s, "\\=\r\n") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '=':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// SyslogMessages are the report's CEF events as syslog messages of the
// process pid, facility auth, the severity following the event's.
func SyslogMessages(r *Report, pid int) []syslog.Message {
	evs := CEFEvents(r)
	msgs := make([]syslog.Message, len(evs))
	for i, ev := range evs {
		msgs[i] = syslog.Message{
			Facility: syslog.FacilityAuth, Severity: syslog.SeverityOfCEF(ev.Severity),
			Time: ev.Time, Hostname: r.Run.Host, AppName: "sverka", ProcID: strconv.Itoa(pid),
			MsgID: ev.Kind, Text: ev.Line,
		}
	}
	return msgs
}
