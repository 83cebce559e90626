package checksum

import (
	"errors"
	"fmt"
	"strings"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	kernel32         = windows.NewLazySystemDLL("kernel32.dll")
	findFirstStreamW = kernel32.NewProc("FindFirstStreamW")
	findNextStreamW  = kernel32.NewProc("FindNextStreamW")
)

// win32FindStreamData is WIN32_FIND_STREAM_DATA.
type win32FindStreamData struct {
	StreamSize int64
	StreamName [windows.MAX_PATH + 36]uint16
}

// HasStreams says whether files here can carry alternate data streams
// that Streams lists: only on Windows.
const HasStreams = true

// Streams lists the alternate data streams of the file at path (NTFS's
// name:stream), by name, without the file's own unnamed stream. A file
// system without streams (FAT, a network share that does not say, Wine's
// Unix directories) has none: nil, nil.
func Streams(path string) ([]string, error) {
	p, err := windows.UTF16PtrFromString(fixLongPath(path))
	if err != nil {
		return nil, fmt.Errorf("streams of %s: %w", path, err)
	}
	var data win32FindStreamData
	// FindStreamInfoStandard is 0; the last argument is reserved.
	h, _, e := findFirstStreamW.Call(uintptr(unsafe.Pointer(p)), 0, uintptr(unsafe.Pointer(&data)), 0)
	if windows.Handle(h) == windows.InvalidHandle {
		switch {
		case errors.Is(e, windows.ERROR_HANDLE_EOF):
			return nil, nil // no stream at all, not even the unnamed one
		case errors.Is(e, windows.ERROR_INVALID_PARAMETER), errors.Is(e, windows.ERROR_INVALID_FUNCTION),
			errors.Is(e, windows.ERROR_NOT_SUPPORTED), errors.Is(e, windows.ERROR_CALL_NOT_IMPLEMENTED):
			return nil, nil // no streams on this file system
		}
		return nil, fmt.Errorf("streams of %s: %w", path, e)
	}
	defer windows.FindClose(windows.Handle(h))
	var names []string
	for {
		name := windows.UTF16ToString(data.StreamName[:])
		// ":name:$DATA"; the file's own content is "::$DATA".
		if name != "::$DATA" {
			names = append(names, strings.TrimSuffix(strings.TrimPrefix(name, ":"), ":$DATA"))
		}
		r, _, e := findNextStreamW.Call(h, uintptr(unsafe.Pointer(&data)))
		if r == 0 {
			if errors.Is(e, windows.ERROR_HANDLE_EOF) {
				return names, nil
			}
			return names, fmt.Errorf("streams of %s: %w", path, e)
		}
	}
}

// fixLongPath gives an absolute path longer than MAX_PATH the \\?\ form
// that the wide Win32 calls need; os does the same for its own calls.
func fixLongPath(path string) string {
	if len(path) < 248 || strings.HasPrefix(path, `\\`) || len(path) < 3 || path[1] != ':' {
		return path
	}
	return `\\?\` + strings.ReplaceAll(path, "/", `\`)
}
