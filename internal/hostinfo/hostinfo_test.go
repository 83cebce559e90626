package hostinfo

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"runtime"
	"testing"
	"time"
)

func TestProbe(t *testing.T) {
	f := Probe()
	if f.OS != runtime.GOOS || f.Arch != runtime.GOARCH {
		t.Errorf("OS %q, Arch %q; want %q, %q", f.OS, f.Arch, runtime.GOOS, runtime.GOARCH)
	}
	if h, err := os.Hostname(); err == nil && f.Host != h {
		t.Errorf("Host %q, want %q", f.Host, h)
	}
}

func TestExecutableDigest(t *testing.T) {
	got, err := ExecutableDigest()
	if err != nil {
		t.Fatal(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if want := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("ExecutableDigest() = %s, want %s", got, want)
	}
}

// The digest taken in the background is the one taken in the foreground.
func TestStartExecutableDigest(t *testing.T) {
	want, err := ExecutableDigest()
	if err != nil {
		t.Fatal(err)
	}
	d := StartExecutableDigest()
	if got, err := d.Wait(0); err != nil || got != want {
		t.Fatalf("Wait(0) = %q, %v; want %q", got, err, want)
	}
	if got, err := d.Wait(time.Nanosecond); err != nil || got != want {
		t.Fatalf("Wait after the digest was taken = %q, %v; want %q", got, err, want)
	}
}
