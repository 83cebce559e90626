package fleet

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/sverka/sverka/internal/hostinfo"
)

// TokenBytes is how many random bytes a push token carries: 256 bits,
// beyond any guessing.
const TokenBytes = 32

// Token is what the store knows of a host's push token: never the token.
type Token struct {
	HostID   string
	Created  time.Time
	LastUsed time.Time // zero while it has not been used
}

// ErrNoToken is wrapped by the error of revoking the token of a host
// that has none.
var ErrNoToken = errors.New("no token")

// ErrBadToken is the error of a token the store does not know: never
// made, or revoked.
var ErrBadToken = errors.New("unknown or revoked token")

// NewToken makes a random token: TokenBytes from the system's random
// source, base64url without padding (43 characters, safe in a header and
// a file name).
func NewToken() (string, error) {
	b := make([]byte, TokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("making a token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// tokenHash is the token as the store keeps it. A token is 256 random
// bits, so a plain SHA-256 is enough: a slow password hash defends weak,
// guessable secrets against a stolen store, and there is nothing here to
// guess; a stolen hash gives no token, as SHA-256 has no known preimage.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// AddToken makes a new token for host and stores its hash, replacing the
// host's previous token if it had one (replaced says so). The token is
// returned once; the store cannot give it again.
func (s *Store) AddToken(ctx context.Context, host string, now time.Time) (token string, replaced bool, err error) {
	if err := hostinfo.CheckName("host", host); err != nil {
		return "", false, err
	}
	token, err = NewToken()
	if err != nil {
		return "", false, err
	}
	tx, err := s.begin(ctx)
	if err != nil {
		return "", false, fmt.Errorf("store %s: %w", s.name, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, s.d.q("DELETE FROM tokens WHERE host_id = ?"), host)
	if err != nil {
		return "", false, fmt.Errorf("store %s: token of %s: %w", s.name, host, err)
	}
	n, _ := res.RowsAffected()
	if _, err := tx.ExecContext(ctx, s.d.q("INSERT INTO tokens (host_id, sha256, created_ns, last_used_ns) VALUES (?, ?, ?, 0)"),
		host, tokenHash(token), now.UnixNano()); err != nil {
		return "", false, fmt.Errorf("store %s: token of %s: %w", s.name, host, err)
	}
	if err := commit(ctx, tx); err != nil {
		return "", false, fmt.Errorf("store %s: token of %s: %w", s.name, host, err)
	}
	return token, n > 0, nil
}

// RevokeToken deletes host's token: a push with it is refused from now
// on. A host without a token is an error wrapping ErrNoToken.
func (s *Store) RevokeToken(ctx context.Context, host string) error {
	res, err := s.db.ExecContext(ctx, s.d.q("DELETE FROM tokens WHERE host_id = ?"), host)
	if err != nil {
		return fmt.Errorf("store %s: revoking the token of %s: %w", s.name, host, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("store %s: host %s has %w", s.name, host, ErrNoToken)
	}
	return nil
}

// Tokens lists the hosts that have a token, by host id.
func (s *Store) Tokens(ctx context.Context) ([]Token, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT host_id, created_ns, last_used_ns FROM tokens ORDER BY host_id")
	if err != nil {
		return nil, fmt.Errorf("store %s: tokens: %w", s.name, err)
	}
	defer rows.Close()
	var ts []Token
	for rows.Next() {
		var t Token
		var created, used int64
		if err := rows.Scan(&t.HostID, &created, &used); err != nil {
			return nil, fmt.Errorf("store %s: tokens: %w", s.name, err)
		}
		t.Created = time.Unix(0, created).UTC()
		if used != 0 {
			t.LastUsed = time.Unix(0, used).UTC()
		}
		ts = append(ts, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store %s: tokens: %w", s.name, err)
	}
	return ts, nil
}

// lastUsedStep is how stale a token's "last used" may get before a push
// writes it again: a host pushing often costs one write a minute, not one
// a push.
const lastUsedStep = time.Minute

// TokenHost is the host a token belongs to; ErrBadToken for a token the
// store does not know. The row is found by the token's hash; the hashes
// are then compared in constant time, so that nothing of the comparison
// shows in the time taken (the lookup by index shows at most which
// prefix of an unknown SHA-256 is stored, which gives no token). It
// notes the token's use at now.
func (s *Store) TokenHost(ctx context.Context, token string, now time.Time) (string, error) {
	if token == "" {
		return "", ErrBadToken
	}
	h := tokenHash(token)
	var host, stored string
	var used int64
	err := s.db.QueryRowContext(ctx, s.d.q("SELECT host_id, sha256, last_used_ns FROM tokens WHERE sha256 = ?"), h).Scan(&host, &stored, &used)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return "", ErrBadToken
	case err != nil:
		return "", fmt.Errorf("store %s: tokens: %w", s.name, err)
	}
	if subtle.ConstantTimeCompare([]byte(stored), []byte(h)) != 1 {
		return "", ErrBadToken
	}
	if now.UnixNano()-used >= int64(lastUsedStep) {
		if _, err := s.db.ExecContext(ctx, s.d.q("UPDATE tokens SET last_used_ns = ? WHERE host_id = ? AND last_used_ns < ?"),
			now.UnixNano(), host, now.UnixNano()); err != nil {
			return "", fmt.Errorf("store %s: tokens: %w", s.name, err)
		}
	}
	return host, nil
}

// WrongHostError is the error of a report pushed for a host other than
// the one whose token pushed it.
type WrongHostError struct {
	TokenHost, ReportHost string
}

func (e *WrongHostError) Error() string {
	return fmt.Sprintf("the report is of host %s; this token is of host %s", e.ReportHost, e.TokenHost)
}

// IngestAs stores the report as Ingest does, but only if it is of host:
// a host pushes its own evidence, never another's. A report of another
// host is a *WrongHostError, and nothing is stored.
func (s *Store) IngestAs(ctx context.Context, host, name string, data []byte) (Ingested, error) {
	sum := sha256.Sum256(data)
	if in, ok, err := s.stored(ctx, hex.EncodeToString(sum[:])); err != nil || ok {
		if err == nil && in.HostID != host {
			return Ingested{}, &WrongHostError{TokenHost: host, ReportHost: in.HostID}
		}
		return in, err
	}
	p, err := s.Prepare(name, data)
	if err != nil {
		return Ingested{}, err
	}
	if p.rec.check.HostID != host {
		return Ingested{}, &WrongHostError{TokenHost: host, ReportHost: p.rec.check.HostID}
	}
	// Stored meanwhile, the same bytes are of the same host.
	return s.Put(ctx, p)
}
