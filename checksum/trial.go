package checksum

import (
	"fmt"
	"sync"
	"time"
)

// Some ways of reading pay on one machine and lose on another, and no
// kernel version or CPU flag says which: the ring against plain reads for
// small files (a system call dear on a virtual machine, or a ring's set-up
// per file dearer than the calls it saves), a mapping against a copy for a
// cached file (a page walked through a guest's and a host's tables, or a
// copy the CPU makes cheaply). So a run times its first pieces of work both
// ways, alternately, and keeps the faster for the rest.

// trialPieces is how many pieces are timed each way: the fastest of each
// counts, so that pieces slowed by other work on the machine (a thread
// preempted midway) do not decide.
const trialPieces = 5

// trial is one run's choice between two ways of doing the same work:
// "yes" (the ring, the mapping: the way tried first, which may turn out to
// be unavailable) and "no" (plain reads, the copy: what is done before and
// without a choice).
type trial struct {
	mu      sync.Mutex
	decided bool
	yes     bool // the choice, once decided
	// given counts the timed pieces handed out each way, timed those
	// timed, best the fastest time a unit (a file, a byte) took each way.
	given, timed [2]int
	best         [2]float64 // nanoseconds a unit
	words        trialWords
	// said is the choice in words, once made, until taken: the workers
	// decide, the calling goroutine says it.
	said string
}

// trialWords say a trial's choice under -v.
type trialWords struct {
	// way is each way's line, "no" first: "small files read plainly".
	way [2]string
	// other names each way beside the other's time: "plainly".
	other [2]string
	// cost writes a time a unit: "49.2 µs a file".
	cost func(ns float64) string
}

// ringTrial decides whether small files are read through io_uring.
func ringTrial() *trial {
	return &trial{words: trialWords{
		way:   [2]string{"small files read plainly", "small files read through io_uring"},
		other: [2]string{"plainly", "through io_uring"},
		cost:  func(ns float64) string { return fmt.Sprintf("%.1f µs a file", ns/1e3) },
	}}
}

// mapTrial decides whether a cached file is hashed from a mapping of it
// (mapped_linux.go) or copied out of the page cache as it is read.
func mapTrial() *trial {
	return &trial{words: trialWords{
		way:   [2]string{"files in the page cache copied to be hashed", "files in the page cache hashed in place (mapped, not copied)"},
		other: [2]string{"copied", "in place"},
		cost:  func(ns float64) string { return fmt.Sprintf("%.0f MB/s", 1e3/ns) },
	}}
}

// told returns the choice in words the first time it is asked after the
// choice is made, and "" otherwise.
func (t *trial) told() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.said
	t.said = ""
	return s
}

// way indexes given, timed and best.
func way(yes bool) int {
	if yes {
		return 1
	}
	return 0
}

// pick says which way the next piece is done, and whether it is to be
// timed.
func (t *trial) pick() (yes, timed bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.decided {
		return t.yes, false
	}
	// "yes" first: where it is unavailable, that is known at once.
	for _, y := range []bool{true, false} {
		if w := way(y); t.given[w] < trialPieces && t.given[w] <= t.given[1-w] {
			t.given[w]++
			return y, true
		}
	}
	// Every timed piece is out; until they are back, the "no" way.
	return false, false
}

// untimed gives back a piece handed out timed that could not be timed (a
// file that could not be mapped), for another to take its place.
func (t *trial) untimed(yes bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if w := way(yes); t.given[w] > t.timed[w] {
		t.given[w]--
	}
}

// record takes the time a timed piece of units (files, bytes) took.
func (t *trial) record(yes bool, d time.Duration, units int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.decided || units <= 0 {
		return
	}
	w := way(yes)
	per := float64(d) / float64(units)
	if t.timed[w] == 0 || per < t.best[w] {
		t.best[w] = per
	}
	t.timed[w]++
	if t.timed[0] < trialPieces || t.timed[1] < trialPieces {
		return
	}
	t.decided, t.yes = true, t.best[1] < t.best[0]
	c := way(t.yes)
	t.said = fmt.Sprintf("%s (faster here: %s, %s %s)", t.words.way[c], t.words.cost(t.best[c]), t.words.other[1-c], t.words.cost(t.best[1-c]))
}

// unavailable settles the choice on "no" when "yes" cannot be had.
func (t *trial) unavailable(why string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.decided {
		return
	}
	t.decided, t.yes = true, false
	t.said = fmt.Sprintf("%s (%s)", t.words.way[0], why)
}
