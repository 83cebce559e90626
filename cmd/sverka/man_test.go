package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// TestManPages writes the manual pages and renders each with groff, every
// warning on: none may warn, and each shows its command's flags and
// examples as help does.
func TestManPages(t *testing.T) {
	dir := t.TempDir()
	var errs bytes.Buffer
	if err := writeManPages(&cli{stdout: &bytes.Buffer{}, stderr: &errs}, dir); err != nil {
		t.Fatal(err)
	}
	specs := commands()
	if _, err := os.Stat(filepath.Join(dir, "sverka.1")); err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("groff"); err != nil {
		t.Skip("groff is not installed")
	}
	top := renderMan(t, filepath.Join(dir, "sverka.1"))
	for _, s := range specs {
		name := manPageName(s.name)
		if !strings.Contains(top, name+"(1)") {
			t.Errorf("sverka(1) does not refer to %s(1)", name)
		}
		text := renderMan(t, filepath.Join(dir, name+".1"))
		fs := pflag.NewFlagSet(s.name, pflag.ContinueOnError)
		if s.flags != nil {
			s.flags(fs)
		}
		fs.VisitAll(func(f *pflag.Flag) {
			if strings.Contains(text, "--"+f.Name) == f.Hidden {
				t.Errorf("%s(1): flag --%s shown: %v, hidden: %v", name, f.Name, !f.Hidden, f.Hidden)
			}
		})
		for _, ex := range strings.Split(strings.TrimSpace(s.examples), "\n") {
			if !strings.Contains(text, strings.TrimSpace(ex)) {
				t.Errorf("%s(1) lacks the example %q", name, ex)
			}
		}
	}
}

// renderMan formats a page as man shows it and fails on any warning.
func renderMan(t *testing.T, path string) string {
	t.Helper()
	cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-P-c", "-P-b", "-P-u", "-rLL=200n", path)
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("groff %s: %v\n%s", path, err, errs.String())
	}
	if errs.Len() > 0 {
		t.Errorf("groff warns of %s:\n%s", filepath.Base(path), errs.String())
	}
	return strings.ReplaceAll(out.String(), "\u2010", "-")
}
