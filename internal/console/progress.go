package console

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/sverka/sverka/internal/safetext"
)

// ProgressOptions control the progress display.
type ProgressOptions struct {
	Mode  string // "auto" (only on a terminal), "always" or "never"
	Quiet bool   // --quiet: nothing at all
	Lang  string // "ru" or "en", as report.LangFromEnv gives it
}

// Shown reports whether a display on w is shown: not with --quiet or
// mode "never", and in mode "auto" only when w is a terminal. Callers ask
// before counting a job's totals, which only a shown display is worth.
func (o ProgressOptions) Shown(w io.Writer) bool {
	switch {
	case o.Quiet || o.Mode == "never" || w == nil:
		return false
	case o.Mode == "always":
		return true
	}
	return IsTerminal(w)
}

const (
	// progressInterval bounds the display to ten updates a second.
	progressInterval = 100 * time.Millisecond
	// rateWindow is how far back the rate looks: long enough to smooth
	// a burst of small files or a cache's first gigabyte, short enough
	// to follow a slower disc.
	rateWindow = 5 * time.Second
	// rateMin is how much reading a rate needs before it is shown: over
	// less, a first read from the page cache reads as terabytes a
	// second.
	rateMin = time.Second
	// barWidth is the bar's width in cells.
	barWidth = 20
	// minNames is the fewest cells worth giving the names in flight.
	minNames = 20
)

// Progress shows, on one line of stderr, bytes done of their total, a
// rate smoothed over seconds, the time left, the files done of their
// total and the files being read, the longest-running first: on several
// workers several files are in flight, and a large one should not hide
// behind the small ones read since. The workers only touch atomic
// counters and, once per file, a small map; one goroutine redraws at most
// ten times a second. A nil *Progress is valid and shows nothing.
type Progress struct {
	bytes      atomic.Int64
	items      atomic.Int64
	totalBytes int64
	totalItems int
	lang       string
	w          io.Writer
	width      int // of the terminal, in cells

	mu     sync.Mutex
	flight map[string]inFlight
	seq    int64

	// Only the drawing goroutine touches these.
	samples []sample
	drawn   int // cells of the line last drawn

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// inFlight is a name being read: how many times (the same name may be
// read by two workers) and since when, in start order.
type inFlight struct {
	n   int
	seq int64
}

// sample is the bytes read by a moment.
type sample struct {
	at    time.Time
	bytes int64
}

// NewProgress starts a display on w for a job of totalBytes bytes in
// totalItems items, or returns nil when nothing is to be shown (see
// ProgressOptions.Shown).
func NewProgress(w io.Writer, totalBytes int64, totalItems int, opt ProgressOptions) *Progress {
	if !opt.Shown(w) {
		return nil
	}
	p := newProgress(w, totalBytes, totalItems, opt.Lang)
	p.width = terminalWidth(w)
	go p.run()
	return p
}

// newProgress makes a display that draws only when told: the tests drive
// it with a clock of their own.
func newProgress(w io.Writer, totalBytes int64, totalItems int, lang string) *Progress {
	return &Progress{
		totalBytes: totalBytes, totalItems: totalItems, lang: lang, w: w, width: 80,
		flight: map[string]inFlight{},
		stop:   make(chan struct{}),
		done:   make(chan struct{}),
	}
}

// terminalWidth is the width of the terminal w is, else 80.
func terminalWidth(w io.Writer) int {
	if f, ok := w.(*os.File); ok && f != nil {
		if cols, _, err := term.GetSize(int(f.Fd())); err == nil && cols > 20 {
			return cols
		}
	}
	return 80
}

// Add counts n more bytes read. It is safe for concurrent use and costs
// one atomic add.
func (p *Progress) Add(n int64) {
	if p != nil {
		p.bytes.Add(n)
	}
}

// Item records that reading of the named item starts: it is in flight
// until Done. The items count shown is the number of items started.
func (p *Progress) Item(name string) {
	if p == nil {
		return
	}
	p.items.Add(1)
	p.mu.Lock()
	f := p.flight[name]
	if f.n == 0 {
		p.seq++
		f.seq = p.seq
	}
	f.n++
	p.flight[name] = f
	p.mu.Unlock()
}

// Done records that reading of the named item has ended.
func (p *Progress) Done(name string) {
	if p == nil {
		return
	}
	p.mu.Lock()
	if f, ok := p.flight[name]; ok {
		if f.n <= 1 {
			delete(p.flight, name)
		} else {
			f.n--
			p.flight[name] = f
		}
	}
	p.mu.Unlock()
}

// Finish stops the display and clears its line. It may be called more
// than once.
func (p *Progress) Finish() {
	if p == nil {
		return
	}
	p.once.Do(func() {
		close(p.stop)
		<-p.done
		if p.drawn > 0 {
			fmt.Fprintf(p.w, "\r%s\r", strings.Repeat(" ", p.drawn))
		}
	})
}

func (p *Progress) run() {
	defer close(p.done)
	tick := time.NewTicker(progressInterval)
	defer tick.Stop()
	// A first frame at once: totals and names, no rate yet.
	p.draw(time.Now())
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
		// Redrawn every tick, changed or not, so a stall shows as a
		// falling rate.
		p.draw(time.Now())
	}
}

// draw writes the frame of now over the last one.
func (p *Progress) draw(now time.Time) {
	line := p.frame(now)
	n := utf8.RuneCountInString(line)
	pad := ""
	if p.drawn > n {
		pad = strings.Repeat(" ", p.drawn-n)
	}
	fmt.Fprintf(p.w, "\r%s%s", line, pad)
	p.drawn = n
}

// frame is the display's line at now, and notes the bytes read by now for
// the rate.
func (p *Progress) frame(now time.Time) string {
	b := p.bytes.Load()
	if p.totalBytes > 0 {
		b = min(b, p.totalBytes) // a file that grew must not overflow the bar
	}
	rate, ok := p.rate(now, b)
	ru := p.lang == "ru"
	var parts []string
	if p.totalBytes > 0 {
		done := int(b * barWidth / p.totalBytes)
		parts = append(parts, "["+strings.Repeat("=", done)+strings.Repeat(" ", barWidth-done)+"]",
			fmt.Sprintf("%3d%%", b*100/p.totalBytes),
			bytesText(b, ru)+" / "+bytesText(p.totalBytes, ru))
	} else {
		parts = append(parts, bytesText(b, ru))
	}
	if ok {
		parts = append(parts, bytesText(int64(rate), ru)+map[bool]string{false: "/s", true: "/с"}[ru])
		if left := p.totalBytes - b; p.totalBytes > 0 && rate > 0 {
			eta := durationText(time.Duration(float64(left) / rate * float64(time.Second)))
			if ru {
				parts = append(parts, "осталось "+eta)
			} else {
				parts = append(parts, eta+" left")
			}
		}
	}
	items := p.items.Load()
	switch {
	case ru && p.totalItems > 0:
		parts = append(parts, fmt.Sprintf("файлов %d/%d", items, p.totalItems))
	case ru:
		parts = append(parts, fmt.Sprintf("файлов %d", items))
	case p.totalItems > 0:
		parts = append(parts, fmt.Sprintf("%d/%d files", items, p.totalItems))
	default:
		parts = append(parts, fmt.Sprintf("%d files", items))
	}
	line := strings.Join(parts, "  ")
	// The names get what the line leaves of the terminal's width, less
	// one cell: a line that wraps cannot be redrawn in place. On a
	// narrow terminal the bar gives way to them: the percentage stays.
	room := func() int { return p.width - 1 - utf8.RuneCountInString(line) - 2 }
	if p.totalBytes > 0 && room() < minNames {
		line = strings.Join(parts[1:], "  ")
	}
	if names := p.names(room()); names != "" {
		line += ": " + names
	}
	return line
}

// rate is the bytes a second over the last rateWindow, and whether
// enough has been seen for it to mean anything.
func (p *Progress) rate(now time.Time, b int64) (float64, bool) {
	p.samples = append(p.samples, sample{now, b})
	// Keep one sample at or beyond the window's start.
	i := 0
	for i+1 < len(p.samples) && now.Sub(p.samples[i+1].at) >= rateWindow {
		i++
	}
	p.samples = p.samples[i:]
	first := p.samples[0]
	span := now.Sub(first.at)
	if span < rateMin {
		return 0, false
	}
	return float64(b-first.bytes) / span.Seconds(), true
}

// names are the files in flight, the longest-running first, in display
// form (a name comes from the checked media, and a terminal obeys escape
// codes), within room cells: as many as fit, then how many more.
func (p *Progress) names(room int) string {
	p.mu.Lock()
	type named struct {
		name string
		seq  int64
	}
	fl := make([]named, 0, len(p.flight))
	for n, f := range p.flight {
		fl = append(fl, named{n, f.seq})
	}
	p.mu.Unlock()
	if len(fl) == 0 || room < 12 {
		return ""
	}
	slices.SortFunc(fl, func(a, b named) int { return int(a.seq - b.seq) })
	var shown []string
	used := 0
	for i, f := range fl {
		more := ""
		if rest := len(fl) - i - 1; rest > 0 {
			more = fmt.Sprintf(" +%d", rest)
		}
		avail := room - used - len(more)
		if i > 0 {
			avail -= 2 // ", "
		}
		if avail < 8 {
			return strings.Join(shown, ", ") + fmt.Sprintf(" +%d", len(fl)-i)
		}
		s := shorten(safetext.Display(f.name), min(avail, 40))
		shown = append(shown, s)
		used += utf8.RuneCountInString(s)
		if i > 0 {
			used += 2
		}
	}
	return strings.Join(shown, ", ")
}

// bytesText is n bytes in binary units, one decimal from KiB on.
func bytesText(n int64, ru bool) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB"}
	if ru {
		units = []string{"Б", "КиБ", "МиБ", "ГиБ", "ТиБ", "ПиБ"}
	}
	if n < 1024 {
		return fmt.Sprintf("%d %s", n, units[0])
	}
	v := float64(n)
	u := 0
	for v >= 1024 && u < len(units)-1 {
		v /= 1024
		u++
	}
	s := fmt.Sprintf("%.1f %s", v, units[u])
	if ru {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

// durationText is a time left as h:mm:ss, or m:ss under an hour.
func durationText(d time.Duration) string {
	s := int64(d.Round(time.Second) / time.Second)
	if s >= 100*3600 {
		return ">99:00:00"
	}
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// shorten keeps the end of a name, the part that tells files apart.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-n+1:])
}
