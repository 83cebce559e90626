package main

import (
	"context"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/fleet"
)

const fleetFindingsSynopsis = `sverka fleet findings [--db DB] [--group G]... [--format text|json|csv] [--lang ru|en]

The findings of each host's latest check, the most common first, with
how many hosts have each and, when they all saw the same, the digest or
value found. One file changed alike on many hosts at once is more likely
an update than an attack; a change on one host alone deserves a look.`

const fleetFindingsExamples = `  sverka fleet findings --db fleet.db
  sverka fleet findings --db fleet.db --format csv > findings.csv`

type fleetFindingsOpts struct{ queryFlags }

func (o *fleetFindingsOpts) flags(fs *pflag.FlagSet) { o.queryFlags.add(fs, true) }

// runFleetFindings answers which findings many hosts share.
func runFleetFindings(ctx context.Context, c *cli, o *fleetFindingsOpts, args []string) error {
	if err := noOperands("findings", args); err != nil {
		return err
	}
	s, a, err := o.query(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	fcs, err := s.Findings(ctx, o.filter())
	if err != nil {
		return err
	}
	return fleet.WriteFindings(c.stdout, fcs, a)
}
