package report

import (
	"bufio"
	"fmt"
	"io"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

// Events of --format ndjson (docs/report.md, "Events"). Each line is one
// JSON object that a log collector can take on its own.

type findingEvent struct {
	Schema    string   `json:"schema"`
	Event     string   `json:"event"`
	Time      string   `json:"time"`
	HostID    string   `json:"host_id"`
	Host      string   `json:"host"`
	Groups    []string `json:"groups,omitempty"`
	Formular  string   `json:"formular"`
	Table     string   `json:"table"`
	TableLine int      `json:"table_line"`
	Item      jsonItem `json:"item"`
}

type tableCounts struct {
	Table     string     `json:"table"`
	TableLine int        `json:"table_line"`
	Counts    jsonCounts `json:"counts"`
}

type summaryFormular struct {
	Path    string `json:"path"`
	SHA256  string `json:"sha256,omitempty"`
	ID      string `json:"id,omitempty"`
	Product string `json:"product,omitempty"`
	Version string `json:"version,omitempty"`
	KeyID   string `json:"key_id,omitempty"`
}

type summaryEvent struct {
	Schema    string          `json:"schema"`
	Event     string          `json:"event"`
	Verdict   string          `json:"verdict"`
	Scope     *jsonScope      `json:"scope"`
	Reasons   []jsonMessage   `json:"reasons"`
	Warnings  []jsonMessage   `json:"warnings"`
	Counts    []tableCounts   `json:"counts"`
	Totals    jsonCounts      `json:"totals"`
	Formular  summaryFormular `json:"formular"`
	Tool      jsonTool        `json:"tool"`
	HostID    string          `json:"host_id"`
	Host      string          `json:"host"`
	Groups    []string        `json:"groups,omitempty"`
	Start     string          `json:"start"`
	End       string          `json:"end"`
	Duration  float64         `json:"duration_seconds"`
	CheckDate string          `json:"check_date"`
}

// ndjsonOptions write one event a line, as the JSON document is written
// but without indentation.
var ndjsonOptions = json.JoinOptions(
	jsontext.EscapeForJS(true),
	json.Deterministic(true),
)

// WriteNDJSON writes one "finding" event per item that is not OK (EXTRA
// warnings included; the item's failure field tells them apart), then one
// "summary" event with the verdict, what it covers, its reasons and the
// counts. Events are always of the current version.
func WriteNDJSON(w io.Writer, r *Report) error {
	if err := checkHostNames(r); err != nil {
		return fmt.Errorf("encoding events: %w", err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	enc := jsontext.NewEncoder(bw, ndjsonOptions)
	end := r.Run.End.Format(timeLayout)
	formular := safetext.Display(r.Formular.Path)
	for ti := range r.Result.Tables {
		t := &r.Result.Tables[ti]
		for it := range t.Findings() {
			ev := findingEvent{
				Schema: Schema, Event: "finding", Time: end,
				HostID: r.Run.HostID, Host: r.Run.Host, Groups: r.Run.Groups,
				Formular: formular, Table: string(t.Kind), TableLine: t.Line,
			}
			itemOf(&it, &ev.Item)
			if err := json.MarshalEncode(enc, &ev); err != nil {
				return fmt.Errorf("encoding finding %s: %w", safetext.Display(it.Name), err)
			}
		}
	}
	sum := summaryEvent{
		Schema: Schema, Event: "summary",
		Verdict:  string(r.Result.Verdict),
		Scope:    scopeOf(&r.Result.Scope),
		Reasons:  messagesOf(r.Result.Reasons),
		Warnings: messagesOf(r.Result.Warnings),
		Counts:   []tableCounts{},
		Totals:   jsonCounts(totals(&r.Result)),
		Formular: summaryFormular{
			Path: formular, SHA256: r.Formular.SHA256,
			ID: r.Formular.Get("formular-id"), Product: r.Formular.Get("product"), Version: r.Formular.Get("version"),
		},
		Tool:      jsonTool{Name: r.Tool.Name, Version: r.Tool.Version, SHA256: r.Tool.SHA256},
		HostID:    r.Run.HostID,
		Host:      r.Run.Host,
		Groups:    r.Run.Groups,
		Start:     r.Run.Start.Format(timeLayout),
		End:       end,
		Duration:  r.Run.Duration().Seconds(),
		CheckDate: r.Run.CheckDate.Format(dateLayout),
	}
	if s := r.Formular.Signature; s != nil {
		sum.Formular.KeyID = s.KeyID
	}
	for _, t := range r.Result.Tables {
		c := t.Counts
		if c == nil {
			c = map[verify.Status]int{}
		}
		sum.Counts = append(sum.Counts, tableCounts{Table: string(t.Kind), TableLine: t.Line, Counts: c})
	}
	if err := json.MarshalEncode(enc, &sum); err != nil {
		return fmt.Errorf("encoding summary: %w", err)
	}
	return bw.Flush()
}

// totals adds up the tables' counts.
func totals(res *verify.Result) map[verify.Status]int {
	sum := map[verify.Status]int{}
	for _, t := range res.Tables {
		for s, n := range t.Counts {
			sum[s] += n
		}
	}
	return sum
}
