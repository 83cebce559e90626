package eltorito

import "testing"

func TestPlatformAndEmulationNames(t *testing.T) {
	for _, p := range []byte{0, 1, 2, 0xef, 0x42, 0xff} {
		got, ok := ParsePlatform(PlatformName(p))
		if !ok || got != p {
			t.Errorf("platform %#x: %q reads back as %#x %v", p, PlatformName(p), got, ok)
		}
	}
	for _, bad := range []string{"0xef", "0x00", "0X42", "0x4", "BIOS", ""} {
		if _, ok := ParsePlatform(bad); ok {
			t.Errorf("platform %q accepted", bad)
		}
	}
	for e := range byte(5) {
		got, ok := ParseEmulation(EmulationName(e))
		if !ok || got != e {
			t.Errorf("emulation %d: %q", e, EmulationName(e))
		}
	}
}
