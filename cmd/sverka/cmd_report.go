package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/internal/atomicfile"
	"github.com/sverka/sverka/internal/regular"
	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/sign"
	"github.com/sverka/sverka/verify"
)

const reportSynopsis = `sverka report render REPORT.json [-p PUBKEY.pub | -P PUBKEY] --format text|html|json [--lang ru|en] [-o FILE] [-v | --summary]

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
	fs.StringVar(&o.format, "format", "text", "output: text, json or html")
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
	data, err := readReport(path)
	if err != nil {
		return fmt.Errorf("report %w", err)
	}
	saved, err := savedSignature(c, o, path, data)
	if err != nil {
		return err
	}
	// The act names the file it was made from, so that paper and
	// evidence can be tied.
	saved.Path, saved.SHA256 = path, fmt.Sprintf("%x", sha256.Sum256(data))
	rep, err := report.ReadJSON(data)
	if err != nil {
		return fmt.Errorf("report %s: %w", path, err)
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

// savedSignature checks the report's detached signature with the public
// key given; without one, it warns that what the report says is unproven
// and notes a signature lying beside it.
func savedSignature(c *cli, o *renderReportOpts, path string, data []byte) (*report.Saved, error) {
	saved := &report.Saved{}
	if o.pubFile != "" || o.pubKey != "" {
		pub, err := sign.PublicKey(o.pubKey, o.pubFile)
		if err != nil {
			return nil, err
		}
		sig, err := sign.VerifyDetached(pub, "report", path, &sign.Message{Data: data})
		if err != nil {
			return nil, err
		}
		saved.KeyID = sig.KeyID
		return saved, nil
	}
	// Anyone can edit a saved report: without its signature checked,
	// what it says is only what it says.
	sigPath := path + sign.SignatureSuffix
	msg := fmt.Sprintf("report %s: its own signature was not checked (no -p): what it says is unproven", path)
	if fi, err := os.Stat(sigPath); err == nil && fi.Mode().IsRegular() {
		saved.Signature = sigPath
		msg += fmt.Sprintf("; %s lies beside it: render with -p KEY.pub to check it", sigPath)
	}
	c.warnf("%s", msg)
	return saved, nil
}

// readReport reads a saved report, refusing one larger than any check
// writes before reading it all, and anything but a regular file before
// waiting on it: a FIFO would hold the rendering forever.
func readReport(path string) ([]byte, error) {
	f, err := regular.Open(path)
	var nr *regular.NotRegularError
	if errors.As(err, &nr) {
		return nil, err
	} else if err != nil {
		return nil, fmt.Errorf("%s: %w", path, osErr(err))
	}
	defer f.Close()
	tooLarge := fmt.Errorf("%s: larger than %d GiB, far beyond any report", path, report.MaxSize>>30)
	var buf bytes.Buffer
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		if fi.Size() > report.MaxSize {
			return nil, tooLarge
		}
		buf.Grow(int(fi.Size()) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, report.MaxSize+1)); err != nil {
		return nil, fmt.Errorf("%s: %w", path, osErr(err))
	}
	if int64(buf.Len()) > report.MaxSize {
		return nil, tooLarge
	}
	return buf.Bytes(), nil
}
