package checksum

import (
	"io"
	"io/fs"
	"os"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// OpenRead opens path read-only without updating its access time where the
// kernel lets this process (O_NOATIME needs ownership or CAP_FOWNER): a
// check must leave no trace on what it checks.
func OpenRead(path string) (*os.File, error) {
	fd, err := openFD(nil, path, unix.O_NONBLOCK)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), path), nil
}

// OpenDir opens the directory path for listing, without updating its
// access time where the kernel lets this process, as OpenRead does for
// files: reading a directory marks it read otherwise. With noFollow a
// symbolic link in the last element is refused (ENOTDIR or ELOOP), not
// listed as the directory it points to.
func OpenDir(path string, noFollow bool) (*os.File, error) {
	extra := unix.O_DIRECTORY
	if noFollow {
		extra |= unix.O_NOFOLLOW
	}
	fd, err := openFD(nil, path, extra)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), path), nil
}

// openFD opens path read-only, without access time where permitted,
// with the extra flags: O_NONBLOCK keeps the open of a FIFO from waiting
// for a writer, O_NOFOLLOW refuses a symbolic link. With dirs, path is
// opened relative to its directory, held open there.
func openFD(dirs *dirCache, path string, extra int) (int, error) {
	flags := unix.O_RDONLY | unix.O_CLOEXEC | extra
	at, name := dirs.at(path)
	for {
		fd, err := unix.Openat(at, name, flags|unix.O_NOATIME, 0)
		if err == unix.EPERM {
			fd, err = unix.Openat(at, name, flags, 0)
		}
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return -1, &os.PathError{Op: "open", Path: path, Err: err}
		}
		return fd, nil
	}
}

// fdSource reads a raw descriptor. The engine opens every file through it
// rather than through os.File: a regular file gains nothing from the
// network poller, and os.File's registration costs four fcntl and a failing
// epoll_ctl per file, which on a tree of 100,000 small files is most of
// the time.
type fdSource struct{ fd int }

// openSource opens path for hashing. Only a special file named explicitly
// is opened blocking (a FIFO then waits for its writer, as sha256sum does);
// any other open cannot hang on a FIFO that took a file's place.
func openSource(dirs *dirCache, path string, special, noFollow bool) (src, error) {
	extra := 0
	if !special {
		extra |= unix.O_NONBLOCK
	}
	if noFollow {
		extra |= unix.O_NOFOLLOW
	}
	fd, err := openFD(dirs, path, extra)
	if err != nil {
		return nil, err
	}
	return &fdSource{fd: fd}, nil
}

func (s *fdSource) Read(p []byte) (int, error) {
	for {
		n, err := unix.Read(s.fd, p)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, err
		}
		if n == 0 && len(p) > 0 {
			return 0, io.EOF
		}
		return n, nil
	}
}

// ReadAt reads len(p) bytes at off (pread), as os.File's ReadAt: fewer
// only at the end of the file (io.EOF) or on an error.
func (s *fdSource) ReadAt(p []byte, off int64) (int, error) {
	done := 0
	for done < len(p) {
		n, err := unix.Pread(s.fd, p[done:], off+int64(done))
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return done, err
		}
		if n == 0 {
			return done, io.EOF
		}
		done += n
	}
	return done, nil
}

// Seek sets where the next Read reads.
func (s *fdSource) Seek(off int64, whence int) (int64, error) {
	return unix.Seek(s.fd, off, whence)
}

func (s *fdSource) Close() error { return unix.Close(s.fd) }

// info reads the fstat into values: an fs.FileInfo would cost an
// allocation per file.
func (s *fdSource) info() (fs.FileMode, int64, error) {
	var st unix.Stat_t
	for {
		err := unix.Fstat(s.fd, &st)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, 0, err
		}
		return modeOf(st.Mode), st.Size, nil
	}
}

func (s *fdSource) hold(sp *Spare) func() { return sp.holdFD(s.fd) }

func (s *fdSource) adviseSequential() {
	_ = unix.Fadvise(s.fd, 0, 0, unix.FADV_SEQUENTIAL)
}

// modeOf turns a stat mode into an fs.FileMode: type and permission bits,
// which is all the engine and its callers look at.
func modeOf(mode uint32) fs.FileMode {
	m := fs.FileMode(mode & 0o777)
	switch mode & unix.S_IFMT {
	case unix.S_IFDIR:
		m |= fs.ModeDir
	case unix.S_IFLNK:
		m |= fs.ModeSymlink
	case unix.S_IFIFO:
		m |= fs.ModeNamedPipe
	case unix.S_IFSOCK:
		m |= fs.ModeSocket
	case unix.S_IFCHR:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case unix.S_IFBLK:
		m |= fs.ModeDevice
	}
	return m
}

// dirCache holds the directories of one HashFiles run open, so that each
// file is opened relative to its directory: one name for the kernel to look
// up instead of every element of the path, which on a tree of 100,000
// small files is a tenth of the time spent opening them. The directories
// are opened with O_PATH (no read permission needed, nothing read) and
// closed when the run ends.
type dirCache struct {
	fds sync.Map // directory path -> descriptor, or -1 if it would not open
	n   atomic.Int32
}

// maxCachedDirs bounds the descriptors held: past it, paths are opened
// whole, as without a cache.
const maxCachedDirs = 256

func newDirCache() *dirCache { return &dirCache{} }

// at returns the descriptor to open path relative to, and the name to
// open there. A nil cache, a path with no directory or a directory that
// could not be held open gives the whole path, relative to the working
// directory.
func (c *dirCache) at(path string) (int, string) {
	i := strings.LastIndexByte(path, '/')
	if c == nil || i < 0 || i == len(path)-1 {
		return unix.AT_FDCWD, path
	}
	dir, name := path[:i], path[i+1:]
	if dir == "" {
		dir = "/"
	}
	if v, ok := c.fds.Load(dir); ok {
		if fd := v.(int); fd >= 0 {
			return fd, name
		}
		return unix.AT_FDCWD, path
	}
	if c.n.Load() >= maxCachedDirs {
		return unix.AT_FDCWD, path
	}
	fd, err := unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		fd = -1 // the whole path then says what is wrong
	}
	if v, loaded := c.fds.LoadOrStore(dir, fd); loaded {
		if fd >= 0 {
			unix.Close(fd)
		}
		fd = v.(int)
	} else if fd >= 0 {
		c.n.Add(1)
	}
	if fd < 0 {
		return unix.AT_FDCWD, path
	}
	return fd, name
}

// close closes every directory held.
func (c *dirCache) close() {
	c.fds.Range(func(_, v any) bool {
		if fd := v.(int); fd >= 0 {
			unix.Close(fd)
		}
		return true
	})
}

// statPath stats path, following a link as os.Stat does, into values:
// os.Stat's fs.FileInfo is an allocation a file and a collection's work,
// about a quarter of each stat's time here. The inode number is the
// order of files on a disk near enough (file systems allocate both from
// the same groups).
func statPath(path string) (fs.FileMode, int64, uint64, error) {
	var st unix.Stat_t
	for {
		err := unix.Stat(path, &st)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, 0, 0, err
		}
		return modeOf(st.Mode), st.Size, st.Ino, nil
	}
}
