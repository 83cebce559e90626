package checksum

import (
	"context"
	"os"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Reading ahead of the queue on a cold tree. A worker that opens a file
// out of the page cache waits for its first read before it hashes a
// byte: on a kit's thousand files of 64 KiB to 8 MiB, one wait after the
// other on each worker, the cold check took twice its warm time although
// the disk was faster than the hashing. While the workers hash, a
// prefetcher asks the kernel (POSIX_FADV_WILLNEED) for the first bytes
// of the next files they will take, a few files ahead, so that those
// reads are in flight together and done by the time a worker opens the
// file. The files the ring takes are left to it (it keeps its own reads
// in flight), and so is a tree on one rotational disk (one stream in the
// files' order) and a check that keeps the page cache as it found it
// (--nice: what was cached before it read is what it keeps).
//
// On a warm tree the prefetcher costs an open, an fstat and a cachestat
// a file; it stops once prefetchWarm files in a row were in the page
// cache already, and takes the rest of the tree as warm too.

const (
	// prefetchFiles is how many files the prefetcher keeps asked for
	// ahead of the workers: enough for the disk to work on several at
	// once, few enough that what it reads is hashed before the page
	// cache needs the memory back.
	prefetchFiles = 16
	// prefetchBytes is the most asked for of one file: a larger file's
	// read-ahead is the kernel's own as the worker reads it in order.
	prefetchBytes = 8 << 20
	// prefetchWarm is how many files found cached in a row stop it: no
	// more than it looks at ahead of the workers, or on a warm tree it
	// would go on looking at every file as they take it.
	prefetchWarm = prefetchFiles
)

// prefetcher is a run's reading ahead of the queue.
type prefetcher struct {
	// moved wakes the prefetcher when a worker takes a job.
	moved chan struct{}
	// asked counts the files whose first bytes were asked for; warm
	// says the prefetcher stopped on finding the tree cached.
	asked atomic.Int64
	warm  atomic.Bool
}

// newPrefetcher returns the run's prefetcher, nil where it has none.
func newPrefetcher(opt Options, dev device, plain, workers int) *prefetcher {
	if opt.Spare != nil || dev.oneStream() || plain <= workers {
		return nil
	}
	return &prefetcher{moved: make(chan struct{}, 1)}
}

// took tells the prefetcher that a worker took a job.
func (p *prefetcher) took() {
	if p == nil {
		return
	}
	select {
	case p.moved <- struct{}{}:
	default: // a wake-up is pending already
	}
}

// run asks for the plain jobs' files in the workers' order, at most
// prefetchFiles ahead of them, until they have taken every plain job,
// ctx is done or the tree is found warm.
func (p *prefetcher) run(ctx context.Context, s *schedule) {
	next := 0
	cachedInARow := 0
	pageSize := int64(os.Getpagesize())
	for ctx.Err() == nil {
		// Each worker takes its first file at once: those are never
		// asked for.
		taken := max(int(min(s.next.Load(), int64(s.small))), s.workers)
		next = max(next, taken)
		if next >= s.small {
			return
		}
		if next-taken >= prefetchFiles {
			select {
			case <-p.moved:
			case <-ctx.Done():
			}
			continue
		}
		i := s.order[next]
		next++
		if !s.modes[i].IsRegular() || s.sizes[i] <= 0 {
			continue
		}
		n := min(s.sizes[i], prefetchBytes)
		cached, err := adviseWillNeed(s.dirs, s.jobs[i], n, pageSize)
		switch {
		case err != nil:
			// The worker's own open and fstat say what is wrong.
		case cached:
			if cachedInARow++; cachedInARow == prefetchWarm {
				p.warm.Store(true)
				return
			}
		default:
			cachedInARow = 0
			p.asked.Add(1)
		}
	}
}

// addTo adds what the prefetcher did to t, for -v.
func (p *prefetcher) addTo(t *tally) {
	if p != nil {
		t.asked += p.asked.Load()
		t.warm = t.warm || p.warm.Load()
	}
}

// adviseWillNeed opens j's file as a worker opens it and, unless its
// first n bytes are all in the page cache (cached), asks the kernel to
// read them. Anything but a regular file is closed unread.
func adviseWillNeed(dirs *dirCache, j Job, n, pageSize int64) (cached bool, err error) {
	// Not a special file's job: the open never waits on a FIFO put in a
	// file's place.
	f, err := openSource(dirs, j.Path, false, j.noFollow())
	if err != nil {
		return false, err
	}
	defer f.Close()
	mode, _, err := f.info()
	if err != nil {
		return false, err
	}
	if !mode.IsRegular() {
		return false, ErrSpecial
	}
	fd := f.(*fdSource).fd
	if inCache(fd, n, pageSize) {
		return true, nil
	}
	return false, unix.Fadvise(fd, 0, n, unix.FADV_WILLNEED)
}

// inCache says whether the first n bytes of fd are in the page cache:
// by cachestat (Linux 6.5), or before it by whether the last of those
// bytes can be read without waiting for the disk (RWF_NOWAIT): read-ahead
// brings a file in from its start, so the last byte's page is the one
// missing from a file half read.
func inCache(fd int, n, pageSize int64) bool {
	var cs unix.Cachestat_t
	switch err := unix.Cachestat(uint(fd), &unix.CachestatRange{Off: 0, Len: uint64(n)}, &cs, 0); err {
	case nil:
		return int64(cs.Cache) >= (n+pageSize-1)/pageSize
	case unix.ENOSYS:
		return readsNoWait(fd, n-1)
	}
	return false
}

// readsNoWait says whether the byte at off of fd is read without waiting
// for the disk.
func readsNoWait(fd int, off int64) bool {
	var b [1]byte
	got, err := unix.Preadv2(fd, [][]byte{b[:]}, off, unix.RWF_NOWAIT)
	return err == nil && got == 1
}
