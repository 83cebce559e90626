package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/formular/doctable"
	"github.com/sverka/sverka/internal/console"
	"github.com/sverka/sverka/internal/regular"
	"github.com/sverka/sverka/survey"
)

const formularSynopsis = `sverka formular make [-a ALG[,ALG]] [--media ISO|DIR] [--modules DIR --root-var NAME] [--set KEY=VALUE]... -o FILE
       sverka formular import --from FORMAT [--table media|modules] [--gost-reverse] [--set KEY=VALUE]... LIST... -o FILE

make hashes a reference kit (a directory or an ISO image) and a reference
installation into a formular; import turns checksum lists and document
tables into one. Neither signs: review the result, then 'sverka sign'.`

func cmdFormular(ctx context.Context, c *cli, args []string) error {
	if len(args) == 0 {
		return usageText("Usage: " + formularSynopsis + "\n")
	}
	switch args[0] {
	case "make":
		return command(ctx, c, "formular make", formularSynopsis, args[1:], runFormularMake)
	case "import":
		return command(ctx, c, "formular import", formularSynopsis, args[1:], runFormularImport)
	case "-h", "--help", "help":
		fmt.Fprintf(c.stdout, "Usage: %s\n", formularSynopsis)
		return nil
	}
	return fmt.Errorf("unknown formular command %q: make or import", args[0])
}

// header collects --set KEY=VALUE into a new formular.
func header(sets []string) (*formular.Formular, error) {
	f := &formular.Formular{Version: formular.FormatVersion}
	for _, s := range sets {
		k, v, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("--set %q: expected KEY=VALUE", s)
		}
		f.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return f, nil
}

// rootFlags are the flags that place a modules table.
type rootFlags struct {
	rootVar string
	def     string
	os      string
}

func (r *rootFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&r.rootVar, "root-var", "", "modules table root: a variable NAME (written ${NAME}), %NAME% for Windows, or an absolute path")
	fs.StringVar(&r.def, "default", "", "the root's default path on the target system")
	fs.StringVar(&r.os, "os", "", "target system of the modules table: linux or windows")
}

// apply places a modules table: its root, default and system.
func (r *rootFlags) apply(t *formular.Table, fallback string) error {
	root := r.rootVar
	if root == "" {
		root = fallback
	}
	switch {
	case root == "":
		return fmt.Errorf("a modules table needs --root-var NAME")
	case strings.HasPrefix(root, "/") || strings.HasPrefix(root, "%") || strings.HasPrefix(root, "${"):
		t.Root = root
	default:
		t.Root = "${" + root + "}"
	}
	if r.os != "" {
		if r.os != formular.OSLinux && r.os != formular.OSWindows {
			return fmt.Errorf("--os must be linux or windows, not %q", r.os)
		}
		t.OS = r.os
	} else if strings.HasPrefix(t.Root, "%") {
		t.OS = formular.OSWindows
	}
	if r.def != "" {
		t.Defaults = map[string]string{"": r.def}
	}
	return nil
}

type makeOpts struct {
	common
	root     rootFlags
	algs     string
	media    string
	modules  string
	mode     bool
	open     bool
	excludes []string
	tables   []string
	sets     []string
	output   string
}

func (o *makeOpts) flags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.algs, "algorithm", "a", "sha256", "algorithm(s) of the tables, comma-separated")
	fs.StringVar(&o.media, "media", "", "the reference kit: a directory or an ISO image")
	fs.StringVar(&o.modules, "modules", "", "a reference installation's directory of executable modules")
	o.root.add(fs)
	fs.BoolVar(&o.mode, "mode", false, "record the modules' permission bits")
	fs.BoolVar(&o.open, "open", false, "do not close the tables (unlisted files become warnings, not failures)")
	fs.StringArrayVar(&o.excludes, "exclude", nil, "leave out paths matching this glob (repeatable)")
	fs.StringArrayVar(&o.tables, "tables", nil, "add the tables written in FILE, such as a safe-parameter table typed from the manual (repeatable)")
	fs.StringArrayVar(&o.sets, "set", nil, "header field KEY=VALUE (repeatable)")
	fs.StringVarP(&o.output, "output", "o", "", "formular file to write ('-': standard output)")
	o.common.add(fs)
}

// runFormularMake hashes a reference kit and installation into a new
// formular, with the tables of --tables files.
func runFormularMake(ctx context.Context, c *cli, o *makeOpts, args []string) error {
	if err := o.check(); err != nil {
		return err
	}
	if o.output == "" || len(args) > 0 || (o.media == "" && o.modules == "" && len(o.tables) == 0) {
		return errors.New("formular make needs --media, --modules or --tables, and -o FILE")
	}
	// -o is made ready before the kit is read: a destination that cannot
	// be written is said now, not after the hashing.
	dest, err := openOutput(o.output)
	if err != nil {
		return err
	}
	defer dest.Abort()
	algs, err := checksum.ParseNames(o.algs)
	if err != nil {
		return err
	}
	cols := checksum.GOSTReverseColumns(algs, false)
	f, err := header(o.sets)
	if err != nil {
		return err
	}
	if o.media != "" {
		tables, err := makeMediaTables(ctx, c, o, cols)
		if err != nil {
			return fmt.Errorf("media: %w", err)
		}
		f.Tables = append(f.Tables, tables...)
	}
	if o.modules != "" {
		t, err := makeModulesTable(ctx, c, o, cols)
		if err != nil {
			return err
		}
		f.Tables = append(f.Tables, t)
	}
	for _, path := range o.tables {
		more, err := readTables(path)
		if err != nil {
			return err
		}
		f.Tables = append(f.Tables, more...)
	}
	return writeFormular(c, f, o.output, dest)
}

// makeMediaTables makes the media table of a kit directory, or the
// image, boot and media tables of an image; the media table is closed
// unless --open.
func makeMediaTables(ctx context.Context, c *cli, o *makeOpts, cols []checksum.Column) ([]*formular.Table, error) {
	fi, err := os.Stat(o.media)
	if err != nil {
		return nil, err
	}
	var tables []*formular.Table
	if fi.IsDir() {
		engine := checksum.Options{Workers: o.jobs}
		prog := newTreeProgress(ctx, c, &o.common, o.media)
		engine.Progress, engine.Started = prog.Add, prog.Item
		t, warns, err := survey.Tree(ctx, formular.KindMedia, o.media, cols, survey.Options{Exclude: o.excludes, Engine: engine})
		prog.Finish()
		if err != nil {
			return nil, err
		}
		for _, w := range warns {
			c.warnf("%s", w)
		}
		tables = append(tables, t)
	} else {
		tables, err = makeImageTables(ctx, c, &o.common, o.media, cols, o.excludes)
		if err != nil {
			return nil, err
		}
	}
	for _, t := range tables {
		t.Closed = !o.open && t.Kind == formular.KindMedia
	}
	return tables, nil
}

// makeModulesTable makes the modules table of a reference installation,
// placed by --root-var, --default and --os, and closed unless --open.
func makeModulesTable(ctx context.Context, c *cli, o *makeOpts, cols []checksum.Column) (*formular.Table, error) {
	engine := checksum.Options{Workers: o.jobs}
	prog := newTreeProgress(ctx, c, &o.common, o.modules)
	engine.Progress, engine.Started = prog.Add, prog.Item
	t, warns, err := survey.Tree(ctx, formular.KindModules, o.modules, cols, survey.Options{Exclude: o.excludes, Mode: o.mode, Engine: engine})
	prog.Finish()
	if err != nil {
		return nil, fmt.Errorf("modules: %w", err)
	}
	for _, w := range warns {
		c.warnf("%s", w)
	}
	rf := o.root
	if rf.def == "" && !strings.HasPrefix(rf.rootVar, "%") && rf.os != formular.OSWindows {
		// The reference installation's own place is the default root
		// unless said otherwise; Windows variables have their own.
		if abs, err := filepath.Abs(o.modules); err == nil {
			rf.def = abs
		}
	}
	if err := rf.apply(t, ""); err != nil {
		return nil, err
	}
	t.Closed = !o.open
	return t, nil
}

// readTables reads a file of tables in the formular's syntax.
func readTables(path string) ([]*formular.Table, error) {
	data, err := regular.ReadFile(path, formular.MaxSize, "a formular")
	if err != nil {
		return nil, err
	}
	return formular.ParseTables(data, path)
}

// openOutput makes -o FILE ready to be written; nil stands for standard
// output ("-").
func openOutput(path string) (*outFile, error) {
	if path == "-" {
		return nil, nil
	}
	out, err := createOutput(path, 0o644)
	if err != nil {
		return nil, fmt.Errorf("-o: %w", err)
	}
	return out, nil
}

// writeFormular writes f to dest, or to standard output when dest is
// nil, and says what was written and what to do next.
func writeFormular(c *cli, f *formular.Formular, out string, dest *outFile) error {
	data, err := formular.Marshal(f)
	if err != nil {
		return err
	}
	// What is written must read back: never hand the user a formular the
	// verifier would reject.
	if _, err := formular.Parse(data, out); err != nil {
		return fmt.Errorf("internal error: the formular written does not parse: %w", err)
	}
	if dest == nil {
		c.stdout.Write(data)
		return nil
	}
	if _, err := dest.Write(data); err != nil {
		return fmt.Errorf("writing %s: %w", out, err)
	}
	if err := dest.Commit(); err != nil {
		return err
	}
	n := 0
	for _, t := range f.Tables {
		n += len(t.Entries) + len(t.Params)
	}
	fmt.Fprintf(c.stderr, "sverka: %s written: %d %s, %d %s; review it, then sign it: sverka sign -s KEY.key %s\n",
		out, len(f.Tables), plural(len(f.Tables), "table", "tables"), n, plural(n, "row", "rows"), out)
	return nil
}

const importFormats = "gnu|bsd|hashdeep|rhash|rhash-bsd|dpkg|gostsum|gost12sum|text|docx|auto"

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
	dest, err := openOutput(o.output)
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
	es, bad, err := checksum.ReadList(bytes.NewReader(data), checksum.ReadOptions{Format: format, Algs: algs, Defaults: defaults, Reversed: reverse, File: list})
	if err != nil {
		return nil, err
	}
	for _, b := range bad {
		c.errorf("%v", b)
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("%s: %d %s could not be read: nothing imported", list, len(bad), plural(len(bad), "line", "lines"))
	}
	// rhash --bsd and --tag write one line per algorithm: one row each file.
	return checksum.MergeByName(es), nil
}

// makeImageTables makes [image], [boot] and [media] from an ISO image in
// one pass.
func makeImageTables(ctx context.Context, c *cli, o *common, path string, cols []checksum.Column, excludes []string) ([]*formular.Table, error) {
	var prog *console.Progress
	if progressOn(c, o) {
		var size int64
		if fi, err := os.Stat(path); err == nil {
			size = fi.Size()
		}
		prog = console.NewProgress(c.stderr, size, 1, progressOptions(o))
	}
	image, boot, media, warns, err := survey.Image(ctx, path, cols, survey.Options{Exclude: excludes, Engine: checksum.Options{Workers: o.jobs, Progress: prog.Add}})
	prog.Finish()
	if err != nil {
		return nil, err
	}
	for _, w := range warns {
		c.warnf("%s", w)
	}
	return []*formular.Table{image, boot, media}, nil
}
