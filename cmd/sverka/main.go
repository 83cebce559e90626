// Command sverka checks that a certified software distribution and its
// installed copy are still what the certificate covers.
//
// This package is the command line only: flags, wiring and exit codes. A
// command lives in its own file, cmd_NAME.go: its synopsis, an options
// struct its flags fill, and a runNAME function returning an error;
// exitStatus (here) alone turns errors into messages and exit codes. The
// work is done by the checksum, formular, survey, iso, settings, sign,
// verify and report packages (see docs/architecture.md).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/internal/nice"
)

// Exit codes: scripts rely on them.
const (
	exitOK    = 0 // holds / all OK
	exitFail  = 1 // does not hold / a mismatch
	exitError = 2 // could not check
)

func main() {
	os.Exit(runMain(os.Args[1:], &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}))
}

// errInterrupted is the cause of a run cancelled by SIGINT or SIGTERM.
var errInterrupted = errors.New("interrupted")

// silentExit is an error that carries only an exit code: what went wrong
// has been said already (by the report, the FAILED lines, the errors of
// each file), and nothing more is printed.
type silentExit int

func (e silentExit) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

// The errors a command returns when it has said everything itself.
const (
	// errNotHold is a check that did not hold, or a digest that did not
	// match.
	errNotHold = silentExit(exitFail)
	// errCannotCheck is a check that could not be made.
	errCannotCheck = silentExit(exitError)
)

// failure is a failure said in a message of its own: exit 1 with the
// message, as "sverka: " and err.
type failure struct{ err error }

func (f failure) Error() string { return f.err.Error() }
func (f failure) Unwrap() error { return f.err }

// exitErr is the error that exits with code and says nothing more.
func exitErr(code int) error {
	if code == exitOK {
		return nil
	}
	return silentExit(code)
}

// usageText is a usage error that is the usage itself: printed as it is,
// without the "sverka: " of other errors.
type usageText string

func (u usageText) Error() string { return strings.TrimSpace(string(u)) }

// exitStatus is the one place where a command's error becomes what the
// process says on standard error and its exit code: nil or help asked is
// 0; a check that did not hold or a mismatch is 1 (a failure says it, a
// silentExit has said it); anything else is 2, a check that
// could not be made (a usage error, an unreadable or unsigned formular,
// an interruption), said as "sverka: " and the error.
func exitStatus(c *cli, err error) int {
	var silent silentExit
	var u usageText
	var f failure
	switch {
	case err == nil, errors.Is(err, pflag.ErrHelp):
		return exitOK
	case errors.As(err, &silent):
		return int(silent)
	case errors.As(err, &u):
		fmt.Fprint(c.stderr, string(u))
		return exitError
	case errors.As(err, &f):
		c.errorf("%v", err)
		return exitFail
	}
	c.errorf("%v", err)
	return exitError
}

// interruptGrace is how long an interrupted command is given to end: to
// write the report of a check that could not finish. A command still
// running then is stuck where no cancellation reaches (a read of a dead
// network mount, a FIFO without a writer named to 'hash'), and the
// process ends without it.
const interruptGrace = 700 * time.Millisecond

// stopGrace is how long a serving command is given, after a signal, to
// finish the requests in flight and end as it was asked to.
const stopGrace = 10 * time.Second

// runMain runs a command as the process does: SIGINT and SIGTERM cancel
// its context and end it within interruptGrace, with exit 2 and
// "interrupted" on standard error; a second signal ends it at once. A
// serving command (cli.serving) is stopped instead: its context is
// cancelled and it ends with its own exit code within stopGrace. What
// the command would say on standard error after the signal (the errors of
// reads cut short) is dropped: the run was interrupted, nothing else.
func runMain(args []string, c *cli) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	stderr := &gate{w: c.stderr}
	cc := *c
	cc.stderr = stderr
	cc.serving = new(atomic.Bool)
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, &cc) }()
	select {
	case code := <-done:
		return code
	case <-sigs:
	}
	if cc.serving.Load() {
		// A server is stopped, not interrupted: it ends as it would.
		cancel(context.Canceled)
		select {
		case code := <-done:
			return code
		case <-sigs:
		case <-time.After(stopGrace):
			c.errorf("stopped: requests still running after %v were dropped", stopGrace)
		}
		return exitError
	}
	stderr.close()
	cancel(errInterrupted)
	fmt.Fprintln(c.stderr, "sverka: interrupted")
	select {
	case <-done:
	case <-sigs:
	case <-time.After(interruptGrace):
	}
	return exitError
}

// gate passes writes through until it is closed, then drops them.
type gate struct {
	w      io.Writer
	closed atomic.Bool
}

func (g *gate) Write(p []byte) (int, error) {
	if g.closed.Load() {
		return len(p), nil
	}
	return g.w.Write(p)
}

func (g *gate) close() { g.closed.Store(true) }

// cli carries the process's streams so commands never reach for globals.
type cli struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// serving is set by a command that runs until it is stopped (fleet
	// serve): a signal is then how it ends, not an interruption.
	serving *atomic.Bool
}

func (c *cli) errorf(format string, a ...any) {
	fmt.Fprintf(c.stderr, "sverka: "+format+"\n", a...)
}

func (c *cli) warnf(format string, a ...any) {
	fmt.Fprintf(c.stderr, "sverka: warning: "+format+"\n", a...)
}

const usage = `sverka checks a certified distribution against its signed formular.

Usage:
  sverka hash [-a ALG[,ALG]] [--tag] [--gost-reverse] [-r] [-j N] PATH...
  sverka hash -c [-a ALG] [--gost-reverse] LIST...
  sverka hash --iso-md5 IMAGE
  sverka keygen [-W] -p KEY.pub -s KEY.key
  sverka sign -s KEY.key FILE...
  sverka formular make [-a ALG[,ALG]] [--media ISO|DIR] [--modules DIR --root-var NAME] [--set KEY=VALUE]... -o FILE
  sverka formular import --from FORMAT [--table media|modules] [--gost-reverse] [--set KEY=VALUE]... LIST... -o FILE
  sverka verify -f FORMULAR (-P PUBKEY | -p PUBKEY.pub) [--media ISO|DEVICE|DIR] [--installed ROOT]
                [--var NAME=PATH]... [--settings FILE]... [--at DATE] [--format text|json|ndjson|html]
                [--lang ru|en] [-o FILE] [-v] [--quiet | --status]
                [--push URL --token-file FILE [--spool DIR] [--ca FILE]]
  sverka report render REPORT.json [-p PUBKEY.pub] --format text|html|json [--lang ru|en] [-o FILE]
  sverka report diff A.json B.json [-p PUBKEY.pub] [--format text|json|csv] [--lang ru|en] [-o FILE]
  sverka fleet ingest [-p PUBKEY.pub] [--db DB] REPORT.json|DIR...
  sverka fleet status|since|findings [--db DB] [--period 7d] [--group G]... [--format text|json|csv]
  sverka fleet history HOST [--db DB] [--format text|json|csv]
  sverka fleet prune --keep 90d [--db DB]
  sverka fleet serve [--db DB] [--listen ADDR] [--period D] [--warn-before D] [--lang ru|en]
  sverka fleet token add HOST [-o FILE] | list | revoke HOST [--db DB]
  sverka fleet report --from DATE --to DATE [--group G]... [--db DB] --format html|json [--lang ru|en] [-o FILE]
  sverka completion bash|zsh|fish|powershell
  sverka version
  sverka help [COMMAND] | sverka help --man DIR

Run 'sverka help COMMAND' or 'sverka COMMAND --help' for a command's flags
and examples; 'sverka help --man DIR' writes them as manual pages.

Exit codes: 0 holds (all OK), 1 does not hold (a mismatch), 2 could not check.
`

// run runs the command args name and gives its exit code.
func run(ctx context.Context, args []string, c *cli) int {
	return exitStatus(c, dispatch(ctx, args, c))
}

// newFlags makes a command's flag set with the common flags and a usage
// text. Parse errors are reported by parseFlags, never by pflag exiting.
func newFlags(c *cli, name, synopsis, examples string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	// parseFlags prints help and errors itself: help on stdout, errors
	// once, on stderr.
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.Usage = func() { fmt.Fprint(c.stdout, helpText(fs, synopsis, examples)) }
	return fs
}

// options are a command's options: flags declares them on the command's
// flag set, bound to the fields they fill.
type options interface {
	flags(fs *pflag.FlagSet)
}

// afterParse is implemented by options that need more of the command
// line than their fields: whether a flag was given or left at its
// default, or the command line itself.
type afterParse interface {
	parsed(fs *pflag.FlagSet, args []string)
}

// command parses args into a command's options and runs it with the
// operands left.
func command[O any, P interface {
	*O
	options
}](ctx context.Context, c *cli, name, synopsis, examples string, args []string, run func(context.Context, *cli, P, []string) error) error {
	o := P(new(O))
	fs := newFlags(c, name, synopsis, examples)
	o.flags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if p, ok := any(o).(afterParse); ok {
		p.parsed(fs, args)
	}
	return run(ctx, c, o, fs.Args())
}

// parseFlags parses args: a usage error names the command, the flag
// meant when one is near, and its help; help asked for is pflag.ErrHelp,
// after pflag has printed the usage.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err != nil && !errors.Is(err, pflag.ErrHelp) {
		return flagError(fs, err)
	}
	return err
}

// common holds the flags every long-running command takes.
type common struct {
	jobs     int
	quiet    bool
	progress string
	color    string
	nice     bool
	// spare and lowered are what --nice set up (lower): nil and empty
	// without it.
	spare   *checksum.Spare
	lowered nice.Lowered
}

func (o *common) add(fs *pflag.FlagSet) {
	fs.IntVarP(&o.jobs, "jobs", "j", 0, "files hashed at once (default: number of CPUs)")
	fs.BoolVar(&o.quiet, "quiet", false, "print only failures and errors")
	fs.StringVar(&o.progress, "progress", "auto", "progress on stderr: auto|always|never")
	fs.StringVar(&o.color, "color", "auto", "colour output: auto|always|never (NO_COLOR honoured)")
	fs.BoolVar(&o.nice, "nice", false, "lowest CPU and I/O priority, and leave the page cache as it was (production hosts)")
}

// lower does what --nice asks, before anything is read: a host the
// user wants spared is never checked at full priority, so a priority
// that cannot be lowered is an error.
func (o *common) lower() error {
	if !o.nice {
		return nil
	}
	l, err := nice.Lower()
	if err != nil {
		return fmt.Errorf("--nice: %w", err)
	}
	o.lowered, o.spare = l, &checksum.Spare{}
	return nil
}

// explainReads says on stderr, with -v, how the engine reads the files
// (hash -v, verify -v).
func explainReads(c *cli, verbose bool) func(string) {
	if !verbose {
		return nil
	}
	return func(line string) { c.errorf("reading: %s", line) }
}

// saidNice tells on stderr what --nice did, for -v.
func (o *common) saidNice(c *cli, verbose bool) {
	if !o.nice || !verbose {
		return
	}
	c.errorf("--nice: %s", o.lowered)
	c.errorf("--nice: %s", o.spare.Stats())
}

func (o *common) check() error {
	if o.jobs < 0 {
		return fmt.Errorf("-j must be a positive number of workers")
	}
	for _, f := range []struct{ name, v string }{{"--progress", o.progress}, {"--color", o.color}} {
		switch f.v {
		case "auto", "always", "never":
		default:
			return fmt.Errorf("%s must be auto, always or never, not %q", f.name, f.v)
		}
	}
	return nil
}
