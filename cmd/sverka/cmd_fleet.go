package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/report"
)

const fleetSynopsis = `sverka fleet ingest [-p PUBKEY.pub] [--db DB] REPORT.json|DIR...
       sverka fleet status [--db DB] [--period 7d] [--group G]... [--format text|json|csv]
       sverka fleet history HOST [--db DB] [--format text|json|csv]
       sverka fleet since [--db DB] [--group G]... [--format text|json|csv]
       sverka fleet findings [--db DB] [--group G]... [--format text|json|csv]
       sverka fleet prune --keep 90d [--db DB]
       sverka fleet serve [--db DB] [--ingest] [--tls-cert FILE --tls-key FILE]
       sverka fleet token add HOST [-o FILE] | list | revoke HOST [--db DB]

Keep the JSON reports of many hosts in one store (a SQLite file, or a
PostgreSQL database) and ask it: which hosts hold now, since when each
broken host is broken, which finding many hosts share, which host has not
reported within its period.

Run 'sverka help fleet NAME' for the flags and examples of each.`

// dbEnv names the variable that stands for --db when it is not given:
// a PostgreSQL URL with its password is better kept off the command line.
const dbEnv = "SVERKA_DB"

// storeFlags are the flags of every fleet command: the store.
type storeFlags struct {
	db string
}

func (o *storeFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&o.db, "db", "", "the store: a SQLite file or a postgres:// URL (default $"+dbEnv+", else fleet.db in the user's data directory)")
}

// open opens the store --db names, $SVERKA_DB, or the default one; with
// create, the default store's directory is made too.
func (o *storeFlags) open(ctx context.Context, opt fleet.Options) (*fleet.Store, error) {
	dsn := o.db
	if dsn == "" {
		dsn = os.Getenv(dbEnv)
	}
	if dsn == "" {
		def, err := fleet.DefaultDB()
		if err != nil {
			return nil, err
		}
		if opt.Create {
			if err := os.MkdirAll(filepath.Dir(def), 0o700); err != nil {
				return nil, fmt.Errorf("store %s: %w", def, err)
			}
		}
		dsn = def
	}
	return fleet.Open(ctx, dsn, opt)
}

// queryFlags are the flags of the commands that answer from the store.
type queryFlags struct {
	storeFlags
	period string
	groups []string
	format string
	lang   string
	now    string
}

func (o *queryFlags) add(fs *pflag.FlagSet, filters bool) {
	o.storeFlags.add(fs)
	if filters {
		fs.StringVar(&o.period, "period", "7d", "the period of control: a host whose last check is older is OVERDUE (m, h, d or w: 36h, 7d, 2w)")
		fs.StringArrayVar(&o.groups, "group", nil, "only the hosts of this group (repeatable: any of them)")
	}
	fs.StringVar(&o.format, "format", "text", "output: text, json or csv")
	fs.StringVar(&o.lang, "lang", "", "language of text: ru or en (default from LC_ALL, LC_MESSAGES, LANG)")
	fs.StringVar(&o.now, "now", "", "")
	fs.MarkHidden("now") // answers as of a fixed time, for tests and examples
}

// answer checks the flags and says how to write the answer.
func (o *queryFlags) answer() (fleet.AnswerOptions, error) {
	format, err := fleet.ParseFormat(o.format)
	if err != nil {
		return fleet.AnswerOptions{}, err
	}
	if err := checkLang(o.lang); err != nil {
		return fleet.AnswerOptions{}, err
	}
	lang := o.lang
	if lang == "" {
		lang = report.LangFromEnv()
	}
	a := fleet.AnswerOptions{Format: format, Lang: lang, Now: time.Now(), Period: fleet.DefaultPeriod}
	if o.now != "" {
		if a.Now, err = time.Parse(time.RFC3339, o.now); err != nil {
			return a, fmt.Errorf("--now: %w", err)
		}
	}
	if o.period != "" {
		if a.Period, err = fleet.ParsePeriod(o.period); err != nil {
			return a, fmt.Errorf("--period: %w", err)
		}
	}
	return a, nil
}

func (o *queryFlags) filter() fleet.Filter { return fleet.Filter{Groups: o.groups} }

// query opens the store read-only, for an answer: nothing a query does
// can change it.
func (o *queryFlags) query(ctx context.Context) (*fleet.Store, fleet.AnswerOptions, error) {
	a, err := o.answer()
	if err != nil {
		return nil, a, err
	}
	s, err := o.open(ctx, fleet.Options{ReadOnly: true})
	return s, a, err
}

// noOperands refuses operands a command does not take.
func noOperands(name string, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("fleet %s takes no operands, not %q", name, args[0])
	}
	return nil
}

var errNoHosts = errors.New("the store holds no check of the hosts asked for")
