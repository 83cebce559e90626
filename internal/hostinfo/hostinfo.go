// Package hostinfo learns the facts of the run that a report records
// about where it was made: the host's name and machine id, operating
// system and its version, architecture and user, and the digest of the
// running executable; and the rules a host id or group name follows.
package hostinfo

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"runtime"
	"time"
)

// Facts describe the host a check runs on. Each fact is learnt on its
// own, and one that cannot be learnt stays empty: a report then says
// less rather than something guessed.
type Facts struct {
	Host string // the host name
	// MachineID is the id the system gives the host: machine-id(5) on
	// Linux and the BSDs, the MachineGuid on Windows, the IOPlatformUUID
	// on macOS. Empty when there is none, or MachineIDErr says why not.
	MachineID    string
	MachineIDErr error  // a source of the id exists but is malformed or unreadable
	OS           string // runtime.GOOS
	OSVersion    string // distribution and kernel release, or the Windows version
	Arch         string // runtime.GOARCH
	User         string // the account running the check
}

// Probe learns the facts of this host.
func Probe() Facts {
	f := Facts{
		OS:        runtime.GOOS,
		OSVersion: osVersion(),
		Arch:      runtime.GOARCH,
		User:      userName(),
	}
	f.Host, _ = os.Hostname()
	f.MachineID, f.MachineIDErr = machineID()
	return f
}

// HostID names the host in a fleet when no --host-id is given: its
// machine id, else (no source of one exists) its hostname. A malformed
// machine id is an error, not a reason to fall back: a host whose id file
// was blanked or copied would otherwise pass for another.
func (f Facts) HostID() (string, error) {
	switch {
	case f.MachineIDErr != nil:
		return "", f.MachineIDErr
	case f.MachineID != "":
		return f.MachineID, nil
	case f.Host == "":
		return "", errors.New("no machine id and no hostname to name this host")
	}
	if err := CheckName("hostname", f.Host); err != nil {
		return "", err
	}
	return f.Host, nil
}

// userName is the current user's login name. A static build may not
// resolve the user database; the environment then says it.
func userName() string {
	if u, err := user.Current(); err == nil {
		return u.Username
	}
	if s := os.Getenv("USER"); s != "" {
		return s
	}
	return os.Getenv("USERNAME")
}

// ExecutableDigest returns the hex SHA-256 of the running executable, so
// that a report names exactly the build that computed it.
func ExecutableDigest() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("locating the running executable: %w", err)
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", fmt.Errorf("reading the running executable: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("reading %s: %w", exe, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// PendingDigest is the executable's digest being taken in the background,
// while a check runs rather than after it: the report names the build
// that made it without making the check wait.
type PendingDigest struct {
	done chan struct{}
	hex  string
	err  error
}

// StartExecutableDigest starts taking ExecutableDigest.
func StartExecutableDigest() *PendingDigest {
	d := &PendingDigest{done: make(chan struct{})}
	go func() {
		d.hex, d.err = ExecutableDigest()
		close(d.done)
	}()
	return d
}

// Wait returns the digest, waiting at most wait for it when wait > 0 (a
// report written on an interrupt cannot wait for a slow disk), or as long
// as it takes otherwise. A nil PendingDigest is a digest not asked for:
// none, and no error.
func (d *PendingDigest) Wait(wait time.Duration) (string, error) {
	if d == nil {
		return "", nil
	}
	if wait <= 0 {
		<-d.done
		return d.hex, d.err
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-d.done:
		return d.hex, d.err
	case <-t.C:
		select { // both ready: the digest wins
		case <-d.done:
			return d.hex, d.err
		default:
		}
		return "", errors.New("the digest of the running executable was not taken in time")
	}
}
