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
// (4 MiB reads made the one pass over a DVD-sized image 12% slower).
const defaultBufSize = 1 << 20

// ScanOptions tunes Scan.
type ScanOptions struct {
	// ImageAlgs are computed over the whole image; MemberAlgs over each
	// member. Either may be empty.
	ImageAlgs, MemberAlgs []*checksum.Algorithm
	// Workers is the number of goroutines hashing members (the whole-image
	// digests have their own); 0 means GOMAXPROCS.
	Workers int
	// BufSize is the size of each read; 0 means 1 MiB.
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
	// number of bytes just read, as checksum.Options.Progress is.
	Progress func(n int64)
	// Extra are runs of bytes hashed in the same pass with ExtraAlgs,
	// each like a member's extents: what boots (the system area, the
	// boot catalog, the boot images), which no member need name.
	Extra     [][]Extent
	ExtraAlgs []*checksum.Algorithm
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
func (im *Image) Scan(ctx context.Context, opt ScanOptions) (*ScanResult, error) {
	if im.f == nil {
		return nil, errors.New("scan of a closed image")
	}
	adviseSequential(im.f)
	return scan(ctx, im, im.f, opt)
}

func scan(ctx context.Context, im *Image, r io.ReaderAt, opt ScanOptions) (*ScanResult, error) {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	bufSize := opt.BufSize
	if bufSize <= 0 {
		bufSize = defaultBufSize
	}
	length := opt.Length
	if length <= 0 {
		length = im.Size
		if im.Device && im.VolumeSize > 0 && im.VolumeSize < im.Size {
			length = im.VolumeSize
		}
	}
	res := &ScanResult{Length: length}
	// The extra runs are members of the pass past the image's own, with
	// their own algorithms.
	members := im.Members
	if len(opt.Extra) > 0 {
		members = slices.Clip(members)
		for _, ext := range opt.Extra {
			var n int64
			for _, e := range ext {
				n += e.Length
			}
			members = append(members, Member{Size: n, Extents: ext})
		}
	}
	nm := len(im.Members)
	algsOf := func(i int) []*checksum.Algorithm {
		if i < nm {
			return opt.MemberAlgs
		}
		return opt.ExtraAlgs
	}
	sums := make([]MemberSum, len(members))

	// Plan the pass: every extent of every member, in image order.
	var segs []segment
	var later []int // members read after the pass
	for i, m := range members {
		switch {
		case m.Zisofs:
			sums[i].Err = errors.New("stored zisofs-compressed: the image does not hold its bytes as such")
		case len(m.Extents) == 0:
			mu := checksum.NewMulti(algsOf(i))
			sums[i].Sums = mu.Sums()
		case !ascending(m.Extents):
			later = append(later, i)
		default:
			for j, e := range m.Extents {
				segs = append(segs, segment{member: i, off: e.Offset, end: e.Offset + e.Length,
					first: j == 0, last: j == len(m.Extents)-1})
			}
		}
	}
	sort.SliceStable(segs, func(a, b int) bool { return segs[a].off < segs[b].off })

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// A few buffers per hashing goroutine keep everyone busy while the
	// reader stays ahead; no more, so memory stays bounded.
	nbuf := 2*workers + 4
	pool := make(chan *buffer, nbuf)
	for range nbuf {
		pool <- &buffer{data: make([]byte, bufSize), pool: pool}
	}

	var wg sync.WaitGroup
	imageCh := make(chan *buffer, nbuf)
	var md5f *md5Feeder
	if opt.ImplantedMD5 && im.Implanted != nil {
		md5f = newMD5Feeder(*im.Implanted, im.md5Blocks, im.pvdOffset)
	}
	imageSum := checksum.NewMulti(opt.ImageAlgs)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for b := range imageCh {
			if ctx.Err() == nil {
				imageSum.Write(b.data)
				if md5f != nil {
					md5f.write(b.data)
				}
			}
			b.release()
		}
	}()

	// workerOf assigns each member to one worker on its first byte; the
	// worker keeps its digest state until its last byte.
	workerOf := make([]int, len(members))
	taskChs := make([]chan task, workers)
	for w := range taskChs {
		taskChs[w] = make(chan task, 4*nbuf)
		wg.Add(1)
		go func(ch chan task) {
			defer wg.Done()
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
					if n := len(free); n > 0 && t.member < nm {
						mu, free = free[n-1], free[:n-1]
						mu.Reset()
					} else {
						mu = checksum.NewMulti(algsOf(t.member))
					}
					st = &memberState{sum: mu}
					open[t.member] = st
				}
				st.sum.Write(t.buf.data[t.lo:t.hi])
				st.read += int64(t.hi - t.lo)
				t.buf.release()
				if t.last {
					// Each member's slot is written by its one worker only.
					sums[t.member] = MemberSum{Sums: st.sum.Sums(), Read: st.read}
					if t.member < nm {
						free = append(free, st.sum)
					}
					delete(open, t.member)
				}
			}
			// Members left open ran past the end of what was read.
			for i, st := range open {
				sums[i] = MemberSum{Read: st.read}
			}
		}(taskChs[w])
	}

	// The reader: one goroutine (this one), offsets only increasing.
	var active []segment
	next, nextWorker := 0, 0
	var off int64
	var readErr error
	for off < length {
		if ctx.Err() != nil {
			break
		}
		var b *buffer
		select {
		case b = <-pool:
		case <-ctx.Done():
		}
		if b == nil {
			break
		}
		want := int(min(int64(bufSize), length-off))
		n, err := r.ReadAt(b.data[:want], off)
		if n == 0 {
			b.pool <- b
			if err != nil && err != io.EOF {
				readErr = fmt.Errorf("reading at byte offset %d: %w", off, err)
			}
			break
		}
		b.data, b.off = b.data[:n], off
		end := off + int64(n)
		b.refs.Store(1) // the reader's own hold until every piece is sent
		b.refs.Add(1)
		imageCh <- b
		for next < len(segs) && segs[next].off < end {
			active = append(active, segs[next])
			next++
		}
		kept := active[:0]
		for _, s := range active {
			lo, hi := max(s.off, off), min(s.end, end)
			if lo < hi {
				if s.first && lo == s.off {
					workerOf[s.member] = nextWorker % workers
					nextWorker++
				}
				b.refs.Add(1)
				taskChs[workerOf[s.member]] <- task{member: s.member, buf: b,
					lo: int(lo - off), hi: int(hi - off), last: s.last && hi == s.end}
			}
			if s.end > end {
				kept = append(kept, s)
			}
		}
		active = kept
		b.release()
		if opt.Progress != nil {
			opt.Progress(end - off)
		}
		off = end
		if err != nil && err != io.EOF {
			readErr = fmt.Errorf("reading at byte offset %d: %w", off, err)
			break
		}
		if err == io.EOF || n < want {
			break
		}
	}
	close(imageCh)
	for _, ch := range taskChs {
		close(ch)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	res.ImageSums = imageSum.Sums()
	res.ImageRead = off
	res.ImageErr = readErr
	switch {
	case md5f != nil:
		res.ImplantedMD5 = md5f.result()
	case opt.ImplantedMD5:
		res.ImplantedMD5 = &MD5Check{} // absent
	}
	// Members whose bytes were not all read.
	cause := error(ErrBeyondEnd)
	if readErr != nil {
		cause = readErr
	}
	for _, s := range segs {
		ms := &sums[s.member]
		if ms.Sums == nil && ms.Err == nil {
			m := members[s.member]
			last := m.Extents[len(m.Extents)-1]
			ms.Err = fmt.Errorf("bytes %d to %d: %w (%d bytes read)", m.Extents[0].Offset, last.Offset+last.Length, cause, off)
		}
	}
	for _, i := range later {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sums[i] = readMember(r, members[i], algsOf(i), off)
	}
	res.Members, res.Extra = sums[:nm:nm], sums[nm:]
	if len(opt.Extra) == 0 {
		res.Extra = nil
	}
	return res, nil
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
