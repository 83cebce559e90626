// Package hivetest makes Windows registry hive files for tests: a tiny
// hive written here, which hivex (hivexsh -w, Debian libhivex-bin) then
// fills with keys and values, so that the hives the tests read were
// written by another program than the one reading them.
package hivetest

import (
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Tiny is a hive of one key, the root, with one value FontSize: a dword,
// 12, kept in the value cell itself. Its cells cover its one bin, as
// hivex requires, and the root has a security descriptor, which hivex
// copies to the keys it adds.
func Tiny() []byte {
	d := make([]byte, 0x2000)
	le := binary.LittleEndian
	copy(d, "regf")
	le.PutUint32(d[4:], 1) // the two sequence numbers agree
	le.PutUint32(d[8:], 1)
	le.PutUint32(d[0x14:], 1) // version 1.5
	le.PutUint32(d[0x18:], 5)
	le.PutUint32(d[0x20:], 1)
	le.PutUint32(d[0x24:], 0x20) // the root cell
	le.PutUint32(d[0x28:], 0x1000)
	FixChecksum(d)
	b := d[0x1000:]
	copy(b, "hbin")
	le.PutUint32(b[8:], 0x1000)
	// The root key at 0x20: no subkeys, one value, its list at 0x80.
	nk := b[0x20:]
	le.PutUint32(nk, uint32(-0x58&0xffffffff))
	copy(nk[4:], "nk")
	le.PutUint16(nk[6:], 0x2c) // hive entry, no delete, Latin-1 name
	le.PutUint32(nk[4+0x1c:], 0xffffffff)
	le.PutUint32(nk[4+0x20:], 0xffffffff)
	le.PutUint32(nk[4+0x24:], 1)
	le.PutUint32(nk[4+0x28:], 0x80)
	le.PutUint32(nk[4+0x2c:], 0xa8) // security
	le.PutUint32(nk[4+0x30:], 0xffffffff)
	le.PutUint16(nk[4+0x48:], 4)
	copy(nk[4+0x4c:], "ROOT")
	le.PutUint32(b[0x78:], 8) // a free cell
	vl := b[0x80:]
	le.PutUint32(vl, uint32(-8&0xffffffff))
	le.PutUint32(vl[4:], 0x88)
	vk := b[0x88:]
	le.PutUint32(vk, uint32(-0x20&0xffffffff))
	copy(vk[4:], "vk")
	le.PutUint16(vk[6:], 8)
	le.PutUint32(vk[8:], 0x80000004) // 4 bytes, in the cell
	le.PutUint32(vk[12:], 12)
	le.PutUint32(vk[16:], 4) // REG_DWORD
	le.PutUint16(vk[20:], 1) // Latin-1 name
	copy(vk[24:], "FontSize")
	sk := b[0xa8:]
	le.PutUint32(sk, uint32(-0x30&0xffffffff))
	copy(sk[4:], "sk")
	le.PutUint32(sk[8:], 0xa8)
	le.PutUint32(sk[12:], 0xa8)
	le.PutUint32(sk[16:], 1)
	le.PutUint32(sk[20:], 20)
	copy(sk[24:], []byte{1, 0, 0, 0x80}) // self-relative, no ACLs
	le.PutUint32(b[0xd8:], 0x1000-0xd8)  // the rest is free
	return d
}

// FixChecksum sets the checksum of a hive's base block to match its
// first 508 bytes.
func FixChecksum(d []byte) {
	var sum uint32
	for i := 0; i < 0x1fc; i += 4 {
		sum ^= binary.LittleEndian.Uint32(d[i:])
	}
	binary.LittleEndian.PutUint32(d[0x1fc:], sum)
}

// Write makes the hive file path: Tiny, then the hivexsh commands of
// script (add, cd, setval, ...) run on it with -w and committed. An error
// says when hivexsh is not installed (exec.ErrNotFound).
func Write(path, script string) error {
	if _, err := exec.LookPath("hivexsh"); err != nil {
		return fmt.Errorf("hivexsh (Debian libhivex-bin): %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(path, Tiny(), 0o644); err != nil {
		return err
	}
	cmd := exec.Command("hivexsh", "-w", path)
	cmd.Stdin = strings.NewReader(script + "\ncommit\n")
	if out, err := cmd.CombinedOutput(); err != nil || len(out) > 0 {
		return fmt.Errorf("hivexsh -w %s: %v: %s", path, err, out)
	}
	return nil
}

// Dirty makes the hive file at path look as a system that was not shut
// down cleanly leaves it: its second sequence number behind the first,
// the checksum still right.
func Dirty(path string) error {
	d, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if len(d) < 0x200 {
		return fmt.Errorf("%s: too short for a hive", path)
	}
	binary.LittleEndian.PutUint32(d[4:], binary.LittleEndian.Uint32(d[8:])+1)
	FixChecksum(d)
	return os.WriteFile(path, d, 0o644)
}
