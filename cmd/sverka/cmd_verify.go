package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"

	"aead.dev/minisign"
	"github.com/spf13/pflag"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/atomicfile"
	"github.com/sverka/sverka/internal/console"
	"github.com/sverka/sverka/internal/hostinfo"
	"github.com/sverka/sverka/internal/regular"
	"github.com/sverka/sverka/internal/syslog"
	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/sign"
	"github.com/sverka/sverka/verify"
)

const verifySynopsis = `sverka verify -f FORMULAR (-P PUBKEY | -p PUBKEY.pub) [--media ISO|DEVICE|DIR]
              [--installed ROOT] [--var NAME=PATH]... [--settings FILE]... [--at DATE]
              [--format text|json|ndjson|html] [--lang ru|en] [-o FILE] [-v | --summary] [--quiet | --status]
              [--require KIND[,KIND]|all] [--host-id NAME] [--group NAME]... [--registry-user NAME]
              [--push URL --token-file FILE [--spool DIR] [--ca FILE]]

Check the media, the installed modules and the settings against a signed
formular. The signature (FORMULAR.minisig) is checked over the raw bytes
before anything else is read. One verdict: HOLDS (exit 0) or NOT HOLD
(exit 1); exit 2 when the check could not be made (bad signature, unreadable
formular or media).

Use --installed / to check the modules of this host. Registry tables read
this Windows host's registry, or the hive files of the Windows system
under --installed ROOT (a mounted disk); --registry-user NAME says whose
NTUSER.DAT stands for HKCU there.

The report names the host by --host-id (an inventory name), else by its
machine id (/etc/machine-id, the MachineGuid on Windows, the
IOPlatformUUID on macOS), else by its hostname; --group names the
inventory groups it is checked as. A malformed machine id is refused
(exit 2): give --host-id.

--push sends the JSON report to the fleet's collector (fleet serve
--ingest) with the host's token, after sending what the spool holds.
A collector that cannot be reached leaves the report in the spool for
the next run; the exit code is still the check's. A report the
collector refuses is moved to the spool's rejected/ directory and said;
then a check that held exits 2.`

const verifyExamples = `  sverka verify -f testdata/demo/formular.txt -p testdata/demo/demo.pub --media testdata/demo/kit
  sverka verify -f formular.txt -p vendor.pub --installed / --format json -o check.json --host-id buh-07 --group accounting
  sverka verify -f formular.txt -p vendor.pub --installed /mnt/win --registry-user ivanov`

type verifyOpts struct {
	common
	formular   string
	pubKey     string
	pubFile    string
	media      string
	installed  string
	vars       []string
	settings   []string
	regUser    string
	at         string
	format     string
	lang       string
	output     string
	verbose    bool
	status     bool
	summary    bool
	ignoreCase bool
	require    []string
	required   []formular.Kind // require, checked
	hostID     string
	hostIDSet  bool // --host-id given, if empty
	groups     []string
	syslog     string
	pushFlags
	fixedTime string
	fixedHost string
	args      []string // the command line after "verify", for the report
	config    string
	fs        *pflag.FlagSet // the parsed flags, for --config
	periodic  *periodic      // what --config asks beyond flags; nil without
}

func (o *verifyOpts) flags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.formular, "formular", "f", "", "the formular file")
	fs.StringVarP(&o.pubKey, "public-key", "P", "", "the signer's public key, base64 (RW...)")
	fs.StringVarP(&o.pubFile, "public-key-file", "p", "", "the signer's public key file")
	fs.StringVar(&o.media, "media", "", "the kit: a directory, an ISO image or a device")
	fs.StringVar(&o.installed, "installed", "", "root of the system whose installed product is checked (/ for this host)")
	fs.StringArrayVar(&o.vars, "var", nil, "root variable NAME=PATH (repeatable)")
	fs.StringArrayVar(&o.settings, "settings", nil, "settings file for a parameters table (repeatable)")
	fs.StringVar(&o.regUser, "registry-user", "", "offline system: the user (profile folder under Users) whose NTUSER.DAT is HKCU for registry tables")
	fs.StringVar(&o.at, "at", "", "check date for the certificate's validity: YYYY-MM-DD or DD.MM.YYYY (default: today)")
	fs.StringVar(&o.format, "format", "text", "output: text, json, ndjson, cef or html")
	fs.StringVar(&o.lang, "lang", "", "language of text and html: ru or en (default from LC_ALL, LC_MESSAGES, LANG)")
	fs.StringVarP(&o.output, "output", "o", "", "write the report to FILE instead of standard output")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "list every item, OK ones too, and say on stderr how the files are read")
	fs.BoolVar(&o.status, "status", false, "print nothing: the exit code tells (as with 'hash -c'); -o FILE is still written")
	fs.BoolVar(&o.summary, "summary", false, "text and html: the act without the list of objects (header, verdict, counts, findings)")
	fs.StringVar(&o.syslog, "syslog", "", "also send the CEF events to a syslog collector: udp://HOST:PORT, tcp://HOST:PORT or unix:///dev/log")
	fs.BoolVar(&o.ignoreCase, "ignore-case", false, "compare kit names case-insensitively (a copy on a case-insensitive file system)")
	fs.StringSliceVar(&o.require, "require", nil, "table kinds the verdict must cover: image, boot, media, modules, parameters, or all (every table of the formular); one not checked makes it NOT HOLD")
	fs.StringVar(&o.hostID, "host-id", "", "name of the checked host in the report (default: the machine id, else the hostname)")
	fs.StringArrayVar(&o.groups, "group", nil, "an inventory group the host is checked as (repeatable)")
	o.pushFlags.add(fs)
	fs.StringVar(&o.fixedTime, "fixed-time", "", "")
	fs.StringVar(&o.fixedHost, "fixed-host", "", "")
	fs.MarkHidden("fixed-time") // reproducible reports for tests and examples
	fs.MarkHidden("fixed-host")
	fs.StringVar(&o.config, "config", "", "read the flags not given from `FILE`: \"key = value\" lines, keys named as the flags, and reports, period, host-id (see docs/fleet.md)")
	o.common.add(fs)
	fs.Lookup("quiet").Usage = "print the verdict line only, and what breaks it when it does not hold; -o FILE gets the whole report"
}

// parsed keeps the command line for the report, and notes an empty
// --host-id, which is refused rather than taken for none.
func (o *verifyOpts) parsed(fs *pflag.FlagSet, args []string) {
	o.args, o.fs = args, fs
	o.hostIDSet = fs.Changed("host-id")
}

// runVerify checks and writes the report. Operands are ignored.
func runVerify(ctx context.Context, c *cli, o *verifyOpts, _ []string) error {
	// Usage errors are found before anything runs, and write no report.
	if err := o.loadConfig(); err != nil {
		return err
	}
	if err := o.check(); err != nil {
		return err
	}
	start, at, err := o.dates()
	if err != nil {
		return err
	}
	vars, err := o.varMap()
	if err != nil {
		return err
	}
	if err := o.checkPaths(); err != nil {
		return err
	}
	if err := o.checkSomething(); err != nil {
		return err
	}
	// The collector is made ready before the check: a token file that
	// cannot be used is said now.
	pusher, err := o.pushFlags.client()
	if err != nil {
		return err
	}
	// The host is named before the check: a host that cannot be told
	// from its clones is said now, not after the check.
	facts := hostinfo.Probe()
	hostID, err := o.hostIDOf(facts)
	if err != nil {
		return err
	}
	// With a reports directory, a run within the period checks nothing,
	// and the report is named by the host and the time.
	if due, err := o.due(c, start, hostID); !due || err != nil {
		return err
	}
	// The report's destination is made ready before the check: one that
	// cannot be written is said now, not after an hour of reading.
	var out *atomicfile.File
	if o.output != "" && o.output != "-" {
		if out, err = atomicfile.Create(o.output, 0o644); err != nil {
			return fmt.Errorf("-o: %w", err)
		}
		defer out.Abort()
	}
	if err := o.lower(); err != nil {
		return err
	}
	defer o.saidNice(c, o.verbose)
	tuneGC()

	// The executable's digest (24 MB of SHA-256) is taken beside the
	// check only where the report shows it: a core it would take from
	// the check's last large file, for nothing, when it is not.
	var self *hostinfo.PendingDigest
	if o.namesBuild(pusher != nil) {
		self = hostinfo.StartExecutableDigest()
	}
	// The check runs on its own: when a signal cancels it, its report
	// is written at once, even if a read somewhere cannot be cancelled.
	done := make(chan checked, 1)
	go func() { done <- check(ctx, c, o, at, vars) }()
	var r checked
	select {
	case r = <-done:
	case <-ctx.Done():
	}
	wait := time.Duration(0)
	if ctx.Err() != nil {
		// What the check had learnt is its own; the report says what
		// the command line says, and that the check was interrupted.
		r = checked{formular: &verify.Signed{Path: o.formular}, err: context.Cause(ctx)}
		wait = interruptGrace / 4
	}
	r.self = self
	rep := report.Build(report.BuildInput{
		Tool: o.tool(self, wait), Run: o.run(start, facts, hostID), At: at,
		Formular: r.formular, Err: r.err, Result: r.res,
		Targets: report.Targets{Media: o.media, Installed: o.installed, Vars: vars},
	})
	err = o.deliver(ctx, c, out, rep, r)
	if pusher != nil {
		err = o.pushReport(ctx, c, pusher, rep, err)
	}
	return err
}

// deliver shows the report as asked and returns the exit of the check.
func (o *verifyOpts) deliver(ctx context.Context, c *cli, out *atomicfile.File, rep *report.Report, r checked) error {
	if r.err != nil {
		if !o.status {
			c.errorf("%v", r.err)
		}
		if o.output == "" && (o.format == "text" || o.status) {
			return o.send(ctx, c, rep, errCannotCheck, false) // no report was asked for
		}
	} else if _, err := r.self.Wait(0); err != nil && o.fixedHost == "" && !o.status {
		c.warnf("%v", err)
	}
	if o.status && out == nil {
		return o.send(ctx, c, rep, verdictErr(rep.Result.Verdict), false) // the exit code is the answer
	}
	if err := renderTo(c, out, rep, o.render()); err != nil {
		if o.status {
			return errCannotCheck
		}
		return err
	}
	if o.output != "" && !o.quiet {
		fmt.Fprintf(c.stderr, "sverka: %s: report written to %s\n", rep.Result.Verdict, o.output)
	}
	return o.send(ctx, c, rep, verdictErr(rep.Result.Verdict), true)
}

// send sends the report's CEF events to --syslog, if given, and returns
// exit. Events that could not all be sent are said on stderr (even with
// --status: they must not look sent); when no report was written either,
// nothing holds the check's evidence, and the exit is 2.
func (o *verifyOpts) send(ctx context.Context, c *cli, rep *report.Report, exit error, written bool) error {
	if o.syslog == "" {
		return exit
	}
	if ctx.Err() != nil {
		// Interrupted: the events of the CANNOT CHECK still go, within
		// the time an interrupted command has.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), interruptGrace/2)
		defer cancel()
	}
	msgs := report.SyslogMessages(rep, os.Getpid())
	sent, err := syslog.SendAll(ctx, o.syslog, msgs)
	if err == nil {
		return exit
	}
	c.errorf("--syslog: %d of %d events sent: %v", sent, len(msgs), err)
	if !written {
		return errCannotCheck
	}
	return exit
}

// verdictErr is the exit of a verdict the report has said.
func verdictErr(v verify.Verdict) error {
	switch v {
	case verify.Holds:
		return nil
	case verify.NotHolds:
		return errNotHold
	}
	return errCannotCheck
}

// readSigned reads the signed formular for a check (see parsed).
func readSigned(path string, pub minisign.PublicKey) (sf *verify.Signed, err error) {
	parsed(path, gcTight, func() { sf, err = verify.ReadSigned(path, pub) })
	return sf, err
}

func (o *verifyOpts) check() error {
	if err := o.common.check(); err != nil {
		return err
	}
	if o.status {
		if o.output == "-" {
			return errors.New("--status prints nothing; -o - would print the report: give -o FILE or leave out one of them")
		}
		// Nothing is said: no progress, no "report written" line.
		o.quiet = true
	}
	switch {
	case o.formular == "":
		return errors.New("verify needs -f FORMULAR")
	case (o.pubKey == "") == (o.pubFile == ""):
		return errors.New("verify needs the signer's public key: -P BASE64 or -p KEY.pub (one of them)")
	}
	for _, name := range o.require {
		switch k := formular.Kind(name); k {
		case verify.RequireAll, formular.KindImage, formular.KindBoot, formular.KindMedia, formular.KindModules, formular.KindParameters:
			o.required = append(o.required, k)
		default:
			return fmt.Errorf("--require %q: expected image, boot, media, modules, parameters or all", name)
		}
	}
	if err := checkFormat(o.format, true); err != nil {
		return err
	}
	if o.syslog != "" {
		if _, _, err := syslog.ParseAddr(o.syslog); err != nil {
			return fmt.Errorf("--syslog %w", err)
		}
	}
	if err := checkSummary(o.summary, o.verbose, o.format); err != nil {
		return err
	}
	if o.hostIDSet {
		if err := hostinfo.CheckName("--host-id", o.hostID); err != nil {
			return err
		}
	}
	var groups []string
	for _, g := range o.groups {
		if err := hostinfo.CheckName("--group", g); err != nil {
			return err
		}
		if !slices.Contains(groups, g) {
			groups = append(groups, g)
		}
	}
	o.groups = groups
	return checkLang(o.lang)
}

// hostIDOf names the checked host: --host-id, else (--fixed-host) the
// fixed name, else its machine id or hostname.
func (o *verifyOpts) hostIDOf(h hostinfo.Facts) (string, error) {
	switch {
	case o.hostIDSet:
		return o.hostID, nil
	case o.fixedHost != "":
		return o.fixedHost, nil
	}
	id, err := h.HostID()
	if err != nil {
		return "", fmt.Errorf("%w; give --host-id NAME to name this host", err)
	}
	return id, nil
}

// checkSomething refuses a command line that names nothing to check,
// unless the formular has a registry table: that reads this host's
// registry with no flag at all. The formular is read for that alone; one
// that cannot be read is left to the check, which says why.
func (o *verifyOpts) checkSomething() error {
	if o.media != "" || o.installed != "" || len(o.vars) > 0 || len(o.settings) > 0 {
		return nil
	}
	pub, err := sign.PublicKey(o.pubKey, o.pubFile)
	if err != nil {
		return nil
	}
	if sf, err := verify.ReadSigned(o.formular, pub); err != nil || verify.HasRegistryTable(sf.Formular) {
		return nil
	}
	return errors.New("nothing to check: give --media, --installed (/ for this host), --var or --settings")
}

// checkSummary refuses --summary where it means nothing: it leaves out
// the list of objects that -v asks for, and JSON is the evidence, whole.
func checkSummary(summary, verbose bool, format string) error {
	switch {
	case !summary:
		return nil
	case verbose:
		return errors.New("--summary leaves out the list of objects that -v asks for: give one of them")
	case format != "text" && format != "html":
		return fmt.Errorf("--summary is for --format text or html, not %s: the %s report keeps every item", format, format)
	}
	return nil
}

// dates reads --fixed-time and --at: the run's start and the check date.
func (o *verifyOpts) dates() (start, at time.Time, err error) {
	start = time.Now().Round(0) // wall clock only: the report must read back equal
	if o.fixedTime != "" {
		if start, err = time.Parse(time.RFC3339, o.fixedTime); err != nil {
			return start, at, fmt.Errorf("--fixed-time: %w", err)
		}
	}
	at = start
	if o.at != "" {
		if at, err = formular.ParseDate(o.at, start.Location()); err != nil {
			return start, at, fmt.Errorf("--at %q: %w", o.at, err)
		}
	}
	return start, at, nil
}

// varMap reads --var NAME=PATH; ${NAME} and %NAME% name the same NAME.
func (o *verifyOpts) varMap() (map[string]string, error) {
	vars := map[string]string{}
	for _, v := range o.vars {
		name, path, ok := strings.Cut(v, "=")
		if !ok || name == "" || path == "" {
			return nil, fmt.Errorf("--var %q: expected NAME=PATH", v)
		}
		vars[strings.Trim(name, "${}%")] = path
	}
	return vars, nil
}

// checkPaths refuses paths of the command line that are not there or not
// what they must be: a misspelt --installed would otherwise be checked as
// a host that lost its product (NOT HOLD), a misspelt --settings as a
// settings file that cannot be read.
func (o *verifyOpts) checkPaths() error {
	if o.installed != "" {
		fi, err := os.Stat(o.installed)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("--installed %s: no such directory: give the root of the system to check (/ for this host)", o.installed)
		case err != nil:
			return fmt.Errorf("--installed %s: %w", o.installed, osErr(err))
		case !fi.IsDir():
			return fmt.Errorf("--installed %s is %s, not a directory: give the root of the system to check (/ for this host)", o.installed, regular.Kind(fi.Mode()))
		}
	}
	for _, s := range o.settings {
		fi, err := os.Stat(s)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("--settings %s: no such file", s)
		case err != nil:
			return fmt.Errorf("--settings %s: %w", s, osErr(err))
		case !fi.Mode().IsRegular():
			return fmt.Errorf("--settings %s is %s, not a regular file", s, regular.Kind(fi.Mode()))
		}
	}
	if o.media != "" {
		if _, err := os.Stat(o.media); errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("--media %s: no such file, directory or device", o.media)
		}
	}
	return nil
}

func checkFormat(f string, ndjson bool) error {
	switch f {
	case "text", "json", "html", "cef":
		return nil
	case "ndjson":
		if ndjson {
			return nil
		}
	}
	return fmt.Errorf("--format must be text, json%s, cef or html, not %q", map[bool]string{true: ", ndjson", false: ""}[ndjson], f)
}

func checkLang(l string) error {
	if l != "" && l != "ru" && l != "en" {
		return fmt.Errorf("--lang must be ru or en, not %q", l)
	}
	return nil
}

// run is the run's facts for the report, ending now (at start with
// --fixed-time); --fixed-host makes them reproducible.
func (o *verifyOpts) run(start time.Time, h hostinfo.Facts, hostID string) report.Run {
	run := report.Run{
		Start:  start,
		HostID: hostID, Groups: o.groups,
		Host: h.Host, OS: h.OS, OSVersion: h.OSVersion, Arch: h.Arch, User: h.User,
		Args: append([]string{"sverka", "verify"}, o.args...),
	}
	run.End = time.Now().Round(0)
	if o.fixedTime != "" {
		run.End = start
	}
	if o.fixedHost != "" {
		run.Host, run.User, run.OSVersion = o.fixedHost, "auditor", ""
	}
	return run
}

// namesBuild reports whether the report goes where it names the build by
// its digest: the JSON, NDJSON and HTML reports do, and the JSON sent to
// the collector; the text act and the CEF events give the version alone,
// and --status without -o writes no report at all.
func (o *verifyOpts) namesBuild(pushing bool) bool {
	switch {
	case pushing:
		return true
	case o.status && o.output == "":
		return false
	}
	return o.format != "text" && o.format != "cef"
}

// tool names this build for the report: its version and, waiting for it
// at most wait when wait > 0, its digest, if it was taken.
func (o *verifyOpts) tool(self *hostinfo.PendingDigest, wait time.Duration) report.Tool {
	if o.fixedHost != "" {
		return report.Tool{Name: "sverka", Version: "test", SHA256: strings.Repeat("0", 64)}
	}
	t := report.Tool{Name: "sverka", Version: toolVersion()}
	t.SHA256, _ = self.Wait(wait)
	return t
}

// checked is what a check learnt: the formular as far as it was read, and
// the result, or why the check could not be made.
type checked struct {
	formular *verify.Signed
	res      *verify.Result
	err      error
	self     *hostinfo.PendingDigest // the digest of this executable, under way
}

// check reads the signed formular and checks what it lists.
func check(ctx context.Context, c *cli, o *verifyOpts, at time.Time, vars map[string]string) checked {
	pub, err := sign.PublicKey(o.pubKey, o.pubFile)
	if err != nil {
		return checked{formular: &verify.Signed{Path: o.formular}, err: err}
	}
	sf, err := readSigned(o.formular, pub)
	if err != nil {
		return checked{formular: sf, err: err}
	}
	src := verify.Sources{
		Media: o.media, Installed: o.installed, Vars: vars, Settings: o.settings,
		RegistryUser: o.regUser, IgnoreCase: o.ignoreCase, At: at, Require: o.required,
	}
	var prog *console.Progress // nil: no progress shown
	if progressOn(c, &o.common) {
		bytes, files := src.Workload(sf.Formular)
		prog = console.NewProgress(c.stderr, bytes, files, progressOptions(&o.common))
	}
	src.Engine = checksum.Options{Workers: o.jobs, Progress: prog.Add, Started: prog.Item, Finished: prog.Done, Spare: o.spare, Explain: explainReads(c, o.verbose && !o.status)}
	res, err := verify.Check(ctx, sf.Formular, src)
	prog.Finish()
	return checked{formular: sf, res: res, err: err}
}

// renderOpts says how a report is rendered.
type renderOpts struct {
	format  string // text, json, ndjson or html
	lang    string // ru or en; "" for the environment's
	color   string // auto, always or never
	verbose bool
	quiet   bool
	summary bool // the act without the list of objects
	// saved says what rendering a saved report checked of it; nil for
	// the report of a check.
	saved *report.Saved
}

// render is how verify's report is asked to be rendered.
func (o *verifyOpts) render() renderOpts {
	return renderOpts{format: o.format, lang: o.lang, color: o.color, verbose: o.verbose, quiet: o.quiet, summary: o.summary}
}

// renderTo writes the report to out, whole or not at all, or to standard
// output when out is nil.
func renderTo(c *cli, out *atomicfile.File, rep *report.Report, o renderOpts) error {
	lang := o.lang
	if lang == "" {
		lang = report.LangFromEnv()
	}
	var w io.Writer = c.stdout
	if out != nil {
		w = out
	}
	var err error
	switch o.format {
	case "json":
		err = report.WriteJSON(w, rep)
	case "ndjson":
		err = report.WriteNDJSON(w, rep)
	case "cef":
		err = report.WriteCEF(w, rep)
	case "html":
		err = report.WriteHTMLOptions(w, rep, report.HTMLOptions{Lang: lang, Saved: o.saved, Summary: o.summary})
	default:
		useColor := false
		if out == nil {
			f, _ := c.stdout.(*os.File)
			useColor = console.ColorEnabled(o.color, f)
		} else {
			useColor = o.color == "always"
		}
		topt := report.TextOptions{Lang: lang, Color: useColor, Verbose: o.verbose, Summary: o.summary, Saved: o.saved}
		if o.quiet && out == nil {
			// Quiet thins what the terminal shows; a report written
			// to a file is the whole report.
			err = report.WriteVerdictText(w, rep, topt)
		} else {
			err = report.WriteText(w, rep, topt)
		}
	}
	if err != nil {
		return err
	}
	if out != nil {
		return out.Commit()
	}
	return nil
}
