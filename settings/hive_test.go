package settings

import (
	"context"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/sverka/sverka/internal/hivetest"
)

// realHive is the NTUSER.DAT of a Windows XP profile that the hive
// parser's module ships as its test data: a hive Windows itself wrote.
func realHive(t testing.TB) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "www.velocidex.com/golang/regparser").Output()
	if err != nil {
		t.Skipf("the hive parser's module cannot be found: %v", err)
	}
	p := filepath.Join(strings.TrimSpace(string(out)), "testdata", "NTUSER.DAT")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("no real hive: %v", err)
	}
	return p
}

// offlineWith lays out an offline system whose file at rel (slash
// separated) holds data, and returns its root.
func offlineWith(t testing.TB, rel string, data []byte) string {
	t.Helper()
	root := t.TempDir()
	p := filepath.Join(root, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return root
}

var hivexType = regexp.MustCompile(`(?m)^(".*"|@)=str\([0-9a-f]+\):`)

// hivexValues lists the values of one key of a hive as hivex, another
// reader of hives, reads them, as a regedit export under HKCU.
func hivexValues(t *testing.T, hive, key string) Source {
	t.Helper()
	if _, err := exec.LookPath("hivexsh"); err != nil {
		t.Skip("hivexsh (Debian libhivex-bin) is not installed")
	}
	cmd := exec.Command("hivexsh", hive)
	cmd.Stdin = strings.NewReader("cd \\" + key + "\nlsval\n")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("hivexsh %s: %v", key, err)
	}
	// hivexsh writes str(2):"..." for REG_EXPAND_SZ, where regedit
	// writes hex(2): the string is the same.
	text := "Windows Registry Editor Version 5.00\n\n[HKEY_CURRENT_USER\\" + key + "]\n" + hivexType.ReplaceAllString(string(out), "$1=")
	src, _, err := Parse([]byte(text), "hivexsh", "reg")
	if err != nil {
		t.Fatalf("hivexsh output: %v\n%s", err, text)
	}
	return src
}

// TestReadRegistryOffline reads a real hive as HKCU of an offline system
// and finds every value hivex finds, with the same text: strings,
// expandable strings (not expanded), dwords, binary data.
func TestReadRegistryOffline(t *testing.T) {
	data, err := os.ReadFile(realHive(t))
	if err != nil {
		t.Fatal(err)
	}
	// Letter case on the disk differs from Windows' spelling: Windows
	// would find the file all the same.
	root := offlineWith(t, "users/Ivanov/ntuser.dat", data)
	for _, key := range []string{`Console`, `Control Panel\Desktop`, `Environment`} {
		want := hivexValues(t, filepath.Join(root, "users", "Ivanov", "ntuser.dat"), key)
		rows := append(want.Keys(), `HKCU\`+key+`\NoSuchValue`, `HKCU\`+key+`\NoSuchKey\Value`)
		for _, closed := range []bool{false, true} {
			src, name, err := ReadRegistry(context.Background(), rows, RegistryOptions{Offline: root, User: "IVANOV", Closed: closed})
			if err != nil {
				t.Fatal(err)
			}
			if wantName := filepath.Join(root, "users", "Ivanov", "ntuser.dat"); name != wantName {
				t.Errorf("read %q, want %q", name, wantName)
			}
			for _, k := range want.Keys() {
				w, _ := want.Lookup(k)
				got, ok := src.Lookup(k)
				if !ok || got.Text != w.Text {
					t.Errorf("%s (closed %v) = %q, %v; hivex reads %q", k, closed, got.Text, ok, w.Text)
				}
			}
			for _, k := range rows[len(rows)-2:] {
				if v, ok := src.Lookup(k); ok {
					t.Errorf("%s = %q, want absent", k, v.Text)
				}
			}
			if closed && len(src.Keys()) < len(want.Keys()) {
				t.Errorf("closed read of %s lists %d values, hivex %d", key, len(src.Keys()), len(want.Keys()))
			}
		}
	}
}

// TestReadRegistryOfflineRefuses: what cannot be read from an offline
// system is an error naming why, never an empty (passing) source.
func TestReadRegistryOfflineRefuses(t *testing.T) {
	data, err := os.ReadFile(realHive(t))
	if err != nil {
		t.Fatal(err)
	}
	good := offlineWith(t, "Users/ivanov/NTUSER.DAT", data)
	dirty := append([]byte(nil), data...)
	binary.LittleEndian.PutUint32(dirty[8:], binary.LittleEndian.Uint32(dirty[4:])+1)
	hivetest.FixChecksum(dirty)
	damaged := append([]byte(nil), data...)
	damaged[0x30] ^= 1
	tests := []struct {
		name, root, user, key string
		want                  string
	}{
		{"no user", good, "", `HKCU\Console\FontSize`, "no user was named"},
		{"a user with a path", good, `..\x`, `HKCU\Console\FontSize`, "not a profile folder"},
		{"no such user", good, "petrov", `HKCU\Console\FontSize`, "does not exist"},
		{"no SOFTWARE hive", good, "", `HKLM\SOFTWARE\Vendor\Value`, "does not exist"},
		{"a volatile key", good, "", `HKLM\HARDWARE\Description\Value`, "not in a hive file of an offline system"},
		{"HKCR", good, "", `HKCR\.txt\(Default)`, "exists only on a running system"},
		{"HKCC", good, "", `HKCC\Software\Value`, "exists only on a running system"},
		{"another user's HKU", good, "", `HKU\S-1-5-21-1\Software\Value`, "address a user's keys as HKCU"},
		{"dirty", offlineWith(t, "Users/ivanov/NTUSER.DAT", dirty), "ivanov", `HKCU\Console\FontSize`, "sequence numbers"},
		{"damaged header", offlineWith(t, "Users/ivanov/NTUSER.DAT", damaged), "ivanov", `HKCU\Console\FontSize`, "checksum"},
		{"not a hive", offlineWith(t, "Users/ivanov/NTUSER.DAT", []byte(strings.Repeat("REGEDIT4\r\n", 1000))), "ivanov", `HKCU\Console\FontSize`, "no \"regf\" signature"},
		{"short", offlineWith(t, "Users/ivanov/NTUSER.DAT", data[:100]), "ivanov", `HKCU\Console\FontSize`, "shorter than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadRegistry(context.Background(), []string{tt.key}, RegistryOptions{Offline: tt.root, User: tt.user})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one saying %q", err, tt.want)
			}
			if tt.name == "no user" && !errors.Is(err, ErrNoRegistryUser) {
				t.Errorf("err = %v, not ErrNoRegistryUser", err)
			}
			if tt.want == "does not exist" && !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("err = %v, not fs.ErrNotExist", err)
			}
		})
	}
}

// TestTinyHive: the fuzzer's seed reads as it was made.
func TestTinyHive(t *testing.T) {
	root := offlineWith(t, "Users/u/NTUSER.DAT", hivetest.Tiny())
	src, _, err := ReadRegistry(context.Background(), []string{`HKCU\FontSize`}, RegistryOptions{Offline: root, User: "u", Closed: true})
	if err != nil {
		t.Fatal(err)
	}
	checkSource(t, src, []lookup{{key: `HKCU\FontSize`, text: "12"}}, []string{`HKCU\FontSize`})
}

// FuzzHive reads every value of a hive file that may be anything: the
// result is values or an error, never a panic or a walk without end.
func FuzzHive(f *testing.F) {
	// Not the real hive: finding it runs the go command, which waits on
	// the one running the fuzzer.
	f.Add(hivetest.Tiny())
	f.Fuzz(fuzzHiveBody)
}

func fuzzHiveBody(t *testing.T, data []byte) {
	{
		if len(data) >= 0x200 {
			// Past the checksum, into the cells; on a copy, for the
			// fuzzer's input must stay as it gave it.
			data = append([]byte(nil), data...)
			hivetest.FixChecksum(data)
		}
		h, err := parseHive(data, "fuzz")
		if err != nil {
			var he *HiveError
			if !errors.As(err, &he) {
				t.Fatalf("error %v is not a HiveError", err)
			}
			return
		}
		open := func(_, p string) (regKey, bool, error) {
			var comps []string
			if p != "" {
				comps = strings.Split(p, `\`)
			}
			return h.openPath(comps)
		}
		var rows []regRow
		for _, k := range []string{`HKCU\Console\FontSize`, `HKCU\Console\x\y`, `HKCU\(Default)`} {
			r, err := parseRegRow(k)
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, r)
		}
		for _, closed := range []bool{false, true} {
			src, err := readRegistryRows(context.Background(), rows, closed, open)
			if err != nil {
				var he *HiveError
				if !errors.As(err, &he) && !strings.Contains(err.Error(), "settings registry") {
					t.Fatalf("error %v names no hive", err)
				}
				continue
			}
			for _, k := range src.Keys() {
				if _, ok := src.Lookup(k); !ok {
					t.Fatalf("Keys lists %q, which Lookup does not find", k)
				}
			}
		}
	}
}

// TestReadRegistryOfflineMachine reads HKLM of an offline system from
// SOFTWARE and SYSTEM hives hivex wrote: every type, the 32-bit view's
// WOW6432Node, CurrentControlSet as Select\Current says, names on the
// disk in another letter case.
func TestReadRegistryOfflineMachine(t *testing.T) {
	if _, err := exec.LookPath("hivexsh"); err != nil {
		t.Skip("hivexsh (Debian libhivex-bin) is not installed")
	}
	root := t.TempDir()
	config := filepath.Join(root, "WINDOWS", "system32", "Config")
	err := hivetest.Write(filepath.Join(config, "SOFTWARE"), `add Vendor
cd Vendor
add Product
cd Product
setval 6
Str
string:SCServer
Exp
expandstring:%SystemRoot%\kl
Dw
dword:0x00000004
Qw
hex:11:00,00,00,00,00,01,00,00
Multi
hex:7:61,00,00,00,62,00,00,00,00,00
Bin
hex:3:de,ad
cd \
add WOW6432Node
cd WOW6432Node
add Vendor
cd Vendor
setval 1
Agent
dword:0x00000001`)
	if err != nil {
		t.Fatal(err)
	}
	err = hivetest.Write(filepath.Join(config, "SYSTEM"), `add Select
cd Select
setval 1
Current
dword:0x00000002
cd \
add ControlSet001
cd ControlSet001
add Services
cd Services
add Vendor
cd Vendor
setval 1
Start
dword:0x00000004
cd \
add ControlSet002
cd ControlSet002
add Services
cd Services
add Vendor
cd Vendor
setval 1
Start
dword:0x00000002`)
	if err != nil {
		t.Fatal(err)
	}
	p := `HKLM\SOFTWARE\Vendor\Product\`
	rows := []string{p + "Str", p + "Exp", p + "Dw", p + "Qw", p + "Multi", p + "Bin", p + "Missing",
		`HKLM\SOFTWARE\WOW6432Node\Vendor\Agent`, `HKLM\SYSTEM\CurrentControlSet\Services\Vendor\Start`,
		`HKLM\SYSTEM\ControlSet001\Services\Vendor\Start`}
	for _, closed := range []bool{false, true} {
		src, name, err := ReadRegistry(context.Background(), rows, RegistryOptions{Offline: root, Closed: closed})
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(config, "SOFTWARE") + ", " + filepath.Join(config, "SYSTEM"); name != want {
			t.Errorf("read %q, want %q", name, want)
		}
		checkSource(t, src, []lookup{
			{key: p + "Str", text: "SCServer"},
			{key: p + "Exp", text: `%SystemRoot%\kl`},
			{key: p + "Dw", text: "4"},
			{key: p + "Qw", text: "1099511627776"},
			{key: p + "Multi", text: "a\nb"},
			{key: p + "Bin", text: "dead"},
			{key: p + "Missing", absent: true},
			{key: `HKLM\SOFTWARE\WOW6432Node\Vendor\Agent`, text: "1"},
			{key: `HKLM\SYSTEM\CurrentControlSet\Services\Vendor\Start`, text: "2"},
			{key: `HKLM\SYSTEM\ControlSet001\Services\Vendor\Start`, text: "4"},
		}, nil)
	}
}
