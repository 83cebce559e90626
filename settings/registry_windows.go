//go:build windows

package settings

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"golang.org/x/sys/windows"
	"golang.org/x/sys/windows/registry"
)

// registryAccess is read-only. KEY_WOW64_64KEY shows the native view on
// 64-bit Windows, as the 64-bit regedit does: the values a 32-bit program
// keeps under HKLM\SOFTWARE are then addressed through WOW6432Node, exactly
// as a regedit export of the same machine spells them.
const registryAccess = registry.READ | registry.WOW64_64KEY

var hiveKeys = map[string]registry.Key{
	"HKLM": registry.LOCAL_MACHINE,
	"HKCU": registry.CURRENT_USER,
	"HKCR": registry.CLASSES_ROOT,
	"HKU":  registry.USERS,
	"HKCC": registry.CURRENT_CONFIG,
}

// HasLiveRegistry reports whether this system has a live registry to read.
func HasLiveRegistry() bool { return true }

// IsLiveRoot reports whether root, an --installed root, names the running
// system: the drive Windows runs from (`C:\`, `C:`), whose registry is the
// live one. Any other root is an offline system.
func IsLiveRoot(root string) bool {
	dir, err := windows.GetSystemWindowsDirectory()
	if err != nil {
		return false
	}
	vol := filepath.VolumeName(root)
	rest := root[len(vol):]
	return vol != "" && strings.EqualFold(vol, filepath.VolumeName(dir)) && strings.Trim(rest, `\/`) == "" && len(rest) <= 1
}

// liveKey is an open key of the live registry, opened read-only.
type liveKey struct{ k registry.Key }

// openLive opens a key of the live registry, read-only.
func openLive(hive, path string) (regKey, bool, error) {
	k, err := registry.OpenKey(hiveKeys[hive], path, registryAccess)
	if errors.Is(err, registry.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return liveKey{k}, true, nil
}

func (l liveKey) value(name string) (uint32, []byte, bool, error) {
	data, typ, err := registryValue(l.k, name)
	if errors.Is(err, registry.ErrNotExist) {
		return 0, nil, false, nil
	}
	if err != nil {
		return 0, nil, false, err
	}
	return typ, data, true, nil
}

func (l liveKey) valueNames() ([]string, error)  { return l.k.ReadValueNames(-1) }
func (l liveKey) subkeyNames() ([]string, error) { return l.k.ReadSubKeyNames(-1) }
func (l liveKey) close()                         { l.k.Close() }
func (l liveKey) id() any                        { return nil }

func (l liveKey) subkey(name string) (regKey, bool, error) {
	sk, err := registry.OpenKey(l.k, name, registryAccess)
	if errors.Is(err, registry.ErrNotExist) {
		return nil, false, nil // deleted since it was listed
	}
	if err != nil {
		return nil, false, err
	}
	return liveKey{sk}, true, nil
}

// OpenRegistry reads every value under the registry key root (such as
// `HKLM\SOFTWARE\Vendor\Product`) from the live registry, read-only, and
// returns them addressed as a regedit export of the same key would be (see
// Parse, format reg), with Line 0. A key under root that cannot be read is
// an error: a partial view would let a closed table miss values.
func OpenRegistry(root string) (Source, error) {
	hive, path, ok := splitRegKey(root)
	if !ok {
		return nil, fmt.Errorf("settings registry %s: unknown root key (want HKLM, HKCU, HKCR, HKU, HKCC or their full names)", root)
	}
	k, found, err := openLive(hive, path)
	if err == nil && !found {
		err = registry.ErrNotExist
	}
	if err != nil {
		return nil, fmt.Errorf("settings registry %s: %w", root, err)
	}
	defer k.close()
	name := hive
	if path != "" {
		name += `\` + path
	}
	b := newRegBuilder(root)
	if err := walkRegKey(context.Background(), b, k, name, 0, &regWalk{budget: maxRegistryKeys}); err != nil {
		return nil, err
	}
	return b.t, nil
}

// registryValue reads the raw data of a value, retrying if it grows
// between asking its size and reading it.
func registryValue(k registry.Key, name string) ([]byte, uint32, error) {
	n, _, err := k.GetValue(name, nil)
	if err != nil {
		return nil, 0, err
	}
	for range 8 {
		buf := make([]byte, n)
		m, typ, err := k.GetValue(name, buf)
		if err == nil {
			return buf[:m], typ, nil
		}
		if !errors.Is(err, registry.ErrShortBuffer) || m <= n {
			return nil, 0, err
		}
		n = m
	}
	return nil, 0, fmt.Errorf("value keeps changing size")
}
