package fleet

import (
	"context"
	"os"
	"testing"

	"github.com/sverka/sverka/internal/pgtest"
)

// pg is the package's throwaway PostgreSQL server; pgWhy says why there
// is none.
var (
	pg    *pgtest.Server
	pgWhy error
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m, &pg, &pgWhy)) }

// backends are the stores every store test runs against: SQLite, and a
// PostgreSQL database of its own per test.
func backends(t *testing.T) []backend {
	return []backend{sqliteBackend(), {"postgres", func(t *testing.T) string {
		if pg == nil {
			pgtest.Missing(t, pgWhy)
		}
		dsn, err := pg.NewDatabase(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return dsn
	}}}
}
