// Package nice lowers the priority of the running process, so that a check
// run on a production host yields the processors and the disks to the
// host's own work (`--nice`).
package nice

import "strings"

// Lowered says what Lower did.
type Lowered struct {
	// IO names the I/O priority now in force ("idle"), empty when the
	// system offers none sverka sets.
	IO string
	// CPU is the scheduling priority now in force, as the system names it
	// ("nice 19", "idle priority class").
	CPU string
	// Left names what this system could lower and sverka does not.
	Left []string
}

// String says it in one line, for -v.
func (l Lowered) String() string {
	var parts []string
	if l.CPU != "" {
		parts = append(parts, "CPU priority "+l.CPU)
	}
	if l.IO != "" {
		parts = append(parts, "I/O priority "+l.IO)
	}
	if len(l.Left) > 0 {
		parts = append(parts, "not lowered: "+strings.Join(l.Left, ", "))
	}
	return strings.Join(parts, "; ")
}
