package checksum

import (
	"bytes"
	"io"

	"github.com/sverka/sverka/internal/regular"
)

// MaxListSize bounds a checksum list file (or a document's text a table is
// read from): a list of a million files with several digests each is some
// 300 MB, and a path naming something endless must not exhaust memory.
const MaxListSize = 1 << 30

// listWhat names a checksum list in the errors of its size.
const listWhat = "a checksum list"

// ReadListFile reads a checksum list file whole: a regular file of at most
// MaxListSize bytes, opened without waiting. A FIFO or a device named as a
// list is refused, naming what it is; a list from a pipe is read from
// standard input instead, where the caller decides how long to wait.
func ReadListFile(path string) ([]byte, error) {
	return regular.ReadFile(path, MaxListSize, listWhat)
}

// ReadListFrom reads a checksum list from r (standard input, a pipe),
// named name in its errors, at most MaxListSize bytes, and parses it as
// ParseList does. A list larger than that is a *regular.TooLargeError;
// one whose reading failed, the reader's error.
func ReadListFrom(r io.Reader, name string, opt ReadOptions) (entries []Entry, bad []LineError, err error) {
	data, err := regular.ReadAll(r, name, MaxListSize, listWhat)
	if err != nil {
		return nil, nil, err
	}
	return ParseList(data, opt)
}

// ReadListPath reads and parses the checksum list file at path as
// ParseList parses ReadListFile's bytes, without holding the file's bytes
// beside its entries: a list of a million files is 100 MB, its entries
// 170 MB. Its lines are counted in a first pass, so that the entries are
// made once, as ParseList makes them. The file is opened and refused as
// ReadListFile opens and refuses it: a *regular.NotRegularError, a
// *regular.TooLargeError (also for a list that grows past MaxListSize
// while it is read), or the system's *fs.PathError, before any line is
// parsed, or wrapped with the list's name by ReadList once lines were.
func ReadListPath(path string, opt ReadOptions) (entries []Entry, bad []LineError, err error) {
	f, err := regular.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if fi.Size() > MaxListSize {
		return nil, nil, &regular.TooLargeError{Path: path, Limit: MaxListSize, What: listWhat}
	}
	return readCounted(f, path, MaxListSize, opt)
}

// readCounted is ReadListPath's reading of the open list rs: its lines
// counted, then parsed from its start, at most limit bytes each time.
func readCounted(rs io.ReadSeeker, path string, limit int64, opt ReadOptions) ([]Entry, []LineError, error) {
	lines, size, err := countLines(regular.LimitReader(rs, path, limit, listWhat))
	if err != nil {
		return nil, nil, err
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return nil, nil, err
	}
	opt.lines = entriesFor(lines, size)
	return ReadList(regular.LimitReader(rs, path, limit, listWhat), opt)
}

// countLines counts the line ends r holds, and its bytes.
func countLines(r io.Reader) (lines int, size int64, err error) {
	buf := make([]byte, 64<<10)
	for {
		n, err := r.Read(buf)
		lines += bytes.Count(buf[:n], []byte{'\n'})
		size += int64(n)
		if err == io.EOF {
			return lines, size, nil
		}
		if err != nil {
			return lines, size, err
		}
	}
}
