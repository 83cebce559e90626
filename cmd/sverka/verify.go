package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"
	"unsafe"

	"aead.dev/minisign"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/regular"
	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/sign"
	"github.com/sverka/sverka/verify"
)

const verifySynopsis = `sverka verify -f FORMULAR (-P PUBKEY | -p PUBKEY.pub) [--media ISO|DEVICE|DIR]
              [--installed ROOT] [--var NAME=PATH]... [--settings FILE]... [--at DATE]
              [--format text|json|ndjson|html] [--lang ru|en] [-o FILE] [-v]
              [--require KIND[,KIND]|all]

Check the media, the installed modules and the settings against a signed
formular. The signature (FORMULAR.minisig) is checked over the raw bytes
before anything else is read. One verdict: HOLDS (exit 0) or NOT HOLD
(exit 1); exit 2 when the check could not be made (bad signature, unreadable
formular or media).

Use --installed / to check the modules of this host.`

type verifyOpts struct {
	common
	formular   string
	pubKey     string
	pubFile    string
	media      string
	installed  string
	vars       []string
	settings   []string
	at         string
	format     string
	lang       string
	output     string
	verbose    bool
	ignoreCase bool
	require    []string
	required   []formular.Kind // require, checked
	fixedTime  string
	fixedHost  string
}

func cmdVerify(ctx context.Context, c *cli, args []string) int {
	var o verifyOpts
	fs := newFlags(c, "verify", verifySynopsis)
	fs.StringVarP(&o.formular, "formular", "f", "", "the formular file")
	fs.StringVarP(&o.pubKey, "public-key", "P", "", "the signer's public key, base64 (RW...)")
	fs.StringVarP(&o.pubFile, "public-key-file", "p", "", "the signer's public key file")
	fs.StringVar(&o.media, "media", "", "the kit: a directory, an ISO image or a device")
	fs.StringVar(&o.installed, "installed", "", "root of the system whose installed product is checked (/ for this host)")
	fs.StringArrayVar(&o.vars, "var", nil, "root variable NAME=PATH (repeatable)")
	fs.StringArrayVar(&o.settings, "settings", nil, "settings file for a parameters table (repeatable)")
	fs.StringVar(&o.at, "at", "", "check date YYYY-MM-DD for the certificate's validity (default: today)")
	fs.StringVar(&o.format, "format", "text", "output: text, json, ndjson or html")
	fs.StringVar(&o.lang, "lang", "", "language of text and html: ru or en (default from LC_ALL, LC_MESSAGES, LANG)")
	fs.StringVarP(&o.output, "output", "o", "", "write the report to FILE instead of standard output")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "list every item, OK ones too")
	fs.BoolVar(&o.ignoreCase, "ignore-case", false, "compare kit names case-insensitively (a copy on a case-insensitive file system)")
	fs.StringSliceVar(&o.require, "require", nil, "table kinds the verdict must cover: image, boot, media, modules, parameters, or all (every table of the formular); one not checked makes it NOT HOLD")
	fs.StringVar(&o.fixedTime, "fixed-time", "", "")
	fs.StringVar(&o.fixedHost, "fixed-host", "", "")
	fs.MarkHidden("fixed-time") // reproducible reports for tests and examples
	fs.MarkHidden("fixed-host")
	o.common.add(fs)
	if code, done := parseFlags(c, fs, args); done {
		return code
	}
	// Usage errors are found before anything runs, and write no report.
	if err := o.check(); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	start, at, err := o.dates()
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	vars, err := o.varMap()
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	if err := o.checkPaths(); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	// The report's destination is made ready before the check: one that
	// cannot be written is said now, not after an hour of reading.
	var out *outFile
	if o.output != "" && o.output != "-" {
		if out, err = createOutput(o.output, 0o644); err != nil {
			c.errorf("-o: %v", err)
			return exitError
		}
		defer out.Abort()
	}
	if os.Getenv("GOGC") == "" {
		// A check builds its tables once and keeps them to the end:
		// collections while they grow find little to free, and on
		// 100,000 modules fewer of them save a few percent of the time
		// and no memory. GOGC, when set, decides.
		debug.SetGCPercent(400)
	}

	// The check runs on its own: when a signal cancels it, its report
	// is written at once, even if a read somewhere cannot be cancelled.
	self := startSelfDigest()
	type outcome struct {
		rep *report.Report
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		rep, err := runVerify(ctx, c, &o, args, start, at, vars, self)
		done <- outcome{rep, err}
	}()
	var r outcome
	select {
	case r = <-done:
	case <-ctx.Done():
	}
	if ctx.Err() != nil {
		// What the check had learnt is its own; the report says what
		// the command line says, and that the check was interrupted.
		r = outcome{baseReport(&o, args, start, at, self, interruptGrace/4), errInterrupted}
		if !interrupted(ctx) {
			r.err = ctx.Err()
		}
	}
	if r.err != nil {
		c.errorf("%v", r.err)
		if o.output == "" && o.format == "text" {
			return exitError // no report was asked for
		}
		r.rep.Result = *verify.CannotCheckResult(r.err)
	}
	if err := writeReport(c, out, r.rep, &o); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	if o.output != "" && !o.quiet {
		fmt.Fprintf(c.stderr, "sverka: %s: report written to %s\n", r.rep.Result.Verdict, o.output)
	}
	switch r.rep.Result.Verdict {
	case verify.Holds:
		return exitOK
	case verify.NotHolds:
		return exitFail
	}
	return exitError
}

func (o *verifyOpts) check() error {
	if err := o.common.check(); err != nil {
		return err
	}
	switch {
	case o.formular == "":
		return errors.New("verify needs -f FORMULAR")
	case (o.pubKey == "") == (o.pubFile == ""):
		return errors.New("verify needs the signer's public key: -P BASE64 or -p KEY.pub (one of them)")
	case o.media == "" && o.installed == "" && len(o.vars) == 0 && len(o.settings) == 0:
		return errors.New("nothing to check: give --media, --installed (/ for this host), --var or --settings")
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
	return checkLang(o.lang)
}

// dates reads --fixed-time and --at: the run's start and the check date.
func (o *verifyOpts) dates() (start, at time.Time, err error) {
	start = time.Now().Round(0) // wall clock only: the report must read back equal
	if o.fixedTime != "" {
		if start, err = time.Parse(time.RFC3339, o.fixedTime); err != nil {
			return start, at, fmt.Errorf("--fixed-time: %v", err)
		}
	}
	at = start
	if o.at != "" {
		if at, err = time.ParseInLocation(formular.DateLayout, o.at, start.Location()); err != nil {
			return start, at, fmt.Errorf("--at %q: expected a date YYYY-MM-DD", o.at)
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
			return fmt.Errorf("--installed %s: %v", o.installed, osErr(err))
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
			return fmt.Errorf("--settings %s: %v", s, osErr(err))
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
	case "text", "json", "html":
		return nil
	case "ndjson":
		if ndjson {
			return nil
		}
	}
	return fmt.Errorf("--format must be text, json%s or html, not %q", map[bool]string{true: ", ndjson", false: ""}[ndjson], f)
}

func checkLang(l string) error {
	if l != "" && l != "ru" && l != "en" {
		return fmt.Errorf("--lang must be ru or en, not %q", l)
	}
	return nil
}

// selfDigest is the digest of the running executable, taken while the
// check runs rather than after: the report names the build that made it.
type selfDigest struct {
	done chan struct{}
	hex  string
	err  error
}

func startSelfDigest() *selfDigest {
	d := &selfDigest{done: make(chan struct{})}
	go func() {
		d.hex, d.err = report.SelfDigest()
		close(d.done)
	}()
	return d
}

// get waits for the digest, at most wait when wait > 0.
func (d *selfDigest) get(wait time.Duration) (string, error) {
	if wait <= 0 {
		<-d.done
		return d.hex, d.err
	}
	select {
	case <-d.done:
		return d.hex, d.err
	case <-time.After(wait):
		return "", errors.New("the digest of the running executable was not taken in time")
	}
}

// baseReport is the report of a check before anything is read: the tool,
// the run and the formular's path. A check that cannot be made reports
// this much, with what it learnt on the way.
func baseReport(o *verifyOpts, args []string, start, at time.Time, self *selfDigest, wait time.Duration) *report.Report {
	run := report.NewRun(start, append([]string{"sverka", "verify"}, args...))
	run.End = time.Now().Round(0)
	if o.fixedTime != "" {
		run.End = start
	}
	if o.fixedHost != "" {
		run.Host, run.User, run.OSVersion = o.fixedHost, "auditor", ""
	}
	run.CheckDate = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, at.Location())
	rep := &report.Report{
		Schema:   report.Schema,
		Tool:     report.Tool{Name: "sverka", Version: toolVersion()},
		Run:      run,
		Formular: report.FormularInfo{Path: o.formular},
	}
	if o.fixedHost != "" {
		rep.Tool.SHA256 = strings.Repeat("0", 64)
		rep.Tool.Version = "test"
	} else {
		rep.Tool.SHA256, _ = self.get(wait)
	}
	return rep
}

// runVerify does the check. When it cannot be made, the error says why
// and the report holds what was learnt before (the formular's digest and
// signature), for the CANNOT CHECK report.
func runVerify(ctx context.Context, c *cli, o *verifyOpts, args []string, start, at time.Time, vars map[string]string, self *selfDigest) (*report.Report, error) {
	known := report.FormularInfo{Path: o.formular}
	fail := func(err error) (*report.Report, error) {
		rep := baseReport(o, args, start, at, self, 0)
		rep.Formular = known
		return rep, err
	}
	// The signature first, over the raw bytes; nothing is parsed before.
	pub, err := loadPublicKey(o)
	if err != nil {
		return fail(err)
	}
	msg, err := sign.ReadMessage(o.formular, formular.MaxSize, "a formular")
	if err != nil {
		return fail(fmt.Errorf("formular: %w", err))
	}
	raw := msg.Data
	sum := sha256.Sum256(raw)
	known.SHA256 = hex.EncodeToString(sum[:])
	sigPath := o.formular + sign.SignatureSuffix
	sig, err := sign.ReadKeyFile(sigPath)
	if errors.Is(err, fs.ErrNotExist) {
		return fail(fmt.Errorf("formular %s is not signed: %s not found; an unsigned formular proves nothing", o.formular, sigPath))
	} else if err != nil {
		return fail(fmt.Errorf("signature: %w", err))
	}
	keyID, comment, err := sign.VerifyMessage(pub, msg, sig)
	if err != nil {
		return fail(fmt.Errorf("signature %s: %w", sigPath, err))
	}
	known.Signature = &report.Signature{KeyID: keyID, TrustedComment: comment, Verified: true}
	// raw is read, never written, from here on: the formular's strings
	// may share its bytes rather than copy 10 MB of a large one.
	f, err := formular.ParseText(unsafe.String(unsafe.SliceData(raw), len(raw)), o.formular)
	if err != nil {
		return fail(err)
	}
	for _, h := range f.Header {
		known.Header = append(known.Header, report.Field{Key: h.Key, Value: h.Value})
	}

	prog := verifyProgress(c, o, f)
	src := verify.Sources{
		Media: o.media, Installed: o.installed, Vars: vars, Settings: o.settings,
		IgnoreCase: o.ignoreCase, At: at, Require: o.required,
		Engine: checksum.Options{Workers: o.jobs, Progress: prog.Add, Started: prog.Item},
	}
	res, err := verify.Check(ctx, f, src)
	prog.Finish()
	if err != nil {
		return fail(err)
	}
	rep := baseReport(o, args, start, at, self, 0)
	if _, err := self.get(0); err != nil && o.fixedHost == "" {
		c.warnf("%v", err)
	}
	rep.Formular = known
	rep.Result = *res
	rep.Sources = sources(o, f, vars, res)
	return rep, nil
}

// sources describes what the check read besides the formular.
func sources(o *verifyOpts, f *formular.Formular, vars map[string]string, res *verify.Result) report.Sources {
	var s report.Sources
	if o.media != "" {
		m := &report.Media{Path: o.media, Kind: report.MediaDirectory}
		if img := res.Image; img != nil {
			m.Kind, m.Size, m.Digests = img.Kind, img.Size, img.Digests
			if im := img.ImplantedMD5; im != nil {
				m.ImplantedMD5 = &report.ImplantedMD5{Present: true, OK: im.OK, Expected: im.Expected, Computed: im.Computed}
			} else {
				m.ImplantedMD5 = &report.ImplantedMD5{}
			}
		} else {
			for _, t := range res.Tables {
				if t.Kind != formular.KindMedia {
					continue
				}
				for _, it := range t.Items {
					if it.ActualSize != nil {
						m.Size += *it.ActualSize
					}
				}
			}
		}
		s.Media = m
	}
	// Each modules table's root as the formular writes it, and the
	// directory it stood for in this check.
	var roots []report.Var
	named := map[string]bool{}
	for _, t := range res.Tables {
		switch t.Kind {
		case formular.KindModules:
			for _, ft := range f.Tables {
				if ft.Line == t.Line && !named[ft.Root] {
					named[ft.Root] = true
					roots = append(roots, report.Var{Name: ft.Root, Path: t.Root})
				}
			}
		case formular.KindParameters:
			s.Settings = append(s.Settings, t.Source)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(vars)) {
		if !named["${"+k+"}"] && !named["%"+k+"%"] {
			roots = append(roots, report.Var{Name: k, Path: vars[k]})
		}
	}
	if o.installed != "" || len(roots) > 0 {
		s.Installed = &report.Installed{Root: o.installed, Vars: roots}
	}
	return s
}

func loadPublicKey(o *verifyOpts) (minisign.PublicKey, error) {
	if o.pubKey != "" {
		pk, err := sign.ParsePublicKey(o.pubKey)
		if err != nil {
			return pk, fmt.Errorf("-P: %w", err)
		}
		return pk, nil
	}
	data, err := sign.ReadKeyFile(o.pubFile)
	if err != nil {
		return minisign.PublicKey{}, fmt.Errorf("public key: %w", err)
	}
	pk, err := sign.ReadPublicKey(data)
	if err != nil {
		return pk, fmt.Errorf("public key %s: %w", o.pubFile, err)
	}
	return pk, nil
}

// verifyProgress sizes the progress display by what the check will read:
// an image or device once, whole; a kit directory's and the installed
// modules' listed files.
func verifyProgress(c *cli, o *verifyOpts, f *formular.Formular) *report.Progress {
	if !progressOn(c, &o.common) {
		return nil
	}
	var total int64
	n := 0
	mediaDir := false
	if o.media != "" {
		if fi, err := os.Stat(o.media); err == nil {
			if mediaDir = fi.IsDir(); !mediaDir {
				total = fi.Size() // a device says 0; the bar then counts bytes
			}
		}
	}
	installed := o.installed != "" || len(o.vars) > 0
	for _, t := range f.Tables {
		if !(t.Kind == formular.KindMedia && mediaDir) && !(t.Kind == formular.KindModules && installed) {
			continue
		}
		for _, e := range t.Entries {
			total += max(e.Size, 0)
			n++
		}
	}
	return report.NewProgress(c.stderr, total, n, progressOptions(&o.common))
}

// render writes the report in the asked format to FILE or standard output;
// saved says what rendering a saved report checked of it (nil for a check).
func render(c *cli, rep *report.Report, format, lang, output, color string, verbose, quiet bool, saved *report.Saved) error {
	var out *outFile
	if output != "" && output != "-" {
		var err error
		if out, err = createOutput(output, 0o644); err != nil {
			return err
		}
		defer out.Abort()
	}
	return renderTo(c, out, rep, format, lang, color, verbose, quiet, saved)
}

// writeReport writes verify's report to out, or to standard output when
// out is nil.
func writeReport(c *cli, out *outFile, rep *report.Report, o *verifyOpts) error {
	return renderTo(c, out, rep, o.format, o.lang, o.color, o.verbose, o.quiet, nil)
}

// renderTo writes the report to out, whole or not at all, or to standard
// output when out is nil.
func renderTo(c *cli, out *outFile, rep *report.Report, format, lang, color string, verbose, quiet bool, saved *report.Saved) error {
	if lang == "" {
		lang = report.LangFromEnv()
	}
	var w io.Writer = c.stdout
	if out != nil {
		w = out
	}
	var err error
	switch format {
	case "json":
		err = report.WriteJSON(w, rep)
	case "ndjson":
		err = report.WriteNDJSON(w, rep)
	case "html":
		err = report.WriteHTMLOptions(w, rep, report.HTMLOptions{Lang: lang, Saved: saved})
	default:
		useColor := false
		if out == nil {
			f, _ := c.stdout.(*os.File)
			useColor = report.ColorEnabled(color, f)
		} else {
			useColor = color == "always"
		}
		err = report.WriteText(w, rep, report.TextOptions{Lang: lang, Color: useColor, Verbose: verbose, Quiet: quiet, Saved: saved})
	}
	if err != nil {
		return err
	}
	if out != nil {
		return out.Commit()
	}
	return nil
}
