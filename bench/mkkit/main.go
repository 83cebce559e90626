package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

const usage = `usage: mkkit -o DIR [--many [--files N]] [--scale F] [--big F] [--lists DIR] [--force] [--no-lists] [-j N]

Writes a deterministic benchmark tree into DIR and its reference checksum
lists into DIR.lists (or --lists). Without --many: an installation kit of
about 1.1 GB; with --many: an installed tree of 100,000 files, about 600 MB.
With --big F: the kit with its largest file (400 MB) as the share F of its
bytes, the other files shrunk to fit (--big 0.8: 500 MB in all).

`

type options struct {
	out, lists  string
	many, force bool
	noLists     bool
	scale       float64
	files       int64 // --many: the number of files; 0: 100,000 scaled
	big         float64
	workers     int
	stdout      io.Writer
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkkit:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := options{stdout: stdout}
	fs := flag.NewFlagSet("mkkit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.out, "o", "", "write the tree into `DIR` (created; must be empty or absent)")
	fs.StringVar(&o.lists, "lists", "", "write the reference lists into `DIR` (default: the tree's DIR.lists)")
	fs.BoolVar(&o.many, "many", false, "write the installed tree of 100,000 files instead of the kit")
	fs.Float64Var(&o.scale, "scale", 1, "multiply every size (and with --many the file count) by `F`, 0 < F <= 1")
	fs.Int64Var(&o.files, "files", 0, "with --many, write `N` files (the bytes still follow --scale): a large table of small files")
	fs.Float64Var(&o.big, "big", 0, "make the kit's largest file the share `F` of its bytes, 0.5 <= F < 1 (0: as it is)")
	fs.BoolVar(&o.force, "force", false, "replace a tree that mkkit wrote before (its lists directory holds KIT)")
	fs.BoolVar(&o.noLists, "no-lists", false, "write only the tree, no checksum lists")
	fs.IntVar(&o.workers, "j", runtime.GOMAXPROCS(0), "write with `N` workers")
	if err := fs.Parse(args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("unexpected argument %q (see -h)", fs.Arg(0))
	case o.out == "":
		return errors.New("-o DIR is required (see -h)")
	case !(o.scale > 0 && o.scale <= 1):
		return fmt.Errorf("--scale %v: want 0 < F <= 1", o.scale)
	case o.files < 0 || o.files > 10_000_000:
		return fmt.Errorf("--files %d: want 1 to 10,000,000", o.files)
	case o.files > 0 && !o.many:
		return errors.New("--files is for the installed tree: add --many")
	case o.big != 0 && !(o.big >= 0.5 && o.big < 1):
		return fmt.Errorf("--big %v: want 0.5 <= F < 1", o.big)
	case o.big != 0 && o.many:
		return errors.New("--big shapes the kit, not the installed tree (--many)")
	case o.workers < 1:
		return fmt.Errorf("-j %d: want at least 1", o.workers)
	}
	var err error
	if o.out, err = filepath.Abs(o.out); err != nil {
		return err
	}
	if o.lists == "" {
		o.lists = o.out + ".lists"
	}
	if o.lists, err = filepath.Abs(o.lists); err != nil {
		return err
	}
	if within(o.lists, o.out) {
		return fmt.Errorf("lists directory %s is inside the tree %s: the lists would list themselves", o.lists, o.out)
	}
	return mkkit(ctx, o)
}

// within reports whether p is dir or below it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func mkkit(ctx context.Context, o options) error {
	var l layout
	if o.many {
		l = manyLayout(o.scale, o.files)
	} else {
		l = kitLayout(o.scale, o.big)
	}
	if err := prepare(o); err != nil {
		return err
	}
	var lists []list
	if !o.noLists {
		lists = listsFor(l.kind)
	}
	info := kitInfo(l, o.scale, o.big, lists)
	marker := filepath.Join(o.lists, "KIT")
	if err := os.WriteFile(marker, []byte(info+"state: writing\n"), 0o644); err != nil {
		return err
	}

	w := o.stdout
	fmt.Fprintf(w, "mkkit: %s in %s (scale %v)\n", l.kind, o.out, o.scale)
	start := time.Now()
	if err := writeTree(ctx, o.out, l, o.workers); err != nil {
		return fmt.Errorf("writing %s: %w", o.out, err)
	}
	took := time.Since(start)
	summarize(w, l)
	fmt.Fprintf(w, "  wrote %d files, %s bytes in %d directories in %.2f s (%.0f MB/s)\n",
		len(l.files), thousands(l.bytes()), len(l.dirs), took.Seconds(), float64(l.bytes())/mb/took.Seconds())

	var failed []string
	if len(lists) > 0 {
		fmt.Fprintf(w, "  reference lists in %s:\n", o.lists)
		for _, r := range makeLists(ctx, o.out, o.lists, lists) {
			if r.err != nil {
				fmt.Fprintf(w, "    %-10s  FAILED: %v\n", r.name, r.err)
				failed = append(failed, r.name)
				continue
			}
			fmt.Fprintf(w, "    %-10s  by %s in %.2f s\n", r.name, r.tool, r.took.Seconds())
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%s not written; the tree is complete, rerun with --force to retry", strings.Join(failed, ", "))
	}
	return os.WriteFile(marker, []byte(info+"state: complete\n"), 0o644)
}

// prepare makes sure the tree and lists directories exist and are empty,
// removing an earlier mkkit tree with --force and nothing else.
func prepare(o options) error {
	for _, d := range []string{o.out, o.lists} {
		ents, err := os.ReadDir(d)
		if errors.Is(err, os.ErrNotExist) || (err == nil && len(ents) == 0) {
			continue
		}
		if err != nil {
			return err
		}
		if !o.force {
			return fmt.Errorf("%s is not empty; --force replaces a tree that mkkit wrote", d)
		}
		if _, err := os.Stat(filepath.Join(o.lists, "KIT")); err != nil {
			return fmt.Errorf("%s is not empty and %s holds no KIT file, so mkkit did not write it: remove it yourself", d, o.lists)
		}
	}
	if o.force {
		for _, d := range []string{o.out, o.lists} {
			if err := os.RemoveAll(d); err != nil {
				return err
			}
		}
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	return os.MkdirAll(o.lists, 0o755)
}

// kitInfo is the KIT file bench/run reads: what the tree is and how big.
func kitInfo(l layout, scale, big float64, lists []list) string {
	var b strings.Builder
	names := make([]string, len(lists))
	for i, ls := range lists {
		names[i] = ls.name
	}
	fmt.Fprintf(&b, "mkkit 1\nkind: %s\nscale: %s\nfiles: %d\ndirs: %d\nbytes: %d\n",
		l.kind, strconv.FormatFloat(scale, 'g', -1, 64), len(l.files), len(l.dirs), l.bytes())
	if big > 0 {
		fmt.Fprintf(&b, "big: %s\n", strconv.FormatFloat(big, 'g', -1, 64))
	}
	if l.kind == "kit" {
		fmt.Fprintf(&b, "largest: %s\nlargest-bytes: %d\n", l.files[largest(l)].path, l.files[largest(l)].size)
	}
	fmt.Fprintf(&b, "lists: %s\n", strings.Join(names, " "))
	return b.String()
}

func largest(l layout) int {
	best := 0
	for i, f := range l.files {
		if f.size > l.files[best].size {
			best = i
		}
	}
	return best
}

// summarize prints the large files one by one and the size distribution of
// the rest.
func summarize(w io.Writer, l layout) {
	var small []int64
	var smallBytes int64
	for _, f := range l.files {
		if f.large {
			fmt.Fprintf(w, "  %-44s %15s bytes\n", f.path, thousands(f.size))
			continue
		}
		small = append(small, f.size)
		smallBytes += f.size
	}
	if len(small) == 0 {
		return
	}
	slices.Sort(small)
	q := func(p int) int64 { return small[(len(small)-1)*p/100] }
	fmt.Fprintf(w, "  %d files, %s bytes; sizes min %s, median %s, p90 %s, p99 %s, max %s\n",
		len(small), thousands(smallBytes), thousands(small[0]), thousands(q(50)), thousands(q(90)), thousands(q(99)), thousands(small[len(small)-1]))
}

// thousands writes n with comma separators.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
