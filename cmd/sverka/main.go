// Command sverka checks that a certified software distribution and its
// installed copy are still what the certificate covers.
//
// This package is the command line only: flags, wiring and exit codes. The
// work is done by the checksum, formular, iso, settings, verify and report
// packages.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/pflag"
)

// Exit codes: scripts rely on them.
const (
	exitOK    = 0 // holds / all OK
	exitFail  = 1 // does not hold / a mismatch
	exitError = 2 // could not check
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

func main() {
	os.Exit(runMain(os.Args[1:], &cli{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr}))
}

// errInterrupted is the cause of a run cancelled by SIGINT or SIGTERM.
var errInterrupted = errors.New("interrupted")

// interruptGrace is how long an interrupted command is given to end: to
// write the report of a check that could not finish. A command still
// running then is stuck where no cancellation reaches (a read of a dead
// network mount, a FIFO without a writer named to 'hash'), and the
// process ends without it.
const interruptGrace = 700 * time.Millisecond

// runMain runs a command as the process does: SIGINT and SIGTERM cancel
// its context and end it within interruptGrace, with exit 2 and
// "interrupted" on standard error; a second signal ends it at once. What
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
	done := make(chan int, 1)
	go func() { done <- run(ctx, args, &cc) }()
	select {
	case code := <-done:
		return code
	case <-sigs:
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

// interrupted says whether ctx was cancelled by a signal.
func interrupted(ctx context.Context) bool {
	return errors.Is(context.Cause(ctx), errInterrupted)
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
                [--lang ru|en] [-o FILE] [-v]
  sverka report render REPORT.json [-p PUBKEY.pub] --format text|html|json [--lang ru|en] [-o FILE]
  sverka version

Run 'sverka COMMAND --help' for a command's flags.

Exit codes: 0 holds (all OK), 1 does not hold (a mismatch), 2 could not check.
`

func run(ctx context.Context, args []string, c *cli) int {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, usage)
		return exitError
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "hash":
		return cmdHash(ctx, c, rest)
	case "keygen":
		return cmdKeygen(ctx, c, rest)
	case "sign":
		return cmdSign(ctx, c, rest)
	case "formular":
		return cmdFormular(ctx, c, rest)
	case "verify":
		return cmdVerify(ctx, c, rest)
	case "report":
		return cmdReport(ctx, c, rest)
	case "version", "--version":
		fmt.Fprintf(c.stdout, "sverka %s\n", toolVersion())
		return exitOK
	case "help", "-h", "--help":
		fmt.Fprint(c.stdout, usage)
		return exitOK
	default:
		c.errorf("unknown command %q\n\n%s", cmd, strings.TrimRight(usage, "\n"))
		return exitError
	}
}

// toolVersion is the version set at build time, else the module version,
// else the VCS revision the binary was built from.
func toolVersion() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return "devel-" + rev
}

// newFlags makes a command's flag set with the common flags and a usage
// text. Parse errors are reported by parseFlags, never by pflag exiting.
func newFlags(c *cli, name, synopsis string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	// parseFlags prints help and errors itself: help on stdout, errors
	// once, on stderr.
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(c.stdout, "Usage: %s\n\nFlags:\n%s", synopsis, fs.FlagUsages())
	}
	return fs
}

// parseFlags parses args; it returns done=true with the exit code when the
// command must stop (help asked, or a usage error).
func parseFlags(c *cli, fs *pflag.FlagSet, args []string) (code int, done bool) {
	err := fs.Parse(args)
	if errors.Is(err, pflag.ErrHelp) {
		return exitOK, true // pflag has printed the usage
	}
	if err != nil {
		c.errorf("%s: %v (see 'sverka %s --help')", fs.Name(), err, fs.Name())
		return exitError, true
	}
	return 0, false
}

// common holds the flags every long-running command takes.
type common struct {
	jobs     int
	quiet    bool
	progress string
	color    string
}

func (o *common) add(fs *pflag.FlagSet) {
	fs.IntVarP(&o.jobs, "jobs", "j", 0, "files hashed at once (default: number of CPUs)")
	fs.BoolVar(&o.quiet, "quiet", false, "print only failures and errors")
	fs.StringVar(&o.progress, "progress", "auto", "progress on stderr: auto|always|never")
	fs.StringVar(&o.color, "color", "auto", "colour output: auto|always|never (NO_COLOR honoured)")
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
