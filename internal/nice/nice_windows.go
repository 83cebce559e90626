package nice

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// Lower puts the process in the idle priority class, then in background
// mode, in which Windows also lowers its I/O and memory priority: the
// pages it reads go to the low-priority end of the standby list, the
// first to be reused.
func Lower() (Lowered, error) {
	p := windows.CurrentProcess()
	if err := windows.SetPriorityClass(p, windows.IDLE_PRIORITY_CLASS); err != nil {
		return Lowered{}, fmt.Errorf("SetPriorityClass IDLE_PRIORITY_CLASS: %w", err)
	}
	if err := windows.SetPriorityClass(p, windows.PROCESS_MODE_BACKGROUND_BEGIN); err != nil {
		return Lowered{}, fmt.Errorf("SetPriorityClass PROCESS_MODE_BACKGROUND_BEGIN: %w", err)
	}
	return Lowered{CPU: "idle priority class", IO: "background mode (very low I/O, low memory priority)"}, nil
}
