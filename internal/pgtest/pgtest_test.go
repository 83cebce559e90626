package pgtest

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestServer(t *testing.T) {
	if runtime.GOOS == "windows" {
		// Under Wine the Linux binaries show through the Z: drive, and
		// cannot run: the throwaway server is for Unix test runs.
		t.Skip("the throwaway PostgreSQL server runs on Unix")
	}
	ctx := context.Background()
	s, err := Start(ctx)
	if errors.Is(err, ErrNotInstalled) {
		Missing(t, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	dir := s.Dir()
	if _, err := os.Stat(filepath.Join(dir, ".s.PGSQL.5432")); err != nil {
		t.Errorf("no socket in the server's directory: %v", err)
	}
	var urls []string
	for range 2 {
		u, err := s.NewDatabase(ctx)
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, u)
	}
	if urls[0] == urls[1] {
		t.Fatalf("two databases share %s", urls[0])
	}
	db, err := sql.Open("pgx", urls[1])
	if err != nil {
		t.Fatal(err)
	}
	var name, addr string
	if err := db.QueryRow("SELECT current_database(), COALESCE(inet_server_addr()::text, 'socket')").Scan(&name, &addr); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if name != "t2" || addr != "socket" {
		t.Errorf("connected to %s over %s, want t2 over the socket", name, addr)
	}
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the server's directory is left: %v", err)
	}
}
