package fleet

import (
	"context"
	"os"
	"testing"

	"github.com/sverka/sverka/internal/pgtest"
)

// pg is the package's throwaway PostgreSQL server, started by the first
// test that needs it.
var pg pgtest.Shared

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// backends are the stores every store test runs against: SQLite, and a
// PostgreSQL database of its own per test.
func backends(t *testing.T) []backend {
	return []backend{sqliteBackend(), {"postgres", func(t *testing.T) string {
		dsn, err := pg.Get(t).NewDatabase(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return dsn
	}}}
}
