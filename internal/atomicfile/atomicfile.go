// Package atomicfile writes the files sverka produces (reports, formulars,
// keys, signatures) whole or not at all, so that a check that fails or is
// interrupted never leaves a truncated report where a good one was.
package atomicfile

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// File is a file written whole or not at all: what is written goes to
// a temporary file beside the destination, renamed over it by Commit. A
// check that fails, is interrupted or is killed part-way leaves the
// previous file as it was, never a truncated one. It is created before
// the work that fills it starts, so that a destination that cannot be
// written is found before a long check rather than after it.
//
// A destination that exists and is not a regular file (a terminal,
// /dev/stdout, a pipe) is written directly: there is nothing to replace.
type File struct {
	path   string   // where the file ends up
	f      *os.File // the temporary file, or the destination itself
	direct bool
}

// Create prepares path to be written. A new file gets perm less the
// umask, as os.Create would give it; a file replaced keeps its permission
// bits, made no looser than perm. A symbolic link is written through: the
// file it names is replaced, the link stays.
func Create(path string, perm os.FileMode) (*File, error) {
	if real, err := filepath.EvalSymlinks(path); err == nil {
		path = real
	}
	mode, exists := perm, false
	switch fi, err := os.Stat(path); {
	case err == nil && fi.IsDir():
		return nil, fmt.Errorf("%s is a directory", path)
	case err == nil && !fi.Mode().IsRegular():
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, err
		}
		return &File{path: path, f: f, direct: true}, nil
	case err == nil:
		mode, exists = fi.Mode().Perm()&perm, true
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	dir := filepath.Dir(path)
	if fi, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("%s: the directory %s: %w", path, dir, osErr(err))
	} else if !fi.IsDir() {
		return nil, fmt.Errorf("%s: %s is not a directory", path, dir)
	}
	for range 16 {
		var b [6]byte
		rand.Read(b[:])
		tmp := filepath.Join(dir, "."+filepath.Base(path)+".tmp-"+hex.EncodeToString(b[:]))
		// O_EXCL: a name planted in a shared directory is never written
		// through. The kernel applies the umask to mode.
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: cannot write in %s: %w", path, dir, osErr(err))
		}
		if exists {
			// The umask must not loosen nor tighten what the file had.
			if err := f.Chmod(mode); err != nil {
				f.Close()
				os.Remove(tmp)
				return nil, err
			}
		}
		return &File{path: path, f: f}, nil
	}
	return nil, fmt.Errorf("%s: no free temporary name in %s", path, dir)
}

func (o *File) Write(p []byte) (int, error) { return o.f.Write(p) }

// Direct reports whether the destination is written directly (a terminal,
// a pipe): what is written there cannot be taken back by Abort.
func (o *File) Direct() bool { return o.direct }

// Commit puts what was written in place: flushed to the disk first, so
// that a crash right after leaves either file whole.
func (o *File) Commit() error {
	f := o.f
	if f == nil {
		return fmt.Errorf("writing %s: already closed", o.path)
	}
	o.f = nil
	if o.direct {
		return f.Close()
	}
	tmp := f.Name()
	err := f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, o.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", o.path, err)
	}
	return nil
}

// Abort drops what was written; the destination stays as it was. After
// Commit, or on a nil File, it does nothing.
func (o *File) Abort() {
	if o == nil || o.f == nil {
		return
	}
	o.f.Close()
	if !o.direct {
		os.Remove(o.f.Name())
	}
	o.f = nil
}

// WriteFile writes data to path through Create: a reader never
// sees half a key, formular or signature.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	out, err := Create(path, perm)
	if err != nil {
		return err
	}
	if _, err := out.Write(data); err != nil {
		out.Abort()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return out.Commit()
}

// osErr is the cause of a path error: the messages name the path once.
func osErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
