package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/fleet/act"
	"github.com/sverka/sverka/internal/atomicfile"
	"github.com/sverka/sverka/report"
)

const fleetReportSynopsis = `sverka fleet report --from DATE --to DATE [--group G]... [--db DB] [--period 7d] --format html|json [--lang ru|en] [-o FILE] [-f]

Make the consolidated integrity control report of the fleet over a period
(«Сводный протокол контроля целостности»): the period, the formulars the
hosts were checked against, every host with its last verdict and check
time in the period, the hosts that broke and when, the findings most
common first, the hosts that did not report (OVERDUE by --period, or no
check at all), and totals. HTML prints on A4 with a signature block for
the auditor; JSON is the document sverka-act/1 (docs/fleet.md).

DATE is YYYY-MM-DD in local time; the period runs from the start of
--from to the end of --to. Sign the file written with -o as a report:
'sverka sign -s KEY.key FILE'. A file with a signature beside it is not
overwritten without -f.`

const fleetReportExamples = `  sverka fleet report --db fleet.db --from 2026-11-01 --to 2026-11-30 --format html --lang ru -o act-2026-11.html
  sverka fleet report --db fleet.db --from 2026-11-01 --to 2026-11-30 --group dc-msk --format json -o act.json
  sverka sign -s auditor.key act-2026-11.html`

type fleetReportOpts struct {
	from, to string
	groups   []string
	storeFlags
	period string
	format string
	lang   string
	output string
	force  bool
}

func (o *fleetReportOpts) flags(fs *pflag.FlagSet) {
	fs.StringVar(&o.from, "from", "", "the period's first day, YYYY-MM-DD")
	fs.StringVar(&o.to, "to", "", "the period's last day, YYYY-MM-DD")
	fs.StringArrayVar(&o.groups, "group", nil, "only hosts in this group (repeat for several)")
	o.storeFlags.add(fs)
	fs.StringVar(&o.period, "period", "7d", "period of control: a host whose last check is older is OVERDUE")
	fs.StringVar(&o.format, "format", "html", "output: html or json")
	fs.StringVar(&o.lang, "lang", "", "language: ru or en (default from LC_ALL, LC_MESSAGES, LANG)")
	fs.StringVarP(&o.output, "output", "o", "", "write to FILE instead of standard output")
	fs.BoolVarP(&o.force, "force", "f", false, "overwrite -o FILE even when a signature lies beside it")
}

// runFleetReport builds the act from the store and writes it.
func runFleetReport(ctx context.Context, c *cli, o *fleetReportOpts, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("fleet report takes no operands, not %q", display(args[0]))
	}
	if o.from == "" || o.to == "" {
		return errors.New("fleet report needs --from DATE and --to DATE (YYYY-MM-DD)")
	}
	from, err := act.ParseDay(o.from, time.Local)
	if err != nil {
		return fmt.Errorf("--from: %w", err)
	}
	last, err := act.ParseDay(o.to, time.Local)
	if err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	if last.Before(from) {
		return fmt.Errorf("--to %s is before --from %s", o.to, o.from)
	}
	if o.format != "html" && o.format != "json" {
		return fmt.Errorf("--format must be html or json, not %q", o.format)
	}
	if err := checkLang(o.lang); err != nil {
		return err
	}
	lang := o.lang
	if lang == "" {
		lang = report.LangFromEnv()
	}
	period, err := fleet.ParsePeriod(o.period)
	if err != nil {
		return fmt.Errorf("--period: %w", err)
	}
	dsn := o.dsn()
	var out *atomicfile.File
	if o.output != "" {
		if out, err = openOutput(o.output, o.force); err != nil {
			return err
		}
	}
	if out != nil {
		defer out.Abort()
	}
	st, err := o.open(ctx, fleet.Options{ReadOnly: true})
	if err != nil {
		return redactErr(err, dsn)
	}
	defer st.Close()
	a, err := act.Build(ctx, st, act.Query{From: from, To: last.AddDate(0, 0, 1), Groups: o.groups, Period: period, Now: time.Now()})
	if err != nil {
		return redactErr(err, dsn)
	}
	w := c.stdout
	if out != nil {
		w = out
	}
	if o.format == "json" {
		err = act.WriteJSON(w, a)
	} else {
		err = act.WriteHTML(w, a, lang)
	}
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := out.Commit(); err != nil {
		return err
	}
	fmt.Fprintf(c.stderr, "sverka: %s written: %d %s, %d not hold, %d cannot check, %d overdue, %d without a check; sign it: sverka sign -s KEY.key %s\n",
		display(o.output), a.Totals.Hosts, plural(a.Totals.Hosts, "host", "hosts"), a.Totals.NotHold, a.Totals.CannotCheck, a.Totals.Overdue, a.Totals.NoCheck, display(o.output))
	return nil
}
