package nice

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"golang.org/x/sys/windows"

	"github.com/sverka/sverka/internal/wintest"
)

// Lowering is for good: it runs in a child process, this test binary
// again with helperEnv set.
const helperEnv = "SVERKA_NICE_HELPER"

func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		l, err := Lower()
		if err != nil {
			os.Stderr.WriteString("Lower: " + err.Error() + "\n")
			os.Exit(3)
		}
		os.Stdout.WriteString(l.String() + "\n")
		c, err := windows.GetPriorityClass(windows.CurrentProcess())
		if err != nil || c != windows.IDLE_PRIORITY_CLASS {
			os.Stderr.WriteString("priority class is not IDLE_PRIORITY_CLASS\n")
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestLowerIdleClass(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("the process is not in the idle priority class: %v", err)
	}
	// Wine refuses background mode; Windows takes it.
	if !strings.Contains(string(out), "CPU priority idle priority class; I/O priority background mode") &&
		!(wintest.Wine() && strings.Contains(string(out), "background mode refused")) {
		t.Errorf("Lowered says %q", out)
	}
}
