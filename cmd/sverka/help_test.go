package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
)

// Every command's help ends with two or three examples, and those that
// read only the demo kit run as written, from the repository's root.
func TestHelpExamples(t *testing.T) {
	t.Chdir("../..")
	for _, s := range commands() {
		var help bytes.Buffer
		writeHelp(&help, s)
		_, ex, ok := strings.Cut(help.String(), "\nExamples:\n")
		if !ok {
			t.Errorf("%s: help has no examples", s.name)
			continue
		}
		lines := strings.Split(strings.TrimRight(ex, "\n"), "\n")
		if len(lines) < 2 || len(lines) > 3 {
			t.Errorf("%s: %d examples, want 2 or 3", s.name, len(lines))
		}
		for _, l := range lines {
			if !strings.HasPrefix(l, "  sverka ") {
				t.Errorf("%s: example %q is not a sverka command line", s.name, l)
				continue
			}
			cmd, _, _ := strings.Cut(l, "#")
			args := strings.Fields(cmd)[1:]
			if !strings.Contains(cmd, "testdata/demo") || slices.ContainsFunc(args, func(a string) bool { return a == ">" || a == "-o" }) {
				continue // it writes, or needs what the reader has
			}
			var out, errs bytes.Buffer
			if code := run(context.Background(), args, &cli{stdin: strings.NewReader(""), stdout: &out, stderr: &errs}); code != exitOK {
				t.Errorf("%s: exit %d, stderr %q", strings.TrimSpace(l), code, errs.String())
			}
		}
	}
}

func TestHelpNoNoise(t *testing.T) {
	for _, s := range commands() {
		var help bytes.Buffer
		writeHelp(&help, s)
		for _, noise := range []string{"[=true|false]", " string ", " stringArray ", " strings ", " int "} {
			if strings.Contains(help.String(), noise) {
				t.Errorf("%s: help says %q:\n%s", s.name, noise, help.String())
			}
		}
	}
}

func TestWrap(t *testing.T) {
	for _, tt := range []struct {
		s     string
		width int
		want  []string
	}{
		{"", 30, []string{""}},
		{"one", 30, []string{"one"}},
		{"a b c", 3, []string{"a b c"}}, // never narrower than 20
		{"the formular file to write ('-': standard output)", 20, []string{"the formular file to", "write ('-': standard", "output)"}},
		{"averyveryveryverylongwordindeed x", 20, []string{"averyveryveryverylongwordindeed", "x"}},
	} {
		if got := wrap(tt.s, tt.width); !slices.Equal(got, tt.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tt.s, tt.width, got, tt.want)
		}
	}
}
