package settings

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// lookup is one expected Lookup result; absent expects the key missing.
// others are the readings of a key given more than once, besides text.
type lookup struct {
	key    string
	text   string
	line   int
	absent bool
	others []Reading
}

// parseCase is one input of a format and what reading it must give.
type parseCase struct {
	name    string
	in      string
	looks   []lookup
	keys    []string // nil: not checked
	warns   []int    // lines of the expected warnings
	errLn   int      // >0: Parse must fail with a ParseError at this line
	errMsg  string   // ... whose message contains this
	windows bool     // read with Options.Windows
}

func runParseCases(t *testing.T, format string, cases []parseCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src, warns, err := ParseWith([]byte(c.in), "f."+format, format, Options{Windows: c.windows})
			if c.errLn > 0 {
				checkParseError(t, err, "f."+format, c.errLn, c.errMsg)
				return
			}
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			checkSource(t, src, c.looks, c.keys)
			checkWarnings(t, warns, "f."+format, c.warns)
		})
	}
}

func checkParseError(t *testing.T, err error, file string, line int, msg string) {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want a ParseError at line %d", err, line)
	}
	if pe.File != file || pe.Line != line || !strings.Contains(pe.Msg, msg) {
		t.Errorf("err = %q, want file %s line %d with %q", err, file, line, msg)
	}
	if want := "settings " + file + " line "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("err = %q, want it to start with %q", err, want)
	}
}

func checkSource(t *testing.T, src Source, looks []lookup, keys []string) {
	t.Helper()
	for _, l := range looks {
		v, ok := src.Lookup(l.key)
		switch {
		case l.absent && ok:
			t.Errorf("Lookup(%q) = %q, want absent", l.key, v.Text)
		case !l.absent && !ok:
			t.Errorf("Lookup(%q) absent, want %q", l.key, l.text)
		case !l.absent && (v.Text != l.text || v.Line != l.line):
			t.Errorf("Lookup(%q) = %q line %d, want %q line %d", l.key, v.Text, v.Line, l.text, l.line)
		}
		if !slices.Equal(v.Others, l.others) {
			t.Errorf("Lookup(%q) other readings %+v, want %+v", l.key, v.Others, l.others)
		}
	}
	if keys != nil {
		if got := src.Keys(); !slices.Equal(got, keys) {
			t.Errorf("Keys() = %q, want %q", got, keys)
		}
	}
}

func checkWarnings(t *testing.T, warns []Warning, file string, lines []int) {
	t.Helper()
	var got []int
	for _, w := range warns {
		got = append(got, w.Line)
		if w.File != file || w.Msg == "" {
			t.Errorf("warning %+v: want file %s and a message", w, file)
		}
	}
	if !slices.Equal(got, lines) {
		t.Errorf("warnings %v, want them at lines %v", warns, lines)
	}
}

func TestFixtures(t *testing.T) {
	tests := []struct {
		file, format string
		looks        []lookup
		keys         []string
		warns        []int
	}{{
		file: "kesl.ini", format: "ini",
		looks: []lookup{
			{key: "LogLevel", text: "Info", line: 3},
			{key: "Scan.ScanArchives", text: "no", line: 6},
			{key: "Scan.ExcludedPaths", text: "/var/lib/docker;/proc", line: 8},
			{key: "Update.Source", text: "SCServer", line: 13, others: []Reading{{Text: "KLServers", Line: 11, Present: true}}},
			{key: "Network.Proxy", text: "", line: 16},
			{key: "scan.scanarchives", absent: true},
		},
		keys:  []string{"LogLevel", "Network.Proxy", "Scan.ExcludedPaths", "Scan.ScanArchives", "Scan.ScanMailBases", "Update.Source", "Update.Threads"},
		warns: []int{13},
	}, {
		file: "settings.json", format: "json",
		looks: []lookup{
			{key: "/scan/archives", text: "false", line: 3},
			{key: "/scan/maxSize", text: "6.4e1", line: 5},
			{key: "/scan/exclude/1", text: "/sys", line: 6},
			{key: "/scan/exclude", text: `["/proc","/sys"]`, line: 6},
			{key: "/update/source", text: "SCServer", line: 14, others: []Reading{{Text: "KLServers", Line: 9, Present: true}}},
			{key: "/update/proxy", absent: true, others: []Reading{{Line: 10, Present: true}}},
			{key: "/update/a~1b~0c", absent: true, others: []Reading{{Text: "escaped", Line: 11, Present: true}}},
			{key: "/empty", text: "{}", line: 17},
		},
		keys:  []string{"/empty", "/scan/archives", "/scan/exclude/0", "/scan/exclude/1", "/scan/maxSize", "/scan/threads", "/update/source", "/update/threads"},
		warns: []int{13},
	}, {
		file: "settings.xml", format: "xml",
		looks: []lookup{
			{key: "/settings/@version", text: "12.1", line: 2},
			{key: "/settings/scan/@archives", text: "no", line: 3},
			{key: "/settings/update/source", text: "KLServers", line: 5, others: []Reading{{Text: "SCServer", Line: 6, Present: true}}},
			{key: "/settings/update/source[2]", text: "SCServer", line: 6},
			{key: "/settings/update/proxy", text: "http://proxy:3128", line: 7},
			{key: "/settings/log", text: "/var/log/kesl", line: 9},
			{key: "/settings/@xmlns", absent: true},
		},
		keys: []string{"/settings/@version", "/settings/log", "/settings/log/@level", "/settings/scan/@archives", "/settings/scan/@threads",
			"/settings/update/proxy", "/settings/update/source[1]", "/settings/update/source[2]"},
		warns: []int{6},
	}, {
		file: "kesl.env", format: "kv",
		looks: []lookup{
			{key: "KESL_THREADS", text: "4", line: 3},
			{key: "KESL_OPTS", text: "--no-archives --quiet", line: 4},
			{key: "KESL_PROXY", text: "http://proxy:3128", line: 5},
			{key: "KESL_BANNER", text: "first line\nsecond line", line: 6},
		},
		keys: []string{"KESL_BANNER", "KESL_LOG_LEVEL", "KESL_OPTS", "KESL_PROXY", "KESL_THREADS"},
	}, {
		file: "kes-export.reg", format: "reg",
		looks: []lookup{
			{key: `HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\(Default)`, text: "KES 12.1", line: 6},
			{key: `HKEY_LOCAL_MACHINE\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\(default)`, text: "KES 12.1", line: 6},
			{key: `hklm\software\wow6432node\kasperskylab\PROTECTED\kes\ENVIRONMENT\productroot`, text: `C:\Program Files (x86)\Kaspersky Lab\KES.12.1\`, line: 7},
			{key: `HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\ServerName`, text: `Сервер администрирования "Центральный"`, line: 9},
			{key: `HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\InstallDir`, text: `%ProgramFiles(x86)%\Kaspersky Lab\KES.12.1\`, line: 10},
			{key: `HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\Threads`, text: "31", line: 14},
			{key: `HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\ScanArchives`, text: "0", line: 15},
			{key: `HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\UpdateSources`, text: "KLServers\nSCServer", line: 16},
			{key: `HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\Fingerprint`, text: "deadbeef00ff", line: 18},
			{key: `HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\MaxLogSize`, text: "1073741824", line: 19},
			{key: `HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\Settings\Update\UseProxy`, text: "1", line: 22},
			{key: `HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\Settings\Update\ProxyAddress`, text: "", line: 23},
			{key: `HKCU\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\Settings\Update\UseProxy`, absent: true},
			{key: `HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment`, absent: true},
		},
		keys: []string{
			`HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\Settings\Update\ProxyAddress`,
			`HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\Settings\Update\UseProxy`,
			`HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\(Default)`,
			`HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\Fingerprint`,
			`HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\InstallDir`,
			`HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\MaxLogSize`,
			`HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\ProductRoot`,
			`HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\ProductVersion`,
			`HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\ScanArchives`,
			`HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\ServerName`,
			`HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\Threads`,
			`HKLM\SOFTWARE\WOW6432Node\KasperskyLab\protected\KES\environment\UpdateSources`,
		},
	}}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			src, warns, err := Open(path, tt.format)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			checkSource(t, src, tt.looks, tt.keys)
			checkWarnings(t, warns, path, tt.warns)
			after, err := os.ReadFile(path)
			if err != nil || string(after) != string(before) {
				t.Errorf("%s changed by reading it", path)
			}
		})
	}
}

// The regedit fixture must stay as regedit writes it, or the test above
// proves nothing about real exports.
func TestRegFixtureIsRegeditUTF16(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "kes-export.reg"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "\xff\xfeW\x00i\x00n\x00") {
		t.Errorf("fixture does not start with a UTF-16LE byte order mark and the header")
	}
	if !strings.Contains(string(data), "\r\x00\n\x00") {
		t.Errorf("fixture has no CRLF line ends")
	}
}

func TestOpenErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "absent.ini")
	_, _, err := Open(missing, "ini")
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Open(missing) = %v, want a not-exist error naming the file", err)
	}
	_, _, err = Open(filepath.Join("testdata", "kesl.ini"), "yaml")
	if err == nil || !strings.Contains(err.Error(), `unknown format "yaml"`) || !strings.Contains(err.Error(), "kesl.ini") {
		t.Errorf("Open(format yaml) = %v, want an unknown format error naming the file", err)
	}
	_, _, err = Parse(nil, "x", "registry")
	if err == nil || !strings.Contains(err.Error(), "OpenRegistry") {
		t.Errorf("Parse(format registry) = %v, want a pointer to OpenRegistry", err)
	}
	if _, _, err := Open(t.TempDir(), "ini"); err == nil {
		t.Errorf("Open(directory) succeeded")
	}
	// Format names are not case-sensitive.
	if _, _, err := Open(filepath.Join("testdata", "kesl.ini"), "INI"); err != nil {
		t.Errorf("Open(format INI): %v", err)
	}
}

func TestOpenRegistryElsewhere(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the live registry exists here")
	}
	_, err := OpenRegistry(`HKLM\SOFTWARE\Vendor`)
	if err == nil || !strings.Contains(err.Error(), "only available on Windows") {
		t.Errorf("OpenRegistry = %v, want an only-on-Windows error", err)
	}
}

func TestFormats(t *testing.T) {
	for _, f := range Formats() {
		if _, _, err := Parse([]byte{}, "x", f); err != nil && strings.Contains(err.Error(), "unknown format") {
			t.Errorf("Formats lists %q but Parse does not know it", f)
		}
	}
}

func TestUTF16Text(t *testing.T) {
	le := []byte("\xff\xfe[\x00S\x00]\x00\r\x00\n\x00k\x00=\x00\x16\x04\r\x00\n\x00") // [S] k=Ж
	src, _, err := Parse(le, "u.ini", "ini")
	if err != nil {
		t.Fatal(err)
	}
	checkSource(t, src, []lookup{{key: "S.k", text: "Ж", line: 2}}, nil)

	be := []byte("\xfe\xff\x00k\x00=\x00v")
	src, _, err = Parse(be, "u.env", "kv")
	if err != nil {
		t.Fatal(err)
	}
	checkSource(t, src, []lookup{{key: "k", text: "v", line: 1}}, nil)

	_, _, err = Parse([]byte("\xff\xfek\x00="), "odd.ini", "ini")
	checkParseError(t, err, "odd.ini", 1, "odd number of bytes")
}
