package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/fleet/web"
)

// collectorFlags are fleet serve's flags for taking pushed reports and
// for TLS.
type collectorFlags struct {
	ingest    bool
	maxReport string
	tlsCert   string
	tlsKey    string
}

func (o *collectorFlags) add(fs *pflag.FlagSet) {
	fs.BoolVar(&o.ingest, "ingest", false, "take reports pushed by hosts (sverka verify --push) on POST "+web.IngestPath+", each host with its token")
	fs.StringVar(&o.maxReport, "max-report", "64MiB", "--ingest: the largest report taken (KiB, MiB, GiB); larger ones are refused (413)")
	fs.StringVar(&o.tlsCert, "tls-cert", "", "serve HTTPS with this certificate (PEM, the chain after it)")
	fs.StringVar(&o.tlsKey, "tls-key", "", "the private key of --tls-cert (PEM)")
}

// check reads --max-report and refuses flags that go only together.
func (o *collectorFlags) check() (int64, error) {
	if (o.tlsCert == "") != (o.tlsKey == "") {
		return 0, errors.New("--tls-cert and --tls-key go together: give both, or neither")
	}
	if o.maxReport == "" {
		return web.DefaultMaxReport, nil
	}
	n, err := web.ParseSize(o.maxReport)
	if err != nil {
		return 0, fmt.Errorf("--max-report: %w", err)
	}
	return n, nil
}

// secure wraps ln in TLS when a certificate is given. Without one, the
// ingest endpoint is refused on an address other machines can reach: the
// tokens would cross the network in the clear.
func (o *collectorFlags) secure(ln net.Listener, addr *net.TCPAddr) (net.Listener, string, error) {
	if o.tlsCert == "" {
		if o.ingest && !addr.IP.IsLoopback() {
			ln.Close()
			return nil, "", fmt.Errorf("--ingest on %s over plain HTTP would let anyone on the network read the hosts' tokens: give --tls-cert and --tls-key, or --listen on 127.0.0.1 behind a TLS-terminating proxy", addr)
		}
		return ln, "http", nil
	}
	cert, err := tls.LoadX509KeyPair(o.tlsCert, o.tlsKey)
	if err != nil {
		ln.Close()
		return nil, "", fmt.Errorf("--tls-cert %s, --tls-key %s: %w", o.tlsCert, o.tlsKey, err)
	}
	cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	return tls.NewListener(ln, cfg), "https", nil
}
