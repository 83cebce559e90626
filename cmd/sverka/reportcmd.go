package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/sverka/sverka/internal/regular"
	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/sign"
	"github.com/sverka/sverka/verify"
)

const reportSynopsis = `sverka report render REPORT.json [-p PUBKEY.pub | -P PUBKEY] --format text|html|json [--lang ru|en] [-o FILE] [-v]

Render a saved JSON report again: the JSON is the evidence, text and HTML
are views of it. With a public key, REPORT.json.minisig (made with
'sverka sign') is checked first and the signer's key id is shown; a bad
signature is exit 2. Without one, the report's own signature is not
checked, and the rendering says so.

A report whose verdict, reasons, counts or failure flags disagree with its
items, scope or certificate dates is refused (exit 2), signed or not.
Otherwise the exit code is the report's verdict: 0 HOLDS, 1 NOT HOLD,
2 CANNOT CHECK.`

func cmdReport(_ context.Context, c *cli, args []string) int {
	if len(args) == 0 || args[0] != "render" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "help") {
			fmt.Fprintf(c.stdout, "Usage: %s\n", reportSynopsis)
			return exitOK
		}
		fmt.Fprintf(c.stderr, "Usage: %s\n", reportSynopsis)
		return exitError
	}
	var o verifyOpts
	flags := newFlags(c, "report render", reportSynopsis)
	flags.StringVarP(&o.pubFile, "public-key-file", "p", "", "public key file of the report's signer")
	flags.StringVarP(&o.pubKey, "public-key", "P", "", "public key of the report's signer, base64")
	flags.StringVar(&o.format, "format", "text", "output: text, json or html")
	flags.StringVar(&o.lang, "lang", "", "language: ru or en (default from LC_ALL, LC_MESSAGES, LANG)")
	flags.StringVarP(&o.output, "output", "o", "", "write to FILE instead of standard output")
	flags.BoolVarP(&o.verbose, "verbose", "v", false, "list every item, OK ones too")
	flags.StringVar(&o.color, "color", "auto", "colour output: auto|always|never (NO_COLOR honoured)")
	if code, done := parseFlags(c, flags, args[1:]); done {
		return code
	}
	if flags.NArg() != 1 {
		c.errorf("report render needs exactly one REPORT.json")
		return exitError
	}
	if err := checkFormat(o.format, false); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	if err := checkLang(o.lang); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	path := flags.Arg(0)
	data, err := readReport(path)
	if err != nil {
		c.errorf("report %v", err)
		return exitError
	}
	sigPath := path + sign.SignatureSuffix
	saved := &report.Saved{}
	if o.pubFile != "" || o.pubKey != "" {
		pub, err := loadPublicKey(&o)
		if err != nil {
			c.errorf("%v", err)
			return exitError
		}
		sig, err := sign.ReadKeyFile(sigPath)
		if errors.Is(err, fs.ErrNotExist) {
			c.errorf("report %s is not signed: %s not found", path, sigPath)
			return exitError
		} else if err != nil {
			c.errorf("signature: %v", err)
			return exitError
		}
		if saved.KeyID, _, err = sign.VerifySignature(pub, data, sig); err != nil {
			c.errorf("signature %s: %v", sigPath, err)
			return exitError
		}
	} else {
		// Anyone can edit a saved report: without its signature checked,
		// what it says is only what it says.
		msg := fmt.Sprintf("report %s: its own signature was not checked (no -p): what it says is unproven", path)
		if fi, err := os.Stat(sigPath); err == nil && fi.Mode().IsRegular() {
			saved.Signature = sigPath
			msg += fmt.Sprintf("; %s lies beside it: render with -p KEY.pub to check it", sigPath)
		}
		c.warnf("%s", msg)
	}
	rep, err := report.ReadJSON(data)
	if err != nil {
		c.errorf("report %s: %v", path, err)
		return exitError
	}
	if err := render(c, rep, o.format, o.lang, o.output, o.color, o.verbose, false, saved); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	switch rep.Result.Verdict {
	case verify.Holds:
		return exitOK
	case verify.NotHolds:
		return exitFail
	}
	c.errorf("report %s: %s: the check it records could not be made", path, rep.Result.Verdict)
	return exitError
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
		return nil, fmt.Errorf("%s: %v", path, osErr(err))
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
		return nil, fmt.Errorf("%s: %v", path, osErr(err))
	}
	if int64(buf.Len()) > report.MaxSize {
		return nil, tooLarge
	}
	return buf.Bytes(), nil
}
