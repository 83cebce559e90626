package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/internal/safetext"
)

// IngestPath is where hosts push their reports.
const IngestPath = "/api/v1/reports"

// DefaultMaxReport is the largest report the endpoint takes unless told.
const DefaultMaxReport = 64 << 20

// Ingest is the endpoint hosts push their JSON reports to: POST
// IngestPath, with the host's token as a bearer token. It is the only
// writer of the store besides 'fleet ingest', and it takes from a host
// only that host's own reports.
type Ingest struct {
	st  *fleet.Store
	max int64
	now func() time.Time
	log io.Writer
	// secret is a string never to be logged (the store's password).
	secret string
}

// IngestConfig says how the endpoint takes reports.
type IngestConfig struct {
	// MaxReport is the largest body taken, in bytes; beyond it 413.
	MaxReport int64
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Log receives what the store could not do; nil discards.
	Log io.Writer
	// Secret is a string never to be logged (the store's password).
	Secret string
}

// NewIngest makes the endpoint over st, which must be open for writing.
func NewIngest(st *fleet.Store, cfg IngestConfig) *Ingest {
	if cfg.MaxReport <= 0 {
		cfg.MaxReport = DefaultMaxReport
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	return &Ingest{st: st, max: cfg.MaxReport, now: cfg.Now, log: cfg.Log, secret: cfg.Secret}
}

// IngestAnswer is the endpoint's JSON answer: the check stored, or the
// error.
type IngestAnswer struct {
	CheckID int64  `json:"check_id,omitempty"`
	HostID  string `json:"host_id,omitempty"`
	Verdict string `json:"verdict,omitempty"`
	New     bool   `json:"new"`
	Status  string `json:"status,omitempty"` // "stored" or "already stored"
	Error   string `json:"error,omitempty"`
}

// Collector is the dashboard with the ingest endpoint in: in nil, the
// endpoint is not there (404), and the server only reads.
func Collector(dash http.Handler, in *Ingest) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != IngestPath {
			dash.ServeHTTP(w, r)
			return
		}
		if in == nil {
			answer(w, http.StatusNotFound, IngestAnswer{Error: "this collector takes no reports (fleet serve without --ingest)"})
			return
		}
		in.ServeHTTP(w, r)
	})
}

// ServeHTTP takes one report: the token names the host, the body is the
// report, read whole up to the limit, then stored as 'fleet ingest'
// stores it (read strictly, its verdict recomputed), if it is the
// host's own.
func (in *Ingest) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		answer(w, http.StatusMethodNotAllowed, IngestAnswer{Error: "POST a report here"})
		return
	}
	token, ok := bearer(r.Header.Get("Authorization"))
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="sverka"`)
		answer(w, http.StatusUnauthorized, IngestAnswer{Error: "no bearer token (Authorization: Bearer TOKEN)"})
		return
	}
	host, err := in.st.TokenHost(r.Context(), token, in.now())
	switch {
	case errors.Is(err, fleet.ErrBadToken):
		w.Header().Set("WWW-Authenticate", `Bearer realm="sverka", error="invalid_token"`)
		answer(w, http.StatusUnauthorized, IngestAnswer{Error: "unknown or revoked token"})
		return
	case err != nil:
		in.fail(w, r, err)
		return
	}
	if r.ContentLength > in.max {
		answer(w, http.StatusRequestEntityTooLarge, IngestAnswer{Error: fmt.Sprintf("the report is %d bytes, more than the %d this collector takes", r.ContentLength, in.max)})
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, in.max))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		answer(w, http.StatusRequestEntityTooLarge, IngestAnswer{Error: fmt.Sprintf("the report is more than the %d bytes this collector takes", in.max)})
		return
	case err != nil:
		answer(w, http.StatusBadRequest, IngestAnswer{Error: "reading the report: " + safetext.Display(err.Error())})
		return
	}
	got, err := in.st.IngestAs(r.Context(), host, "pushed by "+host, data)
	var refused *fleet.RefusedError
	var wrong *fleet.WrongHostError
	switch {
	case errors.As(err, &wrong):
		answer(w, http.StatusForbidden, IngestAnswer{Error: safetext.Display(wrong.Error())})
		return
	case errors.As(err, &refused):
		answer(w, http.StatusUnprocessableEntity, IngestAnswer{Error: "report refused: " + safetext.Display(refused.Err.Error())})
		return
	case err != nil:
		in.fail(w, r, err)
		return
	}
	a := IngestAnswer{CheckID: got.CheckID, HostID: got.HostID, Verdict: got.Verdict, New: got.New, Status: "stored"}
	code := http.StatusCreated
	if !got.New {
		a.Status, code = "already stored", http.StatusOK
	}
	answer(w, code, a)
}

// bearer is the token of an Authorization header of the Bearer scheme
// (its name in any case, RFC 6750).
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// fail answers 500 saying only that the store could not take the report
// (a host needs nothing more, and should retry), and logs the cause
// without the store's secret.
func (in *Ingest) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return // the host went away: nobody to answer
	}
	text := err.Error()
	if in.secret != "" {
		text = strings.ReplaceAll(text, in.secret, "xxxxx")
	}
	fmt.Fprintf(in.log, "sverka: fleet serve: %s %s: %s\n", r.Method, IngestPath, safetext.Display(text))
	answer(w, http.StatusInternalServerError, IngestAnswer{Error: "the store could not take the report; push it again later"})
}

// answer writes a JSON answer with the headers every answer carries.
func answer(w http.ResponseWriter, code int, a IngestAnswer) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	b, _ := json.Marshal(a)
	w.Write(append(b, '\n'))
}

// ParseSize reads a size: a whole number of bytes, or one with a unit
// KiB, MiB or GiB (or K, M, G, KB, MB, GB, all powers of 1024): "64MiB",
// "512k", "1048576".
func ParseSize(s string) (int64, error) {
	t := strings.TrimSpace(s)
	i := len(t)
	for i > 0 && (t[i-1] < '0' || t[i-1] > '9') {
		i--
	}
	num, unit := strings.TrimSpace(t[:i]), strings.ToLower(strings.TrimSpace(t[i:]))
	var mult int64
	switch unit {
	case "", "b":
		mult = 1
	case "k", "kb", "kib":
		mult = 1 << 10
	case "m", "mb", "mib":
		mult = 1 << 20
	case "g", "gb", "gib":
		mult = 1 << 30
	default:
		return 0, fmt.Errorf("size %q: unknown unit %q: use KiB, MiB or GiB, as 64MiB", s, t[i:])
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("size %q: expected a positive whole number, with KiB, MiB or GiB, as 64MiB", s)
	}
	if n > (1<<62)/mult {
		return 0, fmt.Errorf("size %q: too large", s)
	}
	return n * mult, nil
}
