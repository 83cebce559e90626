// Package push sends a host's JSON reports to the fleet's collector
// (fleet serve --ingest) with the host's bearer token, and keeps in a
// spool directory what could not be sent, to be sent first by the next
// run. A report the collector refuses is set aside, never retried.
package push

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/sverka/sverka/internal/regular"
	"github.com/sverka/sverka/internal/safetext"
)

// Path is where a collector takes reports, when the URL names none.
const Path = "/api/v1/reports"

// Client sends reports to one collector with one token.
type Client struct {
	url   string
	token string
	hc    *http.Client
}

// timeout bounds one report's sending: a collector that takes longer is
// treated as unreachable, and the report spooled.
const timeout = 2 * time.Minute

// New makes a client for the collector at rawURL (https://HOST[:PORT],
// its path defaulting to Path). Plain http is taken only to a loopback
// address: the token would cross the network in the clear. caFile, when
// given, is the PEM file of the CA (or CAs) the collector's certificate
// must chain to, instead of the system's.
func New(rawURL, token, caFile string) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("--push %s: expected https://HOST[:PORT][/PATH]", safetext.Display(rawURL))
	}
	switch u.Scheme {
	case "https":
	case "http":
		if !loopback(u.Hostname()) {
			return nil, fmt.Errorf("--push %s: plain http to %s would send the token in the clear: use https (--ca FILE for a private CA)", safetext.Display(rawURL), safetext.Display(u.Hostname()))
		}
	default:
		return nil, fmt.Errorf("--push %s: expected an https:// URL", safetext.Display(rawURL))
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = Path
	}
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := regular.ReadFile(caFile, 1<<20, "a CA certificate file")
		if err != nil {
			return nil, fmt.Errorf("--ca %s: %w", caFile, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("--ca %s: no PEM certificate in it", caFile)
		}
		tlsConfig.RootCAs = pool
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = tlsConfig
	hc := &http.Client{
		Transport: tr,
		Timeout:   timeout,
		// A redirect is not followed: the token goes to the collector
		// named, nowhere else.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	return &Client{url: u.String(), token: token, hc: hc}, nil
}

func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// URL is where the client posts reports.
func (c *Client) URL() string { return c.url }

// Sent is the collector's answer to a report it took.
type Sent struct {
	CheckID int64  `json:"check_id"`
	HostID  string `json:"host_id"`
	Verdict string `json:"verdict"`
	New     bool   `json:"new"`
	Status  string `json:"status"`
}

// RejectedError is a report the collector refused (a 4xx answer: a bad
// or revoked token, another host's report, one too large or that
// disagrees with itself). Sending it again would be refused again.
type RejectedError struct {
	URL     string
	Status  int
	Message string // the collector's "error", shown escaped
}

func (e *RejectedError) Error() string {
	return fmt.Sprintf("the collector %s refused the report: %d %s: %s", e.URL, e.Status, http.StatusText(e.Status), e.Message)
}

// UnreachableError is a report not taken for now: the collector could
// not be reached, or answered that it could not take it (5xx, 408, 429).
// It is to be sent again later.
type UnreachableError struct {
	URL    string
	Status int // 0 when no answer came
	Err    error
}

func (e *UnreachableError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("the collector %s could not take the report: %d %s: %v", e.URL, e.Status, http.StatusText(e.Status), e.Err)
	}
	return fmt.Sprintf("the collector %s could not be reached: %v", e.URL, e.Err)
}

func (e *UnreachableError) Unwrap() error { return e.Err }

// maxAnswer is the most of the collector's answer read.
const maxAnswer = 64 << 10

// Send posts one JSON report. The error is a *RejectedError or an
// *UnreachableError.
func (c *Client) Send(ctx context.Context, report []byte) (Sent, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(report))
	if err != nil {
		return Sent{}, &UnreachableError{URL: c.url, Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "sverka")
	res, err := c.hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is said once, by UnreachableError
		}
		return Sent{}, &UnreachableError{URL: c.url, Err: err}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxAnswer))
	if err != nil && res.StatusCode < 300 {
		// Taken, perhaps, but not said: sent again, the collector
		// answers "already stored".
		return Sent{}, &UnreachableError{URL: c.url, Status: res.StatusCode, Err: fmt.Errorf("reading the answer: %w", err)}
	}
	var a struct {
		Sent
		Error string `json:"error"`
	}
	jsonErr := json.Unmarshal(body, &a)
	switch code := res.StatusCode; {
	case code == http.StatusOK || code == http.StatusCreated:
		if jsonErr != nil || a.CheckID <= 0 {
			return Sent{}, &UnreachableError{URL: c.url, Status: code, Err: errors.New("the answer names no stored check: is this a sverka collector?")}
		}
		return a.Sent, nil
	case code >= 500, code == http.StatusRequestTimeout, code == http.StatusTooManyRequests:
		return Sent{}, &UnreachableError{URL: c.url, Status: code, Err: errors.New(message(a.Error, body))}
	default:
		return Sent{}, &RejectedError{URL: c.url, Status: code, Message: message(a.Error, body)}
	}
}

// message is the collector's error, or the start of what it answered.
func message(e string, body []byte) string {
	if e == "" {
		e = strings.TrimSpace(string(body))
		if len(e) > 200 {
			e = e[:200] + "…"
		}
	}
	if e == "" {
		return "no reason given"
	}
	return safetext.Display(e)
}

// maxToken is the longest token file read.
const maxToken = 4 << 10

// ReadToken reads a token file: one token (base64url, as 'fleet token
// add' writes it) on a line. A file that its group or others may read
// or write is refused, as ssh refuses an unprotected key: the token is
// the host's word to the collector. (On Windows access is by ACL, which
// the file's mode does not show.)
func ReadToken(path string) (string, error) {
	f, err := regular.Open(path)
	if err != nil {
		return "", fmt.Errorf("--token-file %s: %w", path, unwrapPath(err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", fmt.Errorf("--token-file %s: %w", path, unwrapPath(err))
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return "", fmt.Errorf("--token-file %s is open to its group or others (mode %04o): make it readable by its owner only (chmod 600 %s)", path, fi.Mode().Perm(), path)
	}
	data, err := regular.ReadAll(f, path, maxToken, "a token file")
	if err != nil {
		return "", fmt.Errorf("--token-file %s: %w", path, unwrapPath(err))
	}
	return parseToken(path, data)
}

// parseToken reads the token out of a token file's bytes: one line of
// the characters a bearer token may hold (RFC 6750's token68), so that
// nothing in the file can add a header to the request.
func parseToken(path string, data []byte) (string, error) {
	t := strings.TrimRight(string(data), "\r\n")
	if t == "" {
		return "", fmt.Errorf("--token-file %s is empty", path)
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("-._~+/=", c) >= 0) {
			return "", fmt.Errorf("--token-file %s: not a token: byte %d is %q (expected one line of base64url)", path, i, c)
		}
	}
	return t, nil
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
