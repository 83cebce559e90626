//go:build !linux

package checksum

import "context"

// ringWorker is the Linux engine's io_uring; elsewhere every file is read
// the common way.
type ringWorker struct{}

func ringEligible(*Job) bool { return false }

func (w *worker) hashBatch(context.Context, []Job, []int, []Result, []bool) {}

func (w *worker) closeRing() {}
