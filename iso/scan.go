package iso

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/sverka/sverka/checksum"
)

// defaultBufSize is the size of each sequential read: large enough to keep
// an optical drive streaming and the syscall count low, small enough that
// the buffers in flight stay in cache between the reader and the hashers
// (4 MiB reads made the one pass over a DVD-sized image 12% slower). The
// pool holds 2 × workers + 4 of them, all fresh memory, which faults page
// by page: with 512 KiB instead of 1 MiB the pass over a 1.1 GB image
// took about 1,000 page faults, 35–40 ms of CPU and 8 ms of wall time
// less on two cores (perf stat -r 5, alternated twice); 256 KiB saved no
// more.
const defaultBufSize = 1 << 19

// ScanOptions tunes Scan.
type ScanOptions struct {
	// ImageAlgs are computed over the whole image; MemberAlgs over each
	// member. Either may be empty.
	ImageAlgs, MemberAlgs []*checksum.Algorithm
	// Workers is the number of goroutines hashing members (the whole-image
	// digests have their own); 0 means GOMAXPROCS.
	Workers int
	// BufSize is the size of each read; 0 means 512 KiB.
	BufSize int
	// Length is the number of bytes of the image to read and digest. 0
	// means the file's size for an image file, and the volume size for a
	// block device, whose size includes sectors the image file never had.
	// Verification sets it to the image size its formular records.
	Length int64
	// ImplantedMD5 also checks the implanted MD5 (isomd5sum) in the same
	// pass, when the image has one.
	ImplantedMD5 bool
	// Progress, if set, is called from the reading goroutine with the
	// number of bytes just read, as checksum.Options.Progress is, and
	// those of a gap skipped before them (see Scan).
	Progress func(n int64)
	// Extra are runs of bytes hashed in the same pass with ExtraAlgs,
	// each like a member's extents: what boots (the system area, the
	// boot catalog, the boot images), which no member need name.
	Extra     [][]Extent
	ExtraAlgs []*checksum.Algorithm
	// MostMember, if above 0, is the most bytes worth reading of one
	// member (checksum.MostWorthReading of the largest the tables list):
	// a longer member is not read, its MemberSum failing with a
	// *checksum.LongerError. The image is the checked kit's, so the
	// attacker's: a member of terabytes, from a directory record's word
	// alone, would otherwise hold the check for hours.
	MostMember int64
}

// MemberSum is one member's outcome.
type MemberSum struct {
	Sums [][]byte // one per MemberAlgs, nil when Err is set
	Read int64    // bytes hashed
	// Err is set when the member could not be read whole: beyond the end
	// of a truncated image, an I/O error, a zisofs-compressed file.
	Err error
}

// ScanResult is the outcome of Scan.
type ScanResult struct {
	// ImageSums are the digests of the ImageRead bytes read, one per
	// ImageAlgs. ImageRead less than Length means the image is short.
	ImageSums [][]byte
	ImageRead int64
	// Length is the number of bytes the pass meant to read.
	Length int64
	// ImageErr is the read error that ended the pass early, if any. A
	// truncated image is not an error: its file is shorter than
	// Image.VolumeSize, and ImageRead is short of Length when Length
	// asked for more than the file holds.
	ImageErr error
	// Members are in the order of Image.Members.
	Members []MemberSum
	// ImplantedMD5 is the implanted MD5 check when asked for, nil otherwise.
	ImplantedMD5 *MD5Check
	// Extra are in the order of ScanOptions.Extra.
	Extra []MemberSum
}

// ErrBeyondEnd is the error of a member whose bytes lie past the end of
// what could be read.
var ErrBeyondEnd = errors.New("beyond the end of the image")

// buffer is one read, shared by the image hasher and the member workers;
// the last to release it returns it to the pool.
type buffer struct {
	data []byte
	off  int64
	refs atomic.Int32
	pool chan *buffer
}

func (b *buffer) release() {
	if b.refs.Add(-1) == 0 {
		b.pool <- b
	}
}

// task is a piece of one buffer belonging to one member.
type task struct {
	member int
	buf    *buffer
	lo, hi int
	last   bool // the member's last byte
}

// segment is one extent of one member on the image, in pass order.
type segment struct {
	member      int
	off, end    int64
	first, last bool
}

// Scan reads the image once, from its start to Length, sequentially, and
// returns the digests of the whole image and of every member. The reading
// goroutine never seeks backwards; the whole-image digests are computed on
// one goroutine and the members are spread over the workers, a member
// always on the same worker so that its bytes stay in order. Memory is
// bounded by a pool of buffers.
//
// A member whose extents do not follow one another on the image (which no
// known mastering tool writes) is read afterwards, extent by extent.
//
// Where nothing digests the whole image (no ImageAlgs, and no implanted
// MD5 to check), only the members' bytes are wanted: the pass skips the
// gaps between them and ends with the last, so that a member placed far
// into a sparse file costs its own bytes only.
func (im *Image) Scan(ctx context.Context, opt ScanOptions) (*ScanResult, error) {
	if im.f == nil {
		return nil, errors.New("scan of a closed image")
	}
	adviseSequential(im.f)
	return scan(ctx, im, im.f, opt)
}

func scan(ctx context.Context, im *Image, r io.ReaderAt, opt ScanOptions) (*ScanResult, error) {
	var md5f *md5Feeder
	var unread *MD5Check
	if opt.ImplantedMD5 && im.Implanted != nil {
		md5f = newMD5Feeder(*im.Implanted, im.md5Blocks, im.pvdOffset)
		// Where only the implant has the whole file read, it is read if
		// that is worth it (notWorthReading), else left unread.
		if len(opt.ImageAlgs) == 0 && im.f != nil {
			if unread = md5f.notWorthReading(im.f); unread != nil {
				md5f = nil
			}
		}
	}
	p := newPass(im, r, opt)
	// Nothing digests the whole image: only the members' bytes are read,
	// the gaps between them skipped, so that a member placed far into a
	// sparse file does not cost the reading of everything before it.
	p.gaps = len(opt.ImageAlgs) == 0 && md5f == nil
	p.plan()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// A few buffers per hashing goroutine keep everyone busy while the
	// reader stays ahead; no more, so memory stays bounded.
	nbuf := 2*p.workers + 4
	pool := newPool(nbuf, p.bufSize)

	imageSum := checksum.NewMulti(opt.ImageAlgs)
	var wg sync.WaitGroup
	imageCh := make(chan *buffer, nbuf)
	wg.Go(func() { hashImage(ctx, imageCh, imageSum, md5f) })
	taskChs := make([]chan task, p.workers)
	for w := range taskChs {
		ch := make(chan task, 4*nbuf)
		taskChs[w] = ch
		wg.Go(func() { p.hashMembers(ctx, ch) })
	}

	off, readErr := p.read(ctx, pool, imageCh, newRouter(p.segs, len(p.members), taskChs))
	close(imageCh)
	for _, ch := range taskChs {
		close(ch)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	p.markUnread(off, readErr)
	if err := p.readLater(ctx, off); err != nil {
		return nil, err
	}
	res := &ScanResult{Length: p.length, ImageSums: imageSum.Sums(), ImageRead: off, ImageErr: readErr}
	switch {
	case unread != nil:
		res.ImplantedMD5 = unread
	case md5f != nil:
		res.ImplantedMD5 = md5f.result()
	case opt.ImplantedMD5:
		res.ImplantedMD5 = &MD5Check{} // absent
	}
	res.Members, res.Extra = p.sums[:p.nm:p.nm], p.sums[p.nm:]
	if len(opt.Extra) == 0 {
		res.Extra = nil
	}
	return res, nil
}

// pass is one Scan's plan and outcome: what to read, which member each
// extent belongs to, and the digests the goroutines fill in.
type pass struct {
	r       io.ReaderAt
	opt     ScanOptions
	workers int
	bufSize int
	length  int64
	// members are the image's members, then one per ScanOptions.Extra
	// run; nm is how many are the image's own.
	members []Member
	nm      int
	// sums has one slot per member; each slot is written by one
	// goroutine only: its worker, or this one before or after the pass.
	sums  []MemberSum
	segs  []segment // the extents read in the pass, in image order
	later []int     // members read after the pass, extent by extent
	// gaps says that only the members' bytes need reading: the pass
	// skips what lies between them and ends with the last.
	gaps bool
}

// newPass settles the pass's defaults: the workers, the size of a read,
// how much of the image to read, and the members with the extra runs.
func newPass(im *Image, r io.ReaderAt, opt ScanOptions) *pass {
	p := &pass{r: r, opt: opt, workers: opt.Workers, bufSize: opt.BufSize, length: opt.Length,
		members: im.Members, nm: len(im.Members)}
	if p.workers <= 0 {
		p.workers = runtime.GOMAXPROCS(0)
	}
	if p.bufSize <= 0 {
		p.bufSize = defaultBufSize
	}
	if p.length <= 0 {
		p.length = im.Size
		if im.Device && im.VolumeSize > 0 && im.VolumeSize < im.Size {
			p.length = im.VolumeSize
		}
	}
	// The extra runs are members of the pass past the image's own, with
	// their own algorithms.
	if len(opt.Extra) > 0 {
		p.members = slices.Clip(p.members)
		for _, ext := range opt.Extra {
			var n int64
			for _, e := range ext {
				n += e.Length
			}
			p.members = append(p.members, Member{Size: n, Extents: ext})
		}
	}
	p.sums = make([]MemberSum, len(p.members))
	return p
}

// algsOf is the algorithms of member i: the image's members take
// MemberAlgs, the extra runs ExtraAlgs.
func (p *pass) algsOf(i int) []*checksum.Algorithm {
	if i < p.nm {
		return p.opt.MemberAlgs
	}
	return p.opt.ExtraAlgs
}

// plan lists every extent of every member in image order, settles the
// members with nothing to read, and sets aside those a forward pass
// cannot serve.
func (p *pass) plan() {
	for i, m := range p.members {
		switch {
		case m.Zisofs:
			p.sums[i].Err = errors.New("stored zisofs-compressed: the image does not hold its bytes as such")
		case i < p.nm && p.opt.MostMember > 0 && m.Size > p.opt.MostMember:
			p.sums[i].Err = &checksum.LongerError{Size: m.Size, Most: p.opt.MostMember}
		case len(m.Extents) == 0:
			p.sums[i].Sums = checksum.NewMulti(p.algsOf(i)).Sums()
		case !ascending(m.Extents):
			p.later = append(p.later, i)
		default:
			for j, e := range m.Extents {
				p.segs = append(p.segs, segment{member: i, off: e.Offset, end: e.Offset + e.Length,
					first: j == 0, last: j == len(m.Extents)-1})
			}
		}
	}
	sort.SliceStable(p.segs, func(a, b int) bool { return p.segs[a].off < p.segs[b].off })
	if p.gaps {
		var end int64
		for _, sg := range p.segs {
			end = max(end, sg.end)
		}
		for _, i := range p.later {
			for _, e := range p.members[i].Extents {
				end = max(end, e.Offset+e.Length)
			}
		}
		p.length = min(p.length, end)
	}
}

// newPool makes n buffers of size bytes, each returning itself to the pool
// when released.
func newPool(n, size int) chan *buffer {
	pool := make(chan *buffer, n)
	for range n {
		pool <- &buffer{data: make([]byte, size), pool: pool}
	}
	return pool
}

// hashImage is the goroutine of the whole-image digests and the implanted
// MD5: it takes every buffer in image order. After cancellation it only
// releases them, so that the reader never waits on it.
func hashImage(ctx context.Context, ch <-chan *buffer, sum *checksum.Multi, md5f *md5Feeder) {
	for b := range ch {
		if ctx.Err() == nil {
			sum.Write(b.data)
			if md5f != nil {
				md5f.write(b.data)
			}
		}
		b.release()
	}
}

// hashMembers is one worker: it hashes the pieces of the members the
// router gave it, each member's in order, from its first byte to its last.
// Digest states are reused from member to member, within the image's own
// members, whose algorithms are all the same.
func (p *pass) hashMembers(ctx context.Context, ch <-chan task) {
	open := map[int]*memberState{}
	var free []*checksum.Multi
	for t := range ch {
		if ctx.Err() != nil {
			t.buf.release()
			continue
		}
		st := open[t.member]
		if st == nil {
			var mu *checksum.Multi
			if n := len(free); n > 0 && t.member < p.nm {
				mu, free = free[n-1], free[:n-1]
				mu.Reset()
			} else {
				mu = checksum.NewMulti(p.algsOf(t.member))
			}
			st = &memberState{sum: mu}
			open[t.member] = st
		}
		st.sum.Write(t.buf.data[t.lo:t.hi])
		st.read += int64(t.hi - t.lo)
		t.buf.release()
		if t.last {
			p.sums[t.member] = MemberSum{Sums: st.sum.Sums(), Read: st.read}
			if t.member < p.nm {
				free = append(free, st.sum)
			}
			delete(open, t.member)
		}
	}
	// Members left open ran past the end of what was read.
	for i, st := range open {
		p.sums[i] = MemberSum{Read: st.read}
	}
}

// read is the reader: one goroutine (the caller's), offsets only
// increasing. It sends each buffer to the image hasher and its pieces to
// the members' workers, and returns how far it read and the read error
// that stopped it, if any; a short image is not an error.
func (p *pass) read(ctx context.Context, pool chan *buffer, imageCh chan<- *buffer, rt *router) (int64, error) {
	var off int64
	for off < p.length {
		if ctx.Err() != nil {
			break
		}
		from := off
		if p.gaps && len(rt.active) == 0 && rt.next < len(rt.segs) && rt.segs[rt.next].off > off {
			off = rt.segs[rt.next].off // nothing before it is wanted
		}
		var b *buffer
		select {
		case b = <-pool:
		case <-ctx.Done():
		}
		if b == nil {
			break
		}
		want := int(min(int64(p.bufSize), p.length-off))
		n, err := p.r.ReadAt(b.data[:want], off)
		if n == 0 {
			b.pool <- b
			if err != nil && err != io.EOF {
				return off, fmt.Errorf("reading at byte offset %d: %w", off, err)
			}
			break
		}
		b.data, b.off = b.data[:n], off
		end := off + int64(n)
		b.refs.Store(1) // the reader's own hold until every piece is sent
		b.refs.Add(1)
		imageCh <- b
		rt.route(b, off, end)
		b.release()
		if p.opt.Progress != nil {
			p.opt.Progress(end - from) // a gap skipped counts as passed
		}
		off = end
		if err != nil && err != io.EOF {
			return off, fmt.Errorf("reading at byte offset %d: %w", off, err)
		}
		if err == io.EOF || n < want {
			break
		}
	}
	return off, nil
}

// router hands the pieces of each buffer to the workers of the members
// they belong to. It assigns each member to one worker on its first byte;
// the worker keeps its digest state until its last byte.
type router struct {
	segs       []segment
	next       int       // the first segment the reader has not reached
	active     []segment // segments reached and not yet ended
	workerOf   []int
	nextWorker int
	taskChs    []chan task
}

func newRouter(segs []segment, members int, taskChs []chan task) *router {
	return &router{segs: segs, workerOf: make([]int, members), taskChs: taskChs}
}

// route sends the pieces of b, the bytes [off, end) of the image, each
// holding a reference to b.
func (rt *router) route(b *buffer, off, end int64) {
	for rt.next < len(rt.segs) && rt.segs[rt.next].off < end {
		rt.active = append(rt.active, rt.segs[rt.next])
		rt.next++
	}
	kept := rt.active[:0]
	for _, s := range rt.active {
		lo, hi := max(s.off, off), min(s.end, end)
		if lo < hi {
			if s.first && lo == s.off {
				rt.workerOf[s.member] = rt.nextWorker % len(rt.taskChs)
				rt.nextWorker++
			}
			b.refs.Add(1)
			rt.taskChs[rt.workerOf[s.member]] <- task{member: s.member, buf: b,
				lo: int(lo - off), hi: int(hi - off), last: s.last && hi == s.end}
		}
		if s.end > end {
			kept = append(kept, s)
		}
	}
	rt.active = kept
}

// markUnread gives every member of the pass whose bytes were not all read
// the reason: the read error, or the end of the image at off.
func (p *pass) markUnread(off int64, readErr error) {
	cause := error(ErrBeyondEnd)
	if readErr != nil {
		cause = readErr
	}
	for _, s := range p.segs {
		ms := &p.sums[s.member]
		if ms.Sums == nil && ms.Err == nil {
			m := p.members[s.member]
			last := m.Extents[len(m.Extents)-1]
			ms.Err = fmt.Errorf("bytes %d to %d: %w (%d bytes read)", m.Extents[0].Offset, last.Offset+last.Length, cause, off)
		}
	}
}

// readLater hashes the members a forward pass could not serve, up to off,
// where the pass found the image to end.
func (p *pass) readLater(ctx context.Context, off int64) error {
	for _, i := range p.later {
		if err := ctx.Err(); err != nil {
			return err
		}
		p.sums[i] = readMember(p.r, p.members[i], p.algsOf(i), off)
	}
	return nil
}

type memberState struct {
	sum  *checksum.Multi
	read int64
}

// ascending reports whether extents follow one another on the image, so a
// single forward pass meets them in the member's order.
func ascending(ext []Extent) bool {
	for i := 1; i < len(ext); i++ {
		if ext[i].Offset < ext[i-1].Offset+ext[i-1].Length {
			return false
		}
	}
	return true
}

// readMember hashes a member extent by extent, for the rare layout a
// forward pass cannot serve; limit is how far the image could be read.
func readMember(r io.ReaderAt, m Member, algs []*checksum.Algorithm, limit int64) MemberSum {
	mu := checksum.NewMulti(algs)
	var read int64
	for _, e := range m.Extents {
		if e.Offset+e.Length > limit {
			return MemberSum{Read: read, Err: fmt.Errorf("bytes %d to %d: %w (%d bytes read)", e.Offset, e.Offset+e.Length, ErrBeyondEnd, limit)}
		}
		n, err := io.Copy(mu, io.NewSectionReader(r, e.Offset, e.Length))
		read += n
		if err == nil && n < e.Length {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return MemberSum{Read: read, Err: fmt.Errorf("reading bytes %d to %d: %w", e.Offset, e.Offset+e.Length, err)}
		}
	}
	return MemberSum{Sums: mu.Sums(), Read: read}
}
