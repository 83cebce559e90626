package manpage

import (
	"bytes"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// render formats a page with groff's man macros for a UTF-8 terminal,
// with every warning on, and gives the text (without overstriking) and
// what groff said on standard error.
func render(t testing.TB, page []byte) (text, warnings string) {
	t.Helper()
	cmd := exec.Command("groff", "-man", "-Tutf8", "-ww", "-P-c", "-P-b", "-P-u")
	cmd.Stdin = bytes.NewReader(page)
	var out, errs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errs
	if err := cmd.Run(); err != nil {
		t.Fatalf("groff: %v\n%s", err, errs.String())
	}
	// groff may hyphenate at a line's end and set hyphens as U+2010.
	text = strings.ReplaceAll(out.String(), "\u2010", "-")
	text = regexp.MustCompile(`[ \t]+\n`).ReplaceAllString(text, "\n")
	return text, errs.String()
}
