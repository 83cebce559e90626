// Package web is the fleet's dashboard (sverka fleet serve): server-
// rendered pages over the store of checks, in Russian and English. It
// only reads: the store is opened read-only, and no page writes. Every
// page works without scripts and fetches nothing from another origin: the
// stylesheet is embedded and served by the dashboard itself, the trend is
// an inline SVG, and the Content-Security-Policy header says so to the
// browser.
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/internal/safetext"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config is how the dashboard judges and speaks.
type Config struct {
	// Period is the period of control: a host whose latest check is older
	// is OVERDUE.
	Period time.Duration
	// WarnBefore: a certificate or its support ending within it is shown.
	WarnBefore time.Duration
	// Lang is the language when neither ?lang= nor Accept-Language says.
	Lang string
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// Log receives what a page could not do (a store error); nil discards.
	Log io.Writer
	// Secret is a string never to be logged (the store's password).
	Secret string
}

// Server serves the dashboard over one store.
type Server struct {
	st   *fleet.Store
	cfg  Config
	tmpl *template.Template
	mux  *http.ServeMux
}

// New makes the dashboard of st.
func New(st *fleet.Store, cfg Config) (*Server, error) {
	if cfg.Period <= 0 {
		cfg.Period = fleet.DefaultPeriod
	}
	if cfg.Lang != langRu {
		cfg.Lang = langEn
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	tmpl, err := template.New("").Funcs(template.FuncMap{"t": t, "tf": tf}).ParseFS(templateFS, "templates/*.tmpl")
	if err != nil {
		return nil, fmt.Errorf("dashboard templates: %w", err)
	}
	s := &Server{st: st, cfg: cfg, tmpl: tmpl, mux: http.NewServeMux()}
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	s.page("GET /{$}", s.fleetPage)
	s.page("GET /hosts", s.hostsPage)
	s.page("GET /hosts.csv", s.hostsCSV)
	s.page("GET /hosts/{id}", s.hostPage)
	s.page("GET /hosts/{id}/diff", s.diffPage)
	s.page("GET /checks/{id}", s.checkPage)
	s.page("GET /checks/{id}/report.json", s.checkJSON)
	s.page("GET /findings", s.findingsPage)
	s.page("GET /findings.csv", s.findingsCSV)
	s.page("GET /", func(w http.ResponseWriter, r *http.Request, p *page) error {
		return notFound(r.URL.Path)
	})
	return s, nil
}

// contentSecurity allows the dashboard's own stylesheet and forms, and
// nothing else: no script, no frame, no font or image from anywhere.
const contentSecurity = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// ServeHTTP sets the security headers every response carries and serves
// the page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentSecurity)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
	// The state of the fleet changes with every ingest: never cached.
	h.Set("Cache-Control", "no-store")
	s.mux.ServeHTTP(w, r)
}

// page is what every page's template is given.
type page struct {
	Lang, Other string
	// LangQ is the ?lang= of the request, kept in the links.
	LangQ string
	Title string
	Nav   string
	// Switch is this page in the other language.
	Switch string
	Body   any
}

// URL is a link to path, keeping ?lang=.
func (p *page) URL(path string) string {
	if p.LangQ == "" {
		return path
	}
	return path + "?lang=" + p.LangQ
}

func (p *page) with(path string, q url.Values) string {
	if p.LangQ != "" {
		q.Set("lang", p.LangQ)
	}
	if e := q.Encode(); e != "" {
		return path + "?" + e
	}
	return path
}

func (p *page) host(id string) string { return p.URL("/hosts/" + url.PathEscape(id)) }

// httpError is a page's refusal: its status and what to say.
type httpError struct {
	code int
	key  string
	arg  string
}

func (e *httpError) Error() string { return e.key + ": " + e.arg }

func badRequest(err error) error { return &httpError{http.StatusBadRequest, "err-bad", err.Error()} }
func notFound(what string) error { return &httpError{http.StatusNotFound, "err-notfound", what} }

// page registers a handler that renders into a buffer, so that an error
// midway still gives a whole error page with its status.
func (s *Server) page(pattern string, h func(http.ResponseWriter, *http.Request, *page) error) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		lq := r.URL.Query().Get("lang")
		lang, err := Negotiate(lq, r.Header.Get("Accept-Language"), s.cfg.Lang)
		p := &page{Lang: lang, LangQ: lq}
		if err != nil {
			p.Lang, err = s.cfg.Lang, badRequest(err)
		} else {
			err = h(w, r, p)
		}
		if err != nil {
			s.fail(w, r, p, err)
		}
	})
}

// render writes a page with its template.
func (s *Server) render(w http.ResponseWriter, r *http.Request, p *page, name string) error {
	p.Other = langEn
	if p.Lang == langEn {
		p.Other = langRu
	}
	q := r.URL.Query()
	q.Set("lang", p.Other)
	p.Switch = r.URL.Path + "?" + q.Encode()
	var b bytes.Buffer
	if err := s.tmpl.ExecuteTemplate(&b, name, p); err != nil {
		return fmt.Errorf("page %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, err := w.Write(b.Bytes())
	return err
}

// fail answers with an error page: 400 or 404 saying what was wrong, else
// 500 saying only that the store could not be read, the cause logged
// without the store's secret.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, p *page, err error) {
	code, msg := http.StatusInternalServerError, t(p.Lang, "err-store")
	var he *httpError
	if errors.As(err, &he) {
		code, msg = he.code, tf(p.Lang, he.key, safetext.Display(he.arg))
	} else {
		text := err.Error()
		if s.cfg.Secret != "" {
			text = strings.ReplaceAll(text, s.cfg.Secret, "xxxxx")
		}
		fmt.Fprintf(s.cfg.Log, "sverka: fleet serve: %s %s: %s\n", r.Method, safetext.Display(r.URL.RequestURI()), text)
	}
	w.Header().Del("Content-Disposition")
	w.WriteHeader(code)
	p.Title, p.Body, p.Nav = t(p.Lang, "err-title"), msg, ""
	p.LangQ = ""
	p.Other = langEn
	if p.Lang == langEn {
		p.Other = langRu
	}
	p.Switch = "/?lang=" + p.Other
	if e := s.tmpl.ExecuteTemplate(w, "error", p); e != nil {
		fmt.Fprintf(s.cfg.Log, "sverka: fleet serve: error page: %v\n", e)
	}
}

// Serve serves h on ln until ctx is cancelled, then shuts down: the
// requests under way are given a few seconds to finish.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down: %w", err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
