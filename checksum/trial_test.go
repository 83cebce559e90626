package checksum

import (
	"strings"
	"testing"
	"time"
)

// The trial hands out its timed batches alternately, the ring first, and
// keeps the way whose fastest batch was faster a file.
func TestRingTrial(t *testing.T) {
	for _, c := range []struct {
		name       string
		ring, flat []time.Duration // each timed batch of 10 files, trialPieces of them
		wantRing   bool
		said       string
	}{
		{"ring faster", []time.Duration{300, 200, 900, 250, 600}, []time.Duration{500, 400, 450, 800, 410}, true,
			"small files read through io_uring (faster here: 200.0 µs a file, plainly 400.0 µs a file)"},
		{"plain faster", []time.Duration{300, 310, 290, 300, 295}, []time.Duration{280, 900, 900, 300, 300}, false,
			"small files read plainly (faster here: 280.0 µs a file, through io_uring 290.0 µs a file)"},
		{"slow batches do not decide", []time.Duration{5000, 100, 4000, 100, 3000}, []time.Duration{150, 150, 150, 150, 150}, true, "io_uring"},
	} {
		t.Run(c.name, func(t *testing.T) {
			tr := ringTrial()
			var ways []bool
			for range 2 * trialPieces {
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
			for i := range trialPieces {
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
	tr := ringTrial()
	if r, _ := tr.pick(); !r {
		t.Fatal("the first batch is not the ring's")
	}
	tr.unavailable("io_uring unavailable: io_uring_setup: operation not permitted")
	tr.record(false, time.Millisecond, 10) // a timed batch back late
	if r, timed := tr.pick(); r || timed {
		t.Errorf("after the ring failed: ring %v, timed %v", r, timed)
	}
	if got, want := tr.told(), "small files read plainly (io_uring unavailable: io_uring_setup: operation not permitted)"; got != want {
		t.Errorf("said %q, want %q", got, want)
	}
}

// The mapping trial times bytes: its choice is said in rates, and a piece
// handed out but never timed (a file that could not be mapped) is handed
// out again, so that the trial still decides.
func TestMapTrial(t *testing.T) {
	tr := mapTrial()
	yes, timed := tr.pick()
	if !yes || !timed {
		t.Fatalf("first piece: in place %v, timed %v; want in place, timed", yes, timed)
	}
	tr.untimed(true)
	for range trialPieces {
		for _, y := range []bool{true, false} {
			got, timed := tr.pick()
			if got != y || !timed {
				t.Fatalf("piece: in place %v, timed %v; want %v, timed", got, timed, y)
			}
		}
	}
	if _, timed := tr.pick(); timed {
		t.Fatal("more pieces timed than the trial takes")
	}
	for i := range trialPieces {
		// Copied at 1,500 MB/s at best, in place at 1,200 MB/s.
		tr.record(true, 10*time.Millisecond+time.Duration(i)*time.Microsecond, 12_000_000)
		tr.record(false, 10*time.Millisecond+time.Duration(i)*time.Microsecond, 15_000_000)
	}
	if yes, timed := tr.pick(); yes || timed {
		t.Errorf("chose in place %v (timed %v), want the copy", yes, timed)
	}
	if got, want := tr.told(), "files in the page cache copied to be hashed (faster here: 1500 MB/s, in place 1200 MB/s)"; got != want {
		t.Errorf("said %q, want %q", got, want)
	}
}
