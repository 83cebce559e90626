package nice

import (
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// Lowering cannot be undone without privilege, so it runs in a child
// process: this test binary again, with helperEnv set.
const helperEnv = "SVERKA_NICE_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		os.Exit(helper())
	}
	os.Exit(m.Run())
}

// helper lowers itself, starts a thread after, and checks every thread.
func helper() int {
	l, err := Lower()
	if err != nil {
		os.Stderr.WriteString("Lower: " + err.Error() + "\n")
		return 3
	}
	os.Stdout.WriteString(l.String() + "\n")
	// A thread the runtime makes after Lower: a goroutine locked to its
	// thread while others keep the rest busy.
	done := make(chan struct{})
	go func() {
		runtime.LockOSThread()
		<-done
	}()
	for range 4 {
		go func() {
			runtime.LockOSThread()
			<-done
		}()
	}
	runtime.Gosched()
	defer close(done)
	tids, err := threads()
	if err != nil {
		os.Stderr.WriteString(err.Error() + "\n")
		return 3
	}
	bad := 0
	for _, tid := range tids {
		io, _, errno := unix.Syscall(unix.SYS_IOPRIO_GET, ioprioWhoProcess, uintptr(tid), 0)
		if errno != 0 {
			os.Stderr.WriteString("ioprio_get: " + errno.Error() + "\n")
			return 3
		}
		n, err := niceOf(tid)
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			return 3
		}
		os.Stdout.WriteString("thread " + strconv.Itoa(tid) + " class " + strconv.Itoa(int(io>>ioprioClassShift)) + " nice " + strconv.Itoa(n) + "\n")
		if io>>ioprioClassShift != ioprioClassIdle || n != lowestNice {
			bad++
		}
	}
	if bad > 0 {
		return 1
	}
	return 0
}

// niceOf reads a thread's nice value from its stat line (field 19).
func niceOf(tid int) (int, error) {
	b, err := os.ReadFile("/proc/self/task/" + strconv.Itoa(tid) + "/stat")
	if err != nil {
		return 0, err
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return strconv.Atoi(f[16]) // fields from the third on
}

func TestLowerEveryThread(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("a thread is not at the idle I/O class and nice 19: %v", err)
	}
	if !strings.Contains(string(out), "CPU priority nice 19; I/O priority idle") {
		t.Errorf("Lowered says %q", out)
	}
	if strings.Count(string(out), "thread ") < 2 {
		t.Errorf("fewer than two threads checked")
	}
}
