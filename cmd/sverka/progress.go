package main

import (
	"context"
	"io"
	"os"

	"golang.org/x/term"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/report"
)

// progressOn decides --progress and --quiet before any total is counted:
// counting walks the tree, which only a shown progress is worth.
func progressOn(c *cli, o *common) bool {
	if o.quiet || o.progress == "never" {
		return false
	}
	if o.progress == "always" {
		return true
	}
	return isTerminal(c.stderr)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func progressOptions(o *common) report.ProgressOptions {
	return report.ProgressOptions{Mode: o.progress, Quiet: o.quiet, Lang: report.LangFromEnv()}
}

// newProgress shows the hashing of jobs; nil (valid, silent) when off.
func newProgress(c *cli, o *common, jobs []checksum.Job) *report.Progress {
	if !progressOn(c, o) {
		return nil
	}
	var total int64
	for _, j := range jobs {
		if fi, err := os.Stat(j.Path); err == nil && fi.Mode().IsRegular() {
			total += fi.Size()
		}
	}
	return report.NewProgress(c.stderr, total, len(jobs), progressOptions(o))
}

// newTreeProgress shows the hashing of every file under root, as a
// formular is made of them.
func newTreeProgress(ctx context.Context, c *cli, o *common, root string) *report.Progress {
	if !progressOn(c, o) {
		return nil
	}
	var total int64
	n := 0
	checksum.Walk(ctx, root, checksum.WalkOptions{}, func(w checksum.Walked) error {
		if w.Kind == checksum.WalkFile {
			if info, err := w.Info(); err == nil {
				total += info.Size()
				n++
			}
		}
		return nil
	})
	return report.NewProgress(c.stderr, total, n, progressOptions(o))
}
