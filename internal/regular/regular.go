// Package regular opens the files sverka reads whole — a formular, a key,
// a signature, a settings file — or as a stream — a checksum list — so
// that no path can stop a check from ending: a FIFO or a device where a
// file is expected is refused without waiting for a writer, and what is
// read is capped.
package regular

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// NotRegularError says that a path names something other than a regular
// file: a FIFO, a device, a directory.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file", e.Path, Kind(e.Mode))
}

// TooLargeError says that a file holds more than its kind of file may.
type TooLargeError struct {
	Path  string
	Limit int64
	What  string // "a formular", "a key or signature file", ...
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is larger than %s, the most %s may be", e.Path, Size(e.Limit), e.What)
}

// Kind names a file type the way a message says it: "a FIFO", "a
// directory", "a character device".
func Kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "a special file"
}

// Size writes a byte count the way limits are documented: 1 GiB, 8 KiB.
func Size(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Open opens path read-only and returns it only if it is a regular file.
// The open itself does not wait: a FIFO without a writer would block an
// ordinary open forever, so the file is opened non-blocking, checked with
// fstat, and only then made blocking again for the reads.
func Open(path string) (*os.File, error) {
	f, err := open(path)
	if err != nil {
		return nil, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		f.Close()
		return nil, &NotRegularError{Path: path, Mode: fi.Mode()}
	}
	return f, nil
}

// ReadFile reads the regular file at path whole, refusing one larger than
// limit bytes; what names the kind of file in that error.
func ReadFile(path string, limit int64, what string) ([]byte, error) {
	f, err := Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadAll(f, path, limit, what)
}

// ReadAll reads r to its end, refusing more than limit bytes: a file that
// grows while it is read is stopped at the limit, whatever its size said.
// path and what name it in the error.
func ReadAll(r io.Reader, path string, limit int64, what string) ([]byte, error) {
	size := 0
	if f, ok := r.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
			if fi.Size() > limit {
				return nil, &TooLargeError{Path: path, Limit: limit, What: what}
			}
			size = int(fi.Size())
		}
	}
	r = LimitReader(r, path, limit, what)
	// One byte more than stat says, so that the end is seen in the last
	// read rather than in one more.
	data := make([]byte, 0, size+1)
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := r.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if errors.Is(err, io.EOF) {
			return data, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// LimitReader reads r, refusing it with a TooLargeError (path and what
// name it) once more than limit bytes came: a file read as a stream that
// grows meanwhile is stopped at the limit, as ReadAll stops one.
func LimitReader(r io.Reader, path string, limit int64, what string) io.Reader {
	return &limited{r: r, err: &TooLargeError{Path: path, Limit: limit, What: what}, left: limit}
}

type limited struct {
	r    io.Reader
	err  *TooLargeError
	left int64
}

func (l *limited) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return 0, l.err
	}
	return n, err
}
