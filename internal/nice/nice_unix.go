//go:build unix && !linux

package nice

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// Lower sets the lowest CPU priority of the process. The I/O policy of
// macOS (setiopolicy_np) is a C library call that sverka, built without
// a C compiler, does not make; the BSDs have no I/O priority.
func Lower() (Lowered, error) {
	if err := unix.Setpriority(unix.PRIO_PROCESS, 0, 19); err != nil {
		return Lowered{}, fmt.Errorf("setpriority 19: %w", err)
	}
	return Lowered{CPU: "nice 19", Left: []string{"I/O priority (setiopolicy_np is not called)"}}, nil
}
