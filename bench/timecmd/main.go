//go:build linux

// Command timecmd runs a command once and writes what bench/run reports
// of it: wall time, peak resident set and CPU time. The clock starts just
// before the command is started and stops when it has exited, so no
// shell, time(1) or date(1) of the script's is counted with it; each of
// those costs a fork and an exec, several milliseconds on a virtual
// machine, as much as a small check.
//
// Usage: timecmd OUT COMMAND [ARG...]
//
// OUT gets one line: nanoseconds, peak RSS in KiB, user and system
// seconds. Standard input, output and error are the command's; timecmd
// exits with its status (128 + N if signal N ended it).
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: timecmd OUT COMMAND [ARG...]")
		return 2
	}
	out, name, argv := args[0], args[1], args[2:]
	path, err := exec.LookPath(name)
	if err != nil {
		fmt.Fprintf(os.Stderr, "timecmd: %v\n", err)
		return 127
	}
	cmd := exec.Command(path, argv...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		fmt.Fprintf(os.Stderr, "timecmd: %v\n", err)
		return 126
	}
	st := cmd.ProcessState
	ru, _ := st.SysUsage().(*syscall.Rusage)
	var rss int64
	var user, sys time.Duration
	if ru != nil {
		rss = ru.Maxrss // KiB on Linux
		user, sys = time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
	}
	line := fmt.Sprintf("%d %d %.3f %.3f\n", wall.Nanoseconds(), rss, user.Seconds(), sys.Seconds())
	if err := os.WriteFile(out, []byte(line), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "timecmd: %v\n", err)
		return 125
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return st.ExitCode()
}
