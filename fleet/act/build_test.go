package act

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sverka/sverka/fleet"
	"github.com/sverka/sverka/internal/fleettest"
	"github.com/sverka/sverka/internal/pgtest"
)

// A store of real reports around November 2026: one host holding, one
// that broke and was restored, one that broke and stayed broken, one not
// checkable, one last checked early in the month (overdue), one checked
// only in October (no check), and one first checked in December (not in
// the act).
func TestBuild(t *testing.T) {
	buildOn(t, filepath.Join(t.TempDir(), "fleet.db"))
}

// The act is the same from a PostgreSQL store.
func TestBuildPostgres(t *testing.T) {
	dsn, err := pg.Get(t).NewDatabase(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	buildOn(t, dsn)
}

// pg is the package's throwaway PostgreSQL server, started by the first
// test that needs it.
var pg pgtest.Shared

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

func buildOn(t *testing.T, db string) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := fleet.Open(ctx, db, fleet.Options{Create: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	near := fleettest.Formular(t, dir, "2.0", "2027-01-15", "2027-06-30")
	nov := func(d int) time.Time { return time.Date(2026, 11, d, 10, 0, 0, 0, time.UTC) }
	for _, h := range []fleettest.Host{
		{ID: "db-1", Name: "db-1", At: nov(2)},
		{ID: "db-1", Name: "db-1", At: nov(29)},
		{ID: "app-2", Name: "app-2", At: nov(10)},
		{ID: "app-2", Name: "app-2", At: nov(11), Broken: true},
		{ID: "app-2", Name: "app-2", At: nov(12), Formular: near},
		{ID: "app-2", Name: "app-2", At: nov(28), Formular: near},
		{ID: "web-1", Name: "web-1", At: nov(20)},
		{ID: "web-1", Name: "web-1", At: nov(21), Broken: true},
		{ID: "web-1", Name: "web-1", At: nov(29), Broken: true},
		{ID: "app-1", Name: "app-1", At: nov(28), Cannot: true},
		{ID: "old-1", Name: "old-1", At: nov(5)},
		{ID: "mute", Name: "mute", At: time.Date(2026, 10, 20, 10, 0, 0, 0, time.UTC)},
		{ID: "new-1", Name: "new-1", At: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)},
	} {
		if _, err := st.Ingest(ctx, h.ID+".json", fleettest.Report(t, h)); err != nil {
			t.Fatalf("ingest %s: %v", h.ID, err)
		}
	}
	from := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	a, err := Build(ctx, st, Query{From: from, To: to, Period: 7 * 24 * time.Hour, Now: time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	want := Totals{Hosts: 6, Holds: 3, NotHold: 1, CannotCheck: 1, Overdue: 1, NoCheck: 1}
	if a.Totals != want {
		t.Errorf("totals %+v, want %+v", a.Totals, want)
	}
	byID := map[string]Host{}
	for _, h := range a.Hosts {
		byID[h.HostID] = h
	}
	if _, ok := byID["new-1"]; ok {
		t.Error("a host first checked after the period is in the act")
	}
	if h := byID["mute"]; h.Verdict != "" {
		t.Errorf("mute: %+v, want no check in the period", h)
	}
	if h := byID["old-1"]; !h.Overdue || h.Verdict != fleet.Holds {
		t.Errorf("old-1: %+v, want HOLDS, overdue", h)
	}
	if h := byID["db-1"]; h.Overdue || !h.Time.Equal(nov(29)) || len(h.ReportSHA256) != 64 {
		t.Errorf("db-1: %+v, want its check of the 29th", h)
	}
	if len(a.Broken) != 2 {
		t.Fatalf("%d intervals, want 2: %+v", len(a.Broken), a.Broken)
	}
	app, web := a.Broken[0], a.Broken[1]
	if app.HostID != "app-2" || !app.LastHolds.Equal(nov(10)) || !app.FirstNotHold.Equal(nov(11)) || app.Repaired == nil || !app.Repaired.Equal(nov(12)) {
		t.Errorf("app-2 broke %+v", app)
	}
	if web.HostID != "web-1" || !web.FirstNotHold.Equal(nov(21)) || web.Repaired != nil {
		t.Errorf("web-1 broke %+v", web)
	}
	if len(a.Findings) != 1 || a.Findings[0].Name != "bin/agent" || a.Findings[0].Status != "MODIFIED" || a.Findings[0].Hosts != 1 {
		t.Errorf("findings %+v", a.Findings)
	}
	if len(a.Formulars) != 2 || a.Formulars[0].Hosts != 4 || a.Formulars[1].Version != "2.0" ||
		!a.Formulars[1].ValidUntil.Equal(time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("formulars %+v", a.Formulars)
	}
	if _, err := Build(ctx, st, Query{From: to, To: from}); err == nil {
		t.Error("a period that ends before it starts is accepted")
	}
}
