package fleet

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestOpenRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte("not a database at all, but long enough to look like one\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE TABLE accounts (id INTEGER)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	for _, tc := range []struct {
		name, dsn string
		o         Options
		want      string
	}{
		{"missing directory", filepath.Join(dir, "no", "such", "fleet.db"), Options{Create: true}, "no/such"},
		{"missing store", filepath.Join(dir, "none.db"), Options{}, "does not exist"},
		{"missing store read-only", filepath.Join(dir, "none.db"), Options{ReadOnly: true}, "does not exist"},
		{"text file", text, Options{Create: true}, "not a SQLite database"},
		{"unrelated database", other, Options{Create: true}, "not a sverka store: it holds tables (accounts)"},
		{"directory", dir, Options{}, "not a regular file"},
		{"bad URL", "postgres://user:secret@[::1/x", Options{}, "not a PostgreSQL URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Open(ctx, tc.dsn, tc.o)
			if err == nil {
				s.Close()
				t.Fatal("opened")
			}
			name := tc.dsn
			if isPostgres(name) {
				name = "postgres://"
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), filepath.ToSlash(name)) && !strings.Contains(err.Error(), name) {
				t.Fatalf("%v; want %q naming %s", err, tc.want, name)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Fatalf("the password shows: %v", err)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("opening without Create made the file: %v", err)
	}
}

func TestOpenSchemaVersions(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		dsn := b.dsn(t)
		s := storeOf(t, dsn, rep{host: "a", at: at(0), verdict: Holds})
		if _, err := s.db.Exec(s.d.q("INSERT INTO schema_version (version, applied_ns) VALUES (?, ?)"), schemaVersion()+1, time.Now().UnixNano()); err != nil {
			t.Fatal(err)
		}
		s.Close()
		for _, o := range []Options{{}, {Create: true}, {ReadOnly: true}} {
			_, err := Open(ctx, dsn, o)
			want := fmt.Sprintf("schema version %d; this sverka knows up to %d", schemaVersion()+1, schemaVersion())
			if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), want) {
				t.Fatalf("%+v: %v, want %q", o, err, want)
			}
		}
	})
}

func TestOpenReadOnly(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		dsn := b.dsn(t)
		storeOf(t, dsn, rep{host: "a", at: at(0), verdict: Holds}).Close()
		ro, err := Open(ctx, dsn, Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer ro.Close()
		if hs, err := ro.Status(ctx, Filter{}, at(1), DefaultPeriod); err != nil || len(hs) != 1 {
			t.Fatalf("read-only status: %v %v", hs, err)
		}
		if _, err := ro.Ingest(ctx, "b.json", makeReport(t, rep{host: "b", at: at(0), verdict: Holds})); err == nil {
			t.Fatal("a read-only store took a report")
		}
		if _, err := ro.Prune(ctx, time.Hour, at(100)); err == nil {
			t.Fatal("a read-only store was pruned")
		}
		if _, err := ro.db.Exec("DELETE FROM checks"); err == nil {
			t.Fatal("a read-only store ran a DELETE")
		}
	})
}

func TestOpenPostgresRefuses(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ dsn, want string }{
		{strings.Replace(pgURL(t), "/t", "/nosuchdb", 1), "nosuchdb"},
		{"postgres://nobody:pw@/postgres?host=" + filepath.Join(t.TempDir(), "nosocket") + "&connect_timeout=2", "PostgreSQL"},
	} {
		_, err := Open(ctx, tc.dsn, Options{Create: true})
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "store postgres://") || strings.Contains(err.Error(), ":pw@") {
			t.Errorf("%s: %v", tc.dsn, err)
		}
	}
}

func pgURL(t *testing.T) string {
	dsn, err := pg.Get(t).NewDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return dsn
}

// storeOf makes a store at dsn holding the reports rs.
func storeOf(t *testing.T, dsn string, rs ...rep) *Store {
	t.Helper()
	s, err := Open(context.Background(), dsn, Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		ingest(t, s, r)
	}
	return s
}

// migrated opens the store at dsn, which downgrade left at version from:
// read-only it is refused, saying how to bring it up to date; opened for
// writing, it is brought up to date.
func migrated(t *testing.T, dsn string, from int) *Store {
	t.Helper()
	ctx := context.Background()
	want := fmt.Sprintf("schema version %d; this sverka needs %d", from, schemaVersion())
	if _, err := Open(ctx, dsn, Options{ReadOnly: true}); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("read-only open of a version %d store: %v, want %q", from, err, want)
	}
	s, err := Open(ctx, dsn, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// hostsCopy are the columns the schema's version 3 added to hosts.
var hostsCopy = []string{"hostname", "groups", "verdict", "formular_id", "tool_version", "tool_sha256",
	"checked", "not_checked", "counts", "failures", "report_sha256"}

// downgrade undoes s's migrations down to version to, as a store written
// by an older sverka would be.
func downgrade(t *testing.T, s *Store, to int) {
	t.Helper()
	var qs []string
	if to < 3 {
		for _, c := range hostsCopy {
			qs = append(qs, "ALTER TABLE hosts DROP COLUMN "+c)
		}
	}
	if to < 2 {
		qs = append(qs, "DROP TABLE tokens")
	}
	qs = append(qs, fmt.Sprintf("DELETE FROM schema_version WHERE version > %d", to))
	for _, q := range qs {
		if _, err := s.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// A store of version 2 gets each host's latest check copied into hosts
// when it is opened for writing: the answers are the ones it gave before,
// a late report included.
func TestHostsCopyMigration(t *testing.T) {
	eachBackend(t, func(t *testing.T, b backend) {
		ctx := context.Background()
		dsn := b.dsn(t)
		s := storeOf(t, dsn,
			rep{host: "a", at: at(0), verdict: Holds},
			rep{host: "a", at: at(2), verdict: NotHold},
			rep{host: "a", at: at(1), verdict: Holds}, // late: not the latest
			rep{host: "b", at: at(0), verdict: CannotCheck, groups: []string{"msk"}},
			rep{host: "c", at: at(3), verdict: Holds, groups: []string{"spb", "srv"}},
		)
		now := at(4)
		want, err := s.Status(ctx, Filter{}, now, DefaultPeriod)
		if err != nil {
			t.Fatal(err)
		}
		downgrade(t, s, 2)
		s.Close()
		s = migrated(t, dsn, 2)
		defer s.Close()
		got, err := s.Status(ctx, Filter{}, now, DefaultPeriod)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("status after the migration:\n%+v\nwant\n%+v", got, want)
		}
		if len(got) != 3 || got[0].Last.Verdict != NotHold || got[0].Last.ReportSHA256 == "" || got[2].Groups == nil {
			t.Errorf("status after the migration: %+v", got)
		}
		for _, f := range []Filter{{Groups: []string{"msk"}}, {State: Holds}, {Groups: []string{"srv"}}} {
			hs, err := s.Status(ctx, f, now, DefaultPeriod)
			if err != nil || len(hs) != 1 {
				t.Errorf("status %+v after the migration: %+v, %v", f, hs, err)
			}
		}
	})
}
