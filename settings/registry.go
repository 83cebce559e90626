package settings

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// RegistryOptions say which registry ReadRegistry reads, and how much of it.
type RegistryOptions struct {
	// Offline is the root of an offline Windows system (a mounted disk):
	// its hive files are read (see ReadRegistry). "" reads the live
	// registry of this host, which only Windows has.
	Offline string
	// User names the user whose NTUSER.DAT stands for HKCU on an offline
	// system (the profile folder's name under Users). Without it an
	// offline HKCU cannot be read.
	User string
	// Closed reads every value under the table's keys, not only the
	// values asked for, so that Keys lists what no row names.
	Closed bool
}

// ErrNoLiveRegistry is the error of reading the live registry where there
// is none: on a system other than Windows.
var ErrNoLiveRegistry = errors.New("this system has no Windows registry")

// maxRegistryKeys bounds the keys one read walks: a hive file is the
// checked system's, and keys that share subkeys would otherwise make a
// walk of a few kilobytes endless.
const maxRegistryKeys = 1 << 20

// maxRegistryDepth is the registry's own limit on key nesting.
const maxRegistryDepth = 512

// regKey is one open key of a registry, the live one or a hive file's.
// Names compare case-insensitively, as Windows compares them.
type regKey interface {
	// value returns the type and data of the named value ("" for the
	// default value); ok is false when the key has no such value.
	value(name string) (typ uint32, data []byte, ok bool, err error)
	valueNames() ([]string, error)
	subkeyNames() ([]string, error)
	// subkey opens a child key; ok is false when there is none.
	subkey(name string) (k regKey, ok bool, err error)
	// id tells keys apart within one walk where one could be reached
	// twice (a hive file's loop); nil where it cannot (the live registry).
	id() any
	close()
}

// regOpener opens a key by hive (abbreviated) and path below it; ok is
// false when the key does not exist.
type regOpener func(hive, path string) (k regKey, ok bool, err error)

// regRow is one value a table names: its key and value name.
type regRow struct {
	hive string   // abbreviated
	path []string // the key's components below the hive
	name string   // the value's name, "" for the default value
}

// parseRegRow splits a value address, `HKLM\Path\Key\Value`, into its
// hive, key and value name; `(Default)` names the key's default value.
func parseRegRow(key string) (regRow, error) {
	hive, rest, ok := splitRegKey(key)
	if !ok {
		return regRow{}, fmt.Errorf("registry key %q: unknown root key (want HKLM, HKCU, HKCR, HKU, HKCC or their full names)", key)
	}
	parts := strings.Split(rest, `\`)
	if rest == "" || slices.Contains(parts, "") {
		return regRow{}, fmt.Errorf("registry key %q: want a hive, a key path and a value name separated by single backslashes", key)
	}
	r := regRow{hive: hive, path: parts[:len(parts)-1], name: parts[len(parts)-1]}
	if strings.EqualFold(r.name, defaultValueName) {
		r.name = ""
	}
	return r, nil
}

// commonKeys are the deepest keys, one per hive, that hold every row of
// that hive: what a closed table covers. HKLM and HKU are several hives
// (HKLM\SOFTWARE and HKLM\SYSTEM are two files), so their keys are
// grouped by the key below them. Groups keep the rows' order.
func commonKeys(rows []regRow) []regRow {
	var out []regRow
	var groups []string
	for _, r := range rows {
		g := r.hive
		if (r.hive == "HKLM" || r.hive == "HKU") && len(r.path) > 0 {
			g += `\` + strings.ToUpper(r.path[0])
		}
		i := slices.Index(groups, g)
		if i < 0 {
			groups = append(groups, g)
			out = append(out, regRow{hive: r.hive, path: slices.Clone(r.path)})
			continue
		}
		c := &out[i]
		n := 0
		for n < len(c.path) && n < len(r.path) && strings.EqualFold(c.path[n], r.path[n]) {
			n++
		}
		c.path = c.path[:n]
	}
	return out
}

func keyName(hive string, path []string) string {
	return strings.Join(append([]string{hive}, path...), `\`)
}

// describeKeys names the keys a table reads, for the report's source.
func describeKeys(rows []regRow) string {
	var names []string
	for _, c := range commonKeys(rows) {
		names = append(names, keyName(c.hive, c.path))
	}
	return strings.Join(names, ", ")
}

// ReadRegistry reads the registry values keys address (`HKLM\Path\Value`,
// as a table of format reg or registry writes them) and returns them as a
// Source addressed the same way, with Line 0, and the name of what was
// read: the keys of the live registry, or the hive files of an offline
// system. A value or key that is not there is absent from the Source;
// what cannot be read is an error, for a partial view would pass for a
// whole one.
//
// The live registry (o.Offline "") is read read-only, in the native view
// of a 64-bit Windows: a 32-bit program's values are addressed through
// WOW6432Node, as a regedit export of the same machine spells them. On
// other systems it is ErrNoLiveRegistry.
//
// An offline system's hives are read from their files (see offlineHive):
// HKLM\SOFTWARE, HKLM\SYSTEM (CurrentControlSet as the hive's Select key
// says), HKLM\SAM, HKLM\SECURITY, HKU\.DEFAULT, and HKCU from the
// NTUSER.DAT of o.User. Other keys exist only on a running system.
//
// Data reads as in a regedit export (see Parse, format reg):
// REG_EXPAND_SZ unexpanded.
func ReadRegistry(ctx context.Context, keys []string, o RegistryOptions) (Source, string, error) {
	rows := make([]regRow, 0, len(keys))
	for _, k := range keys {
		r, err := parseRegRow(k)
		if err != nil {
			return nil, "", fmt.Errorf("settings registry: %w", err)
		}
		rows = append(rows, r)
	}
	if o.Offline == "" {
		if !HasLiveRegistry() {
			return nil, "", fmt.Errorf("settings registry %s: %w", describeKeys(rows), ErrNoLiveRegistry)
		}
		src, err := readRegistryRows(ctx, rows, o.Closed, openLive)
		return src, describeKeys(rows), err
	}
	sys := newOfflineSystem(o.Offline, o.User)
	src, err := readRegistryRows(ctx, rows, o.Closed, sys.open)
	return src, sys.name(), err
}

// readRegistryRows reads the rows' values through open: each row's value,
// or every value under the rows' common keys for a closed table.
func readRegistryRows(ctx context.Context, rows []regRow, closed bool, open regOpener) (Source, error) {
	b := newRegBuilder("registry")
	if closed {
		for _, c := range commonKeys(rows) {
			k, ok, err := open(c.hive, strings.Join(c.path, `\`))
			if err != nil {
				return nil, fmt.Errorf("settings registry %s: %w", keyName(c.hive, c.path), err)
			}
			if !ok {
				continue // every row under it is absent
			}
			err = walkRegKey(ctx, b, k, keyName(c.hive, c.path), 0, &regWalk{budget: maxRegistryKeys, seen: map[any]bool{}})
			k.close()
			if err != nil {
				return nil, err
			}
		}
		return b.t, nil
	}
	// Each key is opened once, however many of its values the rows name.
	type opened struct {
		k  regKey
		ok bool
	}
	keys := map[string]opened{}
	defer func() {
		for _, o := range keys {
			if o.ok {
				o.k.close()
			}
		}
	}()
	for _, r := range rows {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		kn := keyName(r.hive, r.path)
		o, seen := keys[strings.ToUpper(kn)]
		if !seen {
			k, ok, err := open(r.hive, strings.Join(r.path, `\`))
			if err != nil {
				return nil, fmt.Errorf("settings registry %s: %w", kn, err)
			}
			o = opened{k, ok}
			keys[strings.ToUpper(kn)] = o
		}
		if !o.ok {
			continue
		}
		typ, data, ok, err := o.k.value(r.name)
		if err != nil {
			return nil, fmt.Errorf("settings registry %s: %w", regAddress(kn, r.name), err)
		}
		if ok {
			b.put(kn, r.name, Value{Text: regText(typ, data, true)})
		}
	}
	return b.t, nil
}

// regWalk is what a walk of keys has left, and the keys it is inside.
type regWalk struct {
	budget int
	seen   map[any]bool
}

// walkRegKey reads every value under k, named path, into b.
func walkRegKey(ctx context.Context, b *regBuilder, k regKey, path string, depth int, w *regWalk) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if depth > maxRegistryDepth {
		return fmt.Errorf("settings registry %s: nested deeper than %d keys", path, maxRegistryDepth)
	}
	if w.budget--; w.budget < 0 {
		return fmt.Errorf("settings registry %s: more than %d keys", path, maxRegistryKeys)
	}
	if id := k.id(); id != nil {
		// A key inside itself: a loop of a malformed hive. A key reached
		// twice by other ways (CurrentControlSet beside the control set
		// it shows) is read twice, as the live registry shows it twice;
		// the budget bounds how often.
		if w.seen[id] {
			return fmt.Errorf("settings registry %s: a key inside itself, a loop in the hive", path)
		}
		w.seen[id] = true
		defer delete(w.seen, id)
	}
	names, err := k.valueNames()
	if err != nil {
		return fmt.Errorf("settings registry %s: %w", path, err)
	}
	for _, name := range names {
		typ, data, ok, err := k.value(name)
		if err != nil {
			return fmt.Errorf("settings registry %s: %w", regAddress(path, name), err)
		}
		if ok { // else deleted since it was listed
			b.put(path, name, Value{Text: regText(typ, data, true)})
		}
	}
	subs, err := k.subkeyNames()
	if err != nil {
		return fmt.Errorf("settings registry %s: %w", path, err)
	}
	for _, sub := range subs {
		sk, ok, err := k.subkey(sub)
		if err != nil {
			return fmt.Errorf("settings registry %s: %w", path+`\`+sub, err)
		}
		if !ok {
			continue
		}
		err = walkRegKey(ctx, b, sk, path+`\`+sub, depth+1, w)
		sk.close()
		if err != nil {
			return err
		}
	}
	return nil
}
