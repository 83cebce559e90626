package main

import (
	"bytes"
	"context"
	"os"
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
	for _, format := range []string{"json", "ndjson", "html"} {
		t.Run(format, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), []string{"verify",
				"-f", "../../testdata/demo/formular.txt", "-p", "../../testdata/demo/demo.pub",
				"--media", "../../testdata/demo/kit", "--host-id", "host-1", "--format", format},
				&cli{stdin: os.Stdin, stdout: &out, stderr: &errb})
			if code != exitOK {
				t.Fatalf("exit %d; stderr: %s", code, errb.String())
			}
			if !bytes.Contains(out.Bytes(), []byte(want)) {
				t.Errorf("the %s report does not name the build %s:\n%.600s", format, want, out.String())
			}
		})
	}
}

// The digest is taken where a report shows it, and only there.
func TestNamesBuild(t *testing.T) {
	for _, tc := range []struct {
		format  string
		pushing bool
		want    bool
	}{
		{"text", false, false},
		{"cef", false, false},
		{"text", true, true}, // the collector gets the JSON
		{"cef", true, true},
		{"json", false, true},
		{"ndjson", false, true},
		{"html", false, true},
		{"html", true, true},
	} {
		o := &verifyOpts{format: tc.format}
		if got := o.namesBuild(tc.pushing); got != tc.want {
			t.Errorf("format %s, pushing %v: namesBuild = %v, want %v", tc.format, tc.pushing, got, tc.want)
		}
	}
}
