package checksum

import (
	"context"
	"fmt"
	"io/fs"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A batch of small files goes through the worker's ring: each file opened
// into a direct descriptor, read whole into its slot, probed for a byte
// past the size its table says (or a stat before the open found), and
// closed, the four linked, the batch
// submitted with one system call. Only a file that is plainly what its
// table says (as many bytes as expected, and nothing after them) is
// settled there: a read through a ring may stop short where the page cache
// does (on a file system that cannot read without blocking), which a plain
// read never does before the end. Any other file (one that failed to open
// or read, or is shorter or longer than its table says) is left to
// hashFile, which reads it the common way and says what is wrong in the
// common words.

// ringSlot is the read size of each file of a batch: files expected
// smaller go through the ring.
const ringSlot = 64 << 10

// ringWorker is a worker's ring and its buffers.
type ringWorker struct {
	r *ring
	// bufs holds ringBatch slots of ringSlot bytes, mapped apart from the
	// Go heap: should the ring break with reads in flight, they stay
	// mapped, and nothing else can ever be written by the kernel.
	bufs  []byte
	names []byte // the batch's paths, NUL-terminated
	// gen numbers the batches: a completion of an earlier one, should
	// one come late, is told apart and ignored.
	gen   uint32
	state [ringBatch]uint8 // what came back for each file: slotRead, slotProbed, slotOpenFailed
	res   [ringBatch]int32 // the read's result
	probe [ringBatch]int32 // the probe's result: 0 at the end of the file
	// failed says the ring could not be set up or broke, err why: the
	// worker's files go the common way from then on.
	failed bool
	err    error
}

// ringEligible says whether j, of the mode and size its caller or a stat
// gave, can go through a ring: a regular file expected to fit in a slot,
// either listed by a table (read without an fstat) or named by the user
// and found regular and not empty by the stat before (an empty one could
// be a device that took its place and reads as nothing; the common way
// tells it apart). A file the ring reads as other than its stat said is
// left to the common way, which fstat's the open file.
func ringEligible(j *Job, mode fs.FileMode, size int64) bool {
	switch j.from {
	case byTable:
		return j.size < ringSlot
	case byName:
		return mode.IsRegular() && size > 0 && size < ringSlot
	}
	return false
}

// ringReady sets the worker's ring up, once; the error says it cannot be
// had. The trial calls it before it times a batch, so that the set-up
// (and the buffers' first touch: they are populated here) is not counted
// against the ring.
func (w *worker) ringReady() error {
	rw := &w.ring
	if rw.failed {
		return rw.err
	}
	if rw.r != nil {
		return nil
	}
	r, err := newRing(4*ringBatch, ringBatch)
	if err != nil {
		rw.failed, rw.err = true, err
		return err
	}
	bufs, err := unix.Mmap(-1, 0, ringBatch*ringSlot, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANONYMOUS|unix.MAP_POPULATE)
	if err != nil {
		r.close()
		rw.failed, rw.err = true, fmt.Errorf("io_uring buffers: %w", err)
		return rw.err
	}
	rw.r, rw.bufs = r, bufs
	return nil
}

// hashBatch hashes the jobs ks of jobs (at most ringBatch), of the sizes
// and modes given (indexed as jobs), into out; ok[i] false leaves ks[i] to
// the caller. The error says the ring cannot be had (set up, or broken).
func (w *worker) hashBatch(ctx context.Context, jobs []Job, sizes []int64, modes []fs.FileMode, ks []int, out []Result, ok []bool) error {
	if err := w.ringReady(); err != nil {
		return err
	}
	rw := &w.ring
	// The paths first, all of them: the buffer must not move once the
	// kernel has its addresses.
	rw.names = rw.names[:0]
	var at [ringBatch]int32
	var starts [ringBatch]int
	for i, k := range ks {
		fd, name := w.dirs.at(jobs[k].Path)
		at[i], starts[i] = int32(fd), len(rw.names)
		rw.names = append(append(rw.names, name...), 0)
	}
	r := rw.r
	rw.gen++
	tag := func(i int, op uint64) uint64 { return uint64(rw.gen)<<32 | uint64(i)<<3 | op }
	// With a Spare, each file is opened here rather than by the ring:
	// mincore needs a mapping, and a mapping a descriptor of the
	// process's own. The ring still reads; the pages not cached before
	// are dropped once both reads are back.
	sp := w.opt.Spare
	var fds [ringBatch]int
	var release [ringBatch]func()
	if sp != nil {
		defer func() {
			for i := range ks {
				if fds[i] >= 0 {
					release[i]()
					unix.Close(fds[i])
				}
			}
		}()
	}
	subs, opened, ended := 0, 0, 0
	for i, k := range ks {
		j := &jobs[k]
		flags := unix.O_RDONLY | unix.O_NOATIME | unix.O_NONBLOCK
		if j.noFollow() {
			flags |= unix.O_NOFOLLOW
		}
		rw.res[i], rw.probe[i], rw.state[i] = 0, 0, 0
		fixed, fd := uint8(uringSQEFixedFile), int32(i)
		if sp != nil {
			n, err := openFD(w.dirs, j.Path, flags&^(unix.O_RDONLY|unix.O_NOATIME))
			if err != nil {
				fds[i] = -1
				rw.state[i] = slotOpenFailed // hashFile says why
				ended++
				continue
			}
			fds[i], release[i] = n, sp.holdFD(n)
			fixed, fd = 0, int32(n)
		} else {
			o := r.sqe()
			o.Opcode, o.Flags, o.Fd = uringOpOpenat, uringSQEIOLink|uringSQECQESkipSuccess, at[i]
			o.Addr = uint64(uintptr(unsafe.Pointer(&rw.names[starts[i]])))
			o.OpFlags = uint32(flags)
			o.FileIndex = uint32(i + 1)
			o.UserData = tag(i, uringOpenDone)
			subs++
		}
		opened++
		// A read shorter than asked is not a failure of the link: hard
		// links let the probe and the close run whatever it returns.
		rd := r.sqe()
		rd.Opcode, rd.Flags, rd.Fd = uringOpRead, fixed|uringSQEIOHardlink, fd
		rd.Addr = uint64(uintptr(unsafe.Pointer(&rw.bufs[i*ringSlot])))
		rd.Len = ringSlot
		rd.UserData = tag(i, uringReadDone)
		// One byte where the file should end: 0 says it does.
		pr := r.sqe()
		pr.Opcode, pr.Flags, pr.Fd = uringOpRead, fixed, fd
		if sp == nil {
			pr.Flags |= uringSQEIOHardlink
		}
		pr.Addr = uint64(uintptr(unsafe.Pointer(&rw.bufs[i*ringSlot+int(sizes[k])])))
		pr.Len, pr.Off = 1, uint64(sizes[k])
		pr.UserData = tag(i, uringProbeDone)
		subs += 2
		if sp != nil {
			continue // closed here, once read
		}
		c := r.sqe()
		c.Opcode, c.Flags = uringOpClose, uringSQECQESkipSuccess
		c.FileIndex = uint32(i + 1)
		c.UserData = tag(i, uringCloseDone)
		subs++
	}
	// A file is done when both its reads have come back, or its open
	// has failed (the kernel then skips the completions of the rest of
	// the link, as it does after a failed head whose success it was told
	// to skip). A close's failure, if any, is of no interest.
	var err error
	if opened > 0 {
		err = r.submit(uint32(subs), uint32(opened)) // at least one each
	}
	for err == nil && ended < len(ks) {
		r.reap(func(e uringCQE) {
			i := int(e.UserData>>3) & (ringBatch - 1)
			if uint32(e.UserData>>32) != rw.gen || i >= len(ks) || slotDone(rw.state[i]) {
				return
			}
			switch e.UserData & 7 {
			case uringOpenDone:
				rw.state[i] |= slotOpenFailed
			case uringReadDone:
				rw.state[i] |= slotRead
				rw.res[i] = e.Res
			case uringProbeDone:
				rw.state[i] |= slotProbed
				rw.probe[i] = e.Res
			}
			if slotDone(rw.state[i]) {
				ended++
			}
		})
		if ended >= len(ks) {
			break
		}
		err = r.submit(0, 1)
	}
	if err != nil {
		// The ring may not have finished with the buffers: they are
		// never used or unmapped again, and the files are read the
		// common way.
		rw.failed, rw.err = true, fmt.Errorf("io_uring broke: %w", err)
		return rw.err
	}
	for i, k := range ks {
		j := &jobs[k]
		n := rw.res[i]
		if rw.state[i] != slotRead|slotProbed || int64(n) != sizes[k] || rw.probe[i] != 0 || ctx.Err() != nil {
			continue
		}
		if w.opt.Started != nil {
			w.opt.Started(j.Path)
		}
		m := w.use(j.Algs)
		m.Reset()
		m.Write(rw.bufs[i*ringSlot : i*ringSlot+int(n)])
		if w.opt.Progress != nil {
			w.opt.Progress(int64(n))
		}
		if w.opt.Finished != nil {
			w.opt.Finished(j.Path)
		}
		mode := j.mode // a table's file: none, as documented at Expected
		if j.from == byName {
			mode = modes[k] // the stat's before the open
		}
		out[i] = Result{Path: j.Path, Size: int64(n), Mode: mode, Sums: m.Sums()}
		ok[i] = true
	}
	return nil
}

// What a completion's user data says: the batch, the slot, the operation.
const (
	uringOpenDone = iota
	uringReadDone
	uringProbeDone
	uringCloseDone
)

// What came back for a slot of the batch.
const (
	slotRead = 1 << iota
	slotProbed
	slotOpenFailed
)

func slotDone(s uint8) bool {
	return s&slotOpenFailed != 0 || s&(slotRead|slotProbed) == slotRead|slotProbed
}

// closeRing releases the worker's ring; the buffers too, unless the ring
// broke (see ringWorker.bufs).
func (w *worker) closeRing() {
	rw := &w.ring
	if rw.r == nil {
		return
	}
	rw.r.close()
	if !rw.failed {
		unix.Munmap(rw.bufs)
	}
	rw.r, rw.bufs = nil, nil
}
