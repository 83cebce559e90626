package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/config"
)

// verifyFlags is verify's flag set, as --config reads keys from it.
func verifyFlags() *pflag.FlagSet {
	fs := pflag.NewFlagSet("verify", pflag.ContinueOnError)
	new(verifyOpts).flags(fs)
	return fs
}

// The units pass systemd-analyze verify with no warning, and the
// service's command line is one verify takes.
func TestSystemdUnits(t *testing.T) {
	dir := filepath.Join("..", "..", "deploy", "systemd")
	svc, err := os.ReadFile(filepath.Join(dir, "sverka-verify.service"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^ExecStart=/usr/bin/sverka verify (.*)$`).FindSubmatch(svc)
	if m == nil {
		t.Fatal("the service runs no /usr/bin/sverka verify")
	}
	fs := verifyFlags()
	if err := fs.Parse(strings.Fields(string(m[1]))); err != nil || fs.NArg() > 0 {
		t.Errorf("ExecStart: %v %q", err, fs.Args())
	}
	if c, _ := fs.GetString("config"); c != "/etc/sverka/verify.conf" {
		t.Errorf("ExecStart reads %q, not /etc/sverka/verify.conf", c)
	}
	for _, want := range []string{"ProtectSystem=strict", "ReadWritePaths=/var/lib/sverka/reports", "PrivateTmp=true",
		"NoNewPrivileges=true", "ProtectHome=read-only", "CapabilityBoundingSet=CAP_DAC_READ_SEARCH", "Nice=19", "IOSchedulingClass=idle"} {
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want) + `$`).Match(svc) {
			t.Errorf("the service lacks %s", want)
		}
	}
	if _, err := exec.LookPath("systemd-analyze"); err != nil {
		t.Skip("systemd-analyze is not installed")
	}
	// systemd-analyze wants the program to exist: this test's binary
	// stands for /usr/bin/sverka. The man pages are checked where the
	// package installs them (.ci/run).
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	for _, name := range []string{"sverka-verify.service", "sverka-verify.timer"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		b = bytes.ReplaceAll(b, []byte("/usr/bin/sverka"), []byte(self))
		if err := os.WriteFile(filepath.Join(tmp, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("systemd-analyze", "verify", "--man=no", "sverka-verify.service", "sverka-verify.timer")
	cmd.Dir = tmp
	out, err := cmd.CombinedOutput()
	if err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// The example configuration reads with verify's keys, and so does each
// key it shows commented out.
func TestExampleConfig(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "deploy", "systemd", "verify.conf"))
	if err != nil {
		t.Fatal(err)
	}
	keys := configKeys(verifyFlags())
	f, err := config.Parse(b, "verify.conf", keys)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"formular", "public-key-file", "installed", "reports", "period"} {
		if _, ok := f.Get(k); !ok {
			t.Errorf("the example gives no %s", k)
		}
	}
	shown := regexp.MustCompile(`(?m)^# ([a-z-]+ += .*)$`).FindAllSubmatch(b, -1)
	if len(shown) < 4 {
		t.Fatalf("%d keys shown commented out", len(shown))
	}
	for _, s := range shown {
		if _, err := config.Parse(s[1], "verify.conf", keys); err != nil {
			t.Errorf("commented out: %v", err)
		}
	}
}

// The scheduled task for Windows is well-formed and runs the check as
// SYSTEM, at the lowest priority, with the configuration file.
func TestWindowsTask(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "deploy", "windows", "sverka-verify.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var task struct {
		Trigger struct {
			RandomDelay string
			Interval    int `xml:"ScheduleByDay>DaysInterval"`
		} `xml:"Triggers>CalendarTrigger"`
		UserID    string `xml:"Principals>Principal>UserId"`
		LogonType string `xml:"Principals>Principal>LogonType"`
		Settings  struct {
			StartWhenAvailable bool
			Priority           int
		}
		Exec struct{ Command, Arguments string } `xml:"Actions>Exec"`
	}
	if err := xml.Unmarshal(b, &task); err != nil {
		t.Fatal(err)
	}
	switch {
	case task.UserID != "S-1-5-18" || task.LogonType != "ServiceAccount":
		t.Errorf("runs as %q (%s), not SYSTEM", task.UserID, task.LogonType)
	case task.Settings.Priority != 10:
		t.Errorf("priority %d, not the lowest (10)", task.Settings.Priority)
	case !task.Settings.StartWhenAvailable:
		t.Error("a missed run is not made up")
	case task.Trigger.Interval != 1 || task.Trigger.RandomDelay == "":
		t.Errorf("trigger %+v: not daily with a random delay", task.Trigger)
	case !strings.HasSuffix(task.Exec.Command, `\sverka.exe"`) || task.Exec.Arguments != `verify --config "%ProgramData%\sverka\verify.conf"`:
		t.Errorf("runs %s %s", task.Exec.Command, task.Exec.Arguments)
	}
}
