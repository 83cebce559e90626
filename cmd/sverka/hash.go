package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"unicode/utf8"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/internal/regular"
)

const hashSynopsis = `sverka hash [-a ALG[,ALG]] [--tag] [--gost-reverse] [-r] [-j N] PATH...
       sverka hash -c [-a ALG] [--from FORMAT] [--gost-reverse] LIST...
       sverka hash --iso-md5 IMAGE

Print or check digests, compatible with sha256sum: GNU lines by default, BSD
tag lines with --tag (and whenever several algorithms are asked for, so that
the output reads back unambiguously). '-' is standard input.

Algorithms: ` + "sha256 (default), sha512, blake3, gost12-256, gost12-512, gost94, gost94-cryptopro, md5 and sha1 (legacy)"

type hashOpts struct {
	common
	algs        string
	tag         bool
	binary      bool
	reverse     bool
	recursive   bool
	follow      bool
	check       bool
	from        string
	status      bool
	ignoreMiss  bool
	strict      bool
	warn        bool
	isoMD5      bool
	algorithms  []*checksum.Algorithm
	explicitAlg bool
}

func cmdHash(ctx context.Context, c *cli, args []string) int {
	var o hashOpts
	fs := newFlags(c, "hash", hashSynopsis)
	fs.StringVarP(&o.algs, "algorithm", "a", "sha256", "algorithm(s), comma-separated")
	fs.BoolVar(&o.tag, "tag", false, "print BSD tag lines: ALG (name) = hex")
	fs.BoolVarP(&o.binary, "binary", "b", false, "mark names with '*' (binary mode) in GNU lines")
	fs.BoolVar(&o.reverse, "gost-reverse", false, "GOST digests in reversed byte order (as rhash --gost-reverse, gostsum)")
	fs.BoolVarP(&o.recursive, "recursive", "r", false, "hash directories recursively, in sorted order")
	fs.BoolVar(&o.follow, "follow", false, "with -r, follow symbolic links")
	fs.BoolVarP(&o.check, "check", "c", false, "check the digests listed in LIST files")
	fs.StringVar(&o.from, "from", "auto", "with -c, the list format: auto|gnu|bsd|hashdeep|rhash|rhash-bsd|dpkg|gostsum|gost12sum")
	fs.BoolVar(&o.status, "status", false, "with -c, print nothing: the exit code tells")
	fs.BoolVar(&o.ignoreMiss, "ignore-missing", false, "with -c, skip files that do not exist")
	fs.BoolVar(&o.strict, "strict", false, "with -c, fail on improperly formatted lines")
	fs.BoolVarP(&o.warn, "warn", "w", false, "with -c, accepted for sha256sum compatibility (malformed lines are always reported)")
	fs.BoolVar(&o.isoMD5, "iso-md5", false, "check the MD5 implanted in an ISO image (isomd5sum)")
	o.common.add(fs)
	if code, done := parseFlags(c, fs, args); done {
		return code
	}
	if err := o.common.check(); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	o.explicitAlg = fs.Changed("algorithm")
	algs, err := checksum.ParseNames(o.algs)
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	o.algorithms = algs
	paths := fs.Args()
	switch {
	case o.isoMD5:
		if len(paths) == 0 {
			c.errorf("--iso-md5 needs an IMAGE")
			return exitError
		}
		return hashISOMD5(ctx, c, &o, paths)
	case o.check:
		if len(paths) == 0 {
			paths = []string{"-"}
		}
		return hashCheck(ctx, c, &o, paths)
	}
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	for _, a := range algs {
		if a.Legacy {
			c.warnf("%s is a legacy algorithm: it detects accidents, not deliberate tampering", a.Name)
		}
	}
	return hashPrint(ctx, c, &o, paths)
}

// target is one thing to hash: a file found on disk or standard input.
type target struct {
	path    string
	stdin   bool
	special bool
}

// collect expands the command line into targets: directories walked in
// sorted order with -r, symbolic links not followed unless --follow,
// FIFOs and devices found in a walk skipped with a line saying so.
func collect(ctx context.Context, c *cli, o *hashOpts, paths []string) (ts []target, failed bool) {
	for _, p := range paths {
		if p == "-" {
			ts = append(ts, target{path: "-", stdin: true})
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			c.errorf("%s: %v", display(p), osErr(err))
			failed = true
			continue
		}
		if !fi.IsDir() {
			ts = append(ts, target{path: p, special: !fi.Mode().IsRegular()})
			continue
		}
		if !o.recursive {
			c.errorf("%s: is a directory (use -r to hash its files)", display(p))
			failed = true
			continue
		}
		more, bad := walk(ctx, c, o, p)
		ts = append(ts, more...)
		failed = failed || bad
	}
	return ts, failed
}

// walk lists the regular files under root, saying what it passes over.
func walk(ctx context.Context, c *cli, o *hashOpts, root string) (ts []target, failed bool) {
	err := checksum.Walk(ctx, root, checksum.WalkOptions{Follow: o.follow}, func(w checksum.Walked) error {
		switch w.Kind {
		case checksum.WalkFile:
			ts = append(ts, target{path: w.Path})
		case checksum.WalkError:
			c.errorf("%s: %v", display(w.Path), osErr(w.Err))
			failed = true
		case checksum.WalkSymlink:
			c.warnf("%s: %v (use --follow)", display(w.Path), w.Kind)
		case checksum.WalkSpecial:
			c.warnf("%s: %v (name it explicitly to read it)", display(w.Path), w.Kind)
		case checksum.WalkLoop:
			c.warnf("%s: %v", display(w.Path), w.Kind)
		}
		return nil
	})
	if err != nil {
		c.errorf("%s: %v", display(root), err)
		failed = true
	}
	return ts, failed
}

func hashPrint(ctx context.Context, c *cli, o *hashOpts, paths []string) int {
	ts, failed := collect(ctx, c, o, paths)
	cols := make([]checksum.Column, len(o.algorithms))
	for i, a := range o.algorithms {
		cols[i] = checksum.GOSTReverseColumn(a, o.reverse)
	}
	tag := o.tag || len(cols) > 1
	out := newLineWriter(c.stdout)
	print := func(name string, sums [][]byte) {
		for i, col := range cols {
			if tag {
				checksum.WriteBSD(out, col, sums[i], name)
			} else {
				checksum.WriteGNU(out, col, sums[i], name, o.binary)
			}
		}
	}
	var jobs []checksum.Job
	var fileIdx []int // job index → position among the targets
	for i, t := range ts {
		if !t.stdin {
			jobs = append(jobs, checksum.Named(t.path, t.special))
			fileIdx = append(fileIdx, i)
		}
	}
	prog := newProgress(c, &o.common, jobs)
	defer prog.Finish()
	opt := checksum.Options{Workers: o.jobs, Progress: prog.Add, Started: prog.Item}

	// Standard input is hashed in its place among the files.
	next := 0
	emitStdin := func(upto int) {
		for ; next < len(ts) && (upto < 0 || next <= upto); next++ {
			if !ts[next].stdin {
				continue
			}
			sums, _, err := checksum.HashReader(ctx, c.stdin, o.algorithms, opt)
			if err != nil {
				c.errorf("-: %v", err)
				failed = true
				continue
			}
			print("-", sums)
		}
	}
	err := checksum.HashFiles(ctx, jobs, o.algorithms, opt, func(r checksum.Result) error {
		emitStdin(fileIdx[r.Index] - 1)
		next = fileIdx[r.Index] + 1
		if r.Err != nil {
			c.errorf("%s: %v", display(r.Path), osErr(r.Err))
			failed = true
			return nil
		}
		print(r.Path, r.Sums)
		return out.err
	})
	emitStdin(-1)
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	if out.err != nil {
		c.errorf("writing output: %v", out.err)
		return exitError
	}
	if failed {
		return exitFail
	}
	return exitOK
}

// lineWriter remembers the first write error (a closed pipe) so the scan
// can stop instead of hashing for nobody.
type lineWriter struct {
	w   io.Writer
	err error
}

func newLineWriter(w io.Writer) *lineWriter { return &lineWriter{w: w} }

func (l *lineWriter) Write(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.w.Write(p)
	l.err = err
	return n, err
}

func hashCheck(ctx context.Context, c *cli, o *hashOpts, lists []string) int {
	algs := listAlgs(o.from, o.explicitAlg, o.algorithms)
	code := exitOK
	for _, list := range lists {
		code = max(code, checkList(ctx, c, o, list, algs))
	}
	return code
}

func checkList(ctx context.Context, c *cli, o *hashOpts, list string, algs []*checksum.Algorithm) int {
	var data []byte
	var err error
	if list == "-" {
		data, err = regular.ReadAll(c.stdin, "standard input", checksum.MaxListSize, "a checksum list")
	} else {
		// A list is a regular file: a FIFO or a device named as one is
		// refused rather than waited on ('-' reads a pipe).
		data, err = checksum.ReadListFile(list)
	}
	if err != nil {
		c.errorf("%s", fileErr(list, err))
		return exitError
	}
	name := list
	if list == "-" {
		name = "standard input"
	}
	entries, bad, err := checksum.ReadList(bytes.NewReader(data), checksum.ReadOptions{
		Format: checksum.Format(o.from), Algs: algs, Defaults: !o.explicitAlg, Reversed: o.reverse, File: name,
	})
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	for _, b := range bad {
		if !o.status {
			c.errorf("%v", &b)
		}
	}
	if len(entries) == 0 {
		c.errorf("%s: no properly formatted checksum lines found", display(name))
		return exitError
	}
	entries = mergeByName(entries)
	weak := map[string]bool{}
	jobs := make([]checksum.Job, len(entries))
	for i, e := range entries {
		var ea []*checksum.Algorithm
		for _, s := range e.Sums {
			ea = append(ea, s.Col.Alg)
			if s.Col.Alg.Legacy && !weak[s.Col.Alg.Name] {
				weak[s.Col.Alg.Name] = true
				if !o.status {
					c.warnf("%s uses %s, a legacy algorithm: it detects accidents, not deliberate tampering", display(name), s.Col.Alg.Name)
				}
			}
		}
		jobs[i] = checksum.Named(e.Name, false)
		jobs[i].Algs = ea
	}
	prog := newProgress(c, &o.common, jobs)
	defer prog.Finish()
	out := newLineWriter(c.stdout)
	var mismatched, unreadable, verified int
	say := func(e checksum.Entry, verdict string) {
		if o.status || (o.quiet && verdict == "OK") {
			return
		}
		esc, slash := checksum.EscapeName(e.Name)
		if slash {
			fmt.Fprintf(out, "\\%s: %s\n", esc, verdict)
		} else {
			fmt.Fprintf(out, "%s: %s\n", e.Name, verdict)
		}
	}
	err = checksum.HashFiles(ctx, jobs, nil, checksum.Options{Workers: o.jobs, Progress: prog.Add, Started: prog.Item}, func(r checksum.Result) error {
		e := entries[r.Index]
		if r.Err != nil {
			if o.ignoreMiss && errors.Is(r.Err, fs.ErrNotExist) {
				return nil
			}
			unreadable++
			if !o.status {
				c.errorf("%s: %v", display(e.Name), osErr(r.Err))
			}
			say(e, "FAILED open or read")
			return out.err
		}
		verified++
		ok := e.Size < 0 || e.Size == r.Size
		var hint []string
		for i, s := range e.Sums {
			if bytes.Equal(s.Digest, r.Sums[i]) {
				continue
			}
			ok = false
			if other, ok := s.Col.ReadReversed(s.Digest, r.Sums[i]); ok {
				hint = append(hint, reverseHint(s.Col, other))
			}
		}
		if ok {
			say(e, "OK")
			return out.err
		}
		mismatched++
		say(e, "FAILED")
		for _, h := range hint {
			if !o.status {
				c.warnf("%s: %s", display(e.Name), h)
			}
		}
		return out.err
	})
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	if !o.status {
		if n := len(bad); n > 0 {
			c.warnf("%d %s improperly formatted", n, plural(n, "line is", "lines are"))
		}
		if unreadable > 0 {
			c.warnf("%d listed %s could not be read", unreadable, plural(unreadable, "file", "files"))
		}
		if mismatched > 0 {
			c.warnf("%d computed %s did NOT match", mismatched, plural(mismatched, "checksum", "checksums"))
		}
	}
	if o.ignoreMiss && verified == 0 && unreadable == 0 {
		if !o.status {
			c.errorf("%s: no file was verified", display(name))
		}
		return exitFail
	}
	if out.err != nil {
		c.errorf("writing output: %v", out.err)
		return exitError
	}
	if mismatched > 0 || unreadable > 0 || (o.strict && len(bad) > 0) {
		return exitFail
	}
	return exitOK
}

// listAlgs is the -a given to a list reader. Without -a, untagged digests
// of a generic list are read as the coreutils tools would, by their
// length: sha256, sha512, sha1 or md5. BLAKE3 and GOST lists say so with a
// tag, a format (gostsum, gost12sum) or -a: never guessed.
func listAlgs(format string, explicit bool, given []*checksum.Algorithm) []*checksum.Algorithm {
	if explicit {
		return given
	}
	switch format {
	case "", "auto", "gnu", "bsd", "rhash", "rhash-bsd":
		algs, _ := checksum.ParseNames("sha256,sha512,sha1,md5")
		return algs
	}
	return nil
}

// mergeByName joins the lines that name the same file one after another
// (rhash --bsd and --tag with several algorithms write one line per
// algorithm), so that each file is read once and judged once.
func mergeByName(entries []checksum.Entry) []checksum.Entry {
	out := entries[:0:0]
	for _, e := range entries {
		if n := len(out); n > 0 && out[n-1].Name == e.Name && !hasAlg(out[n-1].Sums, e.Sums) {
			out[n-1].Sums = append(out[n-1].Sums, e.Sums...)
			if out[n-1].Size < 0 {
				out[n-1].Size = e.Size
			}
			continue
		}
		out = append(out, e)
	}
	return out
}

func hasAlg(have, more []checksum.Sum) bool {
	for _, a := range have {
		for _, b := range more {
			if a.Col.Alg == b.Col.Alg {
				return true
			}
		}
	}
	return false
}

// reverseHint explains a GOST digest of the column col that matches only
// in the byte order of the column other.
func reverseHint(col, other checksum.Column) string {
	if other.Reversed {
		return fmt.Sprintf("the %s digest matches byte-reversed (gostsum's order): read the list with --gost-reverse (still a failure)", col.Alg.Name)
	}
	return fmt.Sprintf("the %s digest matches in rhash's byte order: the list is not byte-reversed, drop --gost-reverse (still a failure)", col.Alg.Name)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// fileErr says what is wrong with the file at path, naming it once: the
// errors of package regular name it themselves.
func fileErr(path string, err error) string {
	var nr *regular.NotRegularError
	var tl *regular.TooLargeError
	if errors.As(err, &nr) || errors.As(err, &tl) {
		return display(err.Error())
	}
	return display(path) + ": " + osErr(err).Error()
}

// osErr strips the path from an *fs.PathError: messages name the file
// once, in front.
func osErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// display makes a file name safe for a message line: control characters
// and invalid UTF-8 are escaped so a hostile name cannot forge output.
func display(name string) string {
	for _, r := range name {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			q := strconv.Quote(name)
			return q[1 : len(q)-1]
		}
	}
	return name
}
