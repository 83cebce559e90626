package checksum

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"
)

// Names Windows does not open as files of that name: a device name (CON,
// NUL, COM1, with or without an extension) opens the device, and a name
// ending in a dot or a space opens the name without them. A listed name
// of either kind, checked on Windows, would read something other than the
// file the formular names: an empty NUL would match the empty file's
// digest.
var (
	ErrReservedName = errors.New("a device name Windows reserves (CON, PRN, AUX, NUL, COM1–COM9, LPT1–LPT9): not opened")
	ErrDotSpaceName = errors.New("a name ending in a dot or a space, which Windows drops: not opened")
)

// WindowsName says why Windows would not open the file at path as named:
// ErrReservedName or ErrDotSpaceName, wrapped in a *fs.PathError, for the
// first element of path that is such a name; nil when there is none. The
// volume ("C:", "\\server\share", "\\?\C:") and "." and ".." are not
// names.
func WindowsName(path string) error {
	vol := filepath.VolumeName(path)
	for _, elem := range strings.FieldsFunc(path[len(vol):], func(r rune) bool { return r == '/' || r == '\\' }) {
		var err error
		switch {
		case elem == "." || elem == "..":
		case strings.HasSuffix(elem, ".") || strings.HasSuffix(elem, " "):
			err = ErrDotSpaceName
		case reservedName(elem):
			err = ErrReservedName
		}
		if err != nil {
			return &fs.PathError{Op: "open", Path: path, Err: err}
		}
	}
	return nil
}

// reservedName reports whether elem names a DOS device: the part before
// the first dot, without trailing spaces, in any case, is one of them.
func reservedName(elem string) bool {
	base, _, _ := strings.Cut(elem, ".")
	base = strings.ToUpper(strings.TrimRight(base, " "))
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) < 4 || (base[:3] != "COM" && base[:3] != "LPT") {
		return false
	}
	switch base[3:] {
	case "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
		return true
	}
	return false
}
