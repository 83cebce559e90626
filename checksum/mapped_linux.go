package checksum

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"

	"golang.org/x/sys/unix"
)

// A file whose pages are all in the page cache may be hashed from a
// mapping of it, a window at a time, instead of read: a read copies every
// page into the buffer before the hash sees it, which on some machines
// costs the core a tenth of its hashing time (Zen 1 under KVM, the 400 MB
// file: 50 ms of system time read, 5–12 ms mapped), and on a run whose
// cores are all busy that is a tenth of the run. On others the hash reads
// mapped pages at half the rate it reads a buffer (Zen 5 under KVM: the
// kit's hash -c 455 ms copied, 657 ms mapped), so each run times the
// first mebibyte of its first large cached files both ways (trial.go).
const (
	// mapWindow is how much of a file is mapped at once: the mapping
	// counts in the process's resident set while it lasts.
	mapWindow = 8 << 20
	// mapPiece is how much of a file the mapping trial times either
	// way; files smaller are not timed.
	mapPiece = 1 << 20
	// minMapped is the smallest file mapped: below it the mapping's
	// system calls (fstat, cachestat, mmap, munmap, fstat) cost about
	// what the copy would (hash -c of the kit, best of 11: 607 ms
	// mapping from 64 KiB, 570 from 256 KiB, 578 from 1 MiB).
	minMapped = 256 << 10
)

// errFault is a page of a mapped file that could not be read while the
// file kept its size: the disk failed under a page the kernel had
// dropped meanwhile.
var errFault = fmt.Errorf("a page of the file could not be read: %w", unix.EIO)

// copyMapped hashes rd's file into m from a mapping, from its start, when
// that is possible and pays: rd is a regular file of size bytes, fstat
// says so, all of it is cached, no page cache is spared (--nice), every
// algorithm hashes on this goroutine (a fault is caught only here), no
// core is free, and the run's trial chose the mapping (or times this
// file's first mebibyte mapped). A free core reads a large file ahead
// (ahead.go), which costs its worker nothing, and the hash then reads a
// buffer in cache rather than pages it has to look up (400 MB alone:
// best of 25, 367 ms read ahead, 390 ms mapped). So a file mapped while
// every core had work is handed to the reads once one is free, a window
// at a time; and a file larger than its worker's share of the run, which
// the run waits for alone at the end, is read from the start, its reads
// shared with the other workers between their files (the kit80 of
// bench/run: best of 15, 388 ms read, 409 ms mapped).
//
// end says whether the file was hashed to its end, or failed; if not,
// the first n bytes were hashed (done, if none) and the file's offset is
// n, for copy's reads to go on from.
//
// The bytes hashed are those a read of the same moment would give. A file
// that changes size meanwhile is a ChangedError, as for the read: one
// that shrinks faults where its pages end (caught, then fstat says how),
// or reads zeros in its last page (fstat after the hash says so), and one
// that grows is seen by the same fstat.
func (w *worker) copyMapped(ctx context.Context, rd io.Reader, m *Multi, size, done int64) (n int64, end bool, err error) {
	s, isFD := rd.(*fdSource)
	if !isFD || done != 0 || size < minMapped || w.opt.Spare != nil || w.opt.readAll || m.lends ||
		w.lanes.spare() || w.lanes != nil && size > w.lanes.fair {
		return done, false, nil
	}
	// The trial first: once it has chosen the copy, a file costs no
	// system call to ask whether it could be mapped.
	inPlace, timed := w.mapped.pick(size)
	if !inPlace && !timed {
		return done, false, nil
	}
	var st unix.Stat_t
	if unix.Fstat(s.fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || st.Size != size ||
		!inCache(s.fd, size, int64(os.Getpagesize())) {
		if timed {
			w.mapped.trial.untimed(inPlace)
		}
		return done, false, nil
	}
	if timed {
		if n, end, err = w.timePiece(s, m, size, inPlace); end || !inPlace || n == 0 {
			return n, end, err
		}
		// The rest of the file is read unless the trial has chosen
		// the mapping meanwhile: the piece was the trial's, and where
		// the mapping loses, it would lose most on the large files
		// the trial takes its pieces from.
		if !w.mapped.chosen() {
			if _, err := s.Seek(n, io.SeekStart); err != nil {
				return n, true, err
			}
			return n, false, nil
		}
	}
	for n < size {
		if err := ctx.Err(); err != nil {
			return n, true, err
		}
		if n > 0 && w.lanes.spare() && w.readsAhead(m, size, n) {
			if _, err := s.Seek(n, io.SeekStart); err != nil {
				return n, true, err
			}
			return n, false, nil
		}
		k := min(size-n, mapWindow)
		b, err := unix.Mmap(s.fd, n, int(k), unix.PROT_READ, unix.MAP_SHARED|unix.MAP_POPULATE)
		if err != nil {
			if n == 0 {
				return done, false, nil // the file system cannot map: read it
			}
			return n, true, err
		}
		// A buffer's worth at a time, as the reads go, so that another
		// worker's large file gets its reads made between them.
		for off := 0; off < len(b) && err == nil; off += len(w.buf) {
			w.lanes.help()
			err = hashPages(m, b[off:min(off+len(w.buf), len(b))])
		}
		unix.Munmap(b)
		if err != nil {
			return n, true, s.changed(size, n, err)
		}
		n += k
		if w.opt.Progress != nil {
			w.opt.Progress(k)
		}
	}
	if err := s.changed(size, n, nil); err != nil {
		return n, true, err
	}
	w.mapped.add(n)
	return n, true, nil
}

// timePiece hashes the first mapPiece bytes of a file that could be
// mapped, from a mapping (inPlace) or read, as the mapping trial asks,
// and times it for the trial. n == 0 and !end: the file could not be
// mapped, and is to be read; else as copyMapped (read: the file's offset
// at n; mapped: copyMapped's loop goes on from n).
func (w *worker) timePiece(s *fdSource, m *Multi, size int64, inPlace bool) (n int64, end bool, err error) {
	clock := startClock()
	if inPlace {
		b, err := unix.Mmap(s.fd, 0, mapPiece, unix.PROT_READ, unix.MAP_SHARED|unix.MAP_POPULATE)
		if err != nil {
			clock.stop()
			w.mapped.trial.untimed(true)
			return 0, false, nil
		}
		err = hashPages(m, b)
		unix.Munmap(b)
		if err != nil {
			clock.stop()
			w.mapped.trial.untimed(true)
			return 0, true, s.changed(size, 0, err)
		}
	} else {
		for n < mapPiece {
			k, err := io.ReadFull(s, w.buf[:min(int64(len(w.buf)), mapPiece-n)])
			m.Write(w.buf[:k])
			n += int64(k)
			if err != nil {
				// Cut short, or failed: the reads see it again and
				// say how, and another file takes the trial's piece.
				clock.stop()
				w.mapped.trial.untimed(false)
				return n, false, nil
			}
		}
	}
	w.mapped.trial.record(inPlace, clock.stop(), mapPiece)
	if w.opt.Progress != nil {
		w.opt.Progress(mapPiece)
	}
	return mapPiece, false, nil
}

// changed is the error of a mapped file of size bytes once n were hashed:
// a ChangedError if fstat now gives another size, else err.
func (s *fdSource) changed(size, n int64, err error) error {
	var st unix.Stat_t
	if e := unix.Fstat(s.fd, &st); e != nil {
		return e
	}
	if st.Size != size {
		return &ChangedError{Before: size, After: st.Size, Read: n}
	}
	return err
}

// hashPages writes the mapped b to m, turning a fault (a page gone with
// the end of a shrunk file, or one the disk failed to give) into errFault
// rather than a crash.
func hashPages(m *Multi, b []byte) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			var fault interface{ Addr() uintptr }
			if re, ok := r.(runtime.Error); !ok || !errors.As(re, &fault) {
				panic(r)
			}
			err = errFault
		}
	}()
	m.Write(b)
	return nil
}

// pick says whether a cached file of size bytes is mapped, and whether
// its first mapPiece bytes are timed for the trial. A worker outside a
// run (a test's) maps what it can, untimed.
func (p *mapping) pick(size int64) (inPlace, timed bool) {
	if p == nil {
		return true, false
	}
	inPlace, timed = p.trial.pick()
	if timed && size < mapPiece {
		p.trial.untimed(inPlace)
		return false, false
	}
	return inPlace, timed
}

// chosen says whether the run's trial has chosen the mapping yet.
func (p *mapping) chosen() bool {
	t := p.trial
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.decided && t.yes
}

// add counts a file of n bytes hashed in place.
func (p *mapping) add(n int64) {
	if p != nil {
		p.files.Add(1)
		p.bytes.Add(n)
	}
}
