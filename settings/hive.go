package settings

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf16"

	"www.velocidex.com/golang/regparser"

	"github.com/sverka/sverka/internal/regular"
)

// MaxHiveSize bounds a hive file read whole: the largest hives of a real
// system (SOFTWARE) are a few hundred megabytes.
const MaxHiveSize = 2 << 30

// ErrNoRegistryUser is the error of reading HKCU from an offline system
// without naming the user whose NTUSER.DAT it is.
var ErrNoRegistryUser = errors.New("HKCU of an offline system is one user's NTUSER.DAT, and no user was named")

// hiveDir is where Windows keeps the machine's hive files, below its root.
var hiveDir = []string{"Windows", "System32", "config"}

// Cell signatures, as the hive format spells them (little-endian).
const (
	sigNK = 0x6b6e // key node
	sigLF = 0x666c // fast leaf index
	sigLH = 0x686c // hash leaf index
	sigLI = 0x696c // leaf index
	sigRI = 0x6972 // index of indexes
)

// Name flags: the name is stored in Latin-1, not UTF-16LE.
const (
	keyCompName   = 0x20
	valueCompName = 0x01
)

// offlineSystem reads the hive files of an offline Windows system, each
// loaded once, as a table's keys ask for them.
type offlineSystem struct {
	root, user string
	hives      map[string]*hive // by file path
	files      []string         // the files read, in the order first read
}

func newOfflineSystem(root, user string) *offlineSystem {
	return &offlineSystem{root: root, user: user, hives: map[string]*hive{}}
}

// name says what was read: the hive files, or the root when none was.
func (s *offlineSystem) name() string {
	if len(s.files) == 0 {
		return s.root
	}
	return strings.Join(s.files, ", ")
}

// open opens a key of the offline system: the hive file that holds it,
// then the key inside.
func (s *offlineSystem) open(hiveName, path string) (regKey, bool, error) {
	var comps []string
	if path != "" {
		comps = strings.Split(path, `\`)
	}
	file, inner, err := hiveFile(hiveName, comps, s.user)
	if err != nil {
		return nil, false, err
	}
	h, err := s.load(file)
	if err != nil {
		return nil, false, err
	}
	h.system = len(file) == 4 && file[3] == "SYSTEM"
	return h.openPath(inner)
}

// hiveFile says which hive file, as path components below the system's
// root, holds the key hive\comps, and the key's path inside it.
func hiveFile(hive string, comps []string, user string) (file, inner []string, err error) {
	full := keyName(hive, comps)
	switch hive {
	case "HKLM":
		if len(comps) > 0 {
			switch strings.ToUpper(comps[0]) {
			case "SOFTWARE", "SYSTEM", "SAM", "SECURITY":
				return append(append([]string{}, hiveDir...), strings.ToUpper(comps[0])), comps[1:], nil
			}
		}
		return nil, nil, fmt.Errorf(`%s is not in a hive file of an offline system (only HKLM\SOFTWARE, HKLM\SYSTEM, HKLM\SAM and HKLM\SECURITY are)`, full)
	case "HKU":
		if len(comps) > 0 && strings.EqualFold(comps[0], ".DEFAULT") {
			return append(append([]string{}, hiveDir...), "DEFAULT"), comps[1:], nil
		}
		return nil, nil, fmt.Errorf(`%s is not in a hive file of an offline system (only HKU\.DEFAULT is; address a user's keys as HKCU)`, full)
	case "HKCU":
		if user == "" {
			return nil, nil, fmt.Errorf("%s: %w", full, ErrNoRegistryUser)
		}
		if user == "." || user == ".." || strings.ContainsAny(user, `/\`) {
			return nil, nil, fmt.Errorf("%s: user %q is not a profile folder's name", full, user)
		}
		return []string{"Users", user, "NTUSER.DAT"}, comps, nil
	case "HKCR":
		return nil, nil, fmt.Errorf(`%s exists only on a running system, merged from HKLM\SOFTWARE\Classes and HKCU\Software\Classes: address those`, full)
	}
	return nil, nil, fmt.Errorf(`%s exists only on a running system`, full)
}

// load reads a hive file once; its components are matched to the names on
// the disk regardless of letter case, as Windows would.
func (s *offlineSystem) load(comps []string) (*hive, error) {
	p, err := findFold(s.root, comps)
	if err != nil {
		return nil, err
	}
	if h, ok := s.hives[p]; ok {
		return h, nil
	}
	data, err := regular.ReadFile(p, MaxHiveSize, "registry hive")
	if err != nil {
		return nil, fmt.Errorf("hive %w", err)
	}
	h, err := parseHive(data, p)
	if err != nil {
		return nil, err
	}
	s.hives[p] = h
	s.files = append(s.files, p)
	return h, nil
}

// findFold finds comps under root, each component in any letter case.
// Two names that differ only in case are ambiguous, as Windows would see
// one of them only.
func findFold(root string, comps []string) (string, error) {
	p := root
	for _, c := range comps {
		next := filepath.Join(p, c)
		if _, err := os.Lstat(next); err == nil {
			p = next
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return "", err
		}
		var found []string
		for _, e := range ents {
			if strings.EqualFold(e.Name(), c) {
				found = append(found, e.Name())
			}
		}
		switch len(found) {
		case 0:
			return "", &fs.PathError{Op: "open", Path: next, Err: fs.ErrNotExist}
		case 1:
			p = filepath.Join(p, found[0])
		default:
			return "", fmt.Errorf("%s: %s are one name to Windows: which one it reads cannot be told", p, strings.Join(found, ", "))
		}
	}
	return p, nil
}

// hive is one hive file, read whole.
type hive struct {
	file string
	size int64
	reg  *regparser.Registry
	// system is the SYSTEM hive: its root shows CurrentControlSet, as
	// the running system's link does, for the control set Select\Current
	// names.
	system bool
}

// HiveError is a hive file that cannot be read as one: the file and the
// byte offset where reading stopped.
type HiveError struct {
	File   string
	Offset int64
	Msg    string
}

func (e *HiveError) Error() string {
	return fmt.Sprintf("hive %s at byte offset %d: %s", e.File, e.Offset, e.Msg)
}

// parseHive checks a hive file's base block and opens it. A hive whose
// two sequence numbers differ was not written out whole (the system was
// not shut down cleanly, or is hibernated): changes sit in its .LOG1 and
// .LOG2 files, so the file alone is not what the system reads.
func parseHive(data []byte, file string) (*hive, error) {
	if len(data) < 4 || string(data[:4]) != "regf" {
		return nil, &HiveError{File: file, Msg: "not a registry hive (no \"regf\" signature)"}
	}
	if len(data) < 0x1000+0x20 {
		return nil, &HiveError{File: file, Msg: fmt.Sprintf("%d bytes, shorter than a hive's base block and first bin", len(data))}
	}
	var sum uint32
	for i := 0; i < 0x1fc; i += 4 {
		sum ^= binary.LittleEndian.Uint32(data[i:])
	}
	switch sum {
	case 0:
		sum = 1
	case 0xffffffff:
		sum = 0xfffffffe
	}
	if got := binary.LittleEndian.Uint32(data[0x1fc:]); got != sum {
		return nil, &HiveError{File: file, Offset: 0x1fc, Msg: fmt.Sprintf("base block checksum %#x, want %#x: the header is damaged", got, sum)}
	}
	if s1, s2 := binary.LittleEndian.Uint32(data[4:]), binary.LittleEndian.Uint32(data[8:]); s1 != s2 {
		return nil, &HiveError{File: file, Offset: 4, Msg: fmt.Sprintf("sequence numbers %d and %d differ: the hive was not written out whole (the system was not shut down cleanly), its newest values are in its log files", s1, s2)}
	}
	if major := binary.LittleEndian.Uint32(data[0x14:]); major != 1 {
		return nil, &HiveError{File: file, Offset: 0x14, Msg: fmt.Sprintf("format version %d, want 1", major)}
	}
	reg, err := regparser.NewRegistry(bytes.NewReader(data))
	if err != nil {
		return nil, &HiveError{File: file, Msg: err.Error()}
	}
	return &hive{file: file, size: int64(len(data)), reg: reg}, nil
}

// guard turns a panic of the parser on a malformed hive into an error
// naming the file: the file is the checked system's, and no input may
// crash the check.
func (h *hive) guard(err *error) {
	if r := recover(); r != nil {
		*err = &HiveError{File: h.file, Msg: fmt.Sprintf("malformed: %v", r)}
	}
}

func (h *hive) cell(off uint32) *regparser.HCELL {
	return h.reg.Profile.HCELL(h.reg.Reader, 0x1000+int64(off))
}

func (h *hive) malformed(off int64, format string, args ...any) error {
	return &HiveError{File: h.file, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func (h *hive) root() (*regparser.CM_KEY_NODE, error) {
	off := h.reg.BaseBlock.RootCell()
	nk := h.cell(off).KeyNode()
	if nk == nil {
		return nil, h.malformed(0x1000+int64(off), "the root cell is no key")
	}
	return nk, nil
}

// openPath opens the key at comps below the hive's root.
func (h *hive) openPath(comps []string) (k regKey, ok bool, err error) {
	defer h.guard(&err)
	nk, err := h.root()
	if err != nil {
		return nil, false, err
	}
	if h.system && len(comps) > 0 && strings.EqualFold(comps[0], currentControlSet) {
		// A link the running system makes; the hive says which control
		// set it points to.
		set, err := h.currentControlSet()
		if err != nil {
			return nil, false, err
		}
		comps = append([]string{set}, comps[1:]...)
	}
	for _, c := range comps {
		next, found, err := h.child(nk, c)
		if err != nil || !found {
			return nil, false, err
		}
		nk = next
	}
	return newHiveKey(h, nk), true, nil
}

// child finds the subkey of nk named name, in any letter case.
func (h *hive) child(nk *regparser.CM_KEY_NODE, name string) (*regparser.CM_KEY_NODE, bool, error) {
	subs, err := h.subkeys(nk)
	if err != nil {
		return nil, false, err
	}
	return h.pick(nk, subs, name)
}

// pick finds the key named name among subs, the subkeys of nk.
func (h *hive) pick(nk *regparser.CM_KEY_NODE, subs []*regparser.CM_KEY_NODE, name string) (*regparser.CM_KEY_NODE, bool, error) {
	var found *regparser.CM_KEY_NODE
	for _, s := range subs {
		if strings.EqualFold(keyNodeName(s), name) {
			if found != nil {
				return nil, false, h.malformed(nk.Offset, "two subkeys named %q", name)
			}
			found = s
		}
	}
	return found, found != nil, nil
}

// subkeys lists the subkeys of nk. An index of indexes (ri) holds leaf
// indexes only: one nested deeper is refused, so that an index pointing
// at itself cannot recurse without end.
func (h *hive) subkeys(nk *regparser.CM_KEY_NODE) ([]*regparser.CM_KEY_NODE, error) {
	if nk.SubKeyCounts()[0] == 0 {
		return nil, nil
	}
	return h.index(h.cell(nk.SubKeyLists()[0]), true)
}

func (h *hive) index(c *regparser.HCELL, top bool) ([]*regparser.CM_KEY_NODE, error) {
	switch sig := c.Signature(); sig {
	case sigLF, sigLH:
		return c.KeyIndexFast().Subkeys(), nil
	case sigLI, sigRI:
		if sig == sigRI && !top {
			return nil, h.malformed(c.Offset, "an index of indexes inside another")
		}
		ix := c.KeyIndex()
		offs := regparser.ParseSafeArray_uint32(h.reg.Reader, ix.Offset+h.reg.Profile.Off_CM_KEY_INDEX_List, int(ix.Count()))
		var out []*regparser.CM_KEY_NODE
		for _, off := range offs {
			child := h.cell(off)
			if sig == sigLI {
				nk := child.KeyNode()
				if nk == nil {
					return nil, h.malformed(child.Offset, "a leaf index entry is no key")
				}
				out = append(out, nk)
				continue
			}
			subs, err := h.index(child, false)
			if err != nil {
				return nil, err
			}
			out = append(out, subs...)
		}
		return out, nil
	default:
		return nil, h.malformed(c.Offset, "subkey list with signature %#04x, want lf, lh, li or ri", sig)
	}
}

const currentControlSet = "CurrentControlSet"

// currentControlSet reads the control set Select\Current names.
func (h *hive) currentControlSet() (set string, err error) {
	defer h.guard(&err)
	nk, err := h.root()
	if err != nil {
		return "", err
	}
	sel, ok, err := h.child(nk, "Select")
	var k regKey
	if ok {
		k = newHiveKey(h, sel)
	}
	if err != nil {
		return "", err
	}
	if ok {
		typ, data, found, err := k.value("Current")
		if err != nil {
			return "", err
		}
		if found && typ == regDword && len(data) == 4 {
			return fmt.Sprintf("ControlSet%03d", binary.LittleEndian.Uint32(data)), nil
		}
	}
	return "", fmt.Errorf(`hive %s: no Select\Current dword: which control set is current cannot be told`, h.file)
}

// decodeName reads a key or value name stored in Latin-1 (compressed) or
// UTF-16LE.
func decodeName(raw []byte, compressed bool) string {
	if compressed {
		r := make([]rune, len(raw))
		for i, b := range raw {
			r[i] = rune(b)
		}
		return string(r)
	}
	u := make([]uint16, len(raw)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(raw[2*i:])
	}
	return string(utf16.Decode(u))
}

// keyNodeName is a key's name; the parser reads its bytes as they are.
func keyNodeName(nk *regparser.CM_KEY_NODE) string {
	return decodeName([]byte(nk.Name()), nk.Flags()&keyCompName != 0)
}

func valueNodeName(vk *regparser.CM_KEY_VALUE) string {
	return decodeName([]byte(vk.ValueName()), vk.Flags()&valueCompName != 0)
}

// hiveKey is an open key of a hive file. Its values and subkeys are
// listed once, the values indexed by name: a walk asks for each of them
// by name, and a hive of many values must not cost their square.
type hiveKey struct {
	h  *hive
	nk *regparser.CM_KEY_NODE
	c  *hiveKeyCache
}

type hiveKeyCache struct {
	names  []string
	byName map[string]*regparser.CM_KEY_VALUE // upper case
	dup    string                             // a name given twice
	subs   []*regparser.CM_KEY_NODE
	listed bool
}

func newHiveKey(h *hive, nk *regparser.CM_KEY_NODE) hiveKey {
	return hiveKey{h: h, nk: nk, c: &hiveKeyCache{}}
}

func (k hiveKey) close() {}

// id is the key's offset in its file: a key found inside itself is a
// loop of a malformed hive, which would never end.
func (k hiveKey) id() any { return k.nk.Offset }

func (k hiveKey) values() *hiveKeyCache {
	if k.c.byName == nil {
		k.c.byName = map[string]*regparser.CM_KEY_VALUE{}
		for _, vk := range k.nk.Values() {
			name := valueNodeName(vk)
			up := strings.ToUpper(name)
			if _, dup := k.c.byName[up]; dup {
				k.c.dup = name
				continue
			}
			k.c.byName[up] = vk
			k.c.names = append(k.c.names, name)
		}
	}
	return k.c
}

func (k hiveKey) subkeys() ([]*regparser.CM_KEY_NODE, error) {
	if !k.c.listed {
		subs, err := k.h.subkeys(k.nk)
		if err != nil {
			return nil, err
		}
		k.c.subs, k.c.listed = subs, true
	}
	return k.c.subs, nil
}

func (k hiveKey) valueNames() (names []string, err error) {
	defer k.h.guard(&err)
	c := k.values()
	if c.dup != "" {
		return nil, k.h.malformed(k.nk.Offset, "two values named %q", c.dup)
	}
	return c.names, nil
}

func (k hiveKey) value(name string) (typ uint32, data []byte, ok bool, err error) {
	defer k.h.guard(&err)
	c := k.values()
	if c.dup != "" && strings.EqualFold(c.dup, name) {
		return 0, nil, false, k.h.malformed(k.nk.Offset, "two values named %q", name)
	}
	found := c.byName[strings.ToUpper(name)]
	if found == nil {
		return 0, nil, false, nil
	}
	if n := found.DataLength(); n&0x80000000 == 0 && int64(n) > k.h.size {
		return 0, nil, false, k.h.malformed(found.Offset, "value %q holds %d bytes, more than the file", name, n)
	}
	vd := found.ValueData()
	data = vd.Data
	if n := found.DataLength(); n&0x80000000 != 0 && int(n&0x7fffffff) < len(data) {
		data = data[:n&0x7fffffff] // data kept in the value itself, up to 4 bytes
	}
	return found.Type(), data, true, nil
}

func (k hiveKey) subkeyNames() (names []string, err error) {
	defer k.h.guard(&err)
	subs, err := k.subkeys()
	if err != nil {
		return nil, err
	}
	for _, s := range subs {
		names = append(names, keyNodeName(s))
	}
	if k.isSystemRoot() {
		names = append(names, currentControlSet)
	}
	return names, nil
}

// isSystemRoot tells the root of the SYSTEM hive, where the running
// system shows CurrentControlSet.
func (k hiveKey) isSystemRoot() bool {
	return k.h.system && k.nk.Offset == 0x1000+int64(k.h.reg.BaseBlock.RootCell())+4
}

func (k hiveKey) subkey(name string) (sk regKey, ok bool, err error) {
	defer k.h.guard(&err)
	if k.isSystemRoot() && strings.EqualFold(name, currentControlSet) {
		return k.h.openPath([]string{currentControlSet})
	}
	subs, err := k.subkeys()
	if err != nil {
		return nil, false, err
	}
	nk, ok, err := k.h.pick(k.nk, subs, name)
	if err != nil || !ok {
		return nil, false, err
	}
	return newHiveKey(k.h, nk), true, nil
}
