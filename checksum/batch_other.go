//go:build !linux

package checksum

import (
	"context"
	"io/fs"
)

// ringWorker is the Linux engine's io_uring; elsewhere every file is read
// the common way.
type ringWorker struct{}

func ringEligible(*Job, fs.FileMode, int64) bool { return false }

func (w *worker) ringReady() error { return nil }

func (w *worker) hashBatch(context.Context, []Job, []int64, []fs.FileMode, []int, []Result, []bool) error {
	return nil
}

// closeRing drops the ring a worker never opens here.
func (w *worker) closeRing() { w.ring = ringWorker{} }
