//go:build windows

package settings

import (
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
