package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/config"
)

// The keys of a verify configuration file that are not flags of verify:
// every flag of verify but --config is a key of the same name.
const (
	// confReports is the directory each report is written to, as
	// <host-id>-<UTC time>.json.
	confReports = "reports"
	// confPeriod makes a run check only when the newest report in the
	// reports directory is older than the period.
	confPeriod = "period"
)

// reportTime is the UTC time in a report's file name: sortable, and
// without the colons Windows refuses in names.
const reportTime = "20060102T150405Z"

// periodic is what a configuration file asks of the run beyond flags.
type periodic struct {
	file    *config.File
	reports string                  // "" when reports are not kept in a directory
	named   bool                    // the report goes there, named by host and time
	period  time.Duration           // 0: check at every run
	hostID  string                  // names the reports: verify's host id
	line    map[string]config.Entry // where each key was given
}

// configKeys are the keys a configuration file may give: the flags of
// verify, a list where the flag may repeat, and the keys of its own.
func configKeys(fs *pflag.FlagSet) config.Keys {
	keys := config.Keys{confReports: false, confPeriod: false}
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Name == "config" {
			return
		}
		t := f.Value.Type()
		keys[f.Name] = t == "stringArray" || t == "stringSlice"
	})
	return keys
}

// loadConfig reads the --config file into the flags the command line did
// not give (the command line wins), and keeps what it says of reports and
// the period.
func (o *verifyOpts) loadConfig() error {
	if o.config == "" {
		return nil
	}
	f, err := config.Read(o.config, configKeys(o.fs))
	if err != nil {
		return fmt.Errorf("--config: %w", err)
	}
	given := map[string]bool{}
	o.fs.Visit(func(fl *pflag.Flag) { given[fl.Name] = true })
	p := &periodic{file: f, line: map[string]config.Entry{}}
	for _, e := range f.Entries {
		p.line[e.Key] = e
		switch e.Key {
		case confReports:
			p.reports = e.Value
			continue
		case confPeriod:
			if p.period, err = config.ParsePeriod(e.Value); err != nil {
				return f.Errorf(e, "%v", err)
			}
			continue
		}
		if given[e.Key] {
			continue
		}
		if err := o.fs.Set(e.Key, e.Value); err != nil {
			return f.Errorf(e, "%v", err)
		}
	}
	o.hostIDSet = o.fs.Changed("host-id") // from the file or the command line
	if p.period > 0 && p.reports == "" {
		return f.Errorf(p.line[confPeriod], "needs reports = DIR, where the newest report is looked for")
	}
	if p.reports != "" {
		if err := o.planReports(p, given); err != nil {
			return err
		}
	}
	o.periodic = p
	return nil
}

// planReports checks the reports directory; the report goes there, as
// JSON, unless -o was given.
func (o *verifyOpts) planReports(p *periodic, given map[string]bool) error {
	e := p.line[confReports]
	fi, err := os.Stat(p.reports)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return p.file.Errorf(e, "%s: no such directory", p.reports)
	case err != nil:
		return p.file.Errorf(e, "%v", osErr(err))
	case !fi.IsDir():
		return p.file.Errorf(e, "%s is not a directory", p.reports)
	}
	if given["output"] {
		return nil
	}
	if _, ok := p.line["output"]; ok {
		return p.file.Errorf(p.line["output"], "reports = DIR names the reports: give one of them")
	}
	if o.format != "json" && (given["format"] || p.line["format"].Key != "") {
		return fmt.Errorf("--format %s: the reports directory %s keeps JSON reports", o.format, p.reports)
	}
	o.format = "json"
	p.named = true
	return nil
}

// validHostID says whether id can name a report file on any system:
// letters, digits, '.', '_' and '-', not first '.' or '-'.
func validHostID(id string) bool {
	if id == "" || len(id) > 200 || id[0] == '.' || id[0] == '-' {
		return false
	}
	for _, r := range id {
		if !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// reportName is the file a report of a run started at start is written
// to in the reports directory.
func (p *periodic) reportName(start time.Time) string {
	return filepath.Join(p.reports, p.hostID+"-"+start.UTC().Format(reportTime)+".json")
}

// newest is the time of this host's newest report in the reports
// directory, read from the names written by reportName, and its name; a
// zero time when there is none. Times in the future (a clock set back, a
// planted name) are not counted: they must not put checks off.
func (p *periodic) newest(now time.Time) (time.Time, string, error) {
	ents, err := os.ReadDir(p.reports)
	if err != nil {
		return time.Time{}, "", p.file.Errorf(p.line[confReports], "%v", osErr(err))
	}
	var best time.Time
	var name string
	for _, d := range ents {
		n := d.Name()
		rest, ok := strings.CutPrefix(n, p.hostID+"-")
		if !ok || !d.Type().IsRegular() {
			continue
		}
		t, err := time.Parse(reportTime, strings.TrimSuffix(rest, ".json"))
		if err != nil || !strings.HasSuffix(rest, ".json") || t.After(now.Add(time.Minute)) {
			continue
		}
		if t.After(best) {
			best, name = t, n
		}
	}
	return best, name, nil
}

// due says whether the run is to check: without a period always; with
// one, when the newest report of host hostID is at least the period old.
// It says why a run that is not due does nothing. A run that is due and
// keeps its report in the reports directory writes it there, named by
// the host and start.
func (o *verifyOpts) due(c *cli, start time.Time, hostID string) (bool, error) {
	p := o.periodic
	if p == nil || p.reports == "" {
		return true, nil
	}
	if !validHostID(hostID) {
		return false, p.file.Errorf(p.line[confReports], "the host id %q cannot name a report file (letters, digits, '.', '_' and '-'): give host-id = NAME", hostID)
	}
	p.hostID = hostID
	if p.named {
		o.output = p.reportName(start)
	}
	if p.period == 0 {
		return true, nil
	}
	now := start
	t, name, err := p.newest(now)
	if err != nil || t.IsZero() {
		return true, err
	}
	if age := now.Sub(t); age < p.period {
		if !o.status {
			fmt.Fprintf(c.stderr, "sverka: not checked now: the newest report, %s, is %s old, less than the period of %s (%s line %d)\n",
				filepath.Join(p.reports, name), roundAge(age), p.line[confPeriod].Value, p.file.Path, p.line[confPeriod].Line)
		}
		return false, nil
	}
	return true, nil
}

// roundAge is an age as a person reads it: to the minute.
func roundAge(d time.Duration) string {
	d = d.Round(time.Minute)
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case d == 0:
		return "less than a minute"
	case h == 0:
		return fmt.Sprintf("%dm", m)
	case m == 0:
		return fmt.Sprintf("%dh", h)
	}
	return fmt.Sprintf("%dh%dm", h, m)
}
