package main

import (
	"context"
	"errors"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/fleet"
)

const fleetHistorySynopsis = `sverka fleet history HOST [--db DB] [--format text|json|csv] [--lang ru|en]

Every stored check of one host (its host id), newest first: when, the
verdict, how many findings, the formular and the report's SHA-256.`

const fleetHistoryExamples = `  sverka fleet history --db fleet.db host-17
  sverka fleet history --db fleet.db host-17 --format json`

type fleetHistoryOpts struct{ queryFlags }

func (o *fleetHistoryOpts) flags(fs *pflag.FlagSet) { o.queryFlags.add(fs, false) }

// runFleetHistory lists a host's checks.
func runFleetHistory(ctx context.Context, c *cli, o *fleetHistoryOpts, args []string) error {
	if len(args) != 1 {
		return errors.New("fleet history needs exactly one HOST")
	}
	s, a, err := o.query(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	cs, err := s.History(ctx, args[0])
	if err != nil {
		return err
	}
	return fleet.WriteHistory(c.stdout, args[0], cs, a)
}
