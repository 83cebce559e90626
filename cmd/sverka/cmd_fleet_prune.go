package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/fleet"
)

const fleetPruneSynopsis = `sverka fleet prune --keep PERIOD [--db DB] [--format text|json|csv] [--lang ru|en]

Delete the checks older than PERIOD (90d, 52w) and their reports, but
keep what the answers stand on: each host's last check, every check
whose verdict differs from the host's previous one, and of every broken
interval the last HOLDS before it and its first and last NOT HOLD.`

const fleetPruneExamples = `  sverka fleet prune --db fleet.db --keep 90d
  sverka fleet prune --db postgres://sverka@db.example/fleet --keep 52w`

type fleetPruneOpts struct {
	queryFlags
	keep string
}

func (o *fleetPruneOpts) flags(fs *pflag.FlagSet) {
	fs.StringVar(&o.keep, "keep", "", "keep every check of this period (m, h, d or w: 90d, 52w)")
	o.queryFlags.add(fs, false)
}

// runFleetPrune deletes old checks.
func runFleetPrune(ctx context.Context, c *cli, o *fleetPruneOpts, args []string) error {
	if err := noOperands("prune", args); err != nil {
		return err
	}
	if o.keep == "" {
		return errors.New("fleet prune needs --keep PERIOD (as 90d): checks older are deleted")
	}
	keep, err := fleet.ParsePeriod(o.keep)
	if err != nil {
		return fmt.Errorf("--keep: %w", err)
	}
	a, err := o.answer()
	if err != nil {
		return err
	}
	s, err := o.open(ctx, fleet.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	p, err := s.Prune(ctx, keep, a.Now)
	if err != nil {
		return err
	}
	return fleet.WritePruned(c.stdout, p, keep, a)
}
