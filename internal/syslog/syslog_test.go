package syslog

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sverka/sverka/internal/wintest"
)

// rfc5424 matches a message as Format writes it: PRI, VERSION, TIMESTAMP,
// HOSTNAME, APP-NAME, PROCID, MSGID, no structured data, MSG.
var rfc5424 = regexp.MustCompile(`^<(\d{1,3})>1 (-|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(?:Z|[+-]\d\d:\d\d)) ([!-~]{1,255}) ([!-~]{1,48}) ([!-~]{1,128}) ([!-~]{1,32}) -(?: (.*))?$`)

// parse reads a message back, or fails the test.
func parse(t *testing.T, b []byte) (pri int, fields []string, text string) {
	t.Helper()
	m := rfc5424.FindSubmatch(b)
	if m == nil {
		t.Fatalf("not an RFC 5424 message: %q", b)
	}
	pri, _ = strconv.Atoi(string(m[1]))
	for _, f := range m[2:7] {
		fields = append(fields, string(f))
	}
	return pri, fields, string(m[7])
}

func TestFormat(t *testing.T) {
	at := time.Date(2026, 12, 3, 10, 15, 0, 123456789, time.FixedZone("MSK", 3*3600))
	for _, c := range []struct {
		m      Message
		fields []string
		text   string
		pri    int
	}{
		{Message{Facility: FacilityAuth, Severity: Error, Time: at, Hostname: "host-1", AppName: "sverka", ProcID: "42", MsgID: "finding", Text: "CEF:0|a"},
			[]string{"2026-12-03T10:15:00.123456+03:00", "host-1", "sverka", "42", "finding"}, "CEF:0|a", 35},
		{Message{Facility: FacilityAuth, Severity: Informational, Hostname: "bad host\nname", AppName: "sverka", MsgID: "check", Text: "Руководство"},
			[]string{"-", "bad_host_name", "sverka", "-", "check"}, "\ufeffРуководство", 38},
		{Message{Hostname: "хост", AppName: strings.Repeat("a", 60), ProcID: "1", MsgID: "x"},
			[]string{"-", "________", strings.Repeat("a", 48), "1", "x"}, "", 0},
	} {
		pri, fields, text := parse(t, Format(c.m))
		if pri != c.pri || fmt.Sprint(fields) != fmt.Sprint(c.fields) || text != c.text {
			t.Errorf("%+v: <%d> %q %q, want <%d> %q %q", c.m, pri, fields, text, c.pri, c.fields, c.text)
		}
	}
}

func TestParseAddr(t *testing.T) {
	for _, c := range []struct{ in, network, address, err string }{
		{"udp://127.0.0.1:5514", "udp", "127.0.0.1:5514", ""},
		{"udp://siem.example", "udp", "siem.example:514", ""},
		{"tcp://[::1]:601", "tcp", "[::1]:601", ""},
		{"unix:///dev/log", "unix", "/dev/log", ""},
		{"unix://dev/log", "", "", "three slashes"},
		{"udp://host:0", "", "", "port"},
		{"udp://host:x", "", "", "not an address"},
		{"http://host", "", "", "unknown scheme"},
		{"host:514", "", "", "unknown scheme"},
		{"/dev/log", "", "", "not an address"},
		{"tcp://host:514/path", "", "", "expected tcp://HOST:PORT"},
		{"udp://]", "", "", "not a host name or address"},
		{"tcp://a]b:601", "", "", "not a host name or address"},
	} {
		n, a, err := ParseAddr(c.in)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%q: %v, want an error saying %q", c.in, err, c.err)
			}
			continue
		}
		if err != nil || n != c.network || a != c.address {
			t.Errorf("%q: %s %s %v, want %s %s", c.in, n, a, err, c.network, c.address)
		}
	}
}

var events = []Message{
	{Facility: FacilityAuth, Severity: Error, Hostname: "h", AppName: "sverka", ProcID: "1", MsgID: "finding", Text: "CEF:0|sverka|sverka|1|finding-MISSING|File MISSING|8|fname=Руководство.pdf"},
	{Facility: FacilityAuth, Severity: Informational, Hostname: "h", AppName: "sverka", ProcID: "1", MsgID: "check", Text: "CEF:0|sverka|sverka|1|check-HOLDS|Integrity check HOLDS|1|cs3=HOLDS"},
}

// checkReceived holds what a listener got to events.
func checkReceived(t *testing.T, got [][]byte) {
	t.Helper()
	if len(got) != len(events) {
		t.Fatalf("received %d messages, want %d", len(got), len(events))
	}
	for i, b := range got {
		pri, fields, text := parse(t, b)
		want := events[i]
		if pri != want.Facility*8+want.Severity || fields[4] != want.MsgID || strings.TrimPrefix(text, "\ufeff") != want.Text {
			t.Errorf("message %d: <%d> %q %q", i, pri, fields, text)
		}
	}
}

func send(t *testing.T, addr string) {
	t.Helper()
	s, err := Dial(context.Background(), addr)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range events {
		if err := s.Send(m); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestSendUDP(t *testing.T) {
	if wintest.Wine() {
		// Wine 8 fails the WSAIoctl Go makes on a UDP socket (WSAEOPNOTSUPP).
		t.Skip("Wine cannot open a UDP listener for Go")
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	send(t, "udp://"+pc.LocalAddr().String())
	checkReceived(t, readDatagrams(t, pc))
}

func readDatagrams(t *testing.T, pc net.PacketConn) [][]byte {
	var got [][]byte
	buf := make([]byte, 64<<10)
	for range events {
		pc.SetReadDeadline(time.Now().Add(5 * time.Second))
		n, _, err := pc.ReadFrom(buf)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, append([]byte(nil), buf[:n]...))
	}
	return got
}

// TCP: each message behind its length, RFC 6587 octet counting.
func TestSendTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	done := make(chan [][]byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			done <- nil
			return
		}
		defer c.Close()
		done <- readFramed(c)
	}()
	send(t, "tcp://"+ln.Addr().String())
	got := <-done
	checkReceived(t, got)
}

// readFramed reads octet-counted messages to the end of the stream; a
// frame that is not one ends the reading.
func readFramed(r io.Reader) [][]byte {
	br := bufio.NewReader(r)
	var got [][]byte
	for {
		n, err := br.ReadString(' ')
		if err != nil {
			return got
		}
		size, err := strconv.Atoi(strings.TrimSuffix(n, " "))
		if err != nil || size <= 0 {
			return append(got, []byte("bad frame "+n))
		}
		b := make([]byte, size)
		if _, err := io.ReadFull(br, b); err != nil {
			return append(got, []byte("short frame"))
		}
		got = append(got, b)
	}
}

// The local socket, as /dev/log is: a datagram socket.
func TestSendUnixgram(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no datagram sockets on Windows")
	}
	path := filepath.Join(t.TempDir(), "log")
	pc, err := net.ListenPacket("unixgram", path)
	if err != nil {
		t.Skip("no unix datagram socket here:", err)
	}
	defer pc.Close()
	send(t, "unix://"+path)
	checkReceived(t, readDatagrams(t, pc))
}

// Nobody listening: a TCP collector is an error at once.
func TestDialRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	if _, err := Dial(context.Background(), "tcp://"+addr); err == nil || !strings.Contains(err.Error(), "syslog tcp://"+addr) {
		t.Errorf("dial of a closed port: %v", err)
	}
	if _, err := Dial(context.Background(), "unix://"+filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("dial of a missing socket succeeded")
	}
}

func FuzzParseAddr(f *testing.F) {
	for _, s := range []string{"udp://127.0.0.1:514", "tcp://[::1]", "unix:///dev/log", "udp://:", "tcp://a:b:c", "unix://x/y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, a, err := ParseAddr(s)
		if err != nil {
			return
		}
		switch n {
		case "udp", "tcp":
			if _, port, err := net.SplitHostPort(a); err != nil || port == "" {
				t.Fatalf("%q: address %q", s, a)
			}
		case "unix":
			if a == "" {
				t.Fatalf("%q: empty path", s)
			}
		default:
			t.Fatalf("%q: network %q", s, n)
		}
	})
}

func FuzzFormat(f *testing.F) {
	f.Add("host", "finding", "CEF:0|x", 3)
	f.Fuzz(func(t *testing.T, host, msgid, text string, sev int) {
		m := Message{Facility: FacilityAuth, Severity: sev & 7, Hostname: host, AppName: "sverka", ProcID: "1", MsgID: msgid, Text: text}
		b := Format(m)
		if !rfc5424.Match(b) && !strings.ContainsAny(text, "\n") {
			t.Fatalf("%q", b)
		}
	})
}
