package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/internal/console"
	"github.com/sverka/sverka/internal/regular"
)

const hashSynopsis = `sverka hash [-a ALG[,ALG]] [--tag] [--gost-reverse] [-r] [-j N] PATH...
       sverka hash -c [-a ALG] [--from FORMAT] [--gost-reverse] LIST...
       sverka hash --iso-md5 IMAGE

Print or check digests, compatible with sha256sum: GNU lines by default, BSD
tag lines with --tag (and whenever several algorithms are asked for, so that
the output reads back unambiguously). '-' is standard input.

Algorithms: ` + "sha256 (default), sha512, blake3, gost12-256, gost12-512, gost94, gost94-cryptopro, md5 and sha1 (legacy)"

const hashExamples = `  sverka hash -r testdata/demo/kit > SHA256SUMS
  sverka hash -c SHA256SUMS
  sverka hash -a gost12-256 --tag testdata/demo/kit/README.txt`

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
	verbose     bool
	algorithms  []*checksum.Algorithm
	explicitAlg bool
}

func (o *hashOpts) flags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.algs, "algorithm", "a", "sha256", "algorithm(s), comma-separated")
	fs.BoolVar(&o.tag, "tag", false, "print BSD tag lines: ALG (name) = hex")
	fs.BoolVarP(&o.binary, "binary", "b", false, "mark names with '*' (binary mode) in GNU lines")
	fs.BoolVar(&o.reverse, "gost-reverse", false, "GOST digests in reversed byte order (as rhash --gost-reverse, gostsum)")
	fs.BoolVarP(&o.recursive, "recursive", "r", false, "hash directories recursively, in sorted order")
	fs.BoolVar(&o.follow, "follow", false, "with -r, follow symbolic links")
	fs.BoolVarP(&o.check, "check", "c", false, "check the digests listed in LIST files")
	fs.StringVar(&o.from, "from", "auto", "with -c, the list format: auto|gnu|bsd|hashdeep|rhash|rhash-bsd|dpkg|gostsum|gost12sum")
	fs.BoolVar(&o.status, "status", false, "with -c, print no line for the files (their read errors still show, as in sha256sum): the exit code tells")
	fs.BoolVar(&o.ignoreMiss, "ignore-missing", false, "with -c, skip files that do not exist")
	fs.BoolVar(&o.strict, "strict", false, "with -c, fail on improperly formatted lines")
	fs.BoolVarP(&o.warn, "warn", "w", false, "with -c, accepted for sha256sum compatibility (malformed lines are always reported)")
	fs.BoolVar(&o.isoMD5, "iso-md5", false, "check the MD5 implanted in an ISO image (isomd5sum)")
	fs.BoolVarP(&o.verbose, "verbose", "v", false, "say on stderr how the files are read (and with --nice, what it did)")
	o.common.add(fs)
}

func (o *hashOpts) parsed(fs *pflag.FlagSet, _ []string) {
	o.explicitAlg = fs.Changed("algorithm")
}

// runHash prints digests, checks lists (-c) or checks implanted MD5s.
func runHash(ctx context.Context, c *cli, o *hashOpts, paths []string) error {
	if err := o.common.check(); err != nil {
		return err
	}
	algs, err := checksum.ParseNames(o.algs)
	if err != nil {
		return err
	}
	o.algorithms = algs
	if err := o.lower(); err != nil {
		return err
	}
	defer o.saidNice(c, o.verbose)
	switch {
	case o.isoMD5:
		if len(paths) == 0 {
			return errors.New("--iso-md5 needs an IMAGE")
		}
		return hashISOMD5(ctx, c, o, paths)
	case o.check:
		if len(paths) == 0 {
			paths = []string{"-"}
		}
		return hashCheck(ctx, c, o, paths)
	}
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	for _, a := range algs {
		if a.Legacy {
			c.warnf("%s is a legacy algorithm: it detects accidents, not deliberate tampering", a.Name)
		}
	}
	return hashPrint(ctx, c, o, paths)
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

// hashPrint prints the digests of the files and standard input named by
// paths, in their order; a file that cannot be read is said and the
// others are hashed.
func hashPrint(ctx context.Context, c *cli, o *hashOpts, paths []string) error {
	ts, failed := collect(ctx, c, o, paths)
	cols := checksum.GOSTReverseColumns(o.algorithms, o.reverse)
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
	// Made at their size: grown an append at a time, the jobs of a
	// walk's 2,000 files touch twice their memory for the first time.
	jobs := make([]checksum.Job, 0, len(ts))
	fileIdx := make([]int, 0, len(ts)) // job index → position among the targets
	for i, t := range ts {
		if !t.stdin {
			jobs = append(jobs, checksum.Named(t.path, t.special))
			fileIdx = append(fileIdx, i)
		}
	}
	prog := newProgress(c, &o.common, len(jobs), func(i int) string { return jobs[i].Path })
	defer prog.Finish()
	c = c.linesFirst(out)
	opt := checksum.Options{Workers: o.jobs, Progress: prog.Add, Started: prog.Item, Finished: prog.Done, Spare: o.spare, Explain: explainReads(c, o.verbose)}

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
		print(checksum.ListName(r.Path), r.Sums)
		return out.err
	})
	emitStdin(-1)
	if werr := out.close(); werr != nil {
		return werr
	}
	switch {
	case err != nil:
		return err
	case failed:
		return errNotHold // each file has said why
	}
	return nil
}

// lineWriter writes the lines of hash and hash -c: to a terminal each
// as it is made, to a file or a pipe gathered 64 KiB at a time, as
// sha256sum's stdio gathers them (a write a line was 100,000 system calls
// on a tree of 100,000 files, and as many wake-ups of a pipe's reader).
// It remembers the first write error (a closed pipe) so the scan can stop
// instead of hashing for nobody.
type lineWriter struct {
	w   io.Writer     // buf, or the terminal itself
	buf *bufio.Writer // nil: to a terminal
	err error
}

func newLineWriter(w io.Writer) *lineWriter {
	l := &lineWriter{w: w}
	if !console.IsTerminal(w) {
		l.buf = bufio.NewWriterSize(w, 64<<10)
		l.w = l.buf
	}
	return l
}

func (l *lineWriter) Write(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.w.Write(p)
	l.err = err
	return n, err
}

// flush writes the gathered lines out; its error is kept as a write's.
func (l *lineWriter) flush() {
	if l.buf != nil && l.err == nil {
		l.err = l.buf.Flush()
	}
}

// close writes the gathered lines out, and says if any line, then or
// before, could not be written: the error a run stopped with, if it did.
func (l *lineWriter) close() error {
	l.flush()
	if l.err != nil {
		return fmt.Errorf("writing output: %w", l.err)
	}
	return nil
}

// linesFirst returns c with a stderr that writes out's gathered lines
// before each message, so that a message follows the lines made before
// it, as on a terminal. Only for the goroutine that writes the lines: a
// progress bar keeps c's own stderr.
func (c *cli) linesFirst(out *lineWriter) *cli {
	cc := *c
	cc.stderr = flushFirst{out: out, w: c.stderr}
	return &cc
}

type flushFirst struct {
	out *lineWriter
	w   io.Writer
}

func (f flushFirst) Write(p []byte) (int, error) {
	f.out.flush()
	return f.w.Write(p)
}

// hashCheck checks each list in turn: the exit code is the worst of them.
func hashCheck(ctx context.Context, c *cli, o *hashOpts, lists []string) error {
	algs := listAlgs(o.from, o.explicitAlg, o.algorithms)
	tuneGC()
	code := exitOK
	for _, list := range lists {
		code = max(code, exitStatus(c, checkList(ctx, c, o, list, algs)))
	}
	return exitErr(code)
}

// checkList checks the files one list names, as sha256sum -c does: a line
// each, then the summary warnings.
func checkList(ctx context.Context, c *cli, o *hashOpts, list string, algs []*checksum.Algorithm) error {
	name := list
	if list == "-" {
		name = "standard input"
	}
	var entries []checksum.Entry
	var bad []checksum.LineError
	var err error
	parsed(list, gcList, func() { entries, bad, err = readList(c, o, list, name, algs) })
	if err != nil {
		return err
	}
	out := newLineWriter(c.stdout)
	prog := newProgress(c, &o.common, len(entries), func(i int) string { return entries[i].Name })
	defer prog.Finish()
	c = c.linesFirst(out)
	chk := &listCheck{c: c, o: o, entries: entries, bad: bad, out: out}
	chk.warnLegacy(name)
	opt := checksum.Options{Workers: o.jobs, Progress: prog.Add, Started: prog.Item, Finished: prog.Done, Spare: o.spare, Explain: explainReads(c, o.verbose)}
	// A stretch of files at a time, in the list's order: the jobs of a
	// million lines and their bookkeeping at once would be 170 MB. A
	// list of a kit's few thousand files is one stretch, largest first.
	err = checksum.HashStretches(ctx, len(entries), checksum.Stretch, chk.job, nil, opt, chk.judge)
	if werr := out.close(); werr != nil {
		return werr
	}
	if err != nil {
		return err
	}
	chk.malformed(-1)
	chk.summary(checksum.BadLines(bad))
	if err := chk.hints(ctx, name, opt); err != nil {
		return err
	}
	return chk.verdict(name, checksum.BadLines(bad))
}

// readList reads and parses one list; its malformed lines are said (not
// with --status), and a list without a good line is an error.
func readList(c *cli, o *hashOpts, list, name string, algs []*checksum.Algorithm) ([]checksum.Entry, []checksum.LineError, error) {
	ropt := checksum.ReadOptions{
		Format: checksum.Format(o.from), Algs: algs, Defaults: !o.explicitAlg, Reversed: o.reverse, File: name,
	}
	var entries []checksum.Entry
	var bad []checksum.LineError
	var err error
	if list == "-" {
		entries, bad, err = checksum.ReadListFrom(c.stdin, name, ropt)
	} else {
		// A list is a regular file: a FIFO or a device named as one is
		// refused rather than waited on ('-' reads a pipe). It is parsed
		// as it is read: a million lines' bytes are not held beside
		// their entries.
		entries, bad, err = checksum.ReadListPath(list, ropt)
	}
	if err != nil {
		return nil, nil, listErr(list, err)
	}
	if len(entries) == 0 {
		for _, b := range bad {
			if !o.status {
				c.errorf("%v", &b)
			}
		}
		return nil, nil, failure{fmt.Errorf("%s: no properly formatted checksum lines found", quoteName(name))}
	}
	return checksum.MergeByName(entries), bad, nil
}

// listErr is the error of a list that could not be read or parsed. One
// refused (a FIFO, a device, over 1 GiB at its open or as it is read)
// could not be checked, as the README promises; one that is not there or
// whose reading failed is a failure, as in sha256sum -c; the options' and
// a fatal line's errors are said as they are.
func listErr(list string, err error) error {
	var nr *regular.NotRegularError
	var tl *regular.TooLargeError
	var pe *fs.PathError
	switch {
	case errors.As(err, &nr):
		return errors.New(fileErr(list, nr))
	case errors.As(err, &tl):
		return errors.New(fileErr(list, tl))
	case errors.As(err, &pe):
		return failure{fmt.Errorf("%s: %v", quoteName(list), sysErr(err))}
	}
	return err // the options' or a line's, said as it is
}

// listCheck judges the files of one list as they are hashed, and counts.
type listCheck struct {
	c       *cli
	o       *hashOpts
	entries []checksum.Entry
	// bad are the malformed lines not said yet: each is said where
	// sha256sum -w says it, among the files' errors in line order.
	bad []checksum.LineError
	out *lineWriter

	mismatched, unreadable, verified int
	// failed are the first few files that did not match, tried with other
	// algorithms when every file fails; assumedFailed says a digest whose
	// algorithm was told by its length alone did not match.
	failed        []checksum.Entry
	assumedFailed bool
}

// rereadTries is how many failed files are hashed again with the other
// algorithms of their digests' length: enough to tell, cheap on any kit.
const rereadTries = 3

// warnLegacy warns once of each legacy algorithm the list uses.
func (l *listCheck) warnLegacy(name string) {
	weak := map[string]bool{}
	for _, e := range l.entries {
		for _, s := range e.Sums {
			if s.Col.Alg.Legacy && !weak[s.Col.Alg.Name] {
				weak[s.Col.Alg.Name] = true
				if !l.o.status {
					l.c.warnf("%s uses %s, a legacy algorithm: it detects accidents, not deliberate tampering", display(name), s.Col.Alg.Name)
				}
			}
		}
	}
}

// job is the file of entry i to hash, with the algorithms its line
// names.
func (l *listCheck) job(i int) checksum.Job {
	e := &l.entries[i]
	ea := make([]*checksum.Algorithm, len(e.Sums))
	for k, s := range e.Sums {
		ea[k] = s.Col.Alg
	}
	j := checksum.Named(e.Name, false)
	j.Algs = ea
	return j
}

// malformed says the malformed lines before line upto (all when upto is
// negative), with their reasons: always, where sha256sum says them only
// with -w; never with --status.
func (l *listCheck) malformed(upto int) {
	for len(l.bad) > 0 && (upto < 0 || l.bad[0].Line < upto) {
		if !l.o.status {
			l.c.errorf("%v", &l.bad[0])
		}
		l.bad = l.bad[1:]
	}
}

// say prints a file's line as sha256sum -c does: the name as it is,
// unless it holds a newline, which would split the line; then escaped,
// behind a backslash.
func (l *listCheck) say(e checksum.Entry, verdict string) {
	if l.o.status || (l.o.quiet && verdict == "OK") {
		return
	}
	esc, slash := checksum.EscapeName(e.Name)
	if slash && strings.Contains(e.Name, "\n") {
		fmt.Fprintf(l.out, "\\%s: %s\n", esc, verdict)
	} else {
		fmt.Fprintf(l.out, "%s: %s\n", e.Name, verdict)
	}
}

// judge compares one file's digests with its line; a GOST digest that
// matches only byte-reversed gets a hint. It stops the hashing when the
// output cannot be written.
func (l *listCheck) judge(r checksum.Result) error {
	e := l.entries[r.Index]
	l.malformed(e.Line)
	if r.Err != nil {
		if l.o.ignoreMiss && errors.Is(r.Err, fs.ErrNotExist) {
			return nil
		}
		l.unreadable++
		// Said even with --status, as sha256sum says it.
		l.c.errorf("%s: %v", quoteName(e.Name), sysErr(r.Err))
		l.say(e, "FAILED open or read")
		return l.out.err
	}
	l.verified++
	ok := e.Size < 0 || e.Size == r.Size
	var hint []string
	for i, s := range e.Sums {
		if bytes.Equal(s.Digest, r.Sums[i]) {
			continue
		}
		ok = false
		l.assumedFailed = l.assumedFailed || s.ByLength
		if other, ok := s.Col.ReadReversed(s.Digest, r.Sums[i]); ok {
			hint = append(hint, reverseHint(s.Col, other))
		}
	}
	if ok {
		l.say(e, "OK")
		return l.out.err
	}
	l.mismatched++
	if len(l.failed) < rereadTries {
		l.failed = append(l.failed, e)
	}
	l.say(e, "FAILED")
	for _, h := range hint {
		if !l.o.status {
			l.c.warnf("%s: %s", display(e.Name), h)
		}
	}
	return l.out.err
}

// summary warns as sha256sum does of what went wrong, by number.
func (l *listCheck) summary(bad int) {
	if l.o.status {
		return
	}
	if bad > 0 {
		l.c.errorf("WARNING: %d %s improperly formatted", bad, plural(bad, "line is", "lines are"))
	}
	if l.unreadable > 0 {
		l.c.errorf("WARNING: %d listed %s could not be read", l.unreadable, plural(l.unreadable, "file", "files"))
	}
	if l.mismatched > 0 {
		l.c.errorf("WARNING: %d computed %s did NOT match", l.mismatched, plural(l.mismatched, "checksum", "checksums"))
	}
}

// hints say, after the summary, how a list whose digests failed was
// probably meant to be read: that the algorithm was assumed from the
// length, and, when every file checked failed, which other algorithm of
// that length the first few files match. They never change the verdict.
func (l *listCheck) hints(ctx context.Context, name string, opt checksum.Options) error {
	if l.o.status || l.mismatched == 0 || l.mismatched != l.verified {
		return nil
	}
	if l.assumedFailed {
		l.c.warnf("%s: %s", display(name), checksum.Assumed(l.failed))
	}
	opt.Progress, opt.Started = nil, nil
	rs, tried, err := checksum.Rereadings(ctx, l.failed, opt)
	if err != nil {
		return err
	}
	for _, r := range rs {
		l.c.warnf("%s: every file checked failed as %s, but read as %s %s: read the list with %s (still a failure)",
			display(name), r.Listed, r.As, triedFiles(tried), r.Flags())
	}
	return nil
}

// triedFiles says that the files Rereadings tried match.
func triedFiles(n int) string {
	if n == 1 {
		return "the file tried matches"
	}
	return fmt.Sprintf("the %d files tried match", n)
}

// verdict is the list's outcome: nil when every file listed matched.
func (l *listCheck) verdict(name string, bad int) error {
	if l.o.ignoreMiss && l.verified == 0 && l.unreadable == 0 {
		if l.o.status {
			return errNotHold
		}
		return failure{fmt.Errorf("%s: no file was verified", quoteName(name))}
	}
	if l.mismatched > 0 || l.unreadable > 0 || (l.o.strict && bad > 0) {
		return errNotHold
	}
	return nil
}

// listAlgs is the -a given to a list reader: without -a, the algorithms
// an untagged digest is told by its length.
func listAlgs(format string, explicit bool, given []*checksum.Algorithm) []*checksum.Algorithm {
	if explicit {
		return given
	}
	return checksum.LengthAlgs(checksum.Format(format))
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

// sysErr is osErr in the C library's words, as sha256sum prints them: "No
// such file or directory", where Go says "no such file or directory". On
// Windows, whose own words differ ("The system cannot find the file
// specified."), the two common errors are said as sha256sum for Windows
// (Cygwin, MSYS2) says them, so that what reads its output works alike.
func sysErr(err error) string {
	err = osErr(err)
	if runtime.GOOS == "windows" {
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return "No such file or directory"
		case errors.Is(err, fs.ErrPermission):
			return "Permission denied"
		}
	}
	var errno syscall.Errno
	if errors.As(err, &errno) {
		if msg := err.Error(); msg != "" {
			return strings.ToUpper(msg[:1]) + msg[1:]
		}
	}
	return err.Error()
}

// quoteName shows a name in a diagnostic as sha256sum does (GNU's
// shell-escape quoting): as it is when it holds only characters a shell
// leaves alone, else in single quotes; a name with a control character,
// a quote or invalid UTF-8 is escaped by display instead, so that it
// cannot forge a line.
func quoteName(name string) string {
	plain := name != ""
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c == '\'', c < 0x20, c == 0x7f:
			return display(name)
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c >= 0x80,
			strings.IndexByte("%+,-./:=@_^", c) >= 0:
		case (c == '~' || c == '#') && i > 0:
		default:
			plain = false
		}
	}
	if plain || !utf8.ValidString(name) {
		return display(name)
	}
	return "'" + name + "'"
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
