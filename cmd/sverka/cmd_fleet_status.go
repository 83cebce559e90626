package main

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/fleet"
)

const fleetStatusSynopsis = `sverka fleet status [--db DB] [--period 7d] [--group G]... [--format text|json|csv] [--lang ru|en]

Each host's latest check: its verdict, or OVERDUE when that check is older
than the period; for a broken host, the last HOLDS and the first NOT HOLD
between which it broke. Exit 0 when every host asked for HOLDS within the
period, 1 when any does not (NOT HOLD, CANNOT CHECK or OVERDUE), 2 when
the store holds none of them.`

const fleetStatusExamples = `  sverka fleet status --db fleet.db
  sverka fleet status --db fleet.db --period 36h --group msk --format csv > status.csv`

type fleetStatusOpts struct{ queryFlags }

func (o *fleetStatusOpts) flags(fs *pflag.FlagSet) { o.queryFlags.add(fs, true) }

// runFleetStatus answers which hosts hold now.
func runFleetStatus(ctx context.Context, c *cli, o *fleetStatusOpts, args []string) error {
	if err := noOperands("status", args); err != nil {
		return err
	}
	s, a, err := o.query(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	hs, err := s.Status(ctx, o.filter(), a.Now, a.Period)
	if err != nil {
		return err
	}
	if err := fleet.WriteStatus(c.stdout, hs, a); err != nil {
		return err
	}
	if len(hs) == 0 {
		return errNoHosts
	}
	for _, h := range hs {
		if h.State != fleet.Holds {
			return errNotHold
		}
	}
	return nil
}
