package checksum

import (
	"fmt"
	"sync"
	"time"
)

// Whether the ring pays depends on the machine: where a system call is
// dear (a virtual machine) or a file is not in the page cache (the ring
// keeps a batch's reads in flight at once), it wins; on a kernel where its
// set-up per file costs more than the calls it saves, it loses. Rather
// than guess from a kernel version, a run times its first small batches
// both ways, alternately, and keeps the faster for the rest.

// trialBatches is how many batches are timed each way: the fastest of
// each counts, so that batches slowed by other work on the machine (a
// thread preempted mid-batch) do not decide.
const trialBatches = 5

// ringTrial is one run's choice between the ring and plain reads for its
// small files.
type ringTrial struct {
	mu      sync.Mutex
	decided bool
	ring    bool // the choice, once decided
	// given counts the timed batches handed out each way, best the
	// fastest time a file of each way's batches took.
	given, timed [2]int
	best         [2]time.Duration
	// said is the choice in words, once made, until taken: the workers
	// decide, the calling goroutine says it.
	said string
}

// told returns the choice in words the first time it is asked after the
// choice is made, and "" otherwise.
func (t *ringTrial) told() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.said
	t.said = ""
	return s
}

// way indexes given, timed and best.
func way(ring bool) int {
	if ring {
		return 1
	}
	return 0
}

// pick says how the next batch is read, and whether it is to be timed.
func (t *ringTrial) pick() (ring, timed bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.decided {
		return t.ring, false
	}
	// The ring first: where it is unavailable, that is known at once.
	for _, r := range []bool{true, false} {
		if w := way(r); t.given[w] < trialBatches && t.given[w] <= t.given[1-w] {
			t.given[w]++
			return r, true
		}
	}
	// Every timed batch is out; until they are back, plainly.
	return false, false
}

// record takes the time a timed batch of files took.
func (t *ringTrial) record(ring bool, d time.Duration, files int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.decided || files == 0 {
		return
	}
	w := way(ring)
	per := d / time.Duration(files)
	if t.timed[w] == 0 || per < t.best[w] {
		t.best[w] = per
	}
	t.timed[w]++
	if t.timed[0] < trialBatches || t.timed[1] < trialBatches {
		return
	}
	t.decided, t.ring = true, t.best[1] < t.best[0]
	if t.ring {
		t.said = fmt.Sprintf("small files read through io_uring (faster here: %s a file, plainly %s)", micro(t.best[1]), micro(t.best[0]))
	} else {
		t.said = fmt.Sprintf("small files read plainly (faster here: %s a file, through io_uring %s)", micro(t.best[0]), micro(t.best[1]))
	}
}

// unavailable settles the choice when the ring cannot be had.
func (t *ringTrial) unavailable(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.decided {
		return
	}
	t.decided, t.ring = true, false
	t.said = fmt.Sprintf("small files read plainly (io_uring unavailable: %v)", err)
}

// micro writes d in microseconds, as a file's read is counted.
func micro(d time.Duration) string {
	return fmt.Sprintf("%.1f µs", float64(d)/float64(time.Microsecond))
}
