// Package pgtest runs a throwaway PostgreSQL server for tests: made with
// initdb in a temporary directory, listening only on a Unix socket there,
// stopped and removed at the end. Running as root (as CI does), the
// server runs as the unprivileged postgres user, for initdb refuses root.
package pgtest

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// RequireEnv names the variable that, set to 1, makes a missing server a
// test failure instead of a skip: CI sets it, so that the PostgreSQL half
// of the tests cannot silently stop running.
const RequireEnv = "SVERKA_REQUIRE_POSTGRES"

// ErrNotInstalled is wrapped by Start's error when no PostgreSQL server
// binaries are found.
var ErrNotInstalled = errors.New("PostgreSQL is not installed")

// Server is a running throwaway server.
type Server struct {
	dir    string   // the temporary directory: data, socket and log
	bin    string   // the directory of initdb and pg_ctl
	runAs  []string // the command prefix that drops root, or nil
	admin  string   // the URL of its postgres database
	nextDB atomic.Int64
}

// bindir finds initdb and pg_ctl: the newest /usr/lib/postgresql/*/bin,
// else the PATH.
func bindir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int {
		va, _ := strconv.Atoi(filepath.Base(filepath.Dir(a)))
		vb, _ := strconv.Atoi(filepath.Base(filepath.Dir(b)))
		return vb - va
	})
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "pg_ctl")); err == nil {
			if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
				return d, nil
			}
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("pg_ctl"); err == nil {
			return filepath.Dir(p), nil
		}
	}
	return "", fmt.Errorf("%w: no initdb and pg_ctl in /usr/lib/postgresql/*/bin or PATH (apt-get install postgresql)", ErrNotInstalled)
}

// dirPrefix begins the name of every server's directory in the system's
// temporary directory.
const dirPrefix = "pgtest"

// ownerFile, in a server's directory, holds the process id of the test
// process that started it: a server whose test process is gone (killed
// by a timeout, a fuzzing worker ended) is stopped by the next Start.
const ownerFile = "owner"

// Start makes and starts a server. Stop it with Stop.
func Start(ctx context.Context) (*Server, error) {
	bin, err := bindir()
	if err != nil {
		return nil, err
	}
	// A short directory: a Unix socket's path is limited to about 100
	// bytes.
	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, bin: bin}
	if err := os.WriteFile(filepath.Join(dir, ownerFile), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if os.Geteuid() == 0 {
		if err := s.dropRoot(); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	s.reapStale(ctx)
	data := filepath.Join(dir, "data")
	if err := s.run(ctx, "initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"); err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	opts := fmt.Sprintf("-c listen_addresses='' -c unix_socket_directories='%s' -c fsync=off -c full_page_writes=off -c synchronous_commit=off -p 5432", dir)
	if err := s.run(ctx, "pg_ctl", "-D", data, "-l", filepath.Join(dir, "log"), "-w", "-t", "60", "-o", opts, "start"); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "log"))
		os.RemoveAll(dir)
		return nil, fmt.Errorf("%w\nserver log:\n%s", err, log)
	}
	s.admin = s.url("postgres")
	return s, nil
}

// reapStale stops and removes the servers left by test processes that
// are gone. A directory whose owner cannot be read, or is alive, is left.
func (s *Server) reapStale(ctx context.Context) {
	if runtime.GOOS == "windows" {
		return
	}
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, d := range dirs {
		if d == s.dir {
			continue
		}
		data, err := os.ReadFile(filepath.Join(d, ownerFile))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
		if err != nil || pid <= 0 {
			continue
		}
		if p, err := os.FindProcess(pid); err == nil {
			if err := p.Signal(syscall.Signal(0)); !errors.Is(err, os.ErrProcessDone) {
				continue
			}
		}
		stale := &Server{dir: d, bin: s.bin, runAs: s.runAs}
		if _, err := os.Stat(filepath.Join(d, "data", "postmaster.pid")); err == nil {
			stale.run(ctx, "pg_ctl", "-D", filepath.Join(d, "data"), "-m", "immediate", "-w", "stop")
		}
		os.RemoveAll(d)
	}
}

// dropRoot makes the server run as the postgres user: it owns the
// directory, and every command runs through runuser (or setpriv).
func (s *Server) dropRoot() error {
	u, err := user.Lookup("postgres")
	if err != nil {
		return fmt.Errorf("running as root, and no postgres user to run the server as: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(s.dir, uid, gid); err != nil {
		return err
	}
	if p, err := exec.LookPath("runuser"); err == nil {
		s.runAs = []string{p, "-u", "postgres", "--"}
		return nil
	}
	if p, err := exec.LookPath("setpriv"); err == nil {
		s.runAs = []string{p, "--reuid=" + u.Uid, "--regid=" + u.Gid, "--init-groups", "--"}
		return nil
	}
	return errors.New("running as root, and neither runuser nor setpriv to run the server as postgres")
}

func (s *Server) run(ctx context.Context, name string, args ...string) error {
	argv := append(slices.Clone(s.runAs), filepath.Join(s.bin, name))
	argv = append(argv, args...)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Dir = s.dir
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%s: %w\n%s", strings.Join(argv, " "), err, out.String())
	}
	return nil
}

// url is the URL of database db over the server's socket.
func (s *Server) url(db string) string {
	q := url.Values{"host": {s.dir}, "sslmode": {"disable"}}
	return "postgres://postgres@/" + db + "?" + q.Encode()
}

// Stop stops the server and removes its directory.
func (s *Server) Stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := s.run(ctx, "pg_ctl", "-D", filepath.Join(s.dir, "data"), "-m", "immediate", "-w", "stop")
	if rerr := os.RemoveAll(s.dir); err == nil {
		err = rerr
	}
	return err
}

// NewDatabase makes an empty database and returns its URL.
func (s *Server) NewDatabase(ctx context.Context) (string, error) {
	name := fmt.Sprintf("t%d", s.nextDB.Add(1))
	db, err := sql.Open("pgx", s.admin)
	if err != nil {
		return "", err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	return s.url(name), nil
}

// Dir is the server's directory (its socket is there).
func (s *Server) Dir() string { return s.dir }

// Shared is one server for a package's tests, started by the first test
// that needs it (a fuzzing worker, which needs none, starts none). Stop
// it from TestMain once the tests have run.
type Shared struct {
	once sync.Once
	srv  *Server
	err  error
}

// Get is the shared server, started on first use; a test that cannot
// have it ends there (Missing).
func (sh *Shared) Get(t testing.TB) *Server {
	t.Helper()
	sh.once.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		sh.srv, sh.err = Start(ctx)
	})
	if sh.err != nil {
		Missing(t, sh.err)
	}
	return sh.srv
}

// Stop stops the server if it was started.
func (sh *Shared) Stop() {
	if sh.srv != nil {
		sh.srv.Stop()
	}
}

// Missing ends a test that needs the server that could not start: a skip
// saying why, or a failure when RequireEnv is set.
func Missing(t testing.TB, why error) {
	t.Helper()
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s=1, and no PostgreSQL server: %v", RequireEnv, why)
	}
	t.Skipf("no PostgreSQL server, its half of the tests skipped: %v", why)
}
