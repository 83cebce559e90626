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
	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/verify"
)

const verifySynopsis = `sverka verify -f FORMULAR (-P PUBKEY | -p PUBKEY.pub) [--media ISO|DEVICE|DIR]
              [--installed ROOT] [--var NAME=PATH]... [--settings FILE]... [--at DATE]
              [--format text|json|ndjson|html] [--lang ru|en] [-o FILE] [-v]

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
	fs.StringSliceVar(&o.require, "require", nil, "table kinds the verdict must cover: image, media, modules, parameters, or all (every table of the formular); one not checked makes it NOT HOLD")
	fs.StringVar(&o.fixedTime, "fixed-time", "", "")
	fs.StringVar(&o.fixedHost, "fixed-host", "", "")
	fs.MarkHidden("fixed-time") // reproducible reports for tests and examples
	fs.MarkHidden("fixed-host")
	o.common.add(fs)
	if code, done := parseFlags(c, fs, args); done {
		return code
	}
	if err := o.check(); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	if os.Getenv("GOGC") == "" {
		// A check builds its tables once and keeps them to the end:
		// collections while they grow find little to free, and on
		// 100,000 modules fewer of them save a few percent of the time
		// and no memory. GOGC, when set, decides.
		debug.SetGCPercent(400)
	}
	rep, code := runVerify(ctx, c, &o, args)
	if rep == nil {
		return code
	}
	if err := render(c, rep, o.format, o.lang, o.output, o.color, o.verbose, o.quiet, nil); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	if o.output != "" && !o.quiet {
		fmt.Fprintf(c.stderr, "sverka: %s: report written to %s\n", rep.Result.Verdict, o.output)
	}
	if rep.Result.Verdict == verify.Holds {
		return exitOK
	}
	return exitFail
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
	for _, k := range o.require {
		switch k {
		case "all", string(formular.KindImage), string(formular.KindMedia), string(formular.KindModules), string(formular.KindParameters):
		default:
			return fmt.Errorf("--require %q: expected image, media, modules, parameters or all", k)
		}
	}
	if err := checkFormat(o.format, true); err != nil {
		return err
	}
	return checkLang(o.lang)
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

// runVerify does the check; a nil report means it could not be made and
// code says how it ended.
func runVerify(ctx context.Context, c *cli, o *verifyOpts, args []string) (*report.Report, int) {
	start := time.Now().Round(0) // wall clock only: the report must read back equal
	if o.fixedTime != "" {
		t, err := time.Parse(time.RFC3339, o.fixedTime)
		if err != nil {
			c.errorf("--fixed-time: %v", err)
			return nil, exitError
		}
		start = t
	}
	at := start
	if o.at != "" {
		t, err := time.ParseInLocation(formular.DateLayout, o.at, start.Location())
		if err != nil {
			c.errorf("--at %q: expected a date YYYY-MM-DD", o.at)
			return nil, exitError
		}
		at = t
	}

	// The report names the build that made it: its digest is taken while
	// the check runs rather than after.
	type selfDigest struct {
		hex string
		err error
	}
	self := make(chan selfDigest, 1)
	go func() {
		d, err := report.SelfDigest()
		self <- selfDigest{d, err}
	}()

	// The signature first, over the raw bytes; nothing is parsed before.
	pub, err := loadPublicKey(o)
	if err != nil {
		c.errorf("%v", err)
		return nil, exitError
	}
	msg, err := formular.ReadMessage(o.formular)
	if err != nil {
		c.errorf("formular: %v", err)
		return nil, exitError
	}
	raw := msg.Data
	sigPath := o.formular + formular.SignatureSuffix
	sig, err := os.ReadFile(sigPath)
	if errors.Is(err, fs.ErrNotExist) {
		c.errorf("formular %s is not signed: %s not found; an unsigned formular proves nothing", o.formular, sigPath)
		return nil, exitError
	} else if err != nil {
		c.errorf("signature: %v", err)
		return nil, exitError
	}
	keyID, comment, err := formular.VerifyMessage(pub, msg, sig)
	if err != nil {
		c.errorf("signature %s: %v", sigPath, err)
		return nil, exitError
	}
	// raw is read, never written, from here on: the formular's strings
	// may share its bytes rather than copy 10 MB of a large one.
	f, err := formular.ParseText(unsafe.String(unsafe.SliceData(raw), len(raw)), o.formular)
	if err != nil {
		c.errorf("%v", err)
		return nil, exitError
	}

	vars := map[string]string{}
	for _, v := range o.vars {
		name, path, ok := strings.Cut(v, "=")
		if !ok || name == "" || path == "" {
			c.errorf("--var %q: expected NAME=PATH", v)
			return nil, exitError
		}
		vars[strings.Trim(name, "${}%")] = path
	}
	prog := verifyProgress(c, o, f)
	src := verify.Sources{
		Media: o.media, Installed: o.installed, Vars: vars, Settings: o.settings,
		IgnoreCase: o.ignoreCase, At: at, Require: o.require,
		Engine: checksum.Options{Workers: o.jobs, Progress: prog.Add, Started: prog.Item},
	}
	res, err := verify.Check(ctx, f, src)
	prog.Finish()
	if err != nil {
		c.errorf("%v", err)
		return nil, exitError
	}

	run := report.NewRun(start, append([]string{"sverka", "verify"}, args...))
	run.End = time.Now().Round(0)
	if o.fixedTime != "" {
		run.End = start
	}
	if o.fixedHost != "" {
		run.Host, run.User, run.OSVersion = o.fixedHost, "auditor", ""
	}
	run.CheckDate = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, at.Location())
	sd := <-self
	digest := sd.hex
	if sd.err != nil {
		c.warnf("%v", sd.err)
	}
	sum := sha256.Sum256(raw)
	rep := &report.Report{
		Schema: report.Schema,
		Tool:   report.Tool{Name: "sverka", Version: toolVersion(), SHA256: digest},
		Run:    run,
		Formular: report.FormularInfo{
			Path: o.formular, SHA256: hex.EncodeToString(sum[:]),
			Signature: &report.Signature{KeyID: keyID, TrustedComment: comment, Verified: true},
		},
		Result: *res,
	}
	if o.fixedHost != "" {
		rep.Tool.SHA256 = strings.Repeat("0", 64)
		rep.Tool.Version = "test"
	}
	for _, h := range f.Header {
		rep.Formular.Header = append(rep.Formular.Header, report.Field{Key: h.Key, Value: h.Value})
	}
	rep.Sources = sources(o, f, vars, res)
	return rep, exitOK
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
				if t.Kind != "media" {
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
		case "modules":
			for _, ft := range f.Tables {
				if ft.Line == t.Line && !named[ft.Root] {
					named[ft.Root] = true
					roots = append(roots, report.Var{Name: ft.Root, Path: t.Root})
				}
			}
		case "parameters":
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
		pk, err := formular.ParsePublicKey(o.pubKey)
		if err != nil {
			return pk, fmt.Errorf("-P: %w", err)
		}
		return pk, nil
	}
	data, err := os.ReadFile(o.pubFile)
	if err != nil {
		return minisign.PublicKey{}, fmt.Errorf("public key: %w", err)
	}
	pk, err := formular.ReadPublicKey(data)
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
	if lang == "" {
		lang = report.LangFromEnv()
	}
	var w io.Writer = c.stdout
	var file *os.File
	if output != "" && output != "-" {
		var err error
		if file, err = os.Create(output); err != nil {
			return err
		}
		defer file.Close()
		w = file
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
		if file == nil {
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
	if file != nil {
		return file.Close()
	}
	return nil
}
