//go:build linux || darwin || freebsd || netbsd || openbsd

package hostinfo

import (
	"bufio"
	"os"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
)

// osVersion returns the distribution's PRETTY_NAME (Linux) and the kernel
// release, e.g. "Debian GNU/Linux 12 (bookworm), Linux 6.1.0-18-amd64".
func osVersion() string {
	var u unix.Utsname
	release := ""
	if unix.Uname(&u) == nil {
		release = unix.ByteSliceToString(u.Sysname[:]) + " " + unix.ByteSliceToString(u.Release[:])
	}
	pretty := prettyName("/etc/os-release")
	if pretty == "" {
		pretty = prettyName("/usr/lib/os-release")
	}
	switch {
	case pretty == "":
		return release
	case release == "":
		return pretty
	}
	return pretty + ", " + release
}

// prettyName reads PRETTY_NAME from an os-release(5) file.
func prettyName(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "PRETTY_NAME=")
		if !ok {
			continue
		}
		if s, err := strconv.Unquote(v); err == nil {
			return s
		}
		return strings.Trim(v, `"'`)
	}
	return ""
}
