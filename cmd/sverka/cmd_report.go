package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"

	"aead.dev/minisign"
	"github.com/spf13/pflag"

	"github.com/sverka/sverka/internal/atomicfile"
	"github.com/sverka/sverka/internal/regular"
	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/sign"
	"github.com/sverka/sverka/verify"
)

const reportSynopsis = `sverka report render REPORT.json [-p PUBKEY.pub | -P PUBKEY] --format text|html|json|cef [--lang ru|en] [-o FILE] [-v | --summary]

Render a saved JSON report again: the JSON is the evidence, text and HTML
are views of it. With a public key, REPORT.json.minisig (made with
'sverka sign') is checked first and the signer's key id is shown; a bad
signature is exit 2. Without one, the report's own signature is not
checked, and the rendering says so. --summary renders the act without the
list of objects: header, verdict, counts per table and findings.

A report whose verdict, reasons, counts or failure flags disagree with its
items, scope or certificate dates is refused (exit 2), signed or not.
Otherwise the exit code is the report's verdict: 0 HOLDS, 1 NOT HOLD,
2 CANNOT CHECK.`

const reportExamples = `  sverka verify -f testdata/demo/formular.txt -p testdata/demo/demo.pub --media testdata/demo/kit --format json -o check.json
  sverka report render check.json --format html --lang ru -o check.html
  sverka report render check.json -p auditor.pub      # check.json.minisig checked first`

type renderReportOpts struct {
	pubKey  string
	pubFile string
	format  string
	lang    string
	output  string
	verbose bool
	summary bool
	color   string
}

func (o *renderReportOpts) flags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.pubFile, "public-key-file", "p", "", "public key file of the report's signer")
	fs.StringVarP(&o.pubKey, "public-key", "P", "", "public key of the report's signer, base64")
	fs.StringVar(&o.format, "format", "text", "output: text, json, cef or html")
	fs.StringVar(&o.lang, "lang", "", "language: ru or en (default from LC_ALL, LC_MESSAGES, LANG)")
	fs.StringVarP(&o.output, "output", "o", "", "write to FILE instead of standard output")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "list every item, OK ones too")
	fs.BoolVar(&o.summary, "summary", false, "text and html: the act without the list of objects (header, verdict, counts, findings)")
	fs.StringVar(&o.color, "color", "auto", "colour output: auto|always|never (NO_COLOR honoured)")
}

// runReportRender renders a saved report again, its signature checked
// first when a public key is given; the exit is the report's verdict.
func runReportRender(_ context.Context, c *cli, o *renderReportOpts, args []string) error {
	if len(args) != 1 {
		return errors.New("report render needs exactly one REPORT.json")
	}
	if err := checkFormat(o.format, false); err != nil {
		return err
	}
	if err := checkLang(o.lang); err != nil {
		return err
	}
	if err := checkSummary(o.summary, o.verbose, o.format); err != nil {
		return err
	}
	path := args[0]
	tuneGC()
	rep, saved, err := readSaved(c, o.pubKey, o.pubFile, path)
	if err != nil {
		return err
	}
	var out *atomicfile.File
	if o.output != "" && o.output != "-" {
		if out, err = atomicfile.Create(o.output, 0o644); err != nil {
			return err
		}
		defer out.Abort()
	}
	ro := renderOpts{format: o.format, lang: o.lang, color: o.color, verbose: o.verbose, summary: o.summary, saved: saved}
	if err := renderTo(c, out, rep, ro); err != nil {
		return err
	}
	if v := rep.Result.Verdict; v != verify.Holds && v != verify.NotHolds {
		return fmt.Errorf("report %s: %s: the check it records could not be made", path, v)
	}
	return verdictErr(rep.Result.Verdict)
}

// readSaved reads a saved report as a stream, item by item, never
// holding the file whole: its SHA-256 is taken as it is read, and with a
// public key its detached signature is checked over the same bytes. A
// report whose signature does not verify is refused for that, whatever
// else is wrong with it; without a key, the rendering warns that what
// the report says is unproven. The file must be a regular file (a FIFO
// would hold the rendering forever) no larger than any check writes.
func readSaved(c *cli, pubKey, pubFile, path string) (*report.Report, *report.Saved, error) {
	saved := &report.Saved{Path: path}
	var pub *minisign.PublicKey
	if pubFile != "" || pubKey != "" {
		k, err := sign.PublicKey(pubKey, pubFile)
		if err != nil {
			return nil, nil, err
		}
		pub = &k
	}
	f, err := regular.Open(path)
	var nr *regular.NotRegularError
	if errors.As(err, &nr) {
		return nil, nil, fmt.Errorf("report %w", err)
	} else if err != nil {
		return nil, nil, fmt.Errorf("report %s: %w", path, osErr(err))
	}
	defer f.Close()
	size := int64(-1) // read through the digest, the file cannot tell Read
	if fi, err := f.Stat(); err == nil {
		if fi.Size() > report.MaxSize {
			return nil, nil, fmt.Errorf("report %s: larger than %d GiB, far beyond any report", path, report.MaxSize>>30)
		}
		size = fi.Size()
	}
	sum := sha256.New()
	var r io.Reader = io.TeeReader(readErrors{io.LimitReader(f, report.MaxSize+1)}, sum)
	var v *sign.Verifier
	if pub != nil {
		if v, err = sign.NewVerifier(*pub, "report", path, r); err != nil {
			return nil, nil, err
		}
		r = v
	} else {
		// Anyone can edit a saved report: without its signature checked,
		// what it says is only what it says.
		sigPath := path + sign.SignatureSuffix
		msg := fmt.Sprintf("report %s: its own signature was not checked (no -p): what it says is unproven", path)
		if fi, err := os.Stat(sigPath); err == nil && fi.Mode().IsRegular() {
			saved.Signature = sigPath
			msg += fmt.Sprintf("; %s lies beside it: render with -p KEY.pub to check it", sigPath)
		}
		c.warnf("%s", msg)
	}
	rep, readErr := report.ReadSized(r, size)
	if v != nil {
		// The signature speaks first: a report that fails to read may
		// be one changed after it was signed.
		sig, err := v.Verify()
		if err != nil {
			return nil, nil, err
		}
		saved.KeyID = sig.KeyID
	}
	if readErr != nil {
		var re readError
		if errors.As(readErr, &re) {
			return nil, nil, fmt.Errorf("report %s: %w", path, osErr(re.err))
		}
		return nil, nil, fmt.Errorf("report %s: %w", path, readErr)
	}
	// The act names the file it was made from, so that paper and
	// evidence can be tied: the digest of every byte read, to the end.
	if _, err := io.Copy(io.Discard, r); err != nil {
		return nil, nil, fmt.Errorf("report %s: %w", path, osErr(err))
	}
	saved.SHA256 = hex.EncodeToString(sum.Sum(nil))
	return rep, saved, nil
}

// readErrors marks the errors of reading the file itself, so that they
// are told apart from what is wrong with its content.
type readErrors struct{ f io.Reader }

type readError struct{ err error }

func (e readError) Error() string { return e.err.Error() }
func (e readError) Unwrap() error { return e.err }

func (r readErrors) Read(p []byte) (int, error) {
	n, err := r.f.Read(p)
	if err != nil && err != io.EOF {
		err = readError{err}
	}
	return n, err
}
