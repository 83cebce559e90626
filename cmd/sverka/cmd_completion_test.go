package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestBashCompletion sources the bash script in bash and asks it what it
// completes, as bash does on a Tab.
func TestBashCompletion(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	var script bytes.Buffer
	if err := runCompletion(&cli{stdout: &script}, []string{"bash"}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "sverka.bash")
	if err := os.WriteFile(path, script.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"kit.iso", "kit.txt", "other"} {
		if err := os.WriteFile(filepath.Join(dir, f), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// complete runs the completion function on the words of a command
	// line, the last one being completed.
	complete := func(words ...string) []string {
		t.Helper()
		prog := `source "$1"; shift
complete -p sverka >/dev/null || exit 3
COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
_sverka
printf '%s\n' "${COMPREPLY[@]}"`
		cmd := exec.Command(bash, append([]string{"--norc", "--noprofile", "-c", prog, "bash", path}, words...)...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%q: %v\n%s", words, err, out)
		}
		got := strings.Fields(string(out))
		slices.Sort(got)
		return got
	}
	for _, tt := range []struct {
		words []string
		want  []string
	}{
		{[]string{"sverka", "ver"}, []string{"verify", "version"}},
		{[]string{"sverka", "f"}, []string{"fleet", "formular"}},
		{[]string{"sverka", "fleet", "re"}, []string{"report"}},
		{[]string{"sverka", "fleet", "report", "--format", ""}, []string{"html", "json"}},
		{[]string{"sverka", "fleet", "serve", "--li"}, []string{"--listen"}},
		{[]string{"sverka", "formular", ""}, []string{"import", "make"}},
		{[]string{"sverka", "report", "r"}, []string{"render"}},
		{[]string{"sverka", "help", "rep"}, []string{"report"}},
		{[]string{"sverka", "verify", "--med"}, []string{"--media"}},
		{[]string{"sverka", "verify", "--st"}, []string{"--status"}},
		{[]string{"sverka", "formular", "make", "--mo"}, []string{"--mode", "--modules"}},
		{[]string{"sverka", "verify", "--format", ""}, []string{"cef", "html", "json", "ndjson", "text"}},
		{[]string{"sverka", "verify", "--lang", "r"}, []string{"ru"}},
		{[]string{"sverka", "verify", "--media", "kit"}, []string{"kit.iso", "kit.txt"}},
		{[]string{"sverka", "verify", "-f", "o"}, []string{"other"}},
		{[]string{"sverka", "hash", "-r", "k"}, []string{"kit.iso", "kit.txt"}},
		{[]string{"sverka", "completion", "p"}, []string{"powershell"}},
		{[]string{"sverka", "hash", "--fr"}, []string{"--from"}},
		{[]string{"sverka", "hash", "--from", "gost"}, []string{"gost12sum", "gostsum"}},
	} {
		if got := complete(tt.words...); !slices.Equal(got, tt.want) {
			t.Errorf("%q completes to %q, want %q", tt.words, got, tt.want)
		}
	}
}

// Every shell's script names every command and every flag.
func TestCompletionScriptsComplete(t *testing.T) {
	for _, sh := range shellNames() {
		var out bytes.Buffer
		if err := runCompletion(&cli{stdout: &out}, []string{sh}); err != nil {
			t.Fatal(err)
		}
		for _, w := range completionWords(commands()) {
			for _, f := range w.flags {
				name := strings.TrimLeft(f, "-")
				if !strings.Contains(out.String(), name) {
					t.Errorf("%s: the script does not name %s of %s", sh, f, w.name)
				}
			}
			last := w.name[strings.LastIndex(w.name, " ")+1:]
			if !strings.Contains(out.String(), last) {
				t.Errorf("%s: the script does not name %s", sh, w.name)
			}
		}
	}
}
