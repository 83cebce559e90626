package hostinfo

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckName(t *testing.T) {
	for _, c := range []struct {
		name, s, err string
	}{
		{"inventory name", "web-01.msk", ""},
		{"cyrillic", "сервер-бухгалтерии", ""},
		{"spaces and punctuation", "Rack 4 / slot 2 (old)", ""},
		{"255 bytes", strings.Repeat("я", 127) + "x", ""},
		{"empty", "", "--host-id: empty"},
		{"256 bytes", strings.Repeat("x", 256), "--host-id: 256 bytes, more than 255"},
		{"newline", "web\n01", "control or formatting character U+000A at byte 3"},
		{"tab", "web\t01", "U+0009"},
		{"escape", "web\x1b[31m", "U+001B"},
		{"DEL", "web\x7f", "U+007F"},
		{"C1", "web\u0085", "U+0085"},
		{"bidi override", "web\u202e10", "U+202E at byte 3"},
		{"line separator", "a\u2028b", "U+2028"},
		{"invalid UTF-8", "web\xff", "not valid UTF-8"},
	} {
		err := CheckName("--host-id", c.s)
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.err)
		}
	}
}

func TestParseMachineID(t *testing.T) {
	const id = "3d1219c7c4c5404aaa1f6d2a48adfda4"
	for _, c := range []struct {
		name, data, want, err string
	}{
		{"systemd", id + "\n", id, ""},
		{"no newline", id, id, ""},
		{"empty (first boot)", "", "", "an empty file"},
		{"uninitialized", "uninitialized\n", "", `found "uninitialized\n"`},
		{"upper case", strings.ToUpper(id) + "\n", "", "lower-case hex"},
		{"short", id[:31] + "\n", "", "32 lower-case hex digits"},
		{"two newlines", id + "\n\n", "", "32 lower-case hex digits"},
		{"CRLF", id + "\r\n", "", "32 lower-case hex digits"},
		{"spaces", " " + id + "\n", "", "32 lower-case hex digits"},
		{"UUID form", "3d1219c7-c4c5-404a-aa1f-6d2a48adfda4\n", "", "32 lower-case hex digits"},
		{"all zero", strings.Repeat("0", 32) + "\n", "", "all zero"},
		{"long", strings.Repeat("a", 100), "", "100 bytes"},
	} {
		got, err := ParseMachineID([]byte(c.data))
		if got != c.want {
			t.Errorf("%s: ParseMachineID = %q, want %q", c.name, got, c.want)
		}
		switch {
		case c.err == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.err)
		}
	}
}

func TestParseUUID(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"564D8E4B-4D2F-3E8C-9A7B-5E2F1C0D9A3B", "564d8e4b-4d2f-3e8c-9a7b-5e2f1c0d9a3b"},
		{"a1b2c3d4-0000-1111-2222-333344445555", "a1b2c3d4-0000-1111-2222-333344445555"},
		{"{564D8E4B-4D2F-3E8C-9A7B-5E2F1C0D9A3B}", ""},
		{"564D8E4B4D2F3E8C9A7B5E2F1C0D9A3B", ""},
		{"00000000-0000-0000-0000-000000000000", ""},
		{"", ""},
		{"564D8E4B-4D2F-3E8C-9A7B-5E2F1C0D9A3G", ""},
	} {
		got, err := ParseUUID(c.in)
		if got != c.want || (err == nil) != (c.want != "") {
			t.Errorf("ParseUUID(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
}

// ioregOutput is what `ioreg -rd1 -c IOPlatformExpertDevice` prints on a
// Mac, shortened.
const ioregOutput = `+-o J314sAP  <class IOPlatformExpertDevice, id 0x100000213, registered, matched, active, busy 0 (125 ms), retain 36>
    {
      "IOPolledInterface" = "AppleARMWatchdogTimerHibernateHandler is not serializable"
      "compatible" = <"J314sAP","MacBookPro18,3","AppleARM">
      "IOPlatformSerialNumber" = "C02ABC123XYZ"
      "IOPlatformUUID" = "564D8E4B-4D2F-3E8C-9A7B-5E2F1C0D9A3B"
      "manufacturer" = <"Apple Inc.">
    }
`

func TestParseIOReg(t *testing.T) {
	for _, c := range []struct {
		name, out, want, err string
	}{
		{"mac", ioregOutput, "564d8e4b-4d2f-3e8c-9a7b-5e2f1c0d9a3b", ""},
		{"absent", "+-o Root\n{\n}\n", "", "no IOPlatformUUID"},
		{"empty", "", "", "no IOPlatformUUID"},
		{"twice", ioregOutput + `  "IOPlatformUUID" = "11111111-2222-3333-4444-555555555555"` + "\n", "", "given 2 times"},
		{"not quoted", `"IOPlatformUUID" = <564D8E4B>`, "", "not a quoted string"},
		{"not a UUID", `"IOPlatformUUID" = "host-1"`, "", "not a UUID"},
	} {
		got, err := ParseIOReg([]byte(c.out))
		if got != c.want {
			t.Errorf("%s: ParseIOReg = %q, want %q", c.name, got, c.want)
		}
		if c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.err)
		}
	}
}

// The first file that exists and holds an id gives it; a missing or
// blank one (first boot) passes to the next; a malformed one is an error
// naming it, never skipped.
func TestReadMachineIDFiles(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	bad := filepath.Join(dir, "bad")
	missing := filepath.Join(dir, "missing")
	os.WriteFile(good, []byte("3d1219c7c4c5404aaa1f6d2a48adfda4\n"), 0o644)
	os.WriteFile(bad, []byte("3D1219C7C4C5404AAA1F6D2A48ADFDA4\n"), 0o644)

	if id, err := readMachineIDFiles(missing, good); id != "3d1219c7c4c5404aaa1f6d2a48adfda4" || err != nil {
		t.Errorf("missing, good: %q, %v", id, err)
	}
	if id, err := readMachineIDFiles(bad, good); id != "" || err == nil || !strings.Contains(err.Error(), bad+": not a machine id") {
		t.Errorf("bad, good: %q, %v; want an error naming %s", id, err, bad)
	}
	for _, blank := range []string{"", "\n", "uninitialized\n"} {
		first := filepath.Join(dir, "blank")
		if err := os.WriteFile(first, []byte(blank), 0o644); err != nil {
			t.Fatal(err)
		}
		if id, err := readMachineIDFiles(first, good); id != "3d1219c7c4c5404aaa1f6d2a48adfda4" || err != nil {
			t.Errorf("%q, good: %q, %v; want the second file's id", blank, id, err)
		}
		if id, err := readMachineIDFiles(first); id != "" || err != nil {
			t.Errorf("%q alone: %q, %v; want no id and no error", blank, id, err)
		}
	}
	if id, err := readMachineIDFiles(missing); id != "" || err != nil {
		t.Errorf("none: %q, %v", id, err)
	}
	if id, err := readMachineIDFiles(dir); id != "" || err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a directory: %q, %v", id, err)
	}
}

func TestHostID(t *testing.T) {
	malformed := errors.New("machine id: /etc/machine-id: not a machine id")
	for _, c := range []struct {
		name string
		f    Facts
		want string
		err  string
	}{
		{"machine id", Facts{Host: "web-01", MachineID: "3d1219c7c4c5404aaa1f6d2a48adfda4"}, "3d1219c7c4c5404aaa1f6d2a48adfda4", ""},
		{"hostname when there is no id", Facts{Host: "web-01"}, "web-01", ""},
		{"malformed id: no fallback", Facts{Host: "web-01", MachineIDErr: malformed}, "", "not a machine id"},
		{"nothing", Facts{}, "", "no machine id and no hostname"},
		{"unclean hostname", Facts{Host: "web\x1b01"}, "", "hostname"},
	} {
		got, err := c.f.HostID()
		if got != c.want {
			t.Errorf("%s: HostID = %q, want %q", c.name, got, c.want)
		}
		if c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.err)
		}
	}
}

// This host's id is what its system says it is.
func TestProbeMachineID(t *testing.T) {
	if runtime.GOOS == "windows" || runtime.GOOS == "darwin" {
		t.Skip("machine-id(5) is where the id comes from on other systems")
	}
	f := Probe()
	data, err := os.ReadFile("/etc/machine-id")
	if err != nil {
		t.Skip("no /etc/machine-id here")
	}
	want, err := ParseMachineID(data)
	if err != nil {
		if f.MachineIDErr == nil {
			t.Errorf("a malformed /etc/machine-id was taken: %q", f.MachineID)
		}
		return
	}
	if f.MachineID != want || f.MachineIDErr != nil {
		t.Errorf("MachineID = %q, %v; want %q", f.MachineID, f.MachineIDErr, want)
	}
}

func FuzzParseMachineID(f *testing.F) {
	f.Add([]byte("3d1219c7c4c5404aaa1f6d2a48adfda4\n"))
	f.Add([]byte("uninitialized\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		id, err := ParseMachineID(data)
		if err != nil {
			return
		}
		if len(id) != 32 || !isLowerHex(id) || CheckName("id", id) != nil {
			t.Fatalf("accepted %q as %q", data, id)
		}
	})
}

func FuzzParseIOReg(f *testing.F) {
	f.Add([]byte(ioregOutput))
	f.Add([]byte(`"IOPlatformUUID" = "x"`))
	f.Fuzz(func(t *testing.T, data []byte) {
		id, err := ParseIOReg(data)
		if err != nil {
			return
		}
		if len(id) != 36 || !utf8.ValidString(id) || strings.ToLower(id) != id || CheckName("id", id) != nil {
			t.Fatalf("accepted %q from %q", id, data)
		}
	})
}
