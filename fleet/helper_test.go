package fleet

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/verify"
)

// demo is the demonstration formular and kit every test report checks.
var demo = sync.OnceValues(func() (*verify.Signed, error) {
	path := filepath.Join("..", "testdata", "demo", "formular.txt")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := formular.ParseBytes(data, path)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	return &verify.Signed{Path: path, SHA256: hex.EncodeToString(sum[:]), Formular: f}, nil
})

// kit is a copy of the demo kit whose README.txt is tampered with
// (tamper != "") or not.
func kit(t testing.TB, tamper string) string {
	t.Helper()
	src := filepath.Join("..", "testdata", "demo", "kit")
	if tamper == "" {
		return src
	}
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dst, "README.txt"), []byte(tamper), 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

// rep is what a test report says: the host and when, and what the kit
// was like.
type rep struct {
	host   string
	groups []string
	at     time.Time
	// verdict: Holds (the demo kit), NotHold (README.txt tampered with
	// tamper, "tampered" when empty), CannotCheck (the check could not be
	// made).
	verdict string
	tamper  string
}

// makeReport runs a real check of the demo kit and returns its JSON
// report as r says.
func makeReport(t testing.TB, r rep) []byte {
	t.Helper()
	s, err := demo()
	if err != nil {
		t.Fatal(err)
	}
	in := report.BuildInput{
		Tool:     report.Tool{Name: "sverka", Version: "test", SHA256: hex.EncodeToString(make([]byte, 32))},
		Run:      report.Run{Start: r.at.Add(-time.Second), End: r.at, HostID: r.host, Host: r.host, Groups: r.groups, OS: "linux", Arch: "amd64"},
		At:       r.at,
		Formular: s,
	}
	switch r.verdict {
	case CannotCheck:
		in.Err = errors.New("media: no such device")
	default:
		tamper := ""
		if r.verdict == NotHold {
			tamper = r.tamper
			if tamper == "" {
				tamper = "tampered"
			}
		}
		media := kit(t, tamper)
		in.Targets = report.Targets{Media: media}
		res, err := verify.Check(context.Background(), s.Formular, verify.Sources{Media: media, At: r.at})
		if err != nil {
			t.Fatal(err)
		}
		in.Result = res
	}
	rp := report.Build(in)
	var b bytes.Buffer
	if err := report.WriteJSON(&b, rp); err != nil {
		t.Fatal(err)
	}
	got, err := report.ReadJSON(b.Bytes())
	if err != nil {
		t.Fatalf("the test report does not read back: %v", err)
	}
	if string(got.Result.Verdict) != r.verdict {
		t.Fatalf("the test report's verdict is %s, not %s", got.Result.Verdict, r.verdict)
	}
	return b.Bytes()
}

// reportsCarryGroups says whether a report keeps the groups it was made
// with: reports gain host ids and groups in their JSON separately from
// the store.
func reportsCarryGroups(t testing.TB) bool {
	got, err := report.ReadJSON(makeReport(t, rep{host: "g", groups: []string{"x"}, at: day0, verdict: Holds}))
	if err != nil {
		t.Fatal(err)
	}
	return len(got.Run.Groups) == 1
}
