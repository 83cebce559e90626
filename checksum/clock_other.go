//go:build !linux

package checksum

import "time"

// batchClock times a trial batch by the wall clock (the ring is Linux's
// alone: elsewhere no trial is timed).
type batchClock struct{ start time.Time }

func startClock() batchClock { return batchClock{start: time.Now()} }

func (c batchClock) stop() time.Duration { return time.Since(c.start) }
