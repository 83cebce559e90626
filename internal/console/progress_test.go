package console

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestProgressOff(t *testing.T) {
	var b bytes.Buffer
	for _, opt := range []ProgressOptions{
		{Mode: "never"},
		{Mode: "always", Quiet: true},
		{Mode: "auto"}, // a buffer is not a terminal
		{},
	} {
		p := NewProgress(&b, 100, 1, opt)
		if p != nil {
			t.Errorf("%+v: progress shown", opt)
		}
		p.Add(10) // a nil Progress does nothing
		p.Item("x")
		p.Done("x")
		p.Finish()
	}
	if b.Len() != 0 {
		t.Errorf("wrote %q", b.String())
	}
}

// syncBuffer lets the test read what the display goroutine writes.
type syncBuffer struct {
	mu     sync.Mutex
	b      bytes.Buffer
	writes int
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.writes++
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProgressShows(t *testing.T) {
	var out syncBuffer
	const total = 1 << 30
	p := NewProgress(&out, total, 8, ProgressOptions{Mode: "always", Lang: "en"})
	if p == nil {
		t.Fatal("no progress with mode always")
	}
	var wg sync.WaitGroup
	start := time.Now()
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.Item("dir/file-" + string(rune('a'+w)) + ".iso")
			for time.Since(start) < time.Second {
				for range 100 {
					p.Add(4096) // many small adds, from several goroutines
				}
				time.Sleep(time.Millisecond)
			}
		}()
	}
	wg.Wait()
	shown := out.String()
	p.Finish()
	p.Finish() // twice is fine
	if !strings.Contains(shown, "4/8 files") {
		t.Errorf("items done of total not shown: %q", lastLine(shown))
	}
	if !strings.Contains(shown, "dir/file-") {
		t.Errorf("the item being read is not shown: %q", lastLine(shown))
	}
	if !strings.Contains(shown, "/ 1.0 GiB") {
		t.Errorf("bytes of total not shown: %q", lastLine(shown))
	}
	// At most ten redraws a second (and the first): a redraw writes the
	// bar after a carriage return; clearing the line writes blanks only.
	draws := 0
	for _, seg := range strings.Split(shown, "\r") {
		if strings.Contains(seg, "files") {
			draws++
		}
	}
	if draws > 10+2 {
		t.Errorf("%d redraws in 1 s: more than ten a second", draws)
	}
	after := out.String()
	time.Sleep(250 * time.Millisecond)
	if out.String() != after {
		t.Error("the display wrote after Finish")
	}
}

func lastLine(s string) string {
	if i := strings.LastIndexByte(s, '\r'); i >= 0 {
		return s[i:]
	}
	return s
}

func TestProgressUnknownTotal(t *testing.T) {
	var out syncBuffer
	p := NewProgress(&out, 0, 0, ProgressOptions{Mode: "always", Lang: "ru"})
	p.Item("образ.iso")
	p.Add(1 << 20)
	time.Sleep(350 * time.Millisecond)
	p.Finish()
	if s := out.String(); !strings.Contains(s, "образ.iso") {
		t.Errorf("nothing shown for an unknown total: %q", s)
	}
}

// The rate is smoothed over seconds: a first burst from the page cache
// shows no rate at all, and after it the rate is that of the last
// seconds, with the time left at that rate.
func TestProgressRateSmoothed(t *testing.T) {
	var out bytes.Buffer
	const mib = 1 << 20
	p := newProgress(&out, 4096*mib, 10, "en")
	p.width = 120
	t0 := time.Date(2027, 6, 1, 12, 0, 0, 0, time.UTC)
	if f := p.frame(t0); strings.Contains(f, "/s") || strings.Contains(f, "left") {
		t.Errorf("first frame with a rate: %q", f)
	}
	p.Add(1024 * mib) // a gigabyte from the cache in 10 ms
	for ms := 10; ms < 1000; ms += 100 {
		if f := p.frame(t0.Add(time.Duration(ms) * time.Millisecond)); strings.Contains(f, "/s") {
			t.Fatalf("a rate after %d ms: %q", ms, f)
		}
	}
	// Then the disc: 100 MiB a second, for eight seconds.
	var f string
	for tick := 1; tick <= 80; tick++ {
		p.Add(10 * mib)
		f = p.frame(t0.Add(time.Second + time.Duration(tick)*100*time.Millisecond))
	}
	if !strings.Contains(f, " 100.0 MiB/s") {
		t.Errorf("rate over the last seconds not 100 MiB/s: %q", f)
	}
	// 4096 - 1024 - 800 MiB left at 100 MiB/s.
	if !strings.Contains(f, "  0:23 left") {
		t.Errorf("time left not 0:23: %q", f)
	}
	if !strings.Contains(f, "[========            ]   44%") {
		t.Errorf("bar: %q", f)
	}
}

// The names shown are those of the files in flight, the longest-running
// first, not the last one started.
func TestProgressInFlight(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, 0, 4, "en")
	now := time.Now()
	p.Item("kit/big.iso")
	p.Item("kit/README")
	p.Done("kit/README")
	p.Item("kit/a.txt")
	if f := p.frame(now); !strings.HasSuffix(f, "3/4 files: kit/big.iso, kit/a.txt") {
		t.Errorf("in flight: %q", f)
	}
	p.Item("kit/b.txt")
	p.Item("kit/c.txt")
	p.width = 50
	if f := p.frame(now); !strings.HasSuffix(f, ": kit/big.iso +3") && !strings.HasSuffix(f, ", kit/a.txt +2") {
		t.Errorf("in flight in 50 columns: %q (%d)", f, len([]rune(f)))
	} else if n := len([]rune(f)); n >= 50 {
		t.Errorf("line of %d cells in 50 columns: %q", n, f)
	}
	p.width = 80
	for _, n := range []string{"kit/big.iso", "kit/a.txt", "kit/b.txt"} {
		p.Done(n)
	}
	if f := p.frame(now); !strings.HasSuffix(f, "5/4 files: kit/c.txt") {
		t.Errorf("after the big one: %q", f)
	}
	p.Done("kit/c.txt")
	p.Done("kit/c.txt") // once too often: nothing breaks
	if f := p.frame(now); strings.Contains(f, ":") {
		t.Errorf("nothing in flight, yet: %q", f)
	}
	// A hostile name is shown escaped.
	p.Item("evil\x1b[2J.txt")
	p.Item("evil\x1b]0;owned\x07")
	if f := p.frame(now); strings.ContainsAny(f, "\x1b\x07") {
		t.Errorf("control characters shown: %q", f)
	}
}

func TestProgressRussian(t *testing.T) {
	var out bytes.Buffer
	p := newProgress(&out, 3<<30, 2, "ru")
	t0 := time.Now()
	p.Item("образ.iso")
	p.frame(t0)
	p.Add(1536 << 20)
	f := p.frame(t0.Add(2 * time.Second))
	for _, want := range []string{"1,5 ГиБ / 3,0 ГиБ", "768,0 МиБ/с", "осталось 0:02", "файлов 1/2: образ.iso"} {
		if !strings.Contains(f, want) {
			t.Errorf("%q lacks %q", f, want)
		}
	}
}

func TestBytesText(t *testing.T) {
	for _, tt := range []struct {
		n      int64
		ru     bool
		en, rs string
	}{
		{0, false, "0 B", "0 Б"},
		{1023, false, "1023 B", "1023 Б"},
		{1024, false, "1.0 KiB", "1,0 КиБ"},
		{1536 << 20, false, "1.5 GiB", "1,5 ГиБ"},
		{5 << 50, false, "5.0 PiB", "5,0 ПиБ"},
		{5 << 60, false, "5120.0 PiB", "5120,0 ПиБ"},
	} {
		if got := bytesText(tt.n, false); got != tt.en {
			t.Errorf("bytesText(%d) = %q, want %q", tt.n, got, tt.en)
		}
		if got := bytesText(tt.n, true); got != tt.rs {
			t.Errorf("bytesText(%d, ru) = %q, want %q", tt.n, got, tt.rs)
		}
	}
}

func TestDurationText(t *testing.T) {
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0:00"},
		{1499 * time.Millisecond, "0:01"},
		{59 * time.Second, "0:59"},
		{61 * time.Second, "1:01"},
		{3600 * time.Second, "1:00:00"},
		{26*time.Hour + 3*time.Minute + 4*time.Second, "26:03:04"},
		{1000 * time.Hour, ">99:00:00"},
	} {
		if got := durationText(tt.d); got != tt.want {
			t.Errorf("durationText(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}
