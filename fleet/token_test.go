package fleet

import (
	"context"
	"encoding/base64"
	"errors"
	"testing"
	"time"
)

// A token is made once, stored hashed, found by its value, bound to its
// host, replaced, listed without itself, and revoked.
func TestTokens(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := newStore(t, b)
		now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		tokA, replaced, err := s.AddToken(ctx, "host-a", now)
		if err != nil || replaced {
			t.Fatalf("AddToken: %v, replaced %v", err, replaced)
		}
		if raw, err := base64.RawURLEncoding.DecodeString(tokA); err != nil || len(raw) != TokenBytes {
			t.Errorf("token %q: %d bytes, %v", tokA, len(raw), err)
		}
		var stored string
		if err := s.db.QueryRow("SELECT sha256 FROM tokens").Scan(&stored); err != nil || stored == tokA || stored != tokenHash(tokA) {
			t.Errorf("the store keeps %q for token %q (%v)", stored, tokA, err)
		}
		tokB, _, err := s.AddToken(ctx, "host-b", now)
		if err != nil {
			t.Fatal(err)
		}
		if tokB == tokA {
			t.Fatal("two tokens alike")
		}
		for tok, want := range map[string]string{tokA: "host-a", tokB: "host-b"} {
			if h, err := s.TokenHost(ctx, tok, now.Add(time.Hour)); err != nil || h != want {
				t.Errorf("TokenHost = %q, %v; want %s", h, err, want)
			}
		}
		for _, bad := range []string{"", tokA[:len(tokA)-1], tokA + "x", tokenHash(tokA)} {
			if h, err := s.TokenHost(ctx, bad, now); !errors.Is(err, ErrBadToken) {
				t.Errorf("TokenHost(%q) = %q, %v; want ErrBadToken", bad, h, err)
			}
		}
		if _, _, err := s.AddToken(ctx, "bad\nhost", now); err == nil {
			t.Error("a host id with a newline took a token")
		}

		ts, err := s.Tokens(ctx)
		if err != nil || len(ts) != 2 || ts[0].HostID != "host-a" || !ts[0].Created.Equal(now) || !ts[0].LastUsed.Equal(now.Add(time.Hour)) {
			t.Errorf("Tokens = %+v, %v", ts, err)
		}

		// A new token for host-a replaces the old one.
		tokA2, replaced, err := s.AddToken(ctx, "host-a", now)
		if err != nil || !replaced {
			t.Fatalf("AddToken again: %v, replaced %v", err, replaced)
		}
		if _, err := s.TokenHost(ctx, tokA, now); !errors.Is(err, ErrBadToken) {
			t.Errorf("the replaced token still works: %v", err)
		}
		if h, err := s.TokenHost(ctx, tokA2, now); err != nil || h != "host-a" {
			t.Errorf("the new token: %q, %v", h, err)
		}

		if err := s.RevokeToken(ctx, "host-b"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.TokenHost(ctx, tokB, now); !errors.Is(err, ErrBadToken) {
			t.Errorf("a revoked token works: %v", err)
		}
		if err := s.RevokeToken(ctx, "host-b"); !errors.Is(err, ErrNoToken) {
			t.Errorf("revoking twice: %v", err)
		}
	})
}

// IngestAs stores a host's own report, and refuses another host's, new
// or already stored.
func TestIngestAs(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		s := newStore(t, b)
		at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
		a := makeReport(t, rep{host: "host-a", at: at, verdict: Holds})
		var wh *WrongHostError
		if _, err := s.IngestAs(ctx, "host-b", "a.json", a); !errors.As(err, &wh) || wh.ReportHost != "host-a" {
			t.Fatalf("host-b pushed host-a's report: %v", err)
		}
		if n := count(t, s, "checks"); n != 0 {
			t.Fatalf("%d checks stored by a refused push", n)
		}
		in, err := s.IngestAs(ctx, "host-a", "a.json", a)
		if err != nil || !in.New {
			t.Fatalf("IngestAs own report: %+v, %v", in, err)
		}
		if _, err := s.IngestAs(ctx, "host-b", "a.json", a); !errors.As(err, &wh) {
			t.Errorf("host-b pushed host-a's stored report: %v", err)
		}
		if in2, err := s.IngestAs(ctx, "host-a", "a.json", a); err != nil || in2.New || in2.CheckID != in.CheckID {
			t.Errorf("the same report again: %+v, %v", in2, err)
		}
	})
}

func count(t *testing.T, s *Store, table string) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow("SELECT COUNT(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A store of version 1 (before tokens) is brought up to date when opened
// for writing, its checks kept; read-only, it is refused, saying how.
func TestTokensMigration(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		dsn := b.dsn(t)
		s := storeOf(t, dsn, rep{host: "a", at: at(0), verdict: Holds})
		downgrade(t, s, 1)
		s.Close()
		s = migrated(t, dsn, 1)
		defer s.Close()
		if _, _, err := s.AddToken(ctx, "a", at(1)); err != nil {
			t.Errorf("AddToken after the migration: %v", err)
		}
		if n := count(t, s, "checks"); n != 1 {
			t.Errorf("%d checks after the migration, want 1", n)
		}
	})
}
