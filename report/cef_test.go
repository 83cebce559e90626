package report

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sverka/sverka/internal/golden"
	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

// cefEvent is a CEF line read back strictly.
type cefEvent struct {
	version, vendor, product, devVersion, signature, name string
	severity                                              int
	ext                                                   map[string]string
	keys                                                  []string // in order
}

// parseCEF reads one CEF line as the format defines it, refusing what it
// does not allow: a header of seven fields separated by unescaped pipes
// (escapes \\ and \| only), then key=value pairs separated by spaces, keys
// alphanumeric and not repeated, values with the escapes \\, \=, \n and \r
// only, no unescaped = and no line break.
func parseCEF(line string) (*cefEvent, error) {
	if strings.ContainsAny(line, "\r\n") {
		return nil, errors.New("a line break in the line")
	}
	if !utf8.ValidString(line) {
		return nil, errors.New("not UTF-8")
	}
	var head []string
	var b strings.Builder
	i := 0
	for len(head) < 7 {
		if i >= len(line) {
			return nil, fmt.Errorf("%d header fields, want 7", len(head))
		}
		switch c := line[i]; c {
		case '\\':
			if i+1 >= len(line) || (line[i+1] != '\\' && line[i+1] != '|') {
				return nil, fmt.Errorf("byte %d: bad escape in the header", i)
			}
			b.WriteByte(line[i+1])
			i += 2
		case '|':
			head = append(head, b.String())
			b.Reset()
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	if head[0] != "CEF:0" {
		return nil, fmt.Errorf("begins %q, not CEF:0", head[0])
	}
	ev := &cefEvent{version: head[0], vendor: head[1], product: head[2], devVersion: head[3],
		signature: head[4], name: head[5], ext: map[string]string{}}
	sev, err := strconv.Atoi(head[6])
	if err != nil || sev < 0 || sev > 10 {
		return nil, fmt.Errorf("severity %q", head[6])
	}
	ev.severity = sev
	rest := line[i:]
	// Split at the unescaped equals signs: each ends a key, which is the
	// word before it; the value before that word ends at the space.
	var eqs []int
	for j := 0; j < len(rest); j++ {
		switch rest[j] {
		case '\\':
			if j+1 >= len(rest) || !strings.ContainsRune(`\=nr`, rune(rest[j+1])) {
				return nil, fmt.Errorf("extension byte %d: bad escape", j)
			}
			j++
		case '=':
			eqs = append(eqs, j)
		}
	}
	if len(rest) > 0 && len(eqs) == 0 {
		return nil, errors.New("an extension without key=value")
	}
	// keyStart is where the key ending at eq begins: at from for the
	// first key, else after a space that ends the value begun at from.
	keyStart := func(eq, from int, first bool) (int, error) {
		k := eq
		for k > from && isKeyByte(rest[k-1]) {
			k--
		}
		switch {
		case k == eq:
			return 0, fmt.Errorf("extension byte %d: no key before =", eq)
		case first && k != 0:
			return 0, errors.New("text before the first key")
		case !first && (k == from || rest[k-1] != ' '):
			return 0, fmt.Errorf("extension byte %d: an unescaped = in a value", eq)
		}
		return k, nil
	}
	start, err := keyStart(eqs[0], 0, true)
	if err != nil {
		return nil, err
	}
	for n, eq := range eqs {
		key := rest[start:eq]
		end := len(rest)
		next := 0
		if n+1 < len(eqs) {
			if next, err = keyStart(eqs[n+1], eq+1, false); err != nil {
				return nil, err
			}
			end = next - 1
		}
		if _, dup := ev.ext[key]; dup {
			return nil, fmt.Errorf("key %s twice", key)
		}
		ev.ext[key] = cefUnescape(rest[eq+1 : end])
		ev.keys = append(ev.keys, key)
		start = next
	}
	return ev, nil
}

func isKeyByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func cefUnescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' {
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func TestCEFGolden(t *testing.T) {
	for name, r := range map[string]*Report{"report": fixedReport(), "partial": partialReport(), "cannot": cannotReport()} {
		var b bytes.Buffer
		if err := WriteCEF(&b, r); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", "golden", name+".cef"), b.Bytes())
	}
}

// Every line parses back strictly to what the report holds: the header,
// the host, the formular, the verdict, and for each finding its table,
// name, status, expected and actual; hostile names come back in the
// report's display form, Cyrillic as it is.
func TestCEFParsesBack(t *testing.T) {
	r := fixedReport()
	r.Run.Host = "host|1=a\\b"
	r.Run.HostID = "3f2c\nid"
	r.Run.Groups = []string{"отдел=1", "dmz"}
	r.Formular.Header = append([]Field{{"formular-id", `643|01\30=01`}}, r.Formular.Header...)
	r.Tool.Version = `1.2|3\4`
	tables := r.Result.Tables
	tables[1].Items = append(tables[1].Items, verify.Item{Name: "a|b=c\\d\re", Line: 99, Status: verify.Missing, Failure: true,
		Size: 5, Expected: digests("x", "sha256")})
	var b bytes.Buffer
	if err := WriteCEF(&b, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	var findings []*cefEvent
	var summary *cefEvent
	for n, l := range lines {
		ev, err := parseCEF(l)
		if err != nil {
			t.Fatalf("line %d: %v\n%s", n+1, err, l)
		}
		if ev.vendor != "sverka" || ev.product != "sverka" || ev.devVersion != `1.2|3\4` {
			t.Errorf("line %d: header %q %q %q", n+1, ev.vendor, ev.product, ev.devVersion)
		}
		want := map[string]string{"dvchost": `host|1=a\b`, "deviceExternalId": `3f2c\nid`,
			"cs1": `643|01\30=01`, "cs1Label": "formularId", "cs2": "Kaspersky Endpoint Security для Linux",
			"cs3": "NOT HOLD", "flexString2": "отдел=1,dmz"}
		for k, v := range want {
			if ev.ext[k] != v {
				t.Errorf("line %d: %s=%q, want %q", n+1, k, ev.ext[k], v)
			}
		}
		if ev.ext["cat"] == "check" {
			summary = ev
		} else {
			findings = append(findings, ev)
		}
	}
	if last := mustLast(t, lines); summary == nil || last.ext["cat"] != "check" {
		t.Fatal("no summary event last")
	}
	if summary.severity != SeverityNotHold || summary.signature != "check-NOT-HOLD" || summary.ext["outcome"] != "NOT HOLD" {
		t.Errorf("summary: %+v", summary)
	}
	if summary.ext["cn3"] != "11" {
		t.Errorf("summary: %s failures, want 11", summary.ext["cn3"])
	}
	// Each finding against its item.
	var items []verify.Item
	var kinds []string
	for _, tb := range tables {
		for _, it := range tb.Items {
			if it.Status != verify.OK {
				items = append(items, it)
				kinds = append(kinds, string(tb.Kind))
			}
		}
	}
	if len(findings) != len(items) {
		t.Fatalf("%d findings, want %d", len(findings), len(items))
	}
	for i, ev := range findings {
		it := items[i]
		name := ev.ext["fname"]
		if kinds[i] == "parameters" {
			name = ev.ext["flexString1"]
		}
		if name != safetext.Display(it.Name) || ev.ext["cs4"] != kinds[i] || ev.ext["outcome"] != string(it.Status) {
			t.Errorf("finding %d: %s %q %s, want %s %q %s", i, ev.ext["cs4"], name, ev.ext["outcome"], kinds[i], safetext.Display(it.Name), it.Status)
		}
		if ev.severity != FindingSeverity(&it) {
			t.Errorf("finding %d: severity %d", i, ev.severity)
		}
	}
	// A few findings in full.
	byName := map[string]*cefEvent{}
	for _, ev := range findings {
		byName[ev.ext["fname"]+ev.ext["flexString1"]] = ev
	}
	for _, c := range []struct{ name, sev, expected, actual string }{
		{"a|b=c\\d\\re", "8", "sha256:" + dg("sha256", "x").Hex + " size:5", "(missing)"},
		{"doc/README\\n\\xffbad.txt", "8", "", "(missing)"},
		{"Update.Threads", "8", "range 1..16", "32"},
		{"Update.Source", "7", "in {KLServers, SCServer}", "(unset)"},
		{"lib/libkesl.so", "8", "", "mode:0666"},
		{"packages/kesl-gui_12.1.0-1297_amd64.deb", "7", "", "found as packages/kesl-gui_12.1.0-1297_amd64 (1).deb"},
		{"packages/postinst-extra.sh", "3", "", "size:733"},
		{"lib/libinject.so", "7", "", "mode:0755"},
		{"packages/locked.deb", "6", "", ""},
	} {
		ev := byName[c.name]
		if ev == nil {
			t.Errorf("no finding for %q", c.name)
			continue
		}
		if strconv.Itoa(ev.severity) != c.sev || !strings.HasPrefix(ev.ext["cs5"], c.expected) || !strings.HasSuffix(ev.ext["cs6"], c.actual) {
			t.Errorf("%s: severity %d, expected %q, actual %q; want %s, %q…, …%q", c.name, ev.severity, ev.ext["cs5"], ev.ext["cs6"], c.sev, c.expected, c.actual)
		}
	}
	if ev := byName["packages/locked.deb"]; ev != nil && ev.ext["msg"] != "permission denied" {
		t.Errorf("locked.deb: msg %q", ev.ext["msg"])
	}
}

func mustLast(t *testing.T, lines []string) *cefEvent {
	ev, err := parseCEF(lines[len(lines)-1])
	if err != nil || ev.ext["cat"] != "check" {
		t.Fatalf("the last line is not the summary: %v", err)
	}
	return ev
}

// The parser is strict: what the format forbids is refused.
func TestParseCEFRefuses(t *testing.T) {
	for _, l := range []string{
		"CEF:0|a|b|c|d|e|5|k=v\nx",
		"CEF:0|a|b|c|d|e|5|k=a=b",
		"CEF:0|a|b|c|d|e|5|k=a\\|b",
		"CEF:0|a\\x|b|c|d|e|5|k=v",
		"CEF:0|a|b|c|d|e|11|k=v",
		"CEF:0|a|b|c|d|e|5",
		"CEF:0|a|b|c|d|e|5|k=1 k=2",
		"CEF:0|a|b|c|d|e|5|junk k=1",
	} {
		if _, err := parseCEF(l); err == nil {
			t.Errorf("%q: accepted", l)
		}
	}
}

// FuzzCEFEscape: any header text and any value, escaped, read back as
// themselves (a header loses line breaks, which it cannot hold).
func FuzzCEFEscape(f *testing.F) {
	for _, s := range []string{"", "plain", `a|b\c=d`, "line\nbreak\r", "Руководство=1|", `\\\|\=`, "x\\"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, header, value string) {
		if !utf8.ValidString(header) || !utf8.ValidString(value) {
			t.Skip() // every text written is valid UTF-8 (safetext.Display)
		}
		line := "CEF:0|v|p|1|sig|" + cefHeaderEscape(header) + "|5|k=" + cefValueEscape(value) + " k2=" + cefValueEscape(value)
		ev, err := parseCEF(line)
		if err != nil {
			t.Fatalf("%q: %v", line, err)
		}
		wantHeader := strings.NewReplacer("\r", " ", "\n", " ").Replace(header)
		if ev.name != wantHeader || ev.ext["k"] != value || ev.ext["k2"] != value {
			t.Fatalf("%q, %q read back as %q, %q, %q", header, value, ev.name, ev.ext["k"], ev.ext["k2"])
		}
	})
}
