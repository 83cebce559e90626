package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/fleet/web"
	"github.com/sverka/sverka/report"
)

const fleetServeSynopsis = `sverka fleet serve [--db DB] [--listen ADDR] [--period 7d] [--warn-before 90d] [--lang ru|en]
                  [--ingest [--max-report 64MiB]] [--tls-cert FILE --tls-key FILE]

Serve the dashboard of the store of checks: the fleet now (counts of
HOLDS, NOT HOLD, CANNOT CHECK and OVERDUE, certificates ending soon, a
30-day trend), the host list with filters and CSV export, each host's
timeline with every check's protocol and JSON, two of its checks
compared, and the most common findings. Pages are in Russian and English (?lang=, else
the browser's Accept-Language, else --lang).

It only reads: the store is opened read-only. It listens on loopback
(127.0.0.1:8080) unless --listen names another address; it has no
authentication and no TLS of its own, so expose it only behind a
TLS-terminating reverse proxy that authenticates (see docs/security.md).
SIGINT or SIGTERM stops it, letting requests under way finish.

With --ingest it is also the collector hosts push their reports to
(sverka verify --push): POST /api/v1/reports, each host with its own
token (sverka fleet token add). The pages still only read; the store is
opened for writing for the reports pushed. Tokens cross the network
only over TLS (--tls-cert and --tls-key): plain HTTP is refused on any
address but loopback.`

const fleetServeExamples = `  sverka fleet serve --db fleet.db
  sverka fleet serve --db postgres://sverka@db.example/fleet --listen 127.0.0.1:9090
  sverka fleet serve --db fleet.db --ingest --listen :8443 --tls-cert collector.crt --tls-key collector.key`

type fleetServeOpts struct {
	storeFlags
	listen     string
	period     string
	warnBefore string
	lang       string
	collectorFlags
}

func (o *fleetServeOpts) flags(fs *pflag.FlagSet) {
	o.storeFlags.add(fs)
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8080", "address to listen on; loopback unless a proxy is in front")
	fs.StringVar(&o.period, "period", "7d", "period of control: a host whose latest check is older is OVERDUE")
	fs.StringVar(&o.warnBefore, "warn-before", "90d", "show certificates and support ending within this")
	fs.StringVar(&o.lang, "lang", "", "default language: ru or en (default from LC_ALL, LC_MESSAGES, LANG)")
	o.collectorFlags.add(fs)
}

// runFleetServe serves the dashboard until the context is cancelled.
func runFleetServe(ctx context.Context, c *cli, o *fleetServeOpts, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("fleet serve takes no operands, not %q", display(args[0]))
	}
	period, err := fleet.ParsePeriod(o.period)
	if err != nil {
		return fmt.Errorf("--period: %w", err)
	}
	warn, err := fleet.ParsePeriod(o.warnBefore)
	if err != nil {
		return fmt.Errorf("--warn-before: %w", err)
	}
	if err := checkLang(o.lang); err != nil {
		return err
	}
	lang := o.lang
	if lang == "" {
		lang = report.LangFromEnv()
	}
	maxReport, err := o.collectorFlags.check()
	if err != nil {
		return err
	}
	dsn := o.dsn()
	// Only the ingest endpoint writes; without it nothing can.
	st, err := o.open(ctx, fleet.Options{ReadOnly: !o.ingest})
	if err != nil {
		return redactErr(err, dsn)
	}
	defer st.Close()
	srv, err := web.New(st, web.Config{Period: period, WarnBefore: warn, Lang: lang, Log: c.stderr, Secret: dsnPassword(dsn)})
	if err != nil {
		return err
	}
	var in *web.Ingest
	if o.ingest {
		in = web.NewIngest(st, web.IngestConfig{MaxReport: maxReport, Log: c.stderr, Secret: dsnPassword(dsn)})
	}
	ln, err := net.Listen("tcp", o.listen)
	if err != nil {
		return fmt.Errorf("--listen: %w", err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	ln, scheme, err := o.collectorFlags.secure(ln, addr)
	if err != nil {
		return err
	}
	if !addr.IP.IsLoopback() {
		c.warnf("fleet serve: listening on %s, which other machines can reach: the dashboard has no authentication%s; put a TLS-terminating reverse proxy with authentication in front of it and listen on 127.0.0.1 (see docs/security.md)", addr, map[bool]string{true: "", false: " and no TLS of its own"}[scheme == "https"])
	}
	mode := "read-only"
	if o.ingest {
		mode = "pages read-only; reports taken on " + scheme + "://" + addr.String() + web.IngestPath
	}
	fmt.Fprintf(c.stderr, "sverka: fleet serve: the dashboard of %s on %s://%s/ (%s); Ctrl-C stops it\n", display(st.Name()), scheme, addr, mode)
	if c.serving != nil {
		c.serving.Store(true)
	}
	err = web.Serve(ctx, ln, web.Collector(srv, in))
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}

// dsn is the store --db or $SVERKA_DB names, "" for the default one:
// its password is kept out of what the dashboard logs.
func (o *storeFlags) dsn() string {
	if o.db != "" {
		return o.db
	}
	return os.Getenv(dbEnv)
}

// dsnPassword is the password a postgres:// URL carries, "" for none.
func dsnPassword(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return ""
	}
	p, _ := u.User.Password()
	return p
}

// redactErr keeps the store's password out of an error's message.
func redactErr(err error, dsn string) error {
	p := dsnPassword(dsn)
	if p == "" || !strings.Contains(err.Error(), p) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), p, "xxxxx"))
}
