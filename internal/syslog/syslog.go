// Package syslog sends events to a syslog collector as RFC 5424 messages:
// over UDP (RFC 5426, one message a datagram), over TCP framed by octet
// counting (RFC 6587), or to the local socket (unix:///dev/log). The
// standard library's log/syslog writes the older RFC 3164 format and does
// not exist on Windows.
package syslog

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Facilities used by sverka.
const (
	FacilityAuth = 4 // security/authorization messages
)

// Severities, RFC 5424 section 6.2.1.
const (
	Critical      = 2
	Error         = 3
	Warning       = 4
	Notice        = 5
	Informational = 6
)

// Message is one syslog message.
type Message struct {
	Facility, Severity int
	Time               time.Time // zero: "-"
	Hostname           string
	AppName            string
	ProcID             string
	MsgID              string
	Text               string
}

// Format writes m as RFC 5424 has it: the header fields made of printable
// US-ASCII (another byte becomes '_', an empty field '-') and cut to their
// lengths; no structured data; the text behind a byte order mark when it
// is not plain ASCII, which says UTF-8 to the collector.
func Format(m Message) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "<%d>1 ", m.Facility*8+m.Severity)
	if m.Time.IsZero() {
		b.WriteString("-")
	} else {
		b.WriteString(m.Time.Format("2006-01-02T15:04:05.000000Z07:00"))
	}
	for _, f := range []struct {
		v   string
		max int
	}{{m.Hostname, 255}, {m.AppName, 48}, {m.ProcID, 128}, {m.MsgID, 32}} {
		b.WriteByte(' ')
		b.WriteString(headerField(f.v, f.max))
	}
	b.WriteString(" -") // no structured data
	if m.Text != "" {
		b.WriteByte(' ')
		if !ascii(m.Text) {
			b.WriteString("\ufeff")
		}
		b.WriteString(strings.ToValidUTF8(m.Text, "\ufffd"))
	}
	return []byte(b.String())
}

func headerField(s string, max int) string {
	if s == "" {
		return "-"
	}
	b := []byte(s)
	if len(b) > max {
		b = b[:max]
	}
	for i, c := range b {
		if c < 33 || c > 126 {
			b[i] = '_'
		}
	}
	return string(b)
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// DefaultPort is the port of a udp:// or tcp:// address that names none.
const DefaultPort = "514"

// Timeout bounds the connection and each message sent.
const Timeout = 10 * time.Second

// ParseAddr reads an address: udp://HOST[:PORT], tcp://HOST[:PORT] or
// unix://PATH (unix:///dev/log). It says the network and the address to
// dial.
func ParseAddr(s string) (network, address string, err error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" {
		return "", "", fmt.Errorf("%q: not an address; expected udp://HOST:PORT, tcp://HOST:PORT or unix:///dev/log", s)
	}
	switch u.Scheme {
	case "udp", "tcp":
		if u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
			return "", "", fmt.Errorf("%q: expected %s://HOST:PORT", s, u.Scheme)
		}
		host, port := u.Hostname(), u.Port()
		if port == "" {
			port = DefaultPort
		}
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", "", fmt.Errorf("%q: port %q is not a number from 1 to 65535", s, port)
		}
		// url.Parse takes a stray bracket ("udp://]") as a host name,
		// which no dial would read back.
		address := net.JoinHostPort(host, port)
		if _, _, err := net.SplitHostPort(address); err != nil || strings.ContainsAny(host, "[]") {
			return "", "", fmt.Errorf("%q: %q is not a host name or address", s, host)
		}
		return u.Scheme, address, nil
	case "unix":
		if u.Host != "" || u.Path == "" {
			return "", "", fmt.Errorf("%q: expected unix:///PATH (three slashes)", s)
		}
		return "unix", u.Path, nil
	}
	return "", "", fmt.Errorf("%q: unknown scheme %q; expected udp, tcp or unix", s, u.Scheme)
}

// Sender is a connection to one collector.
type Sender struct {
	addr   string // as the user wrote it
	conn   net.Conn
	stream bool // octet counting frames each message
	// deadline, if set, is the latest a send may take.
	deadline time.Time
}

// Dial connects to the collector addr (see ParseAddr). A local socket is
// tried as a datagram socket first, as /dev/log is, then as a stream.
func Dial(ctx context.Context, addr string) (*Sender, error) {
	network, address, err := ParseAddr(addr)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	var d net.Dialer
	s := &Sender{addr: addr, stream: network == "tcp"}
	if network == "unix" {
		if runtime.GOOS != "windows" { // Windows has stream sockets only
			if s.conn, err = d.DialContext(ctx, "unixgram", address); err == nil {
				return s, nil
			}
		}
		network, s.stream = "unix", true
	}
	if s.conn, err = d.DialContext(ctx, network, address); err != nil {
		return nil, fmt.Errorf("syslog %s: %w", addr, err)
	}
	return s, nil
}

// Send sends one message. Over UDP nothing says it arrived: a collector
// that is not listening is learnt, if at all, from a later send.
func (s *Sender) Send(m Message) error {
	b := Format(m)
	if s.stream {
		b = append([]byte(strconv.Itoa(len(b))+" "), b...)
	}
	d := time.Now().Add(Timeout)
	if !s.deadline.IsZero() && s.deadline.Before(d) {
		d = s.deadline
	}
	s.conn.SetWriteDeadline(d)
	for len(b) > 0 {
		n, err := s.conn.Write(b)
		if err != nil {
			return fmt.Errorf("syslog %s: %w", s.addr, err)
		}
		if !s.stream && n < len(b) {
			return fmt.Errorf("syslog %s: %w", s.addr, errShort)
		}
		b = b[n:]
	}
	return nil
}

var errShort = errors.New("message cut short")

// Close ends the connection; for TCP, the close is where the collector
// learns the last message is whole.
func (s *Sender) Close() error {
	if err := s.conn.Close(); err != nil {
		return fmt.Errorf("syslog %s: %w", s.addr, err)
	}
	return nil
}

// SeverityOfCEF is the syslog severity of a CEF severity (0-10): very
// high (9-10) critical, high (7-8) error, medium (4-6) warning, 3
// notice, lower informational.
func SeverityOfCEF(cef int) int {
	switch {
	case cef >= 9:
		return Critical
	case cef >= 7:
		return Error
	case cef >= 4:
		return Warning
	case cef == 3:
		return Notice
	}
	return Informational
}

// SendAll sends msgs to the collector addr in one connection, and says
// how many were sent before an error. ctx's deadline, when sooner than
// Timeout, bounds each step.
func SendAll(ctx context.Context, addr string, msgs []Message) (sent int, err error) {
	s, err := Dial(ctx, addr)
	if err != nil {
		return 0, err
	}
	s.deadline, _ = ctx.Deadline()
	for _, m := range msgs {
		if err := ctx.Err(); err != nil {
			s.conn.Close()
			return sent, fmt.Errorf("syslog %s: %w", addr, err)
		}
		if err := s.Send(m); err != nil {
			s.conn.Close()
			return sent, err
		}
		sent++
	}
	return sent, s.Close()
}
