package checksum

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// The trial hands out its timed batches alternately, the ring first, and
// keeps the way whose fastest batch was faster a file.
func TestRingTrial(t *testing.T) {
	for _, c := range []struct {
		name       string
		ring, flat []time.Duration // each timed batch of 10 files, trialBatches of them
		wantRing   bool
		said       string
	}{
		{"ring faster", []time.Duration{300, 200, 900, 250, 600}, []time.Duration{500, 400, 450, 800, 410}, true,
			"small files read through io_uring (faster here: 200.0 µs a file, plainly 400.0 µs)"},
		{"plain faster", []time.Duration{300, 310, 290, 300, 295}, []time.Duration{280, 900, 900, 300, 300}, false,
			"small files read plainly (faster here: 280.0 µs a file, through io_uring 290.0 µs)"},
		{"slow batches do not decide", []time.Duration{5000, 100, 4000, 100, 3000}, []time.Duration{150, 150, 150, 150, 150}, true, "io_uring"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := &ringTrial{}
			var ways []bool
			for range 2 * trialBatches {
				r, timed := tr.pick()
				if !timed {
					t.Fatalf("batch %d not timed", len(ways))
				}
				ways = append(ways, r)
			}
			for i, r := range ways {
				if r != (i%2 == 0) {
					t.Fatalf("ways handed out %v, want ring and plain in turn, ring first", ways)
				}
			}
			if r, timed := tr.pick(); r || timed {
				t.Errorf("with the trial's batches out, the next is (ring %v, timed %v), want plain, untimed", r, timed)
			}
			if tr.told() != "" {
				t.Error("said before deciding")
			}
			for i := range trialBatches {
				tr.record(true, c.ring[i]*time.Microsecond*10, 10)
				tr.record(false, c.flat[i]*time.Microsecond*10, 10)
			}
			if r, timed := tr.pick(); r != c.wantRing || timed {
				t.Errorf("chose ring %v (timed %v), want %v", r, timed, c.wantRing)
			}
			if got := tr.told(); !strings.Contains(got, c.said) {
				t.Errorf("said %q, want %q", got, c.said)
			}
			if got := tr.told(); got != "" {
				t.Errorf("said twice: %q", got)
			}
		})
	}
}

// Where the ring cannot be had, the choice is plain reads, and why.
func TestRingTrialUnavailable(t *testing.T) {
	tr := &ringTrial{}
	if r, _ := tr.pick(); !r {
		t.Fatal("the first batch is not the ring's")
	}
	tr.unavailable(errors.New("io_uring_setup: operation not permitted"))
	tr.record(false, time.Millisecond, 10) // a timed batch back late
	if r, timed := tr.pick(); r || timed {
		t.Errorf("after the ring failed: ring %v, timed %v", r, timed)
	}
	if got, want := tr.told(), "small files read plainly (io_uring unavailable: io_uring_setup: operation not permitted)"; got != want {
		t.Errorf("said %q, want %q", got, want)
	}
}
