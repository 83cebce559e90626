package checksum

import (
	"fmt"
	"os"
	"sync/atomic"
)

// Spare keeps a check from filling the page cache with what it reads
// (`--nice`): before a file is read, the pages of it that are cached are
// noted (mincore); once it is read, the pages that were not cached before
// are dropped again (POSIX_FADV_DONTNEED), as the nocache tool does. A
// file cached whole before keeps its pages: the host's own work had them
// there. A nil *Spare spares nothing. It is safe for concurrent use.
//
// Only Linux has both calls; elsewhere a Spare counts the files and says
// they were not spared (see Supported).
type Spare struct {
	files, kept, dropped, unknown atomic.Int64
	droppedBytes                  atomic.Int64
}

// SpareStats is what a Spare did.
type SpareStats struct {
	// Files is the number of files held (empty ones are neither kept
	// nor dropped).
	Files int64
	// Kept were cached whole before they were read: nothing dropped.
	Kept int64
	// Dropped had pages that were not cached before; those were dropped
	// after the read, DroppedBytes of them.
	Dropped, DroppedBytes int64
	// Unknown could not be looked at (a file that cannot be mapped): all
	// of its pages were dropped after the read.
	Unknown int64
}

// Stats says what s did so far.
func (s *Spare) Stats() SpareStats {
	if s == nil {
		return SpareStats{}
	}
	return SpareStats{Files: s.files.Load(), Kept: s.kept.Load(), Dropped: s.dropped.Load(),
		DroppedBytes: s.droppedBytes.Load(), Unknown: s.unknown.Load()}
}

// String says it in one line, for -v.
func (st SpareStats) String() string {
	if !SpareSupported {
		return fmt.Sprintf("page cache: not spared on this system (%d files read)", st.Files)
	}
	return fmt.Sprintf("page cache: %d files read, %d kept as they were cached before, %d dropped after reading (%d bytes that were not cached before, %d files not looked at)",
		st.Files, st.Kept, st.Dropped+st.Unknown, st.DroppedBytes, st.Unknown)
}

// Hold notes which pages of f are cached now, before f is read; the
// function it returns drops, after the read, those that were not. f must
// stay open until then.
func (s *Spare) Hold(f *os.File) (release func()) {
	if s == nil {
		return func() {}
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return s.holdNone()
	}
	if err := rc.Control(func(fd uintptr) { release = s.holdFD(int(fd)) }); err != nil {
		return s.holdNone()
	}
	return release
}

// holdNone counts a file whose pages cannot be looked at.
func (s *Spare) holdNone() func() {
	s.files.Add(1)
	return func() {}
}
