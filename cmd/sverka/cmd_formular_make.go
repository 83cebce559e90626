package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/console"
	"github.com/sverka/sverka/survey"
)

const formularMakeSynopsis = `sverka formular make [-a ALG[,ALG]] [--media ISO|DIR] [--modules DIR --root-var NAME]
                            [--tables FILE]... [--set KEY=VALUE]... -o FILE

Hash a reference kit (a directory or an ISO image) and a reference
installation into a formular, with the tables of --tables files. It does
not sign: review the result, then 'sverka sign'.`

const formularMakeExamples = `  sverka formular make --media testdata/demo/kit --set product=Demo --set valid-until=2099-12-31 -o formular.txt
  sverka formular make -a sha256,gost12-256 --media kit.iso --modules /opt/vendor/product --root-var INSTALLDIR -o formular.txt`

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
	force    bool
	verbose  bool
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
	fs.BoolVarP(&o.force, "force", "f", false, "overwrite a signed formular (one with a .minisig beside it)")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "with --nice, say on stderr what it did")
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
	tuneGC()
	// -o is made ready before the kit is read: a destination that cannot
	// be written is said now, not after the hashing.
	dest, err := openOutput(o.output, o.force)
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
	if err := o.lower(); err != nil {
		return err
	}
	defer o.saidNice(c, o.verbose)
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
	from := map[*formular.Table]string{}
	for _, path := range o.tables {
		more, err := readTables(c, path)
		if err != nil {
			return err
		}
		for _, t := range more {
			from[t] = path
		}
		f.Tables = append(f.Tables, more...)
	}
	// What verify would refuse is refused now, naming the line to fix,
	// rather than at every check on every host.
	for _, t := range f.Tables {
		if err := f.CheckSourceVar(t); err != nil {
			if path, ok := from[t]; ok {
				return fmt.Errorf("%s line %d: %w", path, t.Line, err)
			}
			return err
		}
	}
	warnHeader(c, f)
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
		engine := checksum.Options{Workers: o.jobs, Spare: o.spare}
		prog := newTreeProgress(ctx, c, &o.common, o.media)
		engine.Progress, engine.Started, engine.Finished = prog.Add, prog.Item, prog.Done
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
	engine := checksum.Options{Workers: o.jobs, Spare: o.spare}
	prog := newTreeProgress(ctx, c, &o.common, o.modules)
	engine.Progress, engine.Started, engine.Finished = prog.Add, prog.Item, prog.Done
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
		// unless said otherwise; Windows variables have their own. It
		// is right only where the reference is installed where the
		// product installs: say so, louder for a home or a temporary
		// directory, where no product is installed.
		if abs, err := filepath.Abs(o.modules); err == nil {
			rf.def = abs
			home, _ := os.UserHomeDir()
			where := ""
			if under, ok := survey.ScratchDir(abs, home, os.TempDir()); ok {
				where = fmt.Sprintf(" (under %s, where products are not installed)", under)
			}
			c.warnf("no --default: the modules table's default root is %s, the reference installation's own path%s; on a host where the product is installed elsewhere every module is MISSING: give --default PATH, the path the product installs to", abs, where)
		}
	}
	if err := rf.apply(t, ""); err != nil {
		return nil, err
	}
	t.Closed = !o.open
	return t, nil
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
	image, boot, media, warns, err := survey.Image(ctx, path, cols, survey.Options{Exclude: excludes, Engine: checksum.Options{Workers: o.jobs, Progress: prog.Add, Spare: o.spare}})
	prog.Finish()
	if err != nil {
		return nil, err
	}
	for _, w := range warns {
		c.warnf("%s", w)
	}
	return []*formular.Table{image, boot, media}, nil
}
