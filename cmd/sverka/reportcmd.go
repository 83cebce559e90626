package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/verify"
)

const reportSynopsis = `sverka report render REPORT.json [-p PUBKEY.pub | -P PUBKEY] --format text|html|json [--lang ru|en] [-o FILE] [-v]

Render a saved JSON report again: the JSON is the evidence, text and HTML
are views of it. With a public key, REPORT.json.minisig (made with
'sverka sign') is checked first and the signer's key id is shown; a bad
signature is exit 2. Otherwise the exit code is the report's verdict.`

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
	data, err := os.ReadFile(path)
	if err != nil {
		c.errorf("%s: %v", path, osErr(err))
		return exitError
	}
	keyID := ""
	if o.pubFile != "" || o.pubKey != "" {
		pub, err := loadPublicKey(&o)
		if err != nil {
			c.errorf("%v", err)
			return exitError
		}
		sigPath := path + formular.SignatureSuffix
		sig, err := os.ReadFile(sigPath)
		if errors.Is(err, fs.ErrNotExist) {
			c.errorf("report %s is not signed: %s not found", path, sigPath)
			return exitError
		} else if err != nil {
			c.errorf("signature: %v", err)
			return exitError
		}
		if keyID, _, err = formular.VerifySignature(pub, data, sig); err != nil {
			c.errorf("signature %s: %v", sigPath, err)
			return exitError
		}
	}
	rep, err := report.ReadJSON(data)
	if err != nil {
		c.errorf("%s: %v", path, err)
		return exitError
	}
	if err := render(c, rep, o.format, o.lang, o.output, o.color, o.verbose, false, keyID); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	if rep.Result.Verdict == verify.Holds {
		return exitOK
	}
	return exitFail
}
