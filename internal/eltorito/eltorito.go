// Package eltorito names what an El Torito boot catalog says, as formulars
// and reports spell it: the platform IDs, the emulations and the bound on
// a catalog's entries. The image reader writes these names and the
// formular's parser checks them; neither needs the other for it.
package eltorito

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// MaxEntries bounds the boot entries of a catalog (initial and section
// entries, bootable or not).
const MaxEntries = 64

// Platform IDs.
const (
	PlatformBIOS byte = 0x00
	PlatformPPC  byte = 0x01
	PlatformMac  byte = 0x02
	PlatformEFI  byte = 0xef
)

// Boot media types (the emulation), the low four bits of the media type
// byte.
const (
	EmulationNone     byte = 0
	EmulationFloppy12 byte = 1
	EmulationFloppy14 byte = 2
	EmulationFloppy28 byte = 3
	EmulationHardDisk byte = 4
)

var platformNames = map[byte]string{PlatformBIOS: "bios", PlatformPPC: "ppc", PlatformMac: "mac", PlatformEFI: "efi"}

var emulationNames = []string{"no-emulation", "floppy-1.2m", "floppy-1.44m", "floppy-2.88m", "hard-disk"}

// PlatformName names a platform ID as a formular writes it: bios, ppc,
// mac, efi, or 0xNN for any other.
func PlatformName(p byte) string {
	if n, ok := platformNames[p]; ok {
		return n
	}
	return fmt.Sprintf("0x%02x", p)
}

// ParsePlatform reads a platform name of PlatformName. A named platform
// has one spelling: 0xef is not efi.
func ParsePlatform(s string) (byte, bool) {
	for p, n := range platformNames {
		if n == s {
			return p, true
		}
	}
	if len(s) == 4 && strings.HasPrefix(s, "0x") && strings.ToLower(s) == s {
		v, err := strconv.ParseUint(s[2:], 16, 8)
		if err == nil {
			if _, named := platformNames[byte(v)]; !named {
				return byte(v), true
			}
		}
	}
	return 0, false
}

// EmulationName names a boot media type: no-emulation, floppy-1.2m,
// floppy-1.44m, floppy-2.88m or hard-disk.
func EmulationName(e byte) string {
	if int(e) < len(emulationNames) {
		return emulationNames[e]
	}
	return fmt.Sprintf("media-type-%d", e)
}

// ParseEmulation reads an emulation name of EmulationName.
func ParseEmulation(s string) (byte, bool) {
	i := slices.Index(emulationNames, s)
	return byte(i), i >= 0
}
