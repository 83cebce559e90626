package main

import (
	"context"
	"os"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/internal/console"
	"github.com/sverka/sverka/report"
)

// progressOn decides --progress and --quiet before any total is counted:
// counting walks the tree, which only a shown progress is worth.
func progressOn(c *cli, o *common) bool {
	return progressOptions(o).Shown(c.stderr)
}

func progressOptions(o *common) console.ProgressOptions {
	return console.ProgressOptions{Mode: o.progress, Quiet: o.quiet, Lang: report.LangFromEnv()}
}

// newProgress shows the hashing of jobs; nil (valid, silent) when off.
func newProgress(c *cli, o *common, n int, path func(i int) string) *console.Progress {
	if !progressOn(c, o) {
		return nil
	}
	var total int64
	for i := range n {
		if fi, err := os.Stat(path(i)); err == nil && fi.Mode().IsRegular() {
			total += fi.Size()
		}
	}
	return console.NewProgress(c.stderr, total, n, progressOptions(o))
}

// newTreeProgress shows the hashing of every file under root, as a
// formular is made of them.
func newTreeProgress(ctx context.Context, c *cli, o *common, root string) *console.Progress {
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
	return console.NewProgress(c.stderr, total, n, progressOptions(o))
}
