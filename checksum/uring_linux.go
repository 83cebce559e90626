package checksum

import (
	"errors"
	"fmt"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// An io_uring, as little of it as the engine needs: a batch of small files
// is opened, read and closed with one system call instead of three per
// file. In a virtual machine, where every kernel entry is dear, that is a
// third of the time on a tree of 100,000 small modules. No maintained Go
// package for io_uring is at hand; the kernel's interface is small enough
// to speak directly (include/uapi/linux/io_uring.h).

// The kernel's structures, laid out as in io_uring.h.
type uringSQOffsets struct {
	Head, Tail, RingMask, RingEntries, Flags, Dropped, Array, Resv1 uint32
	UserAddr                                                        uint64
}

type uringCQOffsets struct {
	Head, Tail, RingMask, RingEntries, Overflow, CQEs, Flags, Resv1 uint32
	UserAddr                                                        uint64
}

type uringParams struct {
	SQEntries, CQEntries, Flags, SQThreadCPU, SQThreadIdle, Features, WQFd uint32
	Resv                                                                   [3]uint32
	SQOff                                                                  uringSQOffsets
	CQOff                                                                  uringCQOffsets
}

type uringSQE struct {
	Opcode      uint8
	Flags       uint8
	Ioprio      uint16
	Fd          int32
	Off         uint64
	Addr        uint64
	Len         uint32
	OpFlags     uint32
	UserData    uint64
	BufIndex    uint16
	Personality uint16
	FileIndex   uint32
	Addr3       uint64
	_           uint64
}

type uringCQE struct {
	UserData uint64
	Res      int32
	Flags    uint32
}

type uringGeteventsArg struct {
	Sigmask   uint64
	SigmaskSz uint32
	_         uint32
	Ts        uint64
}

type uringRsrcRegister struct {
	Nr, Flags uint32
	_         uint64
	Data      uint64
	Tags      uint64
}

const (
	uringOpOpenat = 18
	uringOpClose  = 19
	uringOpRead   = 22

	uringSQEFixedFile       = 1 << 0
	uringSQEIOLink          = 1 << 2
	uringSQEIOHardlink      = 1 << 3
	uringSQECQESkipSuccess  = 1 << 6
	uringEnterGetEvents     = 1 << 0
	uringEnterExtArg        = 1 << 3
	uringFeatSingleMmap     = 1 << 0
	uringOffSQRing          = 0
	uringOffCQRing          = 0x8000000
	uringOffSQEs            = 0x10000000
	uringRegisterFiles2     = 13
	uringRsrcRegisterSparse = 1 << 0
)

// ring is one io_uring with a table of direct descriptors, owned by one
// worker.
type ring struct {
	fd             int
	sqTail, sqMask *uint32
	sqArray        []uint32
	sqes           []uringSQE
	cqHead, cqTail *uint32
	cqMask         *uint32
	cqes           []uringCQE
	tail           uint32 // the next submission's index, not yet published
	maps           [][]byte
	// wait is the argument of every wait, and the timeout it points to:
	// fields of the ring, in the heap, where they never move.
	wait    uringGeteventsArg
	timeout unix.Timespec
}

// newRing sets up a ring of at least entries submissions and a table of
// files direct descriptors. It fails where the kernel has no io_uring, or
// has it switched off, or lacks what the engine uses (Linux 5.19 and
// later have it all).
func newRing(entries, files uint32) (*ring, error) {
	var p uringParams
	fd, _, errno := unix.Syscall(unix.SYS_IO_URING_SETUP, uintptr(entries), uintptr(unsafe.Pointer(&p)), 0)
	if errno != 0 {
		return nil, fmt.Errorf("io_uring_setup: %w", errno)
	}
	r := &ring{fd: int(fd), timeout: unix.NsecToTimespec(int64(ringPatience))}
	r.wait.Ts = uint64(uintptr(unsafe.Pointer(&r.timeout)))
	if err := r.mapRings(&p); err != nil {
		r.close()
		return nil, err
	}
	reg := uringRsrcRegister{Nr: files, Flags: uringRsrcRegisterSparse}
	_, _, errno = unix.Syscall6(unix.SYS_IO_URING_REGISTER, uintptr(r.fd), uringRegisterFiles2,
		uintptr(unsafe.Pointer(&reg)), unsafe.Sizeof(reg), 0, 0)
	if errno != 0 {
		r.close()
		return nil, fmt.Errorf("io_uring_register: %w", errno)
	}
	return r, nil
}

func (r *ring) mapRings(p *uringParams) error {
	mmap := func(off int64, size uint32) ([]byte, error) {
		b, err := unix.Mmap(r.fd, off, int(size), unix.PROT_READ|unix.PROT_WRITE, unix.MAP_SHARED|unix.MAP_POPULATE)
		if err != nil {
			return nil, fmt.Errorf("io_uring mmap: %w", err)
		}
		r.maps = append(r.maps, b)
		return b, nil
	}
	sqSize := p.SQOff.Array + p.SQEntries*4
	cqSize := p.CQOff.CQEs + p.CQEntries*uint32(unsafe.Sizeof(uringCQE{}))
	single := p.Features&uringFeatSingleMmap != 0
	if single {
		sqSize = max(sqSize, cqSize)
	}
	sq, err := mmap(uringOffSQRing, sqSize)
	if err != nil {
		return err
	}
	cq := sq
	if !single {
		if cq, err = mmap(uringOffCQRing, cqSize); err != nil {
			return err
		}
	}
	sqes, err := mmap(uringOffSQEs, p.SQEntries*uint32(unsafe.Sizeof(uringSQE{})))
	if err != nil {
		return err
	}
	u32 := func(b []byte, off uint32) *uint32 { return (*uint32)(unsafe.Pointer(&b[off])) }
	r.sqTail, r.sqMask = u32(sq, p.SQOff.Tail), u32(sq, p.SQOff.RingMask)
	r.sqArray = unsafe.Slice(u32(sq, p.SQOff.Array), p.SQEntries)
	r.sqes = unsafe.Slice((*uringSQE)(unsafe.Pointer(&sqes[0])), p.SQEntries)
	r.cqHead, r.cqTail, r.cqMask = u32(cq, p.CQOff.Head), u32(cq, p.CQOff.Tail), u32(cq, p.CQOff.RingMask)
	r.cqes = unsafe.Slice((*uringCQE)(unsafe.Pointer(&cq[p.CQOff.CQEs])), p.CQEntries)
	r.tail = atomic.LoadUint32(r.sqTail)
	return nil
}

// sqe returns the next submission entry, zeroed. The caller never asks
// for more than the ring holds between two submits.
func (r *ring) sqe() *uringSQE {
	i := r.tail & *r.sqMask
	r.sqArray[i] = i
	r.tail++
	s := &r.sqes[i]
	*s = uringSQE{}
	return s
}

// submit publishes the n entries prepared and waits for at least wait
// completions, or less if a signal comes: the caller reaps and asks again.
// A wait longer than ringPatience is an error: the caller then gives up on
// the ring rather than hang on a completion that may never come.
func (r *ring) submit(n, wait uint32) error {
	atomic.StoreUint32(r.sqTail, r.tail)
	for {
		got, _, errno := unix.Syscall6(unix.SYS_IO_URING_ENTER, uintptr(r.fd), uintptr(n), uintptr(wait),
			uringEnterGetEvents|uringEnterExtArg, uintptr(unsafe.Pointer(&r.wait)), unsafe.Sizeof(r.wait))
		switch {
		case errno == unix.EINTR:
			continue // nothing was taken
		case errno != 0:
			return fmt.Errorf("io_uring_enter: %w", errno)
		case uint32(got) >= n:
			return nil
		case got == 0:
			return errRingShort
		}
		n -= uint32(got)
	}
}

// ringPatience is how long a wait for a batch's completions may take.
// Reads of small files take microseconds; a minute means something is
// wrong, and the files are better read the common way.
const ringPatience = time.Minute

// reap calls f with every completion there, and frees their places.
func (r *ring) reap(f func(uringCQE)) int {
	head, tail := atomic.LoadUint32(r.cqHead), atomic.LoadUint32(r.cqTail)
	n := 0
	for ; head != tail; head++ {
		f(r.cqes[head&*r.cqMask])
		n++
	}
	atomic.StoreUint32(r.cqHead, head)
	return n
}

func (r *ring) close() {
	for _, b := range r.maps {
		unix.Munmap(b)
	}
	unix.Close(r.fd)
}

var errRingShort = errors.New("io_uring: fewer submissions taken than given")
