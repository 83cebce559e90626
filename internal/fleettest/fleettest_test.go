package fleettest

import (
	"testing"
	"time"

	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/verify"
)

func TestReport(t *testing.T) {
	at := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	f := Formular(t, t.TempDir(), "2.0", "2027-01-10", "")
	for _, c := range []struct {
		h    Host
		want verify.Verdict
	}{
		{Host{ID: "a", Name: "a", At: at}, verify.Holds},
		{Host{ID: "b", Name: "b", At: at, Broken: true, Formular: f}, verify.NotHolds},
		{Host{ID: "c", Name: "c", At: at, Cannot: true}, verify.CannotCheck},
	} {
		r, err := report.ReadJSON(Report(t, c.h))
		if err != nil {
			t.Fatal(err)
		}
		if r.Result.Verdict != c.want {
			t.Errorf("%s: %s, want %s", c.h.ID, r.Result.Verdict, c.want)
		}
	}
}
