//go:build !linux

package checksum

import "context"

// ringWorker is the Linux engine's io_uring; elsewhere every file is read
// the common way.
type ringWorker struct{}

func ringEligible(*Job) bool { return false }

func (w *worker) hashBatch(context.Context, []Job, []int, []Result, []bool) {}

// closeRing drops the ring a worker never opens here.
func (w *worker) closeRing() { w.ring = ringWorker{} }
