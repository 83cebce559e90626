package push

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/sverka/sverka/internal/atomicfile"
	"github.com/sverka/sverka/internal/regular"
)

// Spool is the directory where reports wait that could not be sent, one
// file each, named so that name order is the order they were made in.
// Reports the collector refused are moved to its rejected/ directory.
type Spool struct {
	Dir string
}

// RejectedDir is the spool's directory of refused reports.
const RejectedDir = "rejected"

// maxSpooled is the largest spooled file read back.
const maxSpooled = 4 << 30

// DefaultSpoolDir is the spool when --spool is not given: the system's
// /var/lib/sverka/spool for root, else the user's state directory
// ($XDG_STATE_HOME/sverka/spool, ~/.local/state/sverka/spool,
// ~/Library/Application Support/sverka/spool, %LocalAppData%\sverka\spool).
func DefaultSpoolDir() (string, error) {
	switch runtime.GOOS {
	case "windows":
		dir := os.Getenv("LocalAppData")
		if dir == "" {
			return "", errors.New("no default spool: %LocalAppData% is not set; give --spool")
		}
		return filepath.Join(dir, "sverka", "spool"), nil
	}
	if os.Geteuid() == 0 {
		return "/var/lib/sverka/spool", nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no default spool: %w; give --spool", err)
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return filepath.Join(home, "Library", "Application Support", "sverka", "spool"), nil
	}
	if d := os.Getenv("XDG_STATE_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "sverka", "spool"), nil
	}
	return filepath.Join(home, ".local", "state", "sverka", "spool"), nil
}

// Put writes a report into the spool, whole or not at all (readable by
// its owner only: a report tells much of its host), and returns its path.
func (s Spool) Put(report []byte, now time.Time) (string, error) {
	return put(s.Dir, report, now)
}

func put(dir string, report []byte, now time.Time) (string, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("spool %s: %w", dir, unwrapPath(err))
	}
	sum := sha256.Sum256(report)
	// Nanoseconds, zero-padded: name order is time order.
	name := fmt.Sprintf("%020d-%s.json", now.UnixNano(), hex.EncodeToString(sum[:8]))
	path := filepath.Join(dir, name)
	f, err := atomicfile.Create(path, 0o600)
	if err != nil {
		return "", fmt.Errorf("spool %s: %w", dir, err)
	}
	defer f.Abort()
	if _, err := f.Write(report); err != nil {
		return "", fmt.Errorf("spool %s: %w", path, err)
	}
	if err := f.Commit(); err != nil {
		return "", fmt.Errorf("spool %s: %w", path, err)
	}
	return path, nil
}

// Pending lists the reports waiting, oldest first. A spool that does not
// exist holds none.
func (s Spool) Pending() ([]string, error) {
	es, err := os.ReadDir(s.Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("spool %s: %w", s.Dir, unwrapPath(err))
	}
	var names []string
	for _, e := range es {
		// Temporary files of a write under way begin with a dot.
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".json") && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, filepath.Join(s.Dir, e.Name()))
		}
	}
	slices.Sort(names)
	return names, nil
}

// reject moves a spooled report to rejected/.
func (s Spool) reject(path string) (string, error) {
	dir := filepath.Join(s.Dir, RejectedDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("spool %s: %w", dir, unwrapPath(err))
	}
	to := filepath.Join(dir, filepath.Base(path))
	if err := os.Rename(path, to); err != nil {
		return "", fmt.Errorf("spool: moving %s to %s: %w", path, dir, err)
	}
	return to, nil
}

// Rejection is a report the collector refused, and where it is kept.
type Rejection struct {
	Path string
	Err  *RejectedError
}

// Delivery is what Deliver did.
type Delivery struct {
	// Flushed are the spooled reports sent, oldest first.
	Flushed []Sent
	// Rejected are the reports refused, moved to rejected/.
	Rejected []Rejection
	// Sent is the collector's answer to this run's report, when it was
	// sent.
	Sent *Sent
	// Spooled is where this run's report waits, when it could not be
	// sent; Unreachable says why, Waiting how many reports wait in all.
	Spooled     string
	Unreachable *UnreachableError
	Waiting     int
}

// Deliver sends what the spool holds, oldest first, then report (nil for
// none). Each spooled file is deleted only after the collector has
// taken it (200 or 201); one it refuses (4xx) is moved to rejected/ and
// the next is sent. When the collector cannot be reached, sending stops
// and report joins the spool. The error is of the spool itself (a
// report that could not be kept): then report is neither sent nor kept.
func Deliver(ctx context.Context, c *Client, s Spool, report []byte, now time.Time) (Delivery, error) {
	var d Delivery
	pending, err := s.Pending()
	if err != nil {
		return d, err
	}
	for i, path := range pending {
		data, err := regular.ReadFile(path, maxSpooled, "a spooled report")
		if errors.Is(err, fs.ErrNotExist) {
			continue // sent meanwhile by another run
		}
		if err != nil {
			return d, fmt.Errorf("spool: %w", err)
		}
		sent, err := c.Send(ctx, data)
		var rej *RejectedError
		var un *UnreachableError
		switch {
		case errors.As(err, &rej):
			to, err := s.reject(path)
			if err != nil {
				return d, err
			}
			d.Rejected = append(d.Rejected, Rejection{Path: to, Err: rej})
			continue
		case errors.As(err, &un):
			d.Unreachable = un
			d.Waiting = len(pending) - i
		case err != nil:
			return d, err
		default:
			if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
				// Sent again by the next run, it is answered "already
				// stored": nothing is doubled.
				return d, fmt.Errorf("spool: %w", err)
			}
			d.Flushed = append(d.Flushed, sent)
			continue
		}
		break
	}
	if report == nil {
		return d, nil
	}
	if d.Unreachable == nil && ctx.Err() == nil {
		sent, err := c.Send(ctx, report)
		var rej *RejectedError
		switch {
		case err == nil:
			d.Sent = &sent
			return d, nil
		case errors.As(err, &rej):
			to, err := put(filepath.Join(s.Dir, RejectedDir), report, now)
			if err != nil {
				return d, err
			}
			d.Rejected = append(d.Rejected, Rejection{Path: to, Err: rej})
			return d, nil
		case !errors.As(err, &d.Unreachable):
			return d, err
		}
	}
	if d.Unreachable == nil {
		d.Unreachable = &UnreachableError{URL: c.URL(), Err: context.Cause(ctx)}
	}
	path, err := s.Put(report, now)
	if err != nil {
		return d, err
	}
	d.Spooled = path
	d.Waiting++
	return d, nil
}
