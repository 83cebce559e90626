package fleet

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // the "sqlite" database/sql driver, pure Go

	"github.com/sverka/sverka/config"
)

// Store is a store of checks: a SQLite file or a PostgreSQL database. It
// is safe for concurrent use.
type Store struct {
	db   *sql.DB
	d    *dialect
	name string // the dsn as errors show it: a path, or a URL without its password
	ro   bool
	// gzips holds gzip writers for the evidence, reused between ingests.
	gzips sync.Pool
}

// Options say how Open opens a store.
type Options struct {
	// Create makes a missing SQLite file and brings the schema up to
	// date; without it a missing store is an error.
	Create bool
	// ReadOnly opens the store so that nothing can be written to it.
	ReadOnly bool
}

// busyTimeout is how long a SQLite writer waits for another one: ingests
// from many hosts at once take turns instead of failing.
const busyTimeout = 10 * time.Second

// Open opens the store dsn names: a postgres:// or postgresql:// URL,
// else the path of a SQLite file. With Create it makes the file and
// brings the schema up to date; without it a missing store is an error.
// ReadOnly opens it so that nothing can be written.
func Open(ctx context.Context, dsn string, o Options) (*Store, error) {
	if o.Create && o.ReadOnly {
		return nil, errors.New("fleet.Open: Create and ReadOnly together")
	}
	var s *Store
	var err error
	if isPostgres(dsn) {
		s, err = openPostgres(dsn, o)
	} else {
		s, err = openSQLite(dsn, o)
	}
	if err != nil {
		return nil, err
	}
	if err := s.prepare(ctx, o); err != nil {
		s.db.Close()
		return nil, err
	}
	return s, nil
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// redacted is a PostgreSQL URL as an error may show it: its password
// never leaves the command line.
func redacted(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

func openPostgres(dsn string, o Options) (*Store, error) {
	name := redacted(dsn)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's message may quote the URL, password and all.
		return nil, fmt.Errorf("store %s: not a PostgreSQL URL", name)
	}
	if o.ReadOnly {
		// Every transaction of every connection refuses to write.
		cfg.RuntimeParams["default_transaction_read_only"] = "on"
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "sverka"
	}
	return &Store{db: stdlib.OpenDB(*cfg), d: &postgres, name: name, ro: o.ReadOnly}, nil
}

func openSQLite(path string, o Options) (*Store, error) {
	if path == "" {
		return nil, errors.New("store: no path given")
	}
	fi, err := os.Stat(path)
	switch {
	case err == nil && !fi.Mode().IsRegular():
		return nil, fmt.Errorf("store %s: not a regular file", path)
	case errors.Is(err, os.ErrNotExist) && !o.Create:
		return nil, fmt.Errorf("store %s does not exist (ingest a report to make it)", path)
	case errors.Is(err, os.ErrNotExist):
		dir := filepath.Dir(path)
		if di, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("store %s: directory %s: %w", path, dir, unwrapPath(err))
		} else if !di.IsDir() {
			return nil, fmt.Errorf("store %s: %s is not a directory", path, dir)
		}
	case err != nil:
		return nil, fmt.Errorf("store %s: %w", path, unwrapPath(err))
	}
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	if o.ReadOnly {
		q.Set("mode", "ro")
		// A query reads a page or two per host. Each page SQLite caches
		// is memory the pure-Go driver asks the system for afresh, which
		// costs more than reading the page again from the page cache:
		// a cache of 20 pages made fleet status on 1,000 hosts 0.13 s ->
		// 0.10 s.
		q.Add("_pragma", "cache_size(20)")
	} else {
		q.Add("_pragma", "journal_mode(WAL)")
		// In WAL mode NORMAL keeps the store whole through a crash; a
		// power cut may lose the last ingests, which are ingested again.
		q.Add("_pragma", "synchronous(NORMAL)")
		// A write transaction takes the write lock when it begins: two
		// writers then wait for each other (busy_timeout) instead of one
		// failing when it upgrades a read lock.
		q.Set("_txlock", "immediate")
		if !o.Create {
			q.Set("mode", "rw")
		}
	}
	db, err := sql.Open("sqlite", sqliteURI(path)+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	return &Store{db: db, d: &sqlite, name: path, ro: o.ReadOnly}, nil
}

// unwrapPath drops the *PathError's own copy of the path, which the
// message names already.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// sqliteURI is path as a SQLite URI file name: the characters a URI gives
// a meaning are escaped, and a Windows drive path gets its leading slash.
func sqliteURI(path string) string {
	p := filepath.ToSlash(path)
	if filepath.VolumeName(path) != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	var b strings.Builder
	b.WriteString("file:")
	if strings.HasPrefix(p, "/") {
		b.WriteString("//") // an empty authority: the path is absolute
	}
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '%', '?', '#':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Close closes the store.
func (s *Store) Close() error { return s.db.Close() }

// Name is the store as messages name it: a path, or a URL without its
// password.
func (s *Store) Name() string { return s.name }

// DefaultDB is the store used when --db is not given: fleet.db in the
// per-user data directory ($XDG_DATA_HOME/sverka, ~/.local/share/sverka,
// ~/Library/Application Support/sverka, %LocalAppData%\sverka).
func DefaultDB() (string, error) {
	var dir string
	switch runtime.GOOS {
	case "windows":
		dir = os.Getenv("LocalAppData")
		if dir == "" {
			return "", errors.New("no default store: %LocalAppData% is not set; give --db")
		}
	case "darwin", "ios":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no default store: %w; give --db", err)
		}
		dir = filepath.Join(home, "Library", "Application Support")
	default:
		dir = os.Getenv("XDG_DATA_HOME")
		if dir == "" || !filepath.IsAbs(dir) {
			home, err := os.UserHomeDir()
			if err != nil {
				return "", fmt.Errorf("no default store: %w; give --db", err)
			}
			dir = filepath.Join(home, ".local", "share")
		}
	}
	return filepath.Join(dir, "sverka", "fleet.db"), nil
}

// ParsePeriod reads a period of control: a whole number and a unit, m
// (minutes), h (hours), d (days) or w (weeks): "7d", "36h", "90d", "2w".
// It is the period of the configuration file (config.ParsePeriod): one
// spelling for --period, --keep, --warn-before and the file's period.
func ParsePeriod(s string) (time.Duration, error) {
	return config.ParsePeriod(strings.TrimSpace(s))
}
