package main

import (
	"context"
	"errors"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/internal/atomicfile"
)

const fleetTokenSynopsis = `sverka fleet token add HOST [--db DB] [-o FILE]
       sverka fleet token list [--db DB]
       sverka fleet token revoke HOST [--db DB]

Manage the tokens hosts push their reports with (sverka verify --push
to a 'fleet serve --ingest'). Each host has one token, bound to its host
id: a report of another host pushed with it is refused.

add makes a random token (32 bytes, base64url) and prints it once, or
writes it to FILE with mode 0600; the store keeps only its SHA-256, and
cannot show it again. A host that had a token gets a new one, and the
old one stops working. list shows the hosts, when each token was made
and last used, never the tokens. revoke deletes a host's token: its
pushes are refused from then on (401).`

const fleetTokenExamples = `  sverka fleet token add buh-07 --db fleet.db -o buh-07.token
  sverka fleet token list --db fleet.db
  sverka fleet token revoke buh-07 --db fleet.db`

type fleetTokenOpts struct {
	storeFlags
	output string
}

func (o *fleetTokenOpts) flags(fs *pflag.FlagSet) {
	o.storeFlags.add(fs)
	fs.StringVarP(&o.output, "output", "o", "", "add: write the token to FILE (mode 0600) instead of printing it")
}

// runFleetToken runs fleet token add, list or revoke.
func runFleetToken(ctx context.Context, c *cli, o *fleetTokenOpts, args []string) error {
	if len(args) == 0 {
		return errors.New("fleet token needs add HOST, list or revoke HOST")
	}
	verb, rest := args[0], args[1:]
	want := 1
	switch verb {
	case "add", "revoke":
	case "list":
		want = 0
	default:
		return unknownCommand("fleet token command", verb, []string{"add", "list", "revoke"})
	}
	if len(rest) != want {
		if want == 0 {
			return fmt.Errorf("fleet token list takes no operands, not %q", display(rest[0]))
		}
		return fmt.Errorf("fleet token %s needs one HOST", verb)
	}
	if o.output != "" && verb != "add" {
		return fmt.Errorf("-o is for fleet token add, not %s", verb)
	}
	switch verb {
	case "add":
		return tokenAdd(ctx, c, o, rest[0])
	case "revoke":
		s, err := o.open(ctx, fleet.Options{})
		if err != nil {
			return err
		}
		defer s.Close()
		if err := s.RevokeToken(ctx, rest[0]); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "host %s: token revoked\n", display(rest[0]))
		return nil
	}
	s, err := o.open(ctx, fleet.Options{ReadOnly: true})
	if err != nil {
		return err
	}
	defer s.Close()
	ts, err := s.Tokens(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "HOST\tCREATED\tLAST USED")
	for _, t := range ts {
		used := "never"
		if !t.LastUsed.IsZero() {
			used = t.LastUsed.Format(tokenTime)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\n", display(t.HostID), t.Created.Format(tokenTime), used)
	}
	return w.Flush()
}

const tokenTime = "2006-01-02 15:04 UTC"

// tokenAdd makes host's token and says it once: on standard output, or
// in the file -o names, readable by its owner only.
func tokenAdd(ctx context.Context, c *cli, o *fleetTokenOpts, host string) error {
	// The file is made ready first: a token that cannot be written is
	// not stored either.
	var out *atomicfile.File
	if o.output != "" && o.output != "-" {
		var err error
		if out, err = atomicfile.Create(o.output, 0o600); err != nil {
			return fmt.Errorf("-o: %w", err)
		}
		defer out.Abort()
	}
	s, err := o.open(ctx, fleet.Options{Create: true})
	if err != nil {
		return err
	}
	defer s.Close()
	token, replaced, err := s.AddToken(ctx, host, time.Now().UTC())
	if err != nil {
		return err
	}
	what := "token made"
	if replaced {
		what = "new token made; the old one no longer works"
	}
	if out == nil {
		fmt.Fprintln(c.stdout, token)
		fmt.Fprintf(c.stderr, "sverka: host %s: %s; it is shown only now: put it in a file readable by its owner only (mode 0600) for --token-file\n", display(host), what)
		return nil
	}
	if _, err := fmt.Fprintln(out, token); err != nil {
		return fmt.Errorf("-o %s: %w", o.output, err)
	}
	if err := out.Commit(); err != nil {
		// The token stored cannot be given: revoke it rather than leave
		// a token nobody has.
		s.RevokeToken(context.WithoutCancel(ctx), host)
		return fmt.Errorf("-o %s: %w", o.output, err)
	}
	fmt.Fprintf(c.stdout, "host %s: %s, written to %s\n", display(host), what, display(o.output))
	return nil
}
