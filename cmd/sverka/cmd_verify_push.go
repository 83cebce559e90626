package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/fleet/push"
	"github.com/sverka/sverka/report"
)

// pushFlags are verify's flags for sending the report to the collector.
type pushFlags struct {
	push      string
	tokenFile string
	spool     string
	ca        string
}

func (o *pushFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&o.push, "push", "", "send the JSON report to the collector at `URL` (https://HOST[:PORT]; fleet serve --ingest)")
	fs.StringVar(&o.tokenFile, "token-file", "", "--push: the `FILE` holding this host's token (mode 0600; fleet token add)")
	fs.StringVar(&o.spool, "spool", "", "--push: the `DIR` where reports wait while the collector cannot be reached (default /var/lib/sverka/spool for root, else the user's state directory)")
	fs.StringVar(&o.ca, "ca", "", "--push: the collector's CA certificate `FILE` (PEM), instead of the system's")
}

// client checks the push flags and makes the collector's client, nil
// without --push.
func (o *pushFlags) client() (*push.Client, error) {
	if o.push == "" {
		for name, v := range map[string]string{"--token-file": o.tokenFile, "--spool": o.spool, "--ca": o.ca} {
			if v != "" {
				return nil, fmt.Errorf("%s is for --push URL, which is not given", name)
			}
		}
		return nil, nil
	}
	if o.tokenFile == "" {
		return nil, errors.New("--push needs --token-file FILE: the host's token (sverka fleet token add)")
	}
	token, err := push.ReadToken(o.tokenFile)
	if err != nil {
		return nil, err
	}
	if o.spool == "" {
		if o.spool, err = push.DefaultSpoolDir(); err != nil {
			return nil, err
		}
	}
	return push.New(o.push, token, o.ca)
}

// pushReport sends the report's JSON to the collector, after what the
// spool holds, and returns the exit: the check's own (checkErr), unless
// a report was refused or could not be kept. Then a check that held
// exits 2, for its evidence will not reach the collector by itself; a
// check that did not hold keeps its exit 1, the more pressing news.
func (o *verifyOpts) pushReport(ctx context.Context, c *cli, pc *push.Client, rep *report.Report, checkErr error) error {
	var b bytes.Buffer
	if err := report.WriteJSON(&b, rep); err != nil {
		return o.pushFailed(c, checkErr, fmt.Errorf("push: %w", err))
	}
	d, err := push.Deliver(ctx, pc, push.Spool{Dir: o.spool}, b.Bytes(), time.Now())
	for _, s := range d.Flushed {
		o.pushSaid(c, "push: a spooled report of %s sent to %s: check %d (%s)", display(s.HostID), pc.URL(), s.CheckID, s.Status)
	}
	for _, r := range d.Rejected {
		c.errorf("push: %v; the report is kept in %s", r.Err, r.Path)
	}
	switch {
	case d.Sent != nil:
		o.pushSaid(c, "push: report sent to %s: check %d (%s)", pc.URL(), d.Sent.CheckID, d.Sent.Status)
	case d.Spooled != "":
		// Said even with --quiet: the report has not arrived.
		c.warnf("push: %v; the report is spooled in %s (%d waiting) and will be sent by the next run", d.Unreachable, filepath.Dir(d.Spooled), d.Waiting)
	}
	if err != nil {
		return o.pushFailed(c, checkErr, fmt.Errorf("push: %w; the report was neither sent nor spooled", err))
	}
	if len(d.Rejected) > 0 {
		return o.pushFailed(c, checkErr, nil)
	}
	return checkErr
}

// pushSaid says what was sent, unless --quiet or --status.
func (o *verifyOpts) pushSaid(c *cli, format string, a ...any) {
	if !o.quiet {
		fmt.Fprintf(c.stderr, "sverka: "+format+"\n", a...)
	}
}

// pushFailed is the exit of a run whose report did not reach the
// collector and will not by itself: err said (when not nil), and exit 2
// unless the check exits non-zero already.
func (o *verifyOpts) pushFailed(c *cli, checkErr, err error) error {
	if err != nil {
		c.errorf("%v", err)
	}
	if checkErr != nil {
		return checkErr
	}
	return errCannotCheck
}
