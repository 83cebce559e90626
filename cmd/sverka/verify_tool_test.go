package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sverka/sverka/internal/hostinfo"
)

// TestReportNamesBuild: the reports that name the build (JSON, NDJSON,
// HTML) carry the digest of the executable that made them, taken while
// the check ran.
func TestReportNamesBuild(t *testing.T) {
	want, err := hostinfo.ExecutableDigest()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		file string // the report's -o, if it goes to one
	}{
		{"json", []string{"--format", "json"}, ""},
		{"ndjson", []string{"--format", "ndjson"}, ""},
		{"html", []string{"--format", "html"}, ""},
		{"status", []string{"--format", "json", "--status"}, "check.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"verify",
				"-f", "../../testdata/demo/formular.txt", "-p", "../../testdata/demo/demo.pub",
				"--media", "../../testdata/demo/kit", "--host-id", "host-1"}, tc.args...)
			file := filepath.Join(t.TempDir(), tc.file)
			if tc.file != "" {
				args = append(args, "-o", file)
			}
			var out, errb bytes.Buffer
			if code := run(context.Background(), args, &cli{stdin: os.Stdin, stdout: &out, stderr: &errb}); code != exitOK {
				t.Fatalf("exit %d; stderr: %s", code, errb.String())
			}
			got := out.Bytes()
			if tc.file != "" {
				var err error
				if got, err = os.ReadFile(file); err != nil {
					t.Fatal(err)
				}
			}
			if !bytes.Contains(got, []byte(want)) {
				t.Errorf("the report does not name the build %s:\n%.600s", want, got)
			}
		})
	}
}

// The digest is taken where a report shows it, and only there.
func TestNamesBuild(t *testing.T) {
	for _, tc := range []struct {
		format  string
		status  bool
		output  string
		pushing bool
		want    bool
	}{
		{"text", false, "", false, false},
		{"cef", false, "", false, false},
		{"text", false, "act.txt", false, false},
		{"text", false, "", true, true}, // the collector gets the JSON
		{"cef", false, "", true, true},
		{"json", false, "", false, true},
		{"ndjson", false, "", false, true},
		{"html", false, "", false, true},
		{"html", false, "", true, true},
		{"json", true, "", false, false}, // --status: no report
		{"json", true, "check.json", false, true},
		{"json", true, "", true, true},
	} {
		o := &verifyOpts{format: tc.format, status: tc.status, output: tc.output}
		if got := o.namesBuild(tc.pushing); got != tc.want {
			t.Errorf("format %s, status %v, -o %q, pushing %v: namesBuild = %v, want %v", tc.format, tc.status, tc.output, tc.pushing, got, tc.want)
		}
	}
}
