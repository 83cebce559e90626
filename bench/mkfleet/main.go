package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/verify"
)

const usage = `usage: mkfleet -o DIR [-hosts N] [-days N] [-items N] [-seed N] [-end YYYY-MM-DD] [-force] [-j N]

Writes the JSON reports of a made-up fleet's daily checks into
DIR/HOST/HOST-YYYY-MM-DD.json, and what they hold into DIR.fleet.

`

type options struct {
	out     string
	hosts   int
	days    int
	items   int
	seed    uint64
	end     string
	force   bool
	workers int
	stdout  io.Writer
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkfleet:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := options{stdout: stdout}
	fs := flag.NewFlagSet("mkfleet", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.out, "o", "", "write the reports into `DIR` (created; must be empty or absent)")
	fs.IntVar(&o.hosts, "hosts", 1000, "`N` hosts")
	fs.IntVar(&o.days, "days", 30, "`N` daily checks of each host")
	fs.IntVar(&o.items, "items", 200, "`N` items in the formular: nine in ten files, one in ten parameters")
	fs.Uint64Var(&o.seed, "seed", 1, "the fleet's story follows from `N`")
	fs.StringVar(&o.end, "end", "2026-12-01", "the `day` of the last checks (UTC)")
	fs.BoolVar(&o.force, "force", false, "replace a fleet that mkfleet wrote before (DIR.fleet is there)")
	fs.IntVar(&o.workers, "j", runtime.GOMAXPROCS(0), "write with `N` workers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	end, err := time.Parse(time.DateOnly, o.end)
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q (see -h)", fs.Arg(0))
	case o.out == "":
		return errors.New("-o DIR is required (see -h)")
	case o.hosts < 1 || o.hosts > 999999:
		return fmt.Errorf("-hosts %d: want 1 to 999999", o.hosts)
	case o.days < 1 || o.days > 3660:
		return fmt.Errorf("-days %d: want 1 to 3660", o.days)
	case o.items < 2 || o.items > 1000000:
		return fmt.Errorf("-items %d: want 2 to 1000000", o.items)
	case err != nil:
		return fmt.Errorf("-end %q: want a day as YYYY-MM-DD", o.end)
	case o.workers < 1:
		return fmt.Errorf("-j %d: want at least 1", o.workers)
	}
	if o.out, err = filepath.Abs(o.out); err != nil {
		return err
	}
	params := o.items / 10
	c := config{hosts: o.hosts, days: o.days, files: o.items - params, params: params, seed: o.seed, end: end}
	return mkfleet(ctx, o, c)
}

func mkfleet(ctx context.Context, o options, c config) error {
	if err := prepare(o); err != nil {
		return err
	}
	start := time.Now()
	p, err := newProduct(c.seed, c.files, c.params)
	if err != nil {
		return err
	}
	c.extras = len(p.extras)
	hosts := plan(c)

	// Every state any host is in, checked once on a real installation.
	tmp, err := os.MkdirTemp("", "mkfleet-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	b, err := install(p, tmp)
	if err != nil {
		return fmt.Errorf("installing the product in %s: %w", tmp, err)
	}
	results := map[string]*verify.Result{}
	for _, h := range hosts {
		for _, pc := range h.checks {
			k := pc.state.key()
			if pc.cannot != "" || results[k] != nil {
				continue
			}
			res, err := b.check(ctx, pc.state)
			if err != nil {
				return err
			}
			if want := verdictOf(pc.state); res.Verdict != want {
				return fmt.Errorf("state %q: the check says %s, the plan %s", k, res.Verdict, want)
			}
			results[k] = res
		}
	}
	checked := time.Since(start)

	var reports, bytes atomic.Int64
	jobs := make(chan int)
	errs := make(chan error, o.workers)
	var wg sync.WaitGroup
	for range o.workers {
		wg.Go(func() {
			for i := range jobs {
				n, err := writeHost(ctx, o.out, p, &hosts[i], results)
				if err != nil {
					errs <- err
					return
				}
				reports.Add(int64(len(hosts[i].checks)))
				bytes.Add(n)
			}
		})
	}
	var werr error
feed:
	for i := range hosts {
		select {
		case jobs <- i:
		case werr = <-errs:
			break feed
		case <-ctx.Done():
			werr = ctx.Err()
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if werr == nil {
		werr = <-errs
	}
	if werr != nil {
		return werr
	}
	took := time.Since(start)

	exp := expect(hosts, c.days)
	info := manifest(c, exp, p.files[updateFile].path, reports.Load(), bytes.Load(), len(results))
	fmt.Fprintf(o.stdout, "mkfleet: %d hosts x %d days, %d items (%d files, %d parameters), seed %d, in %s\n",
		c.hosts, c.days, c.files+c.params, c.files, c.params, c.seed, o.out)
	fmt.Fprintf(o.stdout, "  %d reports, %d bytes (%.0f KB each) in %.2f s (%d states checked in %.2f s)\n",
		reports.Load(), bytes.Load(), float64(bytes.Load())/float64(max(1, reports.Load()))/1024, took.Seconds(), len(results), checked.Seconds())
	fmt.Fprintf(o.stdout, "  checks: %d HOLDS, %d NOT HOLD, %d CANNOT CHECK\n", exp.holds, exp.notHold, exp.cannot)
	fmt.Fprintf(o.stdout, "  hosts at the end (7-day period): %d HOLDS, %d NOT HOLD, %d CANNOT CHECK, %d OVERDUE; %d with the update\n",
		exp.nowHolds, exp.nowNotHold, exp.nowCannot, exp.nowOverdue, exp.updateHosts)
	return os.WriteFile(o.out+".fleet", []byte(info), 0o644)
}

// generator is bumped whenever the reports mkfleet writes change (a
// report field sverka now writes, another story), so that a fleet written
// before is written again rather than measured.
const generator = 2

// verdictOf is the verdict a check of state s must give.
func verdictOf(s state) verify.Verdict {
	if len(s) == 0 {
		return verify.Holds
	}
	return verify.NotHolds
}

// manifest says what was written, as KEY: VALUE lines.
func manifest(c config, e outcome, updatePath string, reports, bytes int64, states int) string {
	var b strings.Builder
	kv := func(k string, v any) { fmt.Fprintf(&b, "%s: %v\n", k, v) }
	kv("generator", generator)
	kv("hosts", c.hosts)
	kv("days", c.days)
	kv("items", c.files+c.params)
	kv("seed", c.seed)
	kv("end", c.end.Format(time.DateOnly))
	kv("reports", reports)
	kv("bytes", bytes)
	kv("states", states)
	kv("holds", e.holds)
	kv("not-hold", e.notHold)
	kv("cannot-check", e.cannot)
	kv("now-holds", e.nowHolds)
	kv("now-not-hold", e.nowNotHold)
	kv("now-cannot-check", e.nowCannot)
	kv("now-overdue", e.nowOverdue)
	kv("update-file", updatePath)
	kv("update-hosts", e.updateHosts)
	kv("state", "complete")
	return b.String()
}

// prepare makes sure DIR is empty or absent, removing a fleet mkfleet
// wrote before with -force, and nothing else.
func prepare(o options) error {
	ents, err := os.ReadDir(o.out)
	switch {
	case errors.Is(err, os.ErrNotExist) || (err == nil && len(ents) == 0):
	case err != nil:
		return err
	case !o.force:
		return fmt.Errorf("%s is not empty; -force replaces a fleet that mkfleet wrote", o.out)
	default:
		if _, err := os.Stat(o.out + ".fleet"); err != nil {
			return fmt.Errorf("%s is not empty and %s.fleet is not there, so mkfleet did not write it: remove it yourself", o.out, o.out)
		}
		if err := os.RemoveAll(o.out); err != nil {
			return err
		}
	}
	if err := os.Remove(o.out + ".fleet"); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return os.MkdirAll(o.out, 0o755)
}

// writeHost writes the reports of one host and returns their bytes.
func writeHost(ctx context.Context, dir string, p *product, h *hostPlan, results map[string]*verify.Result) (int64, error) {
	if len(h.checks) == 0 {
		return 0, nil
	}
	hd := filepath.Join(dir, h.id)
	if err := os.Mkdir(hd, 0o755); err != nil {
		return 0, err
	}
	var n int64
	for _, pc := range h.checks {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		rep := buildReport(p, h, pc, results[pc.state.key()])
		name := filepath.Join(hd, h.id+"-"+pc.at.Format(time.DateOnly)+".json")
		m, err := writeReport(name, rep)
		if err != nil {
			return n, fmt.Errorf("writing %s: %w", name, err)
		}
		n += m
	}
	return n, nil
}

func writeReport(name string, rep *report.Report) (int64, error) {
	f, err := os.Create(name)
	if err != nil {
		return 0, err
	}
	cw := &countWriter{w: f}
	bw := bufio.NewWriterSize(cw, 256<<10)
	err = report.WriteJSON(bw, rep)
	if err == nil {
		err = bw.Flush()
	}
	return cw.n, errors.Join(err, f.Close())
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// buildReport makes the report of one planned check: the result of its
// state (nil for a check that could not be made) and the run's facts.
func buildReport(p *product, h *hostPlan, pc plannedCheck, res *verify.Result) *report.Report {
	// A check of a few hundred small files takes a second or two.
	dur := time.Duration(800+len(p.files)*4+int(pc.at.Unix()%700)) * time.Millisecond
	args := []string{"sverka", "verify", "-f", formularPath, "-p", "/etc/sverka/vendor.pub",
		"--var", "INSTALLDIR=" + installDir, "--var", "CONFDIR=" + confDir, "--host-id", h.id}
	for _, g := range h.groups {
		args = append(args, "--group", g)
	}
	args = append(args, "--format", "json", "-o", "/var/lib/sverka/reports/"+pc.at.Format(time.DateOnly)+".json")
	osv := "Astra Linux 1.7.5 (kernel 5.15.0-70-generic)"
	if h.groups[1] == "srv" {
		osv = "Astra Linux 1.8.1 (kernel 6.1.90-1-generic)"
	}
	in := report.BuildInput{
		Tool: report.Tool{Name: "sverka", Version: "1.4.0", SHA256: "9f2c4e6a8b0d1f3e5a7c9b1d3f5e7a9c1b3d5f7e9a1c3b5d7f9e1a3c5b7d9f1e"},
		Run: report.Run{
			Start: pc.at, End: pc.at.Add(dur),
			HostID: h.id, Host: h.id, Groups: h.groups,
			OS: "linux", OSVersion: osv, Arch: "amd64", User: "root", Args: args,
		},
		At:       pc.at,
		Formular: p.signed,
		Targets:  report.Targets{Vars: map[string]string{"INSTALLDIR": installDir, "CONFDIR": confDir}},
		Result:   res,
	}
	if pc.cannot != "" {
		in.Err = errors.New(pc.cannot)
		in.Result = nil
		if strings.HasPrefix(pc.cannot, "formular:") {
			// Its signature did not verify: the report knows the
			// formular's path and digest, nothing it says.
			in.Formular = &verify.Signed{Path: formularPath, SHA256: p.signed.SHA256}
		}
	}
	return report.Build(in)
}
