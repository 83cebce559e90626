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
	if !strings.Contains(shown, "GB") || !strings.Contains(shown, "/s") {
		t.Errorf("bytes of total and rate not shown: %q", lastLine(shown))
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
