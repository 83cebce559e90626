package checksum

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// batchClock times a trial batch: the wall time less the time the thread
// waited for a CPU (/proc/thread-self/schedstat's second figure). On a
// busy machine a batch preempted midway would otherwise count the other
// work's time against the way it was read; waits for the device still
// count, as they should on a cold tree.
type batchClock struct {
	start  time.Time
	queued time.Duration // -1: schedstat unreadable, wall time alone
}

func startClock() batchClock {
	runtime.LockOSThread() // one thread's schedstat, start to stop
	return batchClock{queued: runQueued(), start: time.Now()}
}

func (c batchClock) stop() time.Duration {
	d := time.Since(c.start)
	if q := runQueued(); c.queued >= 0 && q >= c.queued && q-c.queued < d {
		d -= q - c.queued
	}
	runtime.UnlockOSThread()
	return d
}

// runQueued is how long the calling thread has waited for a CPU, or -1.
func runQueued() time.Duration {
	b, err := os.ReadFile("/proc/thread-self/schedstat")
	if err != nil {
		return -1
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return -1
	}
	n, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return -1
	}
	return time.Duration(n)
}
