package hostinfo

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"unicode/utf8"

	"github.com/sverka/sverka/internal/lazyre"
	"github.com/sverka/sverka/internal/regular"
)

// A host is named in a fleet by its machine id, which survives a change
// of hostname and tells apart hosts that share one. An id file left blank
// or "uninitialized" for first boot (machine-id(5); container images ship
// it so) holds no id, as if it were absent. A malformed id is an error
// naming the file and what is accepted, so that the operator gives
// --host-id rather than the report silently naming the host by something
// else.

// MaxNameLen bounds a host id or group name, in bytes: an inventory
// name, not a document.
const MaxNameLen = 255

// CheckName refuses what cannot name a host or a group: the empty string,
// more than MaxNameLen bytes, invalid UTF-8, control characters, and the
// characters that can make one name read as another (line and paragraph
// separators, bidirectional formatting). what names the value in the
// error, e.g. "--host-id".
func CheckName(what, s string) error {
	switch {
	case s == "":
		return fmt.Errorf("%s: empty", what)
	case len(s) > MaxNameLen:
		return fmt.Errorf("%s: %d bytes, more than %d", what, len(s), MaxNameLen)
	case !utf8.ValidString(s):
		return fmt.Errorf("%s %q: not valid UTF-8", what, s)
	}
	for i, r := range s {
		if unsafeRune(r) {
			return fmt.Errorf("%s %q: control or formatting character U+%04X at byte %d", what, s, r, i)
		}
	}
	return nil
}

// unsafeRune is a character CheckName refuses: those safetext escapes.
func unsafeRune(r rune) bool {
	switch {
	case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r == 0x2028, r == 0x2029:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// machineIDLen is the length of a machine-id(5): 128 bits in lower-case hex.
const machineIDLen = 32

// ParseMachineID reads the content of a machine-id(5) file
// (/etc/machine-id, /var/lib/dbus/machine-id): 32 lower-case hex digits
// and one newline (or none), not all zero. Anything else is refused,
// saying so: an empty file or "uninitialized" (a system image awaiting
// its first boot) names no host.
func ParseMachineID(data []byte) (string, error) {
	s := strings.TrimSuffix(string(data), "\n")
	if len(s) != machineIDLen || !isLowerHex(s) {
		return "", fmt.Errorf("not a machine id: expected %d lower-case hex digits and a newline, found %s", machineIDLen, describe(data))
	}
	if strings.Trim(s, "0") == "" {
		return "", errors.New("not a machine id: all zero")
	}
	return s, nil
}

// describe says briefly what a malformed id file holds.
func describe(data []byte) string {
	switch {
	case len(data) == 0:
		return "an empty file"
	case len(data) > 64:
		return fmt.Sprintf("%d bytes", len(data))
	}
	return fmt.Sprintf("%q", data)
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return s != ""
}

// reUUID is a UUID as Windows (MachineGuid) and macOS (IOPlatformUUID)
// write it: 8-4-4-4-12 hex digits, either case.
var reUUID = lazyre.New(`^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$`)

// ParseUUID checks a MachineGuid or IOPlatformUUID and gives it in lower
// case, so that one host has one id whichever tool printed it.
func ParseUUID(s string) (string, error) {
	if !reUUID().MatchString(s) {
		return "", fmt.Errorf("not a UUID (8-4-4-4-12 hex digits): %q", s)
	}
	if strings.Trim(s, "0-") == "" {
		return "", errors.New("not a machine id: all zero")
	}
	return strings.ToLower(s), nil
}

// ParseIOReg finds the IOPlatformUUID in the output of
// `ioreg -rd1 -c IOPlatformExpertDevice`, a line such as
//
//	"IOPlatformUUID" = "564D8E4B-4D2F-3E8C-9A7B-5E2F1C0D9A3B"
//
// and checks it with ParseUUID. The key given twice is refused: which of
// two would name the host cannot be told.
func ParseIOReg(out []byte) (string, error) {
	var found []string
	for line := range strings.Lines(string(out)) {
		k, v, ok := strings.Cut(strings.TrimSpace(line), "=")
		if !ok || strings.TrimSpace(k) != `"IOPlatformUUID"` {
			continue
		}
		v = strings.TrimSpace(v)
		if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
			return "", fmt.Errorf("IOPlatformUUID: not a quoted string: %q", v)
		}
		found = append(found, v[1:len(v)-1])
	}
	switch len(found) {
	case 0:
		return "", errors.New("no IOPlatformUUID in the output of ioreg")
	case 1:
		return ParseUUID(found[0])
	}
	return "", fmt.Errorf("IOPlatformUUID given %d times in the output of ioreg", len(found))
}

// readMachineIDFiles takes the machine id from the first of files that
// exists. A missing file passes to the next; a malformed or unreadable
// one (a FIFO, a device, more than a few bytes) is an error naming it.
// "" and no error: none of them exists.
func readMachineIDFiles(files ...string) (string, error) {
	for _, name := range files {
		data, err := regular.ReadFile(name, 4096, "machine id file")
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("machine id: %w", err)
		}
		if t := strings.TrimSpace(string(data)); t == "" || t == "uninitialized" {
			continue // no id yet: the next source, else the hostname
		}
		id, err := ParseMachineID(data)
		if err != nil {
			return "", fmt.Errorf("machine id: %s: %w", name, err)
		}
		return id, nil
	}
	return "", nil
}
