package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

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

func cmdFormular(ctx context.Context, c *cli, args []string) int {
	if len(args) == 0 {
		fmt.Fprintf(c.stderr, "Usage: %s\n", formularSynopsis)
		return exitError
	}
	switch args[0] {
	case "make":
		return cmdFormularMake(ctx, c, args[1:])
	case "import":
		return cmdFormularImport(ctx, c, args[1:])
	case "-h", "--help", "help":
		fmt.Fprintf(c.stdout, "Usage: %s\n", formularSynopsis)
		return exitOK
	}
	c.errorf("unknown formular command %q: make or import", args[0])
	return exitError
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

func (r *rootFlags) add(fs interface {
	StringVar(*string, string, string, string)
}) {
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

func cmdFormularMake(ctx context.Context, c *cli, args []string) int {
	var o common
	var rf rootFlags
	fs := newFlags(c, "formular make", formularSynopsis)
	algs := fs.StringP("algorithm", "a", "sha256", "algorithm(s) of the tables, comma-separated")
	media := fs.String("media", "", "the reference kit: a directory or an ISO image")
	modules := fs.String("modules", "", "a reference installation's directory of executable modules")
	rf.add(fs)
	mode := fs.Bool("mode", false, "record the modules' permission bits")
	open := fs.Bool("open", false, "do not close the tables (unlisted files become warnings, not failures)")
	excludes := fs.StringArray("exclude", nil, "leave out paths matching this glob (repeatable)")
	tables := fs.StringArray("tables", nil, "add the tables written in FILE, such as a safe-parameter table typed from the manual (repeatable)")
	sets := fs.StringArray("set", nil, "header field KEY=VALUE (repeatable)")
	out := fs.StringP("output", "o", "", "formular file to write ('-': standard output)")
	o.add(fs)
	if code, done := parseFlags(c, fs, args); done {
		return code
	}
	if err := o.check(); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	if *out == "" || fs.NArg() > 0 || (*media == "" && *modules == "" && len(*tables) == 0) {
		c.errorf("formular make needs --media, --modules or --tables, and -o FILE")
		return exitError
	}
	// -o is made ready before the kit is read: a destination that cannot
	// be written is said now, not after the hashing.
	dest, ok := openOutput(c, *out)
	if !ok {
		return exitError
	}
	defer dest.Abort()
	cols, err := columns(*algs, false)
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	f, err := header(*sets)
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	engine := checksum.Options{Workers: o.jobs}
	if *media != "" {
		fi, err := os.Stat(*media)
		if err != nil {
			c.errorf("media: %v", err)
			return exitError
		}
		var tables []*formular.Table
		if fi.IsDir() {
			prog := newTreeProgress(ctx, c, &o, *media)
			engine.Progress, engine.Started = prog.Add, prog.Item
			t, warns, err := survey.Tree(ctx, formular.KindMedia, *media, cols, survey.Options{Exclude: *excludes, Engine: engine})
			prog.Finish()
			if err != nil {
				c.errorf("media: %v", err)
				return exitError
			}
			for _, w := range warns {
				c.warnf("%s", w)
			}
			tables = append(tables, t)
		} else {
			tables, err = makeImageTables(ctx, c, &o, *media, cols, *excludes)
			if err != nil {
				c.errorf("media: %v", err)
				return exitError
			}
		}
		for _, t := range tables {
			t.Closed = !*open && t.Kind == formular.KindMedia
			f.Tables = append(f.Tables, t)
		}
	}
	if *modules != "" {
		prog := newTreeProgress(ctx, c, &o, *modules)
		engine.Progress, engine.Started = prog.Add, prog.Item
		t, warns, err := survey.Tree(ctx, formular.KindModules, *modules, cols, survey.Options{Exclude: *excludes, Mode: *mode, Engine: engine})
		prog.Finish()
		if err != nil {
			c.errorf("modules: %v", err)
			return exitError
		}
		for _, w := range warns {
			c.warnf("%s", w)
		}
		if rf.def == "" && !strings.HasPrefix(rf.rootVar, "%") && rf.os != formular.OSWindows {
			// The reference installation's own place is the default root
			// unless said otherwise; Windows variables have their own.
			if abs, err := filepath.Abs(*modules); err == nil {
				rf.def = abs
			}
		}
		if err := rf.apply(t, ""); err != nil {
			c.errorf("%v", err)
			return exitError
		}
		t.Closed = !*open
		f.Tables = append(f.Tables, t)
	}
	for _, path := range *tables {
		more, err := readTables(path)
		if err != nil {
			c.errorf("%v", err)
			return exitError
		}
		f.Tables = append(f.Tables, more...)
	}
	return writeFormular(c, f, *out, dest)
}

// readTables reads a file of tables in the formular's syntax, with or
// without a version line and header of its own.
func readTables(path string) ([]*formular.Table, error) {
	data, err := regular.ReadFile(path, formular.MaxSize, "a formular")
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(data, []byte(formular.Magic)) {
		f, err := formular.Parse(append([]byte(formular.Magic+" 1\n"), data...), path)
		var pe *formular.ParseError
		if errors.As(err, &pe) {
			pe.Line-- // name the line of the file, not of the version line added on top
		}
		if err != nil {
			return nil, err
		}
		return f.Tables, nil
	}
	f, err := formular.Parse(data, path)
	if err != nil {
		return nil, err
	}
	return f.Tables, nil
}

// openOutput makes -o FILE ready to be written; nil stands for standard
// output ("-").
func openOutput(c *cli, path string) (*outFile, bool) {
	if path == "-" {
		return nil, true
	}
	out, err := createOutput(path, 0o644)
	if err != nil {
		c.errorf("-o: %v", err)
		return nil, false
	}
	return out, true
}

func writeFormular(c *cli, f *formular.Formular, out string, dest *outFile) int {
	data, err := formular.Marshal(f)
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	// What is written must read back: never hand the user a formular the
	// verifier would reject.
	if _, err := formular.Parse(data, out); err != nil {
		c.errorf("internal error: the formular written does not parse: %v", err)
		return exitError
	}
	if dest == nil {
		c.stdout.Write(data)
		return exitOK
	}
	if _, err := dest.Write(data); err != nil {
		c.errorf("writing %s: %v", out, err)
		return exitError
	}
	if err := dest.Commit(); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	n := 0
	for _, t := range f.Tables {
		n += len(t.Entries) + len(t.Params)
	}
	fmt.Fprintf(c.stderr, "sverka: %s written: %d %s, %d %s; review it, then sign it: sverka sign -s KEY.key %s\n",
		out, len(f.Tables), plural(len(f.Tables), "table", "tables"), n, plural(n, "row", "rows"), out)
	return exitOK
}

// columns parses -a with --gost-reverse into table columns.
func columns(list string, reverse bool) ([]checksum.Column, error) {
	algs, err := checksum.ParseNames(list)
	if err != nil {
		return nil, err
	}
	cols := make([]checksum.Column, len(algs))
	for i, a := range algs {
		cols[i] = checksum.GOSTReverseColumn(a, reverse)
	}
	return cols, nil
}

const importFormats = "gnu|bsd|hashdeep|rhash|rhash-bsd|dpkg|gostsum|gost12sum|text|docx|auto"

func cmdFormularImport(ctx context.Context, c *cli, args []string) int {
	var rf rootFlags
	fs := newFlags(c, "formular import", formularSynopsis)
	from := fs.String("from", "", "what the LIST files are: "+importFormats)
	table := fs.String("table", "", "table to fill: media or modules (default media; modules for dpkg)")
	algs := fs.StringP("algorithm", "a", "", "algorithm of digests the list does not name (64 hex digits are ambiguous)")
	reverse := fs.Bool("gost-reverse", false, "GOST digests are byte-reversed (rhash --gost-reverse, gostsum)")
	strip := fs.String("strip-prefix", "", "remove this prefix from every name (lists made with absolute paths)")
	rf.add(fs)
	open := fs.Bool("open", false, "do not close the table")
	sets := fs.StringArray("set", nil, "header field KEY=VALUE (repeatable)")
	out := fs.StringP("output", "o", "", "formular file to write ('-': standard output)")
	if code, done := parseFlags(c, fs, args); done {
		return code
	}
	if *from == "" || *out == "" || fs.NArg() == 0 {
		c.errorf("formular import needs --from FORMAT (%s), LIST files and -o FILE", importFormats)
		return exitError
	}
	dest, ok := openOutput(c, *out)
	if !ok {
		return exitError
	}
	defer dest.Abort()
	kind := formular.Kind(*table)
	switch {
	case *table == "" && *from == "dpkg":
		kind = formular.KindModules
	case *table == "":
		kind = formular.KindMedia
	case kind != formular.KindMedia && kind != formular.KindModules:
		c.errorf("--table must be media or modules, not %q", *table)
		return exitError
	}
	var aa []*checksum.Algorithm
	if *algs != "" {
		var err error
		if aa, err = checksum.ParseNames(*algs); err != nil {
			c.errorf("%v", err)
			return exitError
		}
	}
	defaults := false
	if *from != "text" && *from != "docx" {
		defaults = *algs == "" && listAlgs(*from, false, nil) != nil
		aa = listAlgs(*from, *algs != "", aa)
	}
	var entries []checksum.Entry
	for _, list := range fs.Args() {
		es, code := readForImport(c, *from, list, aa, defaults, *reverse)
		if code != exitOK {
			return code
		}
		entries = append(entries, es...)
	}
	t, err := formular.FromList(kind, entries, formular.ImportOptions{File: strings.Join(fs.Args(), ", "), StripPrefix: *strip})
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	for _, col := range t.Columns {
		if col.Alg.Legacy {
			c.warnf("the table uses %s, a legacy algorithm: it detects accidents, not deliberate tampering", col.Alg.Name)
		}
	}
	if kind == formular.KindModules {
		fallback := ""
		if *from == "dpkg" {
			fallback = "/" // dpkg md5sums name files relative to the root
		}
		if err := rf.apply(t, fallback); err != nil {
			c.errorf("%v", err)
			return exitError
		}
	}
	t.Closed = !*open && kind == formular.KindMedia
	f, err := header(*sets)
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	f.Tables = append(f.Tables, t)
	return writeFormular(c, f, *out, dest)
}

// readForImport reads one list, or one document's tables, into entries.
// Lines it could not use are printed with their numbers; a list with such
// lines is not imported: a formular must not silently miss a row.
func readForImport(c *cli, from, list string, algs []*checksum.Algorithm, defaults, reverse bool) ([]checksum.Entry, int) {
	data, err := checksum.ReadListFile(list)
	if err != nil {
		c.errorf("%s", fileErr(list, err))
		return nil, exitError
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
			c.errorf("%v", err)
			return nil, exitError
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
			c.errorf("%s: no checksum table found", list)
			return nil, exitError
		}
		fmt.Fprintf(c.stderr, "sverka: %s: %d %s read, %d %s not used\n", filepath.Base(list),
			len(es), plural(len(es), "row", "rows"), len(skipped), plural(len(skipped), "line", "lines"))
		return es, exitOK
	}
	format, err := checksum.ParseFormat(from)
	if err != nil {
		c.errorf("--from: %v", err)
		return nil, exitError
	}
	es, bad, err := checksum.ReadList(bytes.NewReader(data), checksum.ReadOptions{Format: format, Algs: algs, Defaults: defaults, Reversed: reverse, File: list})
	if err != nil {
		c.errorf("%v", err)
		return nil, exitError
	}
	for _, b := range bad {
		c.errorf("%v", b)
	}
	if len(bad) > 0 {
		c.errorf("%s: %d %s could not be read: nothing imported", list, len(bad), plural(len(bad), "line", "lines"))
		return nil, exitError
	}
	// rhash --bsd and --tag write one line per algorithm: one row each file.
	return mergeByName(es), exitOK
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
