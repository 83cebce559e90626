package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/formular/doctable"
)

const importFormats = "gnu|bsd|hashdeep|rhash|rhash-bsd|dpkg|gostsum|gost12sum|text|docx|auto"

const formularImportSynopsis = `sverka formular import --from FORMAT [--table media|modules] [--gost-reverse]
                              [--set KEY=VALUE]... LIST... -o FILE

Turn checksum lists (sha256sum, b3sum, rhash, hashdeep, dpkg, gostsum) or a
checksum table copied out of a formular document into a formular of one
table. It does not sign: review the result, then 'sverka sign'.`

const formularImportExamples = `  sverka hash -r testdata/demo/kit > SHA256SUMS
  sverka formular import --from gnu SHA256SUMS -o formular.txt
  sverka formular import --from docx formular.docx -o formular.txt`

type importOpts struct {
	root    rootFlags
	from    string
	table   string
	algs    string
	reverse bool
	strip   string
	open    bool
	sets    []string
	output  string
	force   bool
}

func (o *importOpts) flags(fs *pflag.FlagSet) {
	fs.StringVar(&o.from, "from", "", "what the LIST files are: "+importFormats)
	fs.StringVar(&o.table, "table", "", "table to fill: media or modules (default media; modules for dpkg)")
	fs.StringVarP(&o.algs, "algorithm", "a", "", "algorithm of digests the list does not name (64 hex digits are ambiguous)")
	fs.BoolVar(&o.reverse, "gost-reverse", false, "GOST digests are byte-reversed (rhash --gost-reverse, gostsum)")
	fs.StringVar(&o.strip, "strip-prefix", "", "remove this prefix from every name (lists made with absolute paths)")
	o.root.add(fs)
	fs.BoolVar(&o.open, "open", false, "do not close the table")
	fs.StringArrayVar(&o.sets, "set", nil, "header field KEY=VALUE (repeatable)")
	fs.StringVarP(&o.output, "output", "o", "", "formular file to write ('-': standard output)")
	fs.BoolVarP(&o.force, "force", "f", false, "overwrite a signed formular (one with a .minisig beside it)")
}

// kind is the table to fill: --table, else media, or modules for dpkg.
func (o *importOpts) kind() (formular.Kind, error) {
	kind := formular.Kind(o.table)
	switch {
	case o.table == "" && o.from == "dpkg":
		kind = formular.KindModules
	case o.table == "":
		kind = formular.KindMedia
	case kind != formular.KindMedia && kind != formular.KindModules:
		return "", fmt.Errorf("--table must be media or modules, not %q", o.table)
	}
	return kind, nil
}

// runFormularImport turns checksum lists or document tables into a
// formular of one table.
func runFormularImport(_ context.Context, c *cli, o *importOpts, lists []string) error {
	if o.from == "" || o.output == "" || len(lists) == 0 {
		return fmt.Errorf("formular import needs --from FORMAT (%s), LIST files and -o FILE", importFormats)
	}
	dest, err := openOutput(o.output, o.force)
	if err != nil {
		return err
	}
	defer dest.Abort()
	kind, err := o.kind()
	if err != nil {
		return err
	}
	var aa []*checksum.Algorithm
	if o.algs != "" {
		if aa, err = checksum.ParseNames(o.algs); err != nil {
			return err
		}
	}
	defaults := false
	if o.from != "text" && o.from != "docx" {
		defaults = o.algs == "" && listAlgs(o.from, false, nil) != nil
		aa = listAlgs(o.from, o.algs != "", aa)
	}
	var entries []checksum.Entry
	for _, list := range lists {
		es, err := readForImport(c, o.from, list, aa, defaults, o.reverse)
		if err != nil {
			return err
		}
		entries = append(entries, es...)
	}
	t, err := formular.FromList(kind, entries, formular.ImportOptions{File: strings.Join(lists, ", "), StripPrefix: o.strip})
	if err != nil {
		return err
	}
	for _, col := range t.Columns {
		if col.Alg.Legacy {
			c.warnf("the table uses %s, a legacy algorithm: it detects accidents, not deliberate tampering", col.Alg.Name)
		}
	}
	if kind == formular.KindModules {
		fallback := ""
		if o.from == "dpkg" {
			fallback = "/" // dpkg md5sums name files relative to the root
		}
		if err := o.root.apply(t, fallback); err != nil {
			return err
		}
	}
	t.Closed = !o.open && kind == formular.KindMedia
	f, err := header(o.sets)
	if err != nil {
		return err
	}
	f.Tables = append(f.Tables, t)
	warnHeader(c, f)
	return writeFormular(c, f, o.output, dest)
}

// readForImport reads one list, or one document's tables, into entries.
// Lines it could not use are printed with their numbers; a list with such
// lines is not imported: a formular must not silently miss a row.
func readForImport(c *cli, from, list string, algs []*checksum.Algorithm, defaults, reverse bool) ([]checksum.Entry, error) {
	data, err := checksum.ReadListFile(list)
	if err != nil {
		return nil, errors.New(fileErr(list, err))
	}
	switch from {
	case "text", "docx":
		opt := doctable.Options{Algs: algs, Reversed: reverse}
		var rows []doctable.Row
		var skipped []doctable.Skipped
		if from == "text" {
			rows, skipped, err = doctable.ParseText(data, list, opt)
		} else {
			rows, skipped, err = doctable.ParseDOCX(bytes.NewReader(data), int64(len(data)), list, opt)
		}
		if err != nil {
			return nil, err
		}
		for _, s := range skipped {
			c.warnf("%s line %d: not used: %s: %s", list, s.Line, s.Why, strings.TrimSpace(s.Text))
		}
		var es []checksum.Entry
		for _, r := range rows {
			e := checksum.Entry{Line: r.Line, Name: r.Name, Size: r.Size}
			for _, d := range r.Digests {
				e.Sums = append(e.Sums, checksum.Sum{Col: d.Col, Digest: d.Sum})
			}
			es = append(es, e)
		}
		if len(es) == 0 {
			return nil, fmt.Errorf("%s: no checksum table found", list)
		}
		fmt.Fprintf(c.stderr, "sverka: %s: %d %s read, %d %s not used\n", filepath.Base(list),
			len(es), plural(len(es), "row", "rows"), len(skipped), plural(len(skipped), "line", "lines"))
		return es, nil
	}
	format, err := checksum.ParseFormat(from)
	if err != nil {
		return nil, fmt.Errorf("--from: %w", err)
	}
	es, bad, err := checksum.ParseList(data, checksum.ReadOptions{Format: format, Algs: algs, Defaults: defaults, Reversed: reverse, File: list})
	if err != nil {
		return nil, err
	}
	for _, b := range bad {
		c.errorf("%v", b)
	}
	if n := checksum.BadLines(bad); n > 0 {
		return nil, fmt.Errorf("%s: %d %s could not be read: nothing imported", list, n, plural(n, "line", "lines"))
	}
	// A table written on an assumption is signed as fact: say it first.
	if note := checksum.Assumed(es); note != "" {
		c.warnf("%s: %s", list, note)
	}
	// rhash --bsd and --tag write one line per algorithm: one row each file.
	return checksum.MergeByName(es), nil
}
