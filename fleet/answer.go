package fleet

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sverka/sverka/internal/safetext"
)

// The answers are written as a text table (Russian or English), JSON
// (docs/fleet.md gives its shape) or CSV (a header row, then one row per
// host, interval or finding). Text and CSV come from the same columns.

// Format is how an answer is written.
type Format string

// The formats of answers.
const (
	Text Format = "text"
	JSON Format = "json"
	CSV  Format = "csv"
)

// ParseFormat reads --format.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case Text, JSON, CSV:
		return f, nil
	}
	return "", fmt.Errorf("--format must be text, json or csv, not %q", s)
}

// AnswerOptions say how to write an answer.
type AnswerOptions struct {
	Format Format
	Lang   string // "ru" or "en": text only
	// Now and Period are what the answer was computed at and with.
	Now    time.Time
	Period time.Duration
}

// JSONSchema names the version of the JSON answers.
const JSONSchema = "sverka-fleet/1"

// column is a column of a text and CSV answer.
type column struct{ key, en, ru string }

// words are the words of the text answers: English, then Russian.
var words = map[string][2]string{
	Holds:        {"HOLDS", "ВЫПОЛНЕНО"},
	NotHold:      {"NOT HOLD", "НЕ ВЫПОЛНЕНО"},
	CannotCheck:  {"CANNOT CHECK", "ПРОВЕРКА НЕ ПРОВЕДЕНА"},
	Overdue:      {"OVERDUE", "ПРОСРОЧЕНО"},
	"MODIFIED":   {"MODIFIED", "изменён"},
	"MISSING":    {"MISSING", "отсутствует"},
	"RENAMED":    {"RENAMED", "переименован"},
	"EXTRA":      {"EXTRA", "лишний"},
	"UNREADABLE": {"UNREADABLE", "не читается"},
	"VIOLATED":   {"VIOLATED", "нарушен"},
	"UNSET":      {"UNSET", "не задан"},
	"image":      {"image", "образ"},
	"boot":       {"boot", "загрузка"},
	"media":      {"media", "дистрибутив"},
	"modules":    {"modules", "модули"},
	"parameters": {"parameters", "параметры"},
	"line":       {"line", "строка"},
	"none":       {"no hosts", "узлов нет"},
	"no broken":  {"no host is broken", "нарушенных узлов нет"},
	"no finds":   {"no findings", "находок нет"},
	"hosts":      {"hosts", "узлов"},
	"of period":  {"period", "период"},
}

// cells formats values for one kind of output: text in a language, or
// the machine form of CSV.
type cells struct {
	machine bool
	ru      bool
}

func cellsFor(o AnswerOptions) cells {
	return cells{machine: o.Format != Text, ru: o.Lang == "ru"}
}

func (c cells) word(w string) string {
	if c.machine {
		return w
	}
	if t, ok := words[w]; ok {
		if c.ru {
			return t[1]
		}
		return t[0]
	}
	return w
}

func (c cells) time(t time.Time) string {
	switch {
	case t.IsZero():
		return ""
	case c.machine:
		return t.UTC().Format(time.RFC3339)
	}
	return t.UTC().Format("2006-01-02 15:04") + " UTC"
}

func (c cells) timeOf(ch *Check) string {
	if ch == nil {
		return c.none()
	}
	return c.time(ch.Time)
}

func (c cells) none() string {
	if c.machine {
		return ""
	}
	return "—"
}

// table names a stored table ("media:11") in words: "media (line 11)".
func (c cells) table(t string) string {
	if c.machine {
		return t
	}
	kind, line, ok := strings.Cut(t, ":")
	if !ok {
		return c.word(t)
	}
	return c.word(kind) + " (" + c.word("line") + " " + line + ")"
}

// period is a period of control as text says it.
func (c cells) period(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%d %s", int64(d/(24*time.Hour)), c.pick("d", "дн."))
	}
	return fmt.Sprintf("%d %s", int64(d/time.Hour), c.pick("h", "ч"))
}

// age is how long d is, in whole days, or hours under two days.
func (c cells) age(d time.Duration) string {
	if c.machine {
		return fmt.Sprintf("%d", int64(d/time.Hour))
	}
	h := int64(d / time.Hour)
	if h < 48 {
		return fmt.Sprintf("%d %s", h, c.pick("h", "ч"))
	}
	return fmt.Sprintf("%d %s", h/24, c.pick("d", "дн."))
}

func (c cells) pick(en, ru string) string {
	if c.ru {
		return ru
	}
	return en
}

func (c cells) list(ss []string) string {
	if c.machine {
		return strings.Join(ss, ";")
	}
	return strings.Join(ss, ", ")
}

// short is a digest cut for a table: enough to tell and to find.
func (c cells) short(hex string) string {
	if c.machine || len(hex) <= 12 {
		return hex
	}
	return hex[:12]
}

// writeTable writes columns and rows as the options say: a text table
// with every cell escaped, or CSV.
func writeTable(w io.Writer, o AnswerOptions, cols []column, rows [][]string, empty string) error {
	if o.Format == CSV {
		return writeCSV(w, cols, rows)
	}
	c := cellsFor(o)
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, c.word(empty))
		return err
	}
	// tabwriter writes a cell at a time: a thousand hosts would be
	// thousands of system calls on an unbuffered standard output.
	bw := bufio.NewWriter(w)
	tw := tabwriter.NewWriter(bw, 0, 0, 2, ' ', 0)
	head := make([]string, len(cols))
	for i, col := range cols {
		head[i] = c.pick(col.en, col.ru)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, r := range rows {
		esc := make([]string, len(r))
		for i, cell := range r {
			// Names come from the checked hosts: shown, never obeyed.
			esc[i] = strings.ReplaceAll(safetext.Display(cell), "\t", `\t`)
		}
		fmt.Fprintln(tw, strings.Join(esc, "\t"))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	return bw.Flush()
}

// writeCSV writes RFC 4180 CSV: a header row of the columns' keys, then
// the rows, each cell defused.
func writeCSV(w io.Writer, cols []column, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	head := make([]string, len(cols))
	for i, col := range cols {
		head[i] = col.key
	}
	if err := cw.Write(head); err != nil {
		return err
	}
	for _, r := range rows {
		out := make([]string, len(r))
		for i, cell := range r {
			out[i] = CSVCell(cell)
		}
		if err := cw.Write(out); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CSVCell defuses a cell a spreadsheet would take for a formula: one
// beginning with = + - @ (or a tab or carriage return, which some strip
// first) gets a ' before it.
func CSVCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
