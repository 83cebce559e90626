package checksum

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// SpareSupported says whether a Spare can keep the page cache as it was
// on this system.
const SpareSupported = true

// spareChunk is the most of a file mapped at once to ask what is cached:
// an image larger than the address space left still gets asked about.
const spareChunk = 256 << 20

var pageSize = int64(os.Getpagesize())

// holdFD notes which pages of the open file fd are cached; see Hold.
func (s *Spare) holdFD(fd int) func() {
	s.files.Add(1)
	size, ok := spareSize(fd)
	if !ok {
		return func() {}
	}
	vec, err := resident(fd, size)
	if err != nil {
		// Cannot say what was cached: drop it all after, the way to
		// leave the least behind.
		s.unknown.Add(1)
		return func() { _ = unix.Fadvise(fd, 0, 0, unix.FADV_DONTNEED) }
	}
	return func() { s.release(fd, vec, size) }
}

// spareSize is the size of fd, a regular file or a block device (an
// image in the drive); false for anything else, whose pages are not the
// page cache's to drop.
func spareSize(fd int) (int64, bool) {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return 0, false
	}
	switch st.Mode & unix.S_IFMT {
	case unix.S_IFREG:
		return st.Size, true
	case unix.S_IFBLK:
		var size uint64
		_, _, errno := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), unix.BLKGETSIZE64, uintptr(unsafe.Pointer(&size)))
		return int64(size), errno == 0
	}
	return 0, false
}

// resident says for each page of the first size bytes of fd whether it is
// in the page cache: the file mapped (nothing is read by mapping it),
// mincore asked, the mapping dropped, a chunk at a time.
func resident(fd int, size int64) ([]byte, error) {
	vec := make([]byte, (size+pageSize-1)/pageSize)
	for off := int64(0); off < size; off += spareChunk {
		n := min(spareChunk, size-off)
		m, err := unix.Mmap(fd, off, int(n), unix.PROT_READ, unix.MAP_SHARED)
		if err != nil {
			return nil, err
		}
		p := vec[off/pageSize : (off+n+pageSize-1)/pageSize]
		_, _, errno := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&m[0])), uintptr(n), uintptr(unsafe.Pointer(&p[0])))
		unix.Munmap(m)
		if errno != 0 {
			return nil, errno
		}
	}
	for i := range vec {
		vec[i] &= 1 // the other bits are reserved
	}
	return vec, nil
}

// release drops the pages of fd that vec says were not cached before,
// and what lies past them should the file have grown; a file cached whole
// before is left alone.
func (s *Spare) release(fd int, vec []byte, size int64) {
	if len(vec) == 0 {
		// Empty when looked at: whatever it holds now was not cached.
		_ = unix.Fadvise(fd, 0, 0, unix.FADV_DONTNEED)
		return
	}
	var dropped int64
	for i := 0; i < len(vec); {
		if vec[i] == 1 {
			i++
			continue
		}
		j := i
		for j < len(vec) && vec[j] == 0 {
			j++
		}
		length := (int64(j) - int64(i)) * pageSize
		if j == len(vec) {
			length = 0 // to the end of the file, however long now
		}
		_ = unix.Fadvise(fd, int64(i)*pageSize, length, unix.FADV_DONTNEED)
		dropped += min(int64(j)*pageSize, size) - int64(i)*pageSize
		i = j
	}
	if dropped == 0 {
		s.kept.Add(1)
		return
	}
	s.dropped.Add(1)
	s.droppedBytes.Add(dropped)
}

// Cached says how many bytes of the file or block device path are in the
// page cache now, and its size, without reading it and without updating
// its access time.
func Cached(path string) (cached, size int64, err error) {
	fd, err := openFD(nil, path, unix.O_NONBLOCK)
	if err != nil {
		return 0, 0, err
	}
	defer unix.Close(fd)
	size, ok := spareSize(fd)
	if !ok {
		return 0, 0, &os.PathError{Op: "mincore", Path: path, Err: ErrSpecial}
	}
	vec, err := resident(fd, size)
	if err != nil {
		return 0, size, &os.PathError{Op: "mincore", Path: path, Err: err}
	}
	for i, v := range vec {
		if v == 1 {
			cached += min(int64(i+1)*pageSize, size) - int64(i)*pageSize
		}
	}
	return cached, size, nil
}
