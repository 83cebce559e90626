package fleet

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/verify"
)

// benchHost is the host name of benchReport's report; ingesting it again
// under another name of the same length makes another report.
const benchHost = "bench-host-000000"

// benchReport is the JSON report of a check of a modules table of items
// files, one in a hundred of them MODIFIED, as report.WriteJSON writes it.
// It must read back: a report the store refuses measures nothing.
func benchReport(tb testing.TB, items int) []byte {
	tb.Helper()
	t := verify.Table{Kind: formular.KindModules, Line: 10, Root: "/opt/product", Columns: []string{"sha256"}, Closed: true,
		Counts: map[verify.Status]int{}}
	failing := map[verify.Status]int{}
	for i := range items {
		want := sha256.Sum256(fmt.Appendf(nil, "file %d", i))
		got := want
		it := verify.Item{Name: fmt.Sprintf("lib/module-%05d.so", i), Line: 11 + i, Status: verify.OK, Size: int64(4096 + i)}
		size := it.Size
		it.ActualSize = &size
		if i%100 == 7 {
			got = sha256.Sum256(fmt.Appendf(nil, "changed %d", i))
			it.Status, it.Failure, it.Differs = verify.Modified, true, []string{"sha256"}
			failing[verify.Modified]++
		}
		it.Expected = []verify.Digest{{Alg: "sha256", Hex: hex.EncodeToString(want[:])}}
		it.Actual = []verify.Digest{{Alg: "sha256", Hex: hex.EncodeToString(got[:])}}
		t.Counts[it.Status]++
		t.Items = append(t.Items, it)
	}
	res := &verify.Result{Verdict: verify.Holds, Tables: []verify.Table{t}, Scope: verify.Scope{Checked: []formular.Kind{formular.KindModules}}}
	if len(failing) > 0 {
		res.Verdict = verify.NotHolds
		res.Reasons = []verify.Message{{Code: verify.CodeTableFailed, Table: t.Kind, Line: t.Line, Counts: failing,
			Text: fmt.Sprintf("[modules] table (line 10): %d MODIFIED", failing[verify.Modified])}}
	}
	// The header is what the report keeps of the formular; one row
	// makes it a formular.
	text := "sverka-formular 1\nproduct: Product\nversion: 1\nvalid-until: 2099-12-31\n\n" +
		"[modules root=${INSTALLDIR} default=/opt/product sha256]\n" + t.Items[0].Expected[0].Hex + " 4096 lib/module-00000.so\n"
	f, err := formular.ParseText(text, "product.formular")
	if err != nil {
		tb.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC)
	rep := report.Build(report.BuildInput{
		Tool:     report.Tool{Name: "sverka", Version: "1.4.0", SHA256: hex.EncodeToString(make([]byte, 32))},
		Run:      report.Run{Start: at, End: at.Add(2 * time.Second), HostID: benchHost, Host: benchHost, OS: "linux", OSVersion: "Linux", Arch: "amd64", User: "root", Args: []string{"sverka", "verify"}},
		At:       at,
		Formular: &verify.Signed{Path: "product.formular", SHA256: hex.EncodeToString(make([]byte, 32)), Formular: f},
		Targets:  report.Targets{Vars: map[string]string{"INSTALLDIR": "/opt/product"}},
		Result:   res,
	})
	var b bytes.Buffer
	if err := report.WriteJSON(&b, rep); err != nil {
		tb.Fatal(err)
	}
	if _, err := report.ReadJSON(b.Bytes()); err != nil {
		tb.Fatalf("the benchmark's report does not read back: %v", err)
	}
	return b.Bytes()
}

// BenchmarkIngest ingests reports, each of another host, into one SQLite
// store: the ingest rate of bench/run's fleet rows without the command
// line, for a CPU profile. items=4000 is the report of the rate's target;
// items=200 that of the made-up fleet, where the cost of each report
// apart from its bytes shows.
func BenchmarkIngest(b *testing.B) {
	for _, items := range []int{4000, 200} {
		b.Run(fmt.Sprintf("items=%d", items), func(b *testing.B) { benchIngest(b, items) })
	}
}

func benchIngest(b *testing.B, items int) {
	ctx := context.Background()
	data := benchReport(b, items)
	s, err := Open(ctx, filepath.Join(b.TempDir(), "fleet.db"), Options{Create: true})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.SetBytes(int64(len(data)))
	for i := 0; b.Loop(); i++ {
		d := bytes.ReplaceAll(data, []byte(benchHost), fmt.Appendf(nil, "bench-host-%06d", i))
		ing, err := s.Ingest(ctx, "report.json", d)
		if err != nil {
			b.Fatal(err)
		}
		if !ing.New {
			b.Fatalf("report %d was not new", i)
		}
	}
}

// BenchmarkIngestEach ingests reports of 4,000 items as `fleet ingest`
// does (IngestEach, reports prepared on every core, stored in order) into
// SQLite and PostgreSQL: the ingest rate of bench/run's fleet rows for
// both stores, without the command line.
func BenchmarkIngestEach(b *testing.B) {
	data := benchReport(b, 4000)
	for _, name := range []string{"sqlite", "postgres"} {
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			dsn := filepath.Join(b.TempDir(), "fleet.db")
			if name == "postgres" {
				var err error
				if dsn, err = pg.Get(b).NewDatabase(ctx); err != nil {
					b.Fatal(err)
				}
			}
			s, err := Open(ctx, dsn, Options{Create: true})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			const batch = 16
			b.SetBytes(int64(len(data)) * batch)
			for r := 0; b.Loop(); r++ {
				err := s.IngestEach(ctx, batch, runtime.GOMAXPROCS(0), func(i int) (string, []byte, error) {
					host := fmt.Appendf(nil, "bench-host-%06d", r*batch+i)
					return "report.json", bytes.ReplaceAll(data, []byte(benchHost), host), nil
				}, func(i int, in Ingested, err error) error {
					if err == nil && !in.New {
						err = fmt.Errorf("report %d was not new", i)
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
