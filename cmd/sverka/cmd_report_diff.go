package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/internal/atomicfile"
	"github.com/sverka/sverka/report"
)

const reportGroupSynopsis = `sverka report render REPORT.json [-p PUBKEY.pub | -P PUBKEY] [--format text|html|json] [-o FILE]
       sverka report diff A.json B.json [-p PUBKEY.pub | -P PUBKEY] [--format text|json|csv] [-o FILE]

render shows a saved report again; diff says what changed between two
checks of a host. Run 'sverka help report render' or 'sverka help report
diff' for the flags and examples of each.`

const reportDiffSynopsis = `sverka report diff A.json B.json [-p PUBKEY.pub | -P PUBKEY] [--format text|json|csv] [--lang ru|en] [-o FILE]

Say what changed from check A to check B: new findings, resolved
findings, items whose status changed, files MODIFIED in both with other
digests, parameters whose value changed, the verdict and the tables
checked. Both reports are read strictly, as 'report render' reads them;
with a public key, A.json.minisig and B.json.minisig are checked first.
Reports of different hosts or formulars are still compared, and a B
older than A is compared as given, not swapped: the output says so.

Exit status, as diff(1): 0 no change, 1 changes, 2 trouble (a report
that cannot be read, refused or whose signature fails; a usage error).`

const reportDiffExamples = `  sverka report diff monday.json tuesday.json
  sverka report diff -p auditor.pub monday.json tuesday.json --lang ru
  sverka report diff monday.json tuesday.json --format csv -o changes.csv`

// errChanged is a diff that found changes: exit 1, as diff(1).
var errChanged = silentExit(exitFail)

type diffReportOpts struct {
	pubKey  string
	pubFile string
	format  string
	lang    string
	output  string
}

func (o *diffReportOpts) flags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.pubFile, "public-key-file", "p", "", "public key file of the reports' signer: each REPORT.json.minisig is checked")
	fs.StringVarP(&o.pubKey, "public-key", "P", "", "public key of the reports' signer, base64")
	fs.StringVar(&o.format, "format", "text", "output: text, json or csv")
	fs.StringVar(&o.lang, "lang", "", "language of text: ru or en (default from LC_ALL, LC_MESSAGES, LANG)")
	fs.StringVarP(&o.output, "output", "o", "", "write to FILE instead of standard output")
}

// runReportDiff compares two saved reports; the exit says whether
// anything changed.
func runReportDiff(_ context.Context, c *cli, o *diffReportOpts, args []string) error {
	if len(args) != 2 {
		return errors.New("report diff needs two reports: A.json B.json (A the earlier check)")
	}
	switch o.format {
	case "text", "json", "csv":
	default:
		return fmt.Errorf("--format must be text, json or csv, not %q", o.format)
	}
	if err := checkLang(o.lang); err != nil {
		return err
	}
	a, _, err := readSaved(c, o.pubKey, o.pubFile, args[0])
	if err != nil {
		return err
	}
	b, _, err := readSaved(c, o.pubKey, o.pubFile, args[1])
	if err != nil {
		return err
	}
	changes := report.Diff(a, b)
	var out *atomicfile.File
	var w io.Writer = c.stdout
	if o.output != "" && o.output != "-" {
		if out, err = atomicfile.Create(o.output, 0o644); err != nil {
			return fmt.Errorf("-o: %w", err)
		}
		defer out.Abort()
		w = out
	}
	lang := o.lang
	if lang == "" {
		lang = report.LangFromEnv()
	}
	opt := report.DiffOptions{Lang: lang, A: args[0], B: args[1]}
	switch o.format {
	case "json":
		err = report.WriteDiffJSON(w, &changes, opt)
	case "csv":
		err = report.WriteDiffCSV(w, &changes)
	default:
		err = report.WriteDiffText(w, &changes, opt)
	}
	if err != nil {
		return err
	}
	if out != nil {
		if err := out.Commit(); err != nil {
			return err
		}
	}
	if changes.HasChanges() {
		return errChanged
	}
	return nil
}
