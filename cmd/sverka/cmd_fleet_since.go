package main

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/fleet"
)

const fleetSinceSynopsis = `sverka fleet since [--db DB] [--group G]... [--format text|json|csv] [--lang ru|en]

Each host broken now, the longest broken first: the last check that
HOLDS and the first that did NOT HOLD after it (it broke between the
two), how long ago that was, and the CANNOT CHECK checks between them,
which neither end nor start the interval.`

const fleetSinceExamples = `  sverka fleet since --db fleet.db
  sverka fleet since --db fleet.db --group msk --format json`

type fleetSinceOpts struct{ queryFlags }

func (o *fleetSinceOpts) flags(fs *pflag.FlagSet) { o.queryFlags.add(fs, true) }

// runFleetSince answers since when each broken host is broken.
func runFleetSince(ctx context.Context, c *cli, o *fleetSinceOpts, args []string) error {
	if err := noOperands("since", args); err != nil {
		return err
	}
	s, a, err := o.query(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	ivs, err := s.Since(ctx, o.filter())
	if err != nil {
		return err
	}
	return fleet.WriteSince(c.stdout, ivs, a)
}
