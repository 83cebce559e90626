//go:build linux || darwin

package checksum

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"

	"golang.org/x/sys/unix"
)

// mmapMin is the size from which a file is hashed through a read-only
// mapping instead of read calls: the hash reads the page cache directly,
// sparing the copy into a buffer, which costs a tenth of SHA-NI's time.
const mmapMin = 8 << 20

// hashMapped hashes f (size bytes) through a read-only mapping. ok is false
// when the file cannot be mapped; the caller then reads it.
func (w *worker) hashMapped(ctx context.Context, f *os.File, size int64, m *Multi) (n int64, ok bool, err error) {
	if size < mmapMin || int64(int(size)) != size {
		return 0, false, nil
	}
	data, err := unix.Mmap(int(f.Fd()), 0, int(size), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return 0, false, nil
	}
	defer unix.Munmap(data)
	_ = unix.Madvise(data, unix.MADV_SEQUENTIAL)

	// A file truncated under the mapping faults on access; make that an
	// error of this file instead of a crash of the process.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("file shrank while being read (fault at byte %d)", n)
		}
	}()
	step := len(w.buf)
	for off := 0; off < len(data); off += step {
		if err := ctx.Err(); err != nil {
			return n, true, err
		}
		end := min(off+step, len(data))
		m.Write(data[off:end])
		n += int64(end - off)
		if w.opt.Progress != nil {
			w.opt.Progress(int64(end - off))
		}
	}
	return n, true, nil
}
