package checksum

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
)

// DefaultBufSize is the read size of each worker. Large reads keep the
// syscall count low and let the kernel's read-ahead stream; at 512 KiB a
// read stays in a core's L2 until it is hashed, and a worker's buffers
// (its own and two more while it reads ahead) are half the fresh
// memory of 1 MiB ones, whose pages fault one by one (400 MB: 273 ms
// against 278 with 1 MiB; kit80's list 316 against 322 ms; best of 15).
const DefaultBufSize = 1 << 19

// Job is one file to hash. The zero Job with a Path is a file the user
// named; Named, Seen and Expected make the others, each with what its
// caller knows of the file.
type Job struct {
	Path string
	// Algs, if set, replaces the algorithms given to HashFiles for this
	// job: a list may mix algorithms line by line.
	Algs []*Algorithm
	from origin
	// mode and size are what the caller knows (Seen, Expected): HashFiles
	// orders the job by size without a stat of its own, and refuses a
	// special mode before opening. What is read is still decided by the
	// fstat of the open file, never by these.
	mode fs.FileMode
	size int64
	// most, if above 0, is the most bytes worth reading (Expected): a
	// longer file is not read, but fails with a *LongerError.
	most int64
}

// origin is how the caller came by a job's path.
type origin uint8

const (
	// byName: a path the user named, stat'ed by the engine; a FIFO,
	// device or other non-regular file fails with ErrSpecial.
	byName origin = iota
	// byNameSpecial: a path the user named that may be a special file,
	// read as sha256sum reads one.
	byNameSpecial
	// byListing: a file the caller's own listing saw, with its mode and
	// size; a symbolic link in its place is refused.
	byListing
	// byTable: a file a table lists, regular, with the size it expects;
	// read without an fstat to the first short read, and a symbolic
	// link in its place refused.
	byTable
)

// Named is a path the user named. With special it may be a FIFO, device
// or other non-regular file, read as sha256sum reads one (a FIFO then
// waits for its writer); without, such a file fails with ErrSpecial.
func Named(path string, special bool) Job {
	if special {
		return Job{Path: path, from: byNameSpecial}
	}
	return Job{Path: path, from: byName}
}

// Seen is a file the caller's own listing saw, with the mode and size it
// saw: HashFiles orders it without a stat, refuses it before opening if
// the mode is not a regular file's, and refuses a symbolic link in the
// last element of path (where the OS lets an open say so), so that only
// what the listing called a file is read.
func Seen(path string, mode fs.FileMode, size int64) Job {
	return Job{Path: path, from: byListing, mode: mode, size: size}
}

// Expected is a regular file a table lists with the size it expects (-1:
// unknown), ordered by that size without a stat, a symbolic link in its
// place refused. With toSize and a known size it is read without an
// fstat, to the first short read, which for a regular file is its end:
// one system call less per file is a tenth of the time on 100,000 small
// modules. Should more than the size come, the engine fstat's after all,
// so a device that took the file's place or a grown file is still told
// apart; Result.Mode is then that of a regular file with no permission
// bits. A caller that checks the file's mode passes toSize false.
//
// A file of a known size that has grown past twice that (and past it by
// more than a mebibyte) is not read: it is not the file the table lists,
// whatever it holds, and its bytes need not be counted. On the checked
// host or kit that is the attacker's ground, a listed file of 23 bytes
// replaced by a sparse one of 16 TB would otherwise hold the check for
// hours, hashing zeros. Its Result fails with a *LongerError giving the
// size.
func Expected(path string, size int64, toSize bool) Job {
	j := Job{Path: path, from: byListing, size: max(size, 0)}
	if size >= 0 {
		j.most = MostWorthReading(size)
		if toSize {
			j.from, j.size = byTable, size
		}
	}
	return j
}

// MostWorthReading is the most bytes worth reading of a file listed with
// size bytes: twice that, and at least a mebibyte more (a small file that
// grew a little is worth its digests, which say what it holds now). A
// longer file is not the one listed, whatever it holds.
func MostWorthReading(size int64) int64 {
	if size > math.MaxInt64/2 {
		return math.MaxInt64 // a size no file reaches, and no sum to overflow
	}
	return size + max(size, 1<<20)
}

// LongerError is a file more than Most bytes long, the most worth reading
// of what was listed (see Expected), not read.
type LongerError struct {
	Size, Most int64
}

func (e *LongerError) Error() string {
	return fmt.Sprintf("not read: %d bytes, more than the %d worth reading for the size listed", e.Size, e.Most)
}

// known says whether the caller gave the job's mode and size.
func (j *Job) known() bool { return j.from >= byListing }

// special says whether the job may be a special file.
func (j *Job) special() bool { return j.from == byNameSpecial }

// noFollow says whether a symbolic link in place of the job's file is
// refused: the caller listed the file itself.
func (j *Job) noFollow() bool { return j.from >= byListing }

// readsToSize says whether j is read without an fstat, to the end its
// size says (see Expected).
func (j *Job) readsToSize() bool { return j.from == byTable }

// Result is the outcome of hashing one Job.
type Result struct {
	Index int    // position of the job in the input
	Path  string // as given in the Job
	Size  int64  // bytes read
	// Mode is the file's mode as fstat saw it once open (0 if the open
	// failed, and for an Expected job read to its expected end; for a
	// small Named file read through the ring, as the stat before the
	// open saw it):
	// a caller that did not stat the file learns its type and permissions
	// here.
	Mode fs.FileMode
	Sums [][]byte
	Err  error
}

// ErrSpecial is returned for a FIFO, socket or device that was not named
// explicitly: reading one may block forever or never end.
var ErrSpecial = errors.New("not a regular file")

// ChangedError reports a file whose size changed while it was read.
type ChangedError struct {
	Before, After, Read int64
}

func (e *ChangedError) Error() string {
	return fmt.Sprintf("file changed while being read (size %d before, %d after, %d bytes read)", e.Before, e.After, e.Read)
}

// Options tunes HashFiles.
type Options struct {
	// Workers is the number of files hashed at once; 0 means GOMAXPROCS.
	Workers int
	// BufSize is each worker's read buffer; 0 means DefaultBufSize.
	BufSize int
	// Progress, if set, is called from the workers with the number of
	// bytes just hashed. It must be safe for concurrent use.
	Progress func(n int64)
	// Started, if set, is called from the workers when a file is opened.
	// It must be safe for concurrent use.
	Started func(path string)
	// Finished, if set, is called from the workers when a file Started
	// was called for is done with, read whole or not: between the two,
	// the file is in flight. It must be safe for concurrent use.
	Finished func(path string)
	// AnyOrder passes results to emit as they come, for a caller that
	// places them by Result.Index itself: no result then waits for
	// another, nor costs memory meanwhile.
	AnyOrder bool
	// Spare, if set, keeps the files read from staying in the page cache
	// unless they were there before (--nice).
	Spare *Spare
	// Explain, if set, is called on the calling goroutine with a line
	// saying how the files are read and why (the device under them,
	// io_uring or plain reads), once per choice made.
	Explain func(line string)

	// readAll reads every file, none hashed from a mapping: for the
	// tests of the read paths, whose files are in the page cache.
	readAll bool
	// trials, if set, are the trials of an earlier run of the same
	// check (HashStretches): what one stretch measured holds for the
	// next, which neither times again nor says it again.
	trials *trials
	// tally, if set, gathers what each run of a check (a stretch) read
	// ahead and hashed in place, said once for the whole check rather
	// than a line a stretch.
	tally *tally
}

// tally is what a check's runs read ahead and hashed in place, for -v.
type tally struct {
	asked       int64  // files asked for ahead of the workers
	warm        bool   // a prefetcher found the tree cached
	mapSaid     string // the mapping trial's choice, once told
	mapped      int64  // files hashed in place
	mappedBytes int64
}

// prefetchLine says what a check's prefetchers did; "" if nothing.
func (t *tally) prefetchLine() string {
	switch {
	case t.warm && t.asked == 0:
		return "files found in the page cache: none read ahead of the workers"
	case t.asked > 0:
		return fmt.Sprintf("files out of the page cache read ahead of the workers (POSIX_FADV_WILLNEED): %d", t.asked)
	}
	return ""
}

// explain says the tally's lines, if explain is set.
func (t *tally) explain(explain func(string)) {
	if explain == nil {
		return
	}
	for _, line := range []string{t.prefetchLine(), t.mappedLine()} {
		if line != "" {
			explain(line)
		}
	}
}

// trials are a run's choices of how to read, timed at its start.
type trials struct{ ring, mapped *trial }

func newTrials() *trials { return &trials{ring: ringTrial(), mapped: mapTrial()} }

func (o Options) runTrials() *trials {
	if o.trials != nil {
		return o.trials
	}
	return newTrials()
}

func (o Options) workers() int {
	if o.Workers > 0 {
		return o.Workers
	}
	return runtime.GOMAXPROCS(0)
}

func (o Options) bufSize() int {
	if o.BufSize > 0 {
		return o.BufSize
	}
	return DefaultBufSize
}

// HashFiles hashes every job with every algorithm, each file read once,
// on opt.Workers goroutines, largest files first so that the last worker
// does not finish alone. emit is called on the calling goroutine with the
// results in input order (unless opt.AnyOrder); an error from emit stops
// the scan. Memory is bounded by Workers read buffers, a result slot per
// job (its digests dropped once emitted) and the results not yet emitted.
func HashFiles(ctx context.Context, jobs []Job, algs []*Algorithm, opt Options, emit func(Result) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := plan(ctx, jobs, opt)
	defer s.dirs.close()
	s.start(ctx, algs, opt)
	return s.deliver(ctx, cancel, opt, emit)
}

// schedule is one HashFiles run: the jobs in the order they are taken,
// and the channels that carry their results back.
type schedule struct {
	jobs  []Job
	order []int         // job indexes, largest first
	modes []fs.FileMode // each job's file type before it is opened
	sizes []int64       // each job's size as its caller or a stat gave it
	// small is where the small files the ring can take begin in order:
	// they come last and go in batches through the workers' rings where
	// the system has them and they measure faster (trial).
	small   int
	workers int
	trial   *trial
	// Workers take the next jobs from shared counters and hand results
	// over a roomy channel: on 100,000 small files, goroutine hand-offs
	// would otherwise cost more than the hashing.
	next, nextSmall atomic.Int64
	done            chan []Result
	// free takes emptied batches back to the workers: 100,000 results
	// would otherwise be allocated, grown and collected batch by batch.
	free chan []Result
	dirs *dirCache
	// cores are the idle cores a worker hashing a large BLAKE3 file may
	// borrow: a worker gives its own back when no job is left for it.
	cores *cores
	// prefetch reads the next plain files ahead of the workers on a cold
	// tree (prefetch_linux.go); nil: not in this run.
	prefetch *prefetcher
	// mapped decides whether cached files are hashed from a mapping,
	// and counts those that were (mapped_linux.go).
	mapped mapping
}

// mapping is a run's choice between hashing a cached file from a mapping
// of it or copying it out of the page cache, and its count of the files
// hashed in place, for -v.
type mapping struct {
	trial        *trial
	files, bytes atomic.Int64
}

// addTo adds to t how the run chose, once told, and the files it hashed
// in place.
func (p *mapping) addTo(t *tally) {
	if said := p.trial.told(); said != "" {
		t.mapSaid = said
	}
	t.mapped += p.files.Load()
	t.mappedBytes += p.bytes.Load()
}

// mappedLine says how a check chose between mapping and copying, and how
// many files it hashed in place; "" if it had no file to map.
func (t *tally) mappedLine() string {
	if t.mapped == 0 {
		return t.mapSaid
	}
	count := fmt.Sprintf("files hashed in place: %d, %d MB", t.mapped, (t.mappedBytes+500_000)/1_000_000)
	if t.mapSaid == "" {
		return count
	}
	return t.mapSaid + "; " + count
}

// plan orders the jobs and sets the run up: on a rotational disk in the
// order of the files on it, elsewhere largest first.
func plan(ctx context.Context, jobs []Job, opt Options) *schedule {
	dev := deviceUnder(jobs)
	order, modes, sizes := largestFirst(ctx, jobs, opt.workers(), dev.oneStream())
	if opt.Explain != nil && dev.Dev != "" {
		opt.Explain(dev.explain())
	}
	var small int
	if dev.oneStream() {
		small = len(order) // one file at a time, in that order
	} else {
		small = ringLast(jobs, order, modes, sizes)
		if len(order)-small < ringFew {
			small = len(order) // too few to pay for a ring's set-up
		}
	}
	workers := opt.workers()
	if dev.oneStream() && opt.Workers == 0 {
		workers = 1 // the disk's one head, not the cores, sets the pace
	}
	tr := opt.runTrials()
	s := &schedule{jobs: jobs, order: order, modes: modes, sizes: sizes, small: small,
		workers: workers, trial: tr.ring, mapped: mapping{trial: tr.mapped},
		done: make(chan []Result, 64), free: make(chan []Result, 64), dirs: newDirCache()}
	s.prefetch = newPrefetcher(opt, dev, small, workers)
	s.nextSmall.Store(int64(small))
	return s
}

// ringLast moves the jobs the ring can take to the end of order, each
// part in its order, and returns where they begin: a missing file, sorted
// among the smallest, must not keep the others from the ring.
func ringLast(jobs []Job, order []int, modes []fs.FileMode, sizes []int64) int {
	rest := make([]int, 0, len(order))
	var small []int
	for _, i := range order {
		if ringEligible(&jobs[i], modes[i], sizes[i]) {
			small = append(small, i)
		} else {
			rest = append(rest, i)
		}
	}
	copy(order, rest)
	copy(order[len(rest):], small)
	return len(rest)
}

// start runs the workers; done is closed when the last one ends.
func (s *schedule) start(ctx context.Context, algs []*Algorithm, opt Options) {
	var wg sync.WaitGroup
	n := min(s.workers, max(len(s.jobs), 1))
	// -j counts the files hashed at once: a file is read ahead on a core
	// no worker needs whatever it says, but BLAKE3's subtrees are hashed
	// on the cores -j gives (-j 1: one core hashing).
	ln := newLanes(runtime.GOMAXPROCS(0))
	ln.active.Store(int32(n))
	var total int64
	for _, size := range s.sizes {
		total += max(size, 0)
	}
	ln.fair = total / int64(n)
	s.cores = idleCores(s.workers, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer ln.active.Add(-1) // a core left over for the others' reads
			w := newWorker(algs, opt)
			w.dirs, w.lanes, w.cores, w.mapped = s.dirs, ln, s.cores, &s.mapped
			defer w.closeRing()
			s.work(ctx, w)
			s.cores.give(1)
		}()
	}
	if s.prefetch != nil {
		// Waited for with the workers: the run's directories stay open
		// until it stops.
		wg.Go(func() { s.prefetch.run(ctx, s) })
	}
	go func() { wg.Wait(); close(s.done) }()
}

// work hashes jobs on w until none is left or ctx is done: the large
// files one by one, then the small ones a ring batch at a time.
func (s *schedule) work(ctx context.Context, w *worker) {
	out := outbox{s: s}
	out.batch = out.newBatch()
	var ks []int
	var rs [ringBatch]Result
	for ctx.Err() == nil {
		w.lanes.help() // the reads another worker's large file is waiting for
		ks = ks[:0]
		batch := false
		if k := int(s.next.Add(1) - 1); k < s.small {
			ks = append(ks, s.order[k])
			s.prefetch.took()
		} else if k0 := int(s.nextSmall.Add(ringBatch) - ringBatch); k0 < len(s.order) {
			ks = append(ks, s.order[k0:min(k0+ringBatch, len(s.order))]...)
			s.hashSmall(ctx, w, ks, rs[:len(ks)])
			batch = true
		} else {
			break
		}
		for n, i := range ks {
			var r Result
			if batch {
				r = rs[n]
			} else {
				r = w.hashFile(ctx, s.jobs[i], s.modes[i])
			}
			r.Index = i
			if !out.add(ctx, r) {
				return
			}
		}
	}
	if len(out.batch) > 0 {
		out.send(ctx)
	}
}

// outbox gathers a worker's results into batches: one hand-off per small
// file would cost more than hashing it.
type outbox struct {
	s     *schedule
	batch []Result
	bytes int64
}

func (o *outbox) newBatch() []Result {
	select {
	case b := <-o.s.free:
		return b[:0]
	default:
		return make([]Result, 0, batchFiles)
	}
}

// send hands the batch over; false when the run was stopped.
func (o *outbox) send(ctx context.Context) bool {
	select {
	case o.s.done <- o.batch:
		o.batch, o.bytes = o.newBatch(), 0
		return true
	case <-ctx.Done():
		return false
	}
}

// add puts r in the batch, sent once full; false when the run was
// stopped.
func (o *outbox) add(ctx context.Context, r Result) bool {
	o.batch = append(o.batch, r)
	o.bytes += r.Size
	return (len(o.batch) < batchFiles && o.bytes < 8<<20) || o.send(ctx)
}

// deliver passes the results to emit on the calling goroutine, in input
// order unless anyOrder, until done is closed; an error from emit stops
// the run.
func (s *schedule) deliver(ctx context.Context, cancel context.CancelFunc, opt Options, emit func(Result) error) error {
	anyOrder := opt.AnyOrder
	// Reorder: results arrive largest first, users expect input order.
	// A slot per job rather than a map: on 100,000 files the map's growth
	// and hashing cost more than the slots' memory.
	var pending []Result
	var have []bool
	if !anyOrder {
		pending, have = make([]Result, len(s.jobs)), make([]bool, len(s.jobs))
	}
	emitted := 0
	give := func(r Result) error {
		emitted++
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := emit(r); err != nil {
			cancel()
			return err
		}
		return nil
	}
	for rs := range s.done {
		if line := s.trial.told(); line != "" && opt.Explain != nil {
			opt.Explain(line)
		}
		var err error
		if anyOrder {
			for _, r := range rs {
				if err = give(r); err != nil {
					break
				}
			}
		} else {
			for _, r := range rs {
				pending[r.Index], have[r.Index] = r, true
			}
			for err == nil && emitted < len(s.jobs) && have[emitted] {
				r := pending[emitted]
				pending[emitted] = Result{} // let the digests go once emitted
				err = give(r)
			}
		}
		if err != nil {
			for range s.done {
			}
			return err
		}
		clear(rs) // emitted or in pending: the batch goes back empty
		select {
		case s.free <- rs:
		default:
		}
	}
	if line := s.trial.told(); line != "" && opt.Explain != nil {
		opt.Explain(line)
	}
	t := opt.tally
	if t == nil {
		t = &tally{}
	}
	s.prefetch.addTo(t)
	s.mapped.addTo(t)
	if opt.tally == nil {
		t.explain(opt.Explain)
	}
	if err := ctx.Err(); err != nil && emitted < len(s.jobs) {
		return err
	}
	return nil
}

// hashSmall hashes a batch of small files into rs: through the worker's
// ring while the trial or its outcome says so, the rest (and whatever the
// ring leaves) plainly, the batch timed while the trial is open.
func (s *schedule) hashSmall(ctx context.Context, w *worker, ks []int, rs []Result) {
	useRing, timed := s.trial.pick()
	var err error
	if useRing {
		err = w.ringReady()
	}
	var clock batchClock
	if timed {
		clock = startClock()
	}
	var ok [ringBatch]bool
	if useRing && err == nil {
		err = w.hashBatch(ctx, s.jobs, s.sizes, s.modes, ks, rs, ok[:len(ks)])
	}
	if err != nil {
		s.trial.unavailable(fmt.Sprintf("io_uring unavailable: %v", err))
	}
	for n, i := range ks {
		if !ok[n] {
			rs[n] = w.hashFile(ctx, s.jobs[i], s.modes[i])
		}
	}
	if timed {
		d := clock.stop()
		if err == nil {
			s.trial.record(useRing, d, int64(len(ks)))
		}
	}
}

// ringBatch is the most files a worker submits to its ring at once.
const ringBatch = 32

// ringFew is the fewest small files a run reads through rings: a ring's
// set-up (the ring, its 2 MiB of buffers mapped in) costs a worker about
// a millisecond, more than plain reads of two batches of cached files
// cost beyond the ring's, and a run of fewer files could not finish the
// trial that decides whether the ring pays.
const ringFew = 2 * ringBatch

// batchFiles is the most results a worker hands over at once.
const batchFiles = 256

// largestFirst returns the job indexes sorted by decreasing size (with
// byInode, by inode number: the order of the files on a disk, as near as
// a stat tells), and each job's file type and size. Sizes come from stat
// calls spread over many goroutines: on a cold tree of 100,000 files the
// stats are reads of the disk, and an SSD answers many at once.
func largestFirst(ctx context.Context, jobs []Job, workers int, byInode bool) ([]int, []fs.FileMode, []int64) {
	sizes := make([]int64, len(jobs))
	modes := make([]fs.FileMode, len(jobs))
	var inodes []uint64
	if byInode {
		inodes = make([]uint64, len(jobs))
	}
	unknown := 0
	for i := range jobs {
		if jobs[i].known() {
			modes[i], sizes[i] = jobs[i].mode, jobs[i].size
		} else {
			unknown++
		}
	}
	// Goroutines only for stats to make: started with nothing to do,
	// they would wait for a core while the files could be read.
	var wg sync.WaitGroup
	stride := max(workers*2, statsInFlight)
	if unknown == 0 {
		stride = 0
	}
	for w := range stride {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(jobs); i += stride {
				if ctx.Err() != nil {
					return
				}
				if jobs[i].known() {
					continue
				}
				if mode, size, ino, err := statPath(jobs[i].Path); err == nil {
					modes[i] = mode
					if mode.IsRegular() {
						sizes[i] = size
					}
					if byInode {
						inodes[i] = ino
					}
				}
			}
		}()
	}
	wg.Wait()
	if byInode {
		// Jobs the caller vouched for were not stat'ed: they keep their
		// order, which is their listing's.
		return orderBy(inodes, false), modes, sizes
	}
	return orderBy(sizes, true), modes, sizes
}

// orderBy returns the indexes of keys in the order of their keys,
// ascending or descending, equal keys in index order. Pairs of a key and
// its index sort in a third of the time that sort.SliceStable takes over
// the indexes alone (100,000 jobs: 28 ms against 98, before any file of a
// run is read).
func orderBy[K cmp.Ordered](keys []K, desc bool) []int {
	type keyed struct {
		key K
		i   int
	}
	ks := make([]keyed, len(keys))
	for i, k := range keys {
		ks[i] = keyed{k, i}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		c := cmp.Compare(a.key, b.key)
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	order := make([]int, len(ks))
	for i, k := range ks {
		order[i] = k.i
	}
	return order
}

// statsInFlight is the fewest stat calls made at once: on a cold SSD or a
// virtual disk the stats of 100,000 files wait on the device, which
// answers many at once (as many as the ring keeps reads in flight);
// warm, 32 goroutines striding over the jobs cost little more than 4.
const statsInFlight = 32

// idleCores is the count of the cores that n busy workers leave idle: at
// most workers are used (-j 1 is one core), nor more than the Go runtime
// runs at once.
func idleCores(workers, n int) *cores {
	return newCores(min(workers, runtime.GOMAXPROCS(0)) - n)
}

type worker struct {
	algs []*Algorithm
	// cores are the run's idle cores, lent to a large BLAKE3 file's
	// subtrees (nil: none); set before the first job.
	cores *cores
	multi *Multi   // for algs, made on the first job
	other []*Multi // per-job algorithm sets, built once per worker
	buf   []byte
	opt   Options
	dirs  *dirCache // shared by the run's workers; nil: whole paths
	ring  ringWorker
	// lanes says when a core is free to read ahead (nil: never);
	// spareBufs are the read-ahead's buffers beside buf.
	lanes     *lanes
	spareBufs [][]byte
	// treeBufs are the segment buffers of a BLAKE3 file read in
	// segments (treeread.go), buf's first where it is large enough.
	treeBufs [][]byte
	mapped   *mapping // the run's mapping trial and count (nil: outside a run)
}

func newWorker(algs []*Algorithm, opt Options) *worker {
	return &worker{algs: algs, buf: make([]byte, opt.bufSize()), opt: opt}
}

// use selects the Multi for a job's algorithms.
func (w *worker) use(algs []*Algorithm) *Multi {
	if algs == nil {
		if w.multi == nil {
			w.multi = newMulti(w.algs, w.cores)
		}
		return w.multi
	}
	// A list holds a few algorithm sets at most: a linear search, with no
	// allocation per file.
	for _, m := range w.other {
		if slices.Equal(m.algs, algs) {
			return m
		}
	}
	m := newMulti(algs, w.cores)
	w.other = append(w.other, m)
	return m
}

// src is an open file the engine reads.
type src interface {
	io.Reader
	Close() error
	// info is the open file's type and permissions, and its size.
	info() (fs.FileMode, int64, error)
	adviseSequential()
	// hold is Spare.Hold for the open file.
	hold(*Spare) func()
}

// hashFile hashes one job; before is the file's type as stat saw it
// before (0 if unknown).
func (w *worker) hashFile(ctx context.Context, j Job, before fs.FileMode) Result {
	r := Result{Path: j.Path}
	// Opening a FIFO nobody writes to blocks forever: refuse before open.
	if before != 0 && !before.IsRegular() && !before.IsDir() && !j.special() {
		r.Err = &fs.PathError{Op: "read", Path: j.Path, Err: ErrSpecial}
		return r
	}
	f, err := openSource(w.dirs, j.Path, j.special(), j.noFollow())
	if err != nil {
		r.Err = err
		return r
	}
	defer f.Close()
	if w.opt.Spare != nil {
		// Before the first read, and released before the close.
		defer f.hold(w.opt.Spare)()
	}
	if w.opt.Started != nil {
		w.opt.Started(j.Path)
	}
	if w.opt.Finished != nil {
		defer w.opt.Finished(j.Path)
	}
	m := w.use(j.Algs)
	m.Reset()
	var n int64
	if j.readsToSize() {
		// Read to the expected end; only a file longer than the table
		// says is stat'ed, then read on as any other.
		r.Mode = j.mode
		if j.size > int64(len(w.buf)) {
			f.adviseSequential()
		}
		n, err = w.copy(ctx, f, m, j.size, 0)
		if err != nil || n <= j.size {
			return finish(r, m, n, err)
		}
	}
	mode, size, err := f.info()
	if err != nil {
		r.Err = &fs.PathError{Op: "stat", Path: j.Path, Err: err}
		return r
	}
	r.Mode = mode
	switch {
	case j.most > 0 && mode.IsRegular() && size > j.most:
		r.Err = &LongerError{Size: size, Most: j.most}
		return r
	case mode.IsDir():
		r.Err = &fs.PathError{Op: "read", Path: j.Path, Err: errIsDir}
		return r
	case !mode.IsRegular() && !j.special():
		r.Err = &fs.PathError{Op: "read", Path: j.Path, Err: ErrSpecial}
		return r
	case !mode.IsRegular():
		size = -1
	case size > int64(len(w.buf)):
		f.adviseSequential()
	}
	n, err = w.copy(ctx, f, m, size, n)
	if err == nil && size >= 0 && n != size {
		after := n
		if _, st, err := f.info(); err == nil {
			after = st
		}
		err = &ChangedError{Before: size, After: after, Read: n}
	}
	return finish(r, m, n, err)
}

// finish fills r with what was read and the digests, or the error.
func finish(r Result, m *Multi, n int64, err error) Result {
	r.Size = n
	if err != nil {
		r.Err = &fs.PathError{Op: "read", Path: r.Path, Err: err}
		return r
	}
	r.Sums = m.Sums()
	return r
}

// errIsDir is the system's EISDIR, so that callers print it in the C
// library's words as other system errors (sha256sum's "Is a directory").
var errIsDir error = syscall.EISDIR

// copy feeds everything rd yields to m, after the done bytes already fed.
// With size >= 0 (a regular file's size as fstat gave it, or as a table
// expects it) a short read is the end of the file, as the kernel has it
// for regular files, so a small file costs one read call; and since every
// read asks for a whole buffer, a file longer than size yields more than
// size bytes, which the caller sees.
func (w *worker) copy(ctx context.Context, rd io.Reader, m *Multi, size, done int64) (int64, error) {
	if ts, h := w.readsTree(rd, m, size, done); h != nil {
		return w.copyTree(ctx, ts, m, h, size)
	}
	n, end, err := w.copyMapped(ctx, rd, m, size, done)
	if end {
		return n, err
	}
	return w.copyOn(ctx, rd, m, size, n)
}

// copyOn is copy's loop: a read, then its hashing, or the reads made
// ahead.
func (w *worker) copyOn(ctx context.Context, rd io.Reader, m *Multi, size, done int64) (int64, error) {
	total := done
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		if w.readsAhead(m, size, total) {
			return w.copyAhead(ctx, rd, m, size, total)
		}
		n, err := rd.Read(w.buf)
		if n > 0 {
			m.Write(w.buf[:n])
			total += int64(n)
			if w.opt.Progress != nil {
				w.opt.Progress(int64(n))
			}
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
		if size >= 0 && (n < len(w.buf) || total > size) {
			return total, nil
		}
	}
}

// HashReader hashes everything r yields (standard input, a pipe) with algs.
func HashReader(ctx context.Context, r io.Reader, algs []*Algorithm, opt Options) (sums [][]byte, n int64, err error) {
	w := newWorker(algs, opt)
	w.cores = idleCores(opt.workers(), 1)
	m := w.use(nil)
	n, err = w.copy(ctx, r, m, -1, 0)
	if err != nil {
		return nil, n, err
	}
	return m.Sums(), n, nil
}
