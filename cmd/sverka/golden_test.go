package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sverka/sverka/internal/golden"
	"github.com/sverka/sverka/report"
)

// TestGoldenReports renders a fixed check of the demo kit (one file
// changed, so that findings show) in every format and language, with the
// time, host and build made deterministic, and compares with the committed
// renderings. Run with -update after an intended change, and look at the
// diff. They are the renderings of a report the command assembled from a
// real check; report/testdata/golden holds those of reports built in code.
func TestGoldenReports(t *testing.T) {
	kit := t.TempDir()
	src := filepath.Join("..", "..", "testdata", "demo", "kit")
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if rel == filepath.Join("bin", "agent") {
			data = append(data, "# patched\n"...)
		}
		os.MkdirAll(filepath.Join(kit, filepath.Dir(rel)), 0o755)
		return os.WriteFile(filepath.Join(kit, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(kit, "unlisted.txt"), []byte("dropped in\n"), 0o644)

	for _, tc := range []struct{ name, format, lang string }{
		{"verify.en.txt", "text", "en"},
		{"verify.ru.txt", "text", "ru"},
		{"verify.json", "json", "en"},
		{"verify.en.html", "html", "en"},
		{"verify.ru.html", "html", "ru"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), []string{"verify",
				"-f", "../../testdata/demo/formular.txt", "-p", "../../testdata/demo/demo.pub",
				"--media", kit, "--at", "2026-11-23",
				"--fixed-time", "2026-11-23T10:00:00+03:00", "--fixed-host", "host-1",
				"--format", tc.format, "--lang", tc.lang, "-v"}, &cli{stdin: os.Stdin, stdout: &out, stderr: &errb})
			if code != exitFail {
				t.Fatalf("exit %d, want %d (one file changed); stderr: %s", code, exitFail, errb.String())
			}
			got := bytes.ReplaceAll(out.Bytes(), []byte(kit), []byte("KIT"))
			// In JSON a Windows path's backslashes are escaped.
			got = bytes.ReplaceAll(got, []byte(strings.ReplaceAll(kit, `\`, `\\`)), []byte("KIT"))
			// The golden files were made on Linux; the report names the
			// system it ran on (the Windows suite runs this too).
			got = bytes.ReplaceAll(got, []byte(`"os": "`+runtime.GOOS+`"`), []byte(`"os": "linux"`))
			got = bytes.ReplaceAll(got, []byte("<td>"+runtime.GOOS+" "), []byte("<td>linux "))
			if tc.format == "json" {
				if err := report.Validate(got); err != nil {
					t.Fatalf("the report does not validate against its schema: %v", err)
				}
			}
			golden.Check(t, filepath.Join("testdata", "golden", tc.name), got)
		})
	}
}
