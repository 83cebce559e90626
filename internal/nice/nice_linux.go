package nice

import (
	"fmt"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// The ioprio_set interface (include/uapi/linux/ioprio.h).
const (
	ioprioWhoProcess = 1
	ioprioClassIdle  = 3
	ioprioClassShift = 13
)

// lowestNice is the weakest CPU priority (setpriority 19).
const lowestNice = 19

// Lower puts every thread of the process in the idle I/O class and at the
// lowest CPU priority. On Linux both are properties of a thread, not of
// the process: each thread there now is changed, and a thread made later
// inherits them from the thread that makes it. Threads are listed again
// until no new one appears, so that one made meanwhile is not missed.
func Lower() (Lowered, error) {
	done := map[int]bool{}
	for {
		tids, err := threads()
		if err != nil {
			return Lowered{}, err
		}
		more := false
		for _, tid := range tids {
			if done[tid] {
				continue
			}
			more = true
			if err := lowerThread(tid); err != nil {
				if err == unix.ESRCH {
					continue // ended meanwhile
				}
				return Lowered{}, err
			}
			done[tid] = true
		}
		if !more {
			return Lowered{IO: "idle", CPU: "nice " + strconv.Itoa(lowestNice)}, nil
		}
	}
}

func lowerThread(tid int) error {
	_, _, errno := unix.Syscall(unix.SYS_IOPRIO_SET, ioprioWhoProcess, uintptr(tid), ioprioClassIdle<<ioprioClassShift)
	if errno != 0 {
		if errno == unix.ESRCH {
			return errno
		}
		return fmt.Errorf("ioprio_set idle class for thread %d: %w", tid, errno)
	}
	if err := unix.Setpriority(unix.PRIO_PROCESS, tid, lowestNice); err != nil {
		if err == unix.ESRCH {
			return err
		}
		return fmt.Errorf("setpriority %d for thread %d: %w", lowestNice, tid, err)
	}
	return nil
}

// threads lists the process's threads.
func threads() ([]int, error) {
	ents, err := os.ReadDir("/proc/self/task")
	if err != nil {
		return nil, fmt.Errorf("listing the threads: %w", err)
	}
	tids := make([]int, 0, len(ents))
	for _, e := range ents {
		if tid, err := strconv.Atoi(e.Name()); err == nil {
			tids = append(tids, tid)
		}
	}
	if len(tids) == 0 {
		return nil, fmt.Errorf("listing the threads: /proc/self/task holds none")
	}
	return tids, nil
}
