package checksum

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"unsafe"

	"github.com/sverka/sverka/internal/testkit"
)

// ringOrSkip skips where the kernel offers no usable io_uring (switched
// off, or refused by a sandbox): the common path then serves alone.
func ringOrSkip(t testing.TB) {
	t.Helper()
	r, err := newRing(4*ringBatch, ringBatch)
	if err != nil {
		t.Skip("no io_uring here:", err)
	}
	r.close()
}

// Small files go through the ring, where there is one, and come out as
// the common path reads them; whatever the ring cannot settle plainly (a
// file longer than the table says, one past the slot, a link, a
// directory, a missing file) still ends as the common path has it.
func TestHashFilesRing(t *testing.T) {
	if r, err := newRing(4*ringBatch, ringBatch); err != nil {
		t.Log("no io_uring here, the common path serves alone:", err)
	} else {
		r.close()
	}
	dir := t.TempDir()
	type file struct {
		name string
		data []byte
		hint int64 // the size the caller expects
	}
	var files []file
	for i := range 3*ringBatch + 5 { // several batches, the last one short
		data := bytes.Repeat([]byte{byte(i)}, (i*977)%(ringSlot-1))
		files = append(files, file{fmt.Sprintf("f%03d", i), data, int64(len(data))})
	}
	files = append(files,
		file{"empty", nil, 0},
		file{"longer", []byte("longer than the table says"), 6},
		file{"shorter", []byte("short"), 100},
		file{"past-slot", bytes.Repeat([]byte("x"), ringSlot+10), 10},
		file{"exact-slot", bytes.Repeat([]byte("y"), ringSlot), ringSlot - 1},
	)
	for _, f := range files {
		if err := os.WriteFile(filepath.Join(dir, f.name), f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.Symlink(filepath.Join(dir, "f001"), filepath.Join(dir, "link"))
	os.Mkdir(filepath.Join(dir, "subdir"), 0o755)
	var jobs []Job
	for _, f := range files {
		jobs = append(jobs, Expected(filepath.Join(dir, f.name), f.hint, true))
	}
	bad := len(jobs)
	for _, name := range []string{"link", "subdir", "missing"} {
		jobs = append(jobs, Expected(filepath.Join(dir, name), 10, true))
	}
	for i := range jobs {
		if !ringEligible(&jobs[i], 0, jobs[i].size) && i < bad && files[i].hint < ringSlot {
			t.Fatalf("%s not eligible for the ring", jobs[i].Path)
		}
	}
	var started, finished, progressed int
	var got []Result
	opt := Options{Workers: 2, Started: func(string) { started++ }, Finished: func(string) { finished++ }, Progress: func(n int64) { progressed += int(n) }}
	opt.Workers = 1 // the counters above are not shared safely
	err := HashFiles(context.Background(), jobs, mustAlgs(t, "sha256", "blake3"), opt, func(r Result) error {
		got = append(got, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for i, f := range files {
		r := got[i]
		want := sha256.Sum256(f.data)
		if r.Err != nil || r.Size != int64(len(f.data)) || !bytes.Equal(r.Sums[0], want[:]) || len(r.Sums[1]) != 32 {
			t.Errorf("%s: size %d err %v digest %x, want %d %x", f.name, r.Size, r.Err, r.Sums, len(f.data), want)
		}
		total += len(f.data)
	}
	if started < len(files) || progressed < total {
		t.Errorf("started %d files, progress %d bytes; want %d, %d", started, progressed, len(files), total)
	}
	if finished != started {
		t.Errorf("started %d files, finished %d", started, finished)
	}
	if r := got[bad]; !errors.Is(r.Err, syscall.ELOOP) || r.Sums != nil {
		t.Errorf("a link read in a listed file's place: %+v", r)
	}
	if r := got[bad+1]; r.Err == nil || r.Sums != nil {
		t.Errorf("a directory read as a file: %+v", r)
	}
	if r := got[bad+2]; !errors.Is(r.Err, fs.ErrNotExist) {
		t.Errorf("missing file: %+v", r)
	}
}

// The batch itself settles what it should, and only that: were the ring
// set aside, the test above would pass through the common path alone.
func TestHashBatchSettles(t *testing.T) {
	ringOrSkip(t)
	dir := t.TempDir()
	var jobs []Job
	var ks []int
	content := func(i int) []byte { return []byte(fmt.Sprint("module ", i)) }
	for i := range ringBatch {
		p := filepath.Join(dir, fmt.Sprint(i))
		os.WriteFile(p, content(i), 0o644)
		size := int64(len(content(i)))
		switch i {
		case 3:
			size++ // the table says longer: a read may stop short of it
		case 4:
			size-- // the table says shorter: the probe finds more
		case 5:
			p += ".missing"
		}
		jobs = append(jobs, Expected(p, size, true))
		ks = append(ks, i)
	}
	w := newWorker(mustAlgs(t, "sha256"), Options{})
	defer w.closeRing()
	for round := range 3 { // the ring and its descriptor slots are reused
		rs, ok := make([]Result, len(ks)), make([]bool, len(ks))
		if err := w.hashBatch(context.Background(), jobs, sizesOf(jobs), make([]fs.FileMode, len(jobs)), ks, rs, ok); err != nil {
			t.Fatal(err)
		}
		for i := range ks {
			if i >= 3 && i <= 5 {
				if ok[i] {
					t.Errorf("round %d, file %d: settled in the batch: %+v", round, i, rs[i])
				}
				continue
			}
			want := sha256.Sum256(content(i))
			if !ok[i] || !bytes.Equal(rs[i].Sums[0], want[:]) || rs[i].Size != int64(len(content(i))) {
				t.Fatalf("round %d, file %d: settled %v, %+v", round, i, ok[i], rs[i])
			}
		}
	}
	if w.ring.failed {
		t.Error("the ring broke")
	}
}

// sizesOf is the sizes jobs' callers gave, as largestFirst has them.
func sizesOf(jobs []Job) []int64 {
	sizes := make([]int64, len(jobs))
	for i := range jobs {
		sizes[i] = jobs[i].size
	}
	return sizes
}

// The kernel's structures as io_uring.h lays them out.
func TestRingLayout(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want uintptr
	}{
		{"io_uring_sqe", unsafe.Sizeof(uringSQE{}), 64},
		{"io_uring_sqe.user_data", unsafe.Offsetof(uringSQE{}.UserData), 32},
		{"io_uring_sqe.file_index", unsafe.Offsetof(uringSQE{}.FileIndex), 44},
		{"io_uring_cqe", unsafe.Sizeof(uringCQE{}), 16},
		{"io_uring_params", unsafe.Sizeof(uringParams{}), 120},
		{"io_uring_params.cq_off", unsafe.Offsetof(uringParams{}.CQOff), 80},
		{"io_uring_getevents_arg", unsafe.Sizeof(uringGeteventsArg{}), 24},
		{"io_uring_rsrc_register", unsafe.Sizeof(uringRsrcRegister{}), 32},
	} {
		if c.got != c.want {
			t.Errorf("%s: %d, want %d", c.name, c.got, c.want)
		}
	}
}

// Files the user named go through the ring with the size and mode the
// stat before the open gave; what has changed since (a FIFO or device in
// the file's place, a file grown or shrunk) is not settled there, and
// nothing blocks: the common way then fstat's and says what is wrong.
func TestHashBatchNamed(t *testing.T) {
	ringOrSkip(t)
	dir := t.TempDir()
	content := []byte("a module the user named")
	var jobs []Job
	var sizes []int64
	var modes []fs.FileMode
	add := func(name string, size int64) {
		jobs = append(jobs, Named(filepath.Join(dir, name), false))
		sizes = append(sizes, size)
		modes = append(modes, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "plain"), content, 0o644)
	add("plain", int64(len(content)))
	testkit.FIFO(t, filepath.Join(dir, "fifo"))
	add("fifo", 10) // a file when stat'ed, a FIFO by the open
	os.WriteFile(filepath.Join(dir, "grown"), content, 0o644)
	add("grown", int64(len(content))-1)
	os.WriteFile(filepath.Join(dir, "shrunk"), content, 0o644)
	add("shrunk", int64(len(content))+1)
	jobs = append(jobs, Named("/dev/zero", false))
	sizes, modes = append(sizes, 100), append(modes, 0o644)
	ks := []int{0, 1, 2, 3, 4}
	w := newWorker(mustAlgs(t, "sha256"), Options{})
	defer w.closeRing()
	rs, ok := make([]Result, len(ks)), make([]bool, len(ks))
	err := testkit.Promptly(t, "a batch with a FIFO in a file's place", func() error {
		return w.hashBatch(context.Background(), jobs, sizes, modes, ks, rs, ok)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := sha256.Sum256(content)
	if !ok[0] || !bytes.Equal(rs[0].Sums[0], want[:]) || rs[0].Mode != 0o644 {
		t.Errorf("plain file: settled %v, %+v", ok[0], rs[0])
	}
	for i := 1; i < len(ks); i++ {
		if ok[i] {
			t.Errorf("%s settled in the batch: %+v", jobs[i].Path, rs[i])
		}
	}
}

// Which jobs the ring takes: small regular files a table lists or the
// user named (not empty), never a special file, a listing's file (whose
// mode the caller reads from the fstat) or one past a slot.
func TestRingEligible(t *testing.T) {
	for _, c := range []struct {
		name string
		job  Job
		mode fs.FileMode
		size int64
		want bool
	}{
		{"table", Expected("a", 100, true), 0, 100, true},
		{"table, empty", Expected("a", 0, true), 0, 0, true},
		{"table, past a slot", Expected("a", ringSlot, true), 0, ringSlot, false},
		{"table, mode wanted", Expected("a", 100, false), 0, 100, false},
		{"named", Named("a", false), 0o644, 100, true},
		{"named, empty", Named("a", false), 0o644, 0, false},
		{"named, past a slot", Named("a", false), 0o644, ringSlot, false},
		{"named FIFO", Named("a", false), fs.ModeNamedPipe, 0, false},
		{"named, missing", Named("a", false), 0, 0, false},
		{"named special", Named("a", true), 0o644, 100, false},
		{"listing", Seen("a", 0o644, 100), 0o644, 100, false},
	} {
		if got := ringEligible(&c.job, c.mode, c.size); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

// The jobs the ring takes go last, each part in its order, so that a
// missing file sorted among the smallest keeps none from the ring.
func TestRingLast(t *testing.T) {
	jobs := []Job{Named("big", false), Named("small", false), Named("missing", false), Named("tiny", false), Named("dir", false)}
	modes := []fs.FileMode{0o644, 0o644, 0, 0o644, fs.ModeDir}
	sizes := []int64{ringSlot * 2, 100, 0, 10, 0}
	order := []int{0, 1, 3, 2, 4} // largest first
	small := ringLast(jobs, order, modes, sizes)
	if want := []int{0, 2, 4, 1, 3}; small != 3 || !slices.Equal(order, want) {
		t.Errorf("order %v, small from %d; want %v from 3", order, small, want)
	}
}

// HashFiles reads named files through the ring alike, and still refuses
// a FIFO or directory named among them.
func TestHashFilesNamedRing(t *testing.T) {
	dir := t.TempDir()
	var jobs []Job
	var want [][32]byte
	for i := range 2 * trialPieces * ringBatch { // enough to decide
		data := bytes.Repeat([]byte{byte(i)}, 1+i*7)
		p := filepath.Join(dir, fmt.Sprint(i))
		os.WriteFile(p, data, 0o644)
		jobs = append(jobs, Named(p, false))
		want = append(want, sha256.Sum256(data))
	}
	bad := len(jobs)
	jobs = append(jobs, Named(testkit.FIFO(t, filepath.Join(dir, "fifo")), false), Named(dir, false))
	var got []Result
	var said []string
	opt := Options{Workers: 2, Explain: func(s string) { said = append(said, s) }}
	err := testkit.Promptly(t, "HashFiles over a FIFO", func() error {
		return HashFiles(context.Background(), jobs, mustAlgs(t, "sha256"), opt, func(r Result) error {
			got = append(got, r)
			return nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := range bad {
		if r := got[i]; r.Err != nil || !bytes.Equal(r.Sums[0], want[i][:]) || !r.Mode.IsRegular() {
			t.Errorf("%s: %+v", r.Path, r)
		}
	}
	if !errors.Is(got[bad].Err, ErrSpecial) || !errors.Is(got[bad+1].Err, syscall.EISDIR) {
		t.Errorf("FIFO: %v; directory: %v", got[bad].Err, got[bad+1].Err)
	}
	if len(said) < 2 || !strings.Contains(said[0], "files on ") || !strings.Contains(said[1], "small files read ") {
		t.Errorf("said %q, want the device and the ring's choice", said)
	}
}

// BenchmarkSmallNamed compares the two ways a worker reads small named
// files out of the page cache: a ring batch at a time, and plainly (open,
// fstat, read, close each). CPU time per file holds still on a busy
// machine where wall time does not.
func BenchmarkSmallNamed(b *testing.B) {
	dir := b.TempDir()
	const files = 1024
	var jobs []Job
	var sizes []int64
	var modes []fs.FileMode
	for i := range files {
		p := filepath.Join(dir, fmt.Sprint(i))
		data := bytes.Repeat([]byte{byte(i)}, 2048+i)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			b.Fatal(err)
		}
		jobs = append(jobs, Named(p, false))
		sizes, modes = append(sizes, int64(len(data))), append(modes, 0o644)
	}
	algs := mustAlgs(b, "sha256")
	for _, way := range []string{"ring", "plain"} {
		b.Run(way, func(b *testing.B) {
			if way == "ring" {
				ringOrSkip(b)
			}
			w := newWorker(algs, Options{})
			w.dirs = newDirCache()
			defer w.dirs.close()
			defer w.closeRing()
			var rs [ringBatch]Result
			var ok [ringBatch]bool
			ks := make([]int, ringBatch)
			cpu0 := cpuTime()
			for b.Loop() {
				for k0 := 0; k0 < files; k0 += ringBatch {
					for n := range ks {
						ks[n] = k0 + n
					}
					if way == "ring" {
						ok = [ringBatch]bool{}
						if err := w.hashBatch(context.Background(), jobs, sizes, modes, ks, rs[:], ok[:]); err != nil {
							b.Fatal(err)
						}
					}
					for n, k := range ks {
						if way == "plain" || !ok[n] {
							if r := w.hashFile(context.Background(), jobs[k], modes[k]); r.Err != nil {
								b.Fatal(r.Err)
							}
						}
					}
				}
			}
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(b.N*files), "cpuµs/file")
		})
	}
}

// A run of a few small files reads them plainly: a ring's set-up would
// cost more than it saves. From ringFew small files on, they go to the
// rings (where the trial finds that they pay).
func TestPlanFewSmallFilesPlainly(t *testing.T) {
	dir := t.TempDir()
	var jobs []Job
	for i := range ringFew {
		p := filepath.Join(dir, fmt.Sprintf("f%02d", i))
		if err := os.WriteFile(p, []byte("small"), 0o644); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, Named(p, false))
	}
	if deviceUnder(jobs).oneStream() {
		t.Skip("the files are on a disk read as one stream: no file goes to a ring there")
	}
	for _, c := range []struct {
		files, wantSmall int
	}{
		{1, 1},                     // one file: plainly
		{ringFew - 1, ringFew - 1}, // just too few
		{ringFew, 0},               // every one of them to the rings
	} {
		s := plan(context.Background(), jobs[:c.files], Options{Workers: 2})
		s.dirs.close()
		if s.small != c.wantSmall {
			t.Errorf("%d small files: the ring's part begins at %d, want %d", c.files, s.small, c.wantSmall)
		}
	}
}
