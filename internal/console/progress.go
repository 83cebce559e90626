package console

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"

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

// progressInterval bounds the display to ten updates a second.
const progressInterval = 100 * time.Millisecond

// Progress shows bytes and items done of their totals, the rate, the time
// left and the item being read, on stderr. The workers only touch atomic
// counters; one goroutine redraws at most ten times a second. A nil
// *Progress is valid and shows nothing.
type Progress struct {
	bytes      atomic.Int64
	items      atomic.Int64
	name       atomic.Pointer[string]
	totalBytes int64
	totalItems int
	itemsText  string // format of the items done of their total

	bar  *progressbar.ProgressBar
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// NewProgress starts a display on w for a job of totalBytes bytes in
// totalItems items, or returns nil when nothing is to be shown (see
// ProgressOptions.Shown).
func NewProgress(w io.Writer, totalBytes int64, totalItems int, opt ProgressOptions) *Progress {
	if !opt.Shown(w) {
		return nil
	}
	p := &Progress{
		totalBytes: totalBytes,
		totalItems: totalItems,
		itemsText:  itemsText(opt.Lang),
		stop:       make(chan struct{}),
		done:       make(chan struct{}),
	}
	max := totalBytes
	if max <= 0 {
		max = -1 // unknown: a spinner with the bytes read
	}
	p.bar = progressbar.NewOptions64(max,
		progressbar.OptionSetWriter(w),
		// The ticker in run paces the display; the bar's own throttle
		// then lets one of its two redraws a tick through.
		progressbar.OptionThrottle(progressInterval/2),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetWidth(24),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionUseANSICodes(false),
		progressbar.OptionSpinnerType(14),
		// The bar's own spinner goroutine (for an unknown total) reads
		// its state unlocked; the ticker in run redraws instead.
		progressbar.OptionSetSpinnerChangeInterval(0),
		progressbar.OptionSetDescription(p.description()),
	)
	go p.run()
	return p
}

// Add counts n more bytes read. It is safe for concurrent use and costs
// one atomic add.
func (p *Progress) Add(n int64) {
	if p != nil {
		p.bytes.Add(n)
	}
}

// Item records that reading of the named item starts; the items count
// shown is the number of items started.
func (p *Progress) Item(name string) {
	if p != nil {
		p.items.Add(1)
		// A copy, so that a nil Progress (no terminal) costs no
		// allocation per file.
		n := name
		p.name.Store(&n)
	}
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
		p.bar.Finish()
	})
}

func (p *Progress) run() {
	defer close(p.done)
	tick := time.NewTicker(progressInterval)
	defer tick.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-tick.C:
		}
		b := p.bytes.Load()
		if p.totalBytes > 0 {
			b = min(b, p.totalBytes) // a file that grew must not overflow the bar
		}
		// Redrawn every tick, changed or not, so a stall shows as a
		// falling rate. Set64 draws; Describe, within the bar's throttle,
		// only records the text for the next tick's drawing.
		p.bar.Set64(b)
		p.bar.Describe(p.description())
	}
}

// itemsText is the format of the items done of their total in lang.
func itemsText(lang string) string {
	if lang == "ru" {
		return "файлов %d/%d"
	}
	return "%d/%d files"
}

// description is the text after the bar: items done of total and the item
// being read, cut to keep the line on one row. The name comes from the
// checked media and is shown in display form: a terminal obeys escape
// codes.
func (p *Progress) description() string {
	s := fmt.Sprintf(p.itemsText, p.items.Load(), p.totalItems)
	if np := p.name.Load(); np != nil {
		s += " " + shorten(safetext.Display(*np), 40)
	}
	return s
}

// shorten keeps the end of a name, the part that tells files apart.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-n+1:])
}
