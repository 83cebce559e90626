//go:build windows

package settings

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/windows/registry"
)

// TestOpenRegistry writes a throw-away key under HKCU\Software and reads it
// back: each data type, a subkey, the default value, case-insensitive
// lookups, and the same addressing as an export.
func TestOpenRegistry(t *testing.T) {
	name := fmt.Sprintf(`Software\sverka-test-%d-%d`, os.Getpid(), time.Now().UnixNano())
	k, _, err := registry.CreateKey(registry.CURRENT_USER, name, registry.ALL_ACCESS)
	if err != nil {
		t.Fatal(err)
	}
	sub, _, err := registry.CreateKey(k, `Sub`, registry.ALL_ACCESS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sub.Close()
		k.Close()
		registry.DeleteKey(registry.CURRENT_USER, name+`\Sub`)
		registry.DeleteKey(registry.CURRENT_USER, name)
	})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(k.SetStringValue("", "default"))
	must(k.SetStringValue("Str", `C:\Program Files`))
	must(k.SetExpandStringValue("Exp", `%SystemRoot%\x`))
	must(k.SetStringsValue("Multi", []string{"KLServers", "SCServer"}))
	must(k.SetDWordValue("Dw", 31))
	must(k.SetQWordValue("Qw", 1<<40))
	must(k.SetBinaryValue("Bin", []byte{0xde, 0xad}))
	must(sub.SetDWordValue("Deep", 1))

	root := `HKEY_CURRENT_USER\` + name
	src, err := OpenRegistry(root)
	if err != nil {
		t.Fatal(err)
	}
	base := `HKCU\` + name
	checkSource(t, src, []lookup{
		{key: base + `\(Default)`, text: "default"},
		{key: strings.ToLower(base) + `\STR`, text: `C:\Program Files`},
		{key: base + `\Exp`, text: `%SystemRoot%\x`},
		{key: base + `\Multi`, text: "KLServers\nSCServer"},
		{key: base + `\Dw`, text: "31"},
		{key: base + `\Qw`, text: "1099511627776"},
		{key: base + `\Bin`, text: "dead"},
		{key: base + `\Sub\Deep`, text: "1"},
		{key: base + `\Missing`, absent: true},
	}, []string{
		base + `\(Default)`, base + `\Bin`, base + `\Dw`, base + `\Exp`, base + `\Multi`,
		base + `\Qw`, base + `\Str`, base + `\Sub\Deep`,
	})

	if _, err := OpenRegistry(root + `\NoSuchKey`); err == nil {
		t.Errorf("OpenRegistry of a missing key succeeded")
	}
	if _, err := OpenRegistry(`HKEY_NOWHERE\x`); err == nil || !strings.Contains(err.Error(), "unknown root key") {
		t.Errorf("OpenRegistry(unknown hive) = %v", err)
	}
}

// TestReadRegistryLive reads the values a table names from the live
// registry: each type, the default value, the 32-bit view's key, a
// missing value and a missing key (absent, not an error), HKLM and HKCU,
// and for a closed table every value under the rows' common key.
func TestReadRegistryLive(t *testing.T) {
	name := fmt.Sprintf(`Software\sverka-test-%d-%d`, os.Getpid(), time.Now().UnixNano())
	wow := `Software\WOW6432Node\` + name[len(`Software\`):]
	for _, root := range []registry.Key{registry.CURRENT_USER, registry.LOCAL_MACHINE} {
		for _, p := range []string{name, wow} {
			k, _, err := registry.CreateKey(root, p, registry.ALL_ACCESS|registry.WOW64_64KEY)
			if err != nil {
				t.Fatal(err)
			}
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			must(k.SetStringValue("", "default"))
			must(k.SetStringValue("Str", `C:\Program Files`))
			must(k.SetExpandStringValue("Exp", `%SystemRoot%\x`))
			must(k.SetStringsValue("Multi", []string{"KLServers", "SCServer"}))
			must(k.SetDWordValue("Dw", 31))
			must(k.SetQWordValue("Qw", 1<<40))
			must(k.SetBinaryValue("Bin", []byte{0xde, 0xad}))
			if p == wow {
				must(k.SetDWordValue("Dw", 32))
			}
			k.Close()
			t.Cleanup(func() { registry.DeleteKey(root, p) })
		}
	}
	base := `HKCU\` + name
	rows := []string{
		base + `\(Default)`, base + `\Str`, base + `\Exp`, base + `\Multi`, base + `\Dw`, base + `\Qw`, base + `\Bin`,
		`HKLM\` + name + `\Dw`, `HKLM\` + wow + `\Dw`, base + `\Missing`, base + `\NoSuchKey\Dw`,
	}
	src, what, err := ReadRegistry(context.Background(), rows, RegistryOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if what != `HKCU\`+name+`, HKLM\Software` {
		t.Errorf("read %q", what)
	}
	checkSource(t, src, []lookup{
		{key: base + `\(Default)`, text: "default"},
		{key: strings.ToLower(base) + `\STR`, text: `C:\Program Files`},
		{key: base + `\Exp`, text: `%SystemRoot%\x`}, // not expanded
		{key: base + `\Multi`, text: "KLServers\nSCServer"},
		{key: base + `\Dw`, text: "31"},
		{key: base + `\Qw`, text: "1099511627776"},
		{key: base + `\Bin`, text: "dead"},
		{key: `HKEY_LOCAL_MACHINE\` + name + `\Dw`, text: "31"},
		{key: `HKLM\` + wow + `\Dw`, text: "32"},
		{key: base + `\Missing`, absent: true},
		{key: base + `\NoSuchKey\Dw`, absent: true},
	}, nil)

	// Closed: every value under the common key, named or not.
	src, _, err = ReadRegistry(context.Background(), []string{base + `\Dw`, base + `\Str`}, RegistryOptions{Closed: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(src.Keys()); got != 7 {
		t.Errorf("closed read listed %d values, want 7: %q", got, src.Keys())
	}
}

// TestLiveKeyReadOnly shows that the keys sverka opens cannot be written.
func TestLiveKeyReadOnly(t *testing.T) {
	name := fmt.Sprintf(`Software\sverka-test-ro-%d-%d`, os.Getpid(), time.Now().UnixNano())
	k, _, err := registry.CreateKey(registry.CURRENT_USER, name, registry.ALL_ACCESS)
	if err != nil {
		t.Fatal(err)
	}
	k.Close()
	t.Cleanup(func() { registry.DeleteKey(registry.CURRENT_USER, name) })
	rk, ok, err := openLive("HKCU", name)
	if err != nil || !ok {
		t.Fatalf("openLive = %v, %v", ok, err)
	}
	defer rk.close()
	if err := rk.(liveKey).k.SetDWordValue("Written", 1); err == nil {
		t.Fatal("a key sverka opened could be written")
	}
	if _, _, ok, _ := rk.value("Written"); ok {
		t.Fatal("the value was written")
	}
}

// TestIsLiveRoot: the drive Windows runs from is this host; others are not.
func TestIsLiveRoot(t *testing.T) {
	for root, want := range map[string]bool{
		`C:\`: true, `C:`: true, `c:\`: true, `C:/`: true,
		`C:\Windows`: false, `D:\`: false, `\\server\share`: false, ``: false,
	} {
		if got := IsLiveRoot(root); got != want {
			t.Errorf("IsLiveRoot(%q) = %v, want %v", root, got, want)
		}
	}
}
