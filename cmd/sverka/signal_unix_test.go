//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// sverkaIn runs the sverka command (the test binary, set up on PATH by
// TestMain) in dir and fails the test unless it exits with want.
func sverkaIn(t *testing.T, dir string, want int, args ...string) string {
	t.Helper()
	cmd := exec.Command("sverka", args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != want {
		t.Fatalf("sverka %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, out.String())
	}
	return out.String()
}

// slowKit makes a signed formular of an ISO image grown (sparse) to 64
// GiB, its row saying so, so that its check reads for minutes.
func slowKit(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	iso, err := os.ReadFile(filepath.Join("..", "..", "testdata", "iso", "plain.iso"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "kit.iso"), iso, 0o644); err != nil {
		t.Fatal(err)
	}
	sverkaIn(t, dir, 0, "keygen", "-W", "-p", "k.pub", "-s", "k.key")
	sverkaIn(t, dir, 0, "formular", "make", "--media", "kit.iso", "--set", "product=Demo", "-o", "f.txt")
	// The image made sparse and long, and the formular saying so: an
	// image far longer than its row would be judged by its size alone,
	// unread.
	const long = 64 << 30
	f := filepath.Join(dir, "f.txt")
	text, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	row := fmt.Sprintf(" %d kit.iso\n", len(iso))
	if !bytes.Contains(text, []byte(row)) {
		t.Fatalf("no image row %q in\n%s", row, text)
	}
	text = bytes.Replace(text, []byte(row), []byte(fmt.Sprintf(" %d kit.iso\n", long)), 1)
	if err := os.WriteFile(f, text, 0o644); err != nil {
		t.Fatal(err)
	}
	sverkaIn(t, dir, 0, "sign", "-s", "k.key", "f.txt")
	if err := os.Truncate(filepath.Join(dir, "kit.iso"), long); err != nil {
		t.Fatal(err)
	}
	return dir
}

// interrupt starts sverka, waits until ready says it is at work, sends
// sig and returns the exit code, the output and how long it took to end.
func interrupt(t *testing.T, dir string, sig os.Signal, ready func() bool, args ...string) (int, string, time.Duration) {
	t.Helper()
	cmd := exec.Command("sverka", args...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for deadline := time.Now().Add(promptLimit); !ready(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("sverka %s did not get to work:\n%s", strings.Join(args, " "), out.String())
		}
	}
	time.Sleep(200 * time.Millisecond) // well into the work
	sent := time.Now()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	var err error
	select {
	case err = <-exited:
	case <-time.After(promptLimit):
		cmd.Process.Kill()
		<-exited
		t.Fatalf("sverka %s still running %v after %v", strings.Join(args, " "), promptLimit, sig)
	}
	took := time.Since(sent)
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("sverka %s after %v: %v", strings.Join(args, " "), sig, err)
	}
	return ee.ExitCode(), out.String(), took
}

// SIGINT and SIGTERM end a check that is reading within a second: exit 2,
// "interrupted", and the CANNOT CHECK report that was asked for.
func TestInterruptCheck(t *testing.T) {
	dir := slowKit(t)
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		for _, format := range []string{"json", "html"} {
			name := "r." + format
			tmp := filepath.Join(dir, "."+name+".tmp-*")
			ready := func() bool { m, _ := filepath.Glob(tmp); return len(m) > 0 }
			code, out, took := interrupt(t, dir, sig, ready,
				"verify", "-f", "f.txt", "-p", "k.pub", "--media", "kit.iso", "--format", format, "-o", name)
			t.Logf("%v, --format %s: ended %v after the signal", sig, format, took.Round(time.Millisecond))
			if code != exitError || !strings.Contains(out, "sverka: interrupted\n") {
				t.Errorf("%v: exit %d, output %q; want 2 and interrupted", sig, code, out)
			}
			rep, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatalf("%v: no report: %v", sig, err)
			}
			if !bytes.Contains(rep, []byte("CANNOT CHECK")) || !bytes.Contains(rep, []byte("interrupted")) {
				t.Errorf("%v: the %s report does not say CANNOT CHECK, interrupted:\n%s", sig, format, rep)
			}
			if m, _ := filepath.Glob(tmp); len(m) > 0 {
				t.Errorf("%v: temporary file left: %v", sig, m)
			}
			os.Remove(filepath.Join(dir, name))
		}
	}
}

// A report asked for on standard output is written there.
func TestInterruptCheckToStdout(t *testing.T) {
	dir := slowKit(t)
	start := time.Now()
	code, out, took := interrupt(t, dir, os.Interrupt, func() bool { return time.Since(start) > 300*time.Millisecond },
		"verify", "-f", "f.txt", "-p", "k.pub", "--media", "kit.iso", "--format", "json")
	t.Logf("ended %v after the signal", took.Round(time.Millisecond))
	if code != exitError || !strings.Contains(out, `"verdict": "CANNOT CHECK"`) || !strings.Contains(out, "sverka: interrupted") {
		t.Errorf("exit %d, output:\n%s", code, out)
	}
}

// 'hash' of a FIFO named on the command line waits for its writer, as
// sha256sum does (sha256sum <(cmd) is a legitimate use): the read cannot
// be cancelled, and the signal still ends the process.
func TestInterruptStuckRead(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		start := time.Now()
		code, out, took := interrupt(t, dir, sig, func() bool { return time.Since(start) > 300*time.Millisecond }, "hash", "pipe")
		t.Logf("%v: ended %v after the signal", sig, took.Round(time.Millisecond))
		if code != exitError || strings.TrimSpace(out) != "sverka: interrupted" {
			t.Errorf("%v: exit %d, output %q", sig, code, out)
		}
	}
}

// -f /dev/zero is refused before it is read: the process stays small.
func TestDevZeroNoGrowth(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	sverkaIn(t, dir, 0, "keygen", "-W", "-p", "k.pub", "-s", "k.key")
	cmd := exec.Command("sverka", "verify", "-f", "/dev/zero", "-p", "k.pub", "--media", ".")
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// A read of the device would never end: past the limit it is killed
	// and the test fails.
	kill := time.AfterFunc(promptLimit, func() { cmd.Process.Kill() })
	err := cmd.Wait()
	kill.Stop()
	took := time.Since(start)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitError {
		t.Fatalf("verify -f /dev/zero: %v, want exit 2", err)
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		t.Skip("no resource usage here")
	}
	rss := int64(ru.Maxrss) << 10 // KiB, but bytes on macOS
	if runtime.GOOS == "darwin" {
		rss = int64(ru.Maxrss)
	}
	t.Logf("verify -f /dev/zero: exit 2 in %v, max RSS %d MiB", took.Round(time.Millisecond), rss>>20)
	if took > promptLimit {
		t.Errorf("took %v", took)
	}
	if rss > 256<<20 {
		t.Errorf("max RSS %d MiB: the device was read", rss>>20)
	}
}

// SIGINT and SIGTERM stop the dashboard: it is how a server ends, not an
// interruption, so the exit is 0 and nothing says "interrupted".
func TestStopFleetServe(t *testing.T) {
	dir := t.TempDir()
	demo, err := filepath.Abs(filepath.Join("..", "..", "testdata", "demo"))
	if err != nil {
		t.Fatal(err)
	}
	sverkaIn(t, dir, 0, "verify", "-f", filepath.Join(demo, "formular.txt"), "-p", filepath.Join(demo, "demo.pub"),
		"--media", filepath.Join(demo, "kit"), "--host-id", "h1", "--format", "json", "-o", "r.json")
	sverkaIn(t, dir, 0, "fleet", "ingest", "--db", "f.db", "r.json")
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		cmd := exec.Command("sverka", "fleet", "serve", "--db", "f.db", "--listen", addr)
		cmd.Dir = dir
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		for deadline := time.Now().Add(promptLimit); ; time.Sleep(20 * time.Millisecond) {
			if r, err := http.Get("http://" + addr + "/hosts"); err == nil {
				r.Body.Close()
				if r.StatusCode == http.StatusOK {
					break
				}
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				<-exited
				t.Fatalf("fleet serve did not answer on %s:\n%s", addr, out.String())
			}
		}
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
		select {
		case err = <-exited:
		case <-time.After(stopGrace + promptLimit):
			cmd.Process.Kill()
			<-exited
			t.Fatalf("%v: fleet serve still running", sig)
		}
		if err != nil || strings.Contains(out.String(), "interrupted") {
			t.Errorf("%v: %v, output:\n%s\nwant exit 0 and no 'interrupted'", sig, err, out.String())
		}
	}
}
