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
	"syscall"
	"testing"
	"unsafe"
)

// ringOrSkip skips where the kernel offers no usable io_uring (switched
// off, or refused by a sandbox): the common path then serves alone.
func ringOrSkip(t *testing.T) {
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
		if !ringEligible(&jobs[i]) && i < bad && files[i].hint < ringSlot {
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
		w.hashBatch(context.Background(), jobs, ks, rs, ok)
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
