//go:build !windows

package settings

import "fmt"

// HasLiveRegistry reports whether this system has a live registry to read:
// only Windows has one.
func HasLiveRegistry() bool { return false }

// IsLiveRoot reports whether root names the running Windows system; on
// other systems no root does.
func IsLiveRoot(string) bool { return false }

func openLive(string, string) (regKey, bool, error) { return nil, false, ErrNoLiveRegistry }

// OpenRegistry reads the live Windows registry; on other systems there is
// none. A regedit export of the key can be read with Open and format reg.
func OpenRegistry(root string) (Source, error) {
	return nil, fmt.Errorf("settings registry %s: the live registry is only available on Windows (read a regedit export with format reg)", root)
}
