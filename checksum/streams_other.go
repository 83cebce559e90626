//go:build !windows

package checksum

// HasStreams says whether files here can carry alternate data streams
// that Streams lists: only on Windows.
const HasStreams = false

// Streams lists the alternate data streams of the file at path: none, off
// Windows (an NTFS disk mounted on Linux shows them, if at all, as
// extended attributes, which are not read).
func Streams(path string) ([]string, error) { return nil, nil }
