//go:build windows

package settings

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// registryAccess is read-only. KEY_WOW64_64KEY shows the native view on
// 64-bit Windows, as the 64-bit regedit does: the values a 32-bit program
// keeps under HKLM\SOFTWARE are then addressed through WOW6432Node, exactly
// as a regedit export of the same machine spells them.
const registryAccess = registry.READ | registry.WOW64_64KEY

// maxRegistryDepth is the registry's own limit on key nesting.
const maxRegistryDepth = 512

var hiveKeys = map[string]registry.Key{
	"HKLM": registry.LOCAL_MACHINE,
	"HKCU": registry.CURRENT_USER,
	"HKCR": registry.CLASSES_ROOT,
	"HKU":  registry.USERS,
	"HKCC": registry.CURRENT_CONFIG,
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
	k, err := registry.OpenKey(hiveKeys[hive], path, registryAccess)
	if err != nil {
		return nil, fmt.Errorf("settings registry %s: %w", root, err)
	}
	defer k.Close()
	name := hive
	if path != "" {
		name += `\` + path
	}
	b := newRegBuilder(root)
	if err := readRegistryKey(b, k, name, 0); err != nil {
		return nil, err
	}
	return b.t, nil
}

func readRegistryKey(b *regBuilder, k registry.Key, path string, depth int) error {
	if depth > maxRegistryDepth {
		return fmt.Errorf("settings registry %s: nested deeper than %d keys", path, maxRegistryDepth)
	}
	names, err := k.ReadValueNames(-1)
	if err != nil {
		return fmt.Errorf("settings registry %s: %w", path, err)
	}
	for _, name := range names {
		data, typ, err := registryValue(k, name)
		if errors.Is(err, registry.ErrNotExist) {
			continue // deleted since it was listed
		}
		if err != nil {
			return fmt.Errorf("settings registry %s: %w", regAddress(path, name), err)
		}
		b.put(path, name, Value{Text: regText(typ, data, true)})
	}
	subs, err := k.ReadSubKeyNames(-1)
	if err != nil {
		return fmt.Errorf("settings registry %s: %w", path, err)
	}
	for _, sub := range subs {
		sk, err := registry.OpenKey(k, sub, registryAccess)
		if errors.Is(err, registry.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("settings registry %s: %w", path+`\`+sub, err)
		}
		err = readRegistryKey(b, sk, path+`\`+sub, depth+1)
		sk.Close()
		if err != nil {
			return err
		}
	}
	return nil
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
