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
	// Background mode is the I/O half. A system that refuses it (Wine
	// does) still has the idle class: said under -v, not a failure.
	if err := windows.SetPriorityClass(p, windows.PROCESS_MODE_BACKGROUND_BEGIN); err != nil {
		return Lowered{CPU: "idle priority class",
			Left: []string{fmt.Sprintf("I/O and memory priority: background mode refused (%v)", err)}}, nil
	}
	return Lowered{CPU: "idle priority class", IO: "background mode (very low I/O, low memory priority)"}, nil
}
