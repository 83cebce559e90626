package fleet

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/verify"
)

// fleetReports makes hosts×days reports fast: the demo kit is checked
// once per verdict and the run's facts vary. Every tenth host breaks on
// day days/2.
func fleetReports(b *testing.B, hosts, days int) [][]byte {
	s, err := demo()
	if err != nil {
		b.Fatal(err)
	}
	results := map[string]*verify.Result{}
	for v, media := range map[string]string{Holds: kit(b, ""), NotHold: kit(b, "tampered")} {
		res, err := verify.Check(context.Background(), s.Formular, verify.Sources{Media: media, At: day0})
		if err != nil {
			b.Fatal(err)
		}
		results[v] = res
	}
	var out [][]byte
	for d := range days {
		for h := range hosts {
			v := Holds
			if h%10 == 0 && d >= days/2 {
				v = NotHold
			}
			end := day0.AddDate(0, 0, d).Add(time.Duration(h) * time.Second)
			host := fmt.Sprintf("host-%04d", h)
			rp := report.Build(report.BuildInput{
				Tool:     report.Tool{Name: "sverka", Version: "bench", SHA256: hex.EncodeToString(make([]byte, 32))},
				Run:      report.Run{Start: end.Add(-time.Second), End: end, HostID: host, Host: host, OS: "linux", Arch: "amd64"},
				At:       end,
				Formular: s,
				Result:   results[v],
			})
			var buf bytes.Buffer
			if err := report.WriteJSON(&buf, rp); err != nil {
				b.Fatal(err)
			}
			out = append(out, buf.Bytes())
		}
	}
	return out
}

// BenchmarkFleet fills a SQLite store with 1000 hosts × 30 days and times
// the answers.
func BenchmarkFleet(b *testing.B) {
	ctx := context.Background()
	reports := fleetReports(b, benchHosts, benchDays)
	s, err := Open(ctx, filepath.Join(b.TempDir(), "fleet.db"), Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	for i, r := range reports {
		if _, err := s.Ingest(ctx, fmt.Sprint(i), r); err != nil {
			b.Fatal(err)
		}
	}
	el := time.Since(start)
	b.Logf("ingest: %d reports in %v, %.0f a second", len(reports), el.Round(time.Millisecond), float64(len(reports))/el.Seconds())
	now := day0.AddDate(0, 0, 30)
	for _, q := range []struct {
		name string
		f    func() (int, error)
	}{
		{"status", func() (int, error) { hs, err := s.Status(ctx, Filter{}, now, DefaultPeriod); return len(hs), err }},
		{"since", func() (int, error) { ivs, err := s.Since(ctx, Filter{}); return len(ivs), err }},
		{"findings", func() (int, error) { fs, err := s.Findings(ctx, Filter{}); return len(fs), err }},
		{"history", func() (int, error) { cs, err := s.History(ctx, "host-0500"); return len(cs), err }},
		{"trend", func() (int, error) { ds, err := s.Trend(ctx, Filter{}, day0, now, DefaultPeriod); return len(ds), err }},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := q.f(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The size of the benchmark's fleet.
const benchHosts, benchDays = 1000, 30
