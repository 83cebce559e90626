package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/fleet/push"
	"github.com/sverka/sverka/internal/fleettest"
)

// selfSigned writes a certificate for 127.0.0.1 and its key, PEM, and
// returns their paths.
func selfSigned(t *testing.T) (cert, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "collector"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cert, key = filepath.Join(dir, "collector.crt"), filepath.Join(dir, "collector.key")
	os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
	os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600)
	return cert, key
}

// fleet serve --ingest over TLS takes a report pushed with the host's
// token by a client that trusts the collector's CA (--ca), and a client
// that does not trust it sends nothing.
func TestFleetServeIngestTLS(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db := filepath.Join(t.TempDir(), "fleet.db")
	st, err := fleet.Open(ctx, db, fleet.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := st.AddToken(ctx, "host-a", time.Now())
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	cert, key := selfSigned(t)
	var stderr syncBuffer
	cl := &cli{stdout: &bytes.Buffer{}, stderr: &stderr}
	done := make(chan error, 1)
	go func() {
		done <- runFleetServe(ctx, cl, &fleetServeOpts{storeFlags: storeFlags{db: db}, listen: "127.0.0.1:0", period: "7d", warnBefore: "90d", lang: "en",
			collectorFlags: collectorFlags{ingest: true, maxReport: "64MiB", tlsCert: cert, tlsKey: key}}, nil)
	}()
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := regexp.MustCompile(`reports taken on (https://127\.0\.0\.1:\d+)/api/v1/reports`).FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		}
	}
	if base == "" {
		t.Fatalf("fleet serve --ingest does not say where it takes reports over https:\n%s", stderr.String())
	}
	rep := fleettest.Report(t, fleettest.Host{ID: "host-a", Name: "host-a", At: time.Now().Add(-time.Minute).Round(time.Second)})

	untrusting, err := push.New(base, token, "")
	if err != nil {
		t.Fatal(err)
	}
	var un *push.UnreachableError
	if _, err := untrusting.Send(ctx, rep); !errors.As(err, &un) {
		t.Errorf("a client not trusting the collector's CA: %v", err)
	}
	trusting, err := push.New(base, token, cert)
	if err != nil {
		t.Fatal(err)
	}
	sent, err := trusting.Send(ctx, rep)
	if err != nil || !sent.New || sent.HostID != "host-a" {
		t.Fatalf("push over TLS with --ca: %+v, %v", sent, err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("fleet serve: %v", err)
	}
}
