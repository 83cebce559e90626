package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestHashCheckAsCoreutils runs sha256sum -c and sverka hash -c on the
// same lists, with each of the options they share, and requires the same
// exit code, the same standard output byte for byte and the same standard
// error line for line (the program's name aside). sverka's one addition is
// the reason of each malformed line, "LIST line N: REASON", said always;
// sha256sum says "LIST: N: improperly formatted SHA256 checksum line" with
// -w only: those lines are matched by their numbers.
func TestHashCheckAsCoreutils(t *testing.T) {
	sha, err := exec.LookPath("sha256sum")
	if err != nil {
		t.Skip("sha256sum is not installed")
	}
	t.Chdir(t.TempDir())
	files := map[string]string{
		"a.txt":            "a\n",
		`back\slash.txt`:   "b\n",
		"new\nline.txt":    "n\n",
		"cr\rname.txt":     "r\n",
		`both\x` + "\n\ry": "q\n",
		" lead space.txt":  "s\n",
		"trail space.txt ": "t\n",
		"*star.txt":        "*\n",
		"файл.txt":         "ф\n",
		"changed.txt":      "before\n",
	}
	digest := map[string]string{}
	for name, content := range files {
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(sha, "--", name).Output()
		if err != nil {
			t.Fatal(err)
		}
		digest[name] = string(out)
	}
	if err := os.WriteFile("changed.txt", []byte("after\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir("dir", 0o755); err != nil {
		t.Fatal(err)
	}
	zero := strings.Repeat("0", 64)
	var ok strings.Builder
	for _, n := range []string{"a.txt", `back\slash.txt`, "new\nline.txt", "cr\rname.txt", `both\x` + "\n\ry",
		" lead space.txt", "trail space.txt ", "*star.txt", "файл.txt"} {
		ok.WriteString(digest[n])
	}
	lists := map[string]string{
		"ok.sums": ok.String(),
		"mixed.sums": ok.String() + digest["changed.txt"] + zero + "  missing.txt\n" + "not a checksum line\n" +
			zero + "  miss ing.txt\n" + "5891b5b5  short.txt\n" + zero + `  miss\ing.txt` + "\n" + zero + "  dir\n" +
			"# a comment\n\n" + zero[:63] + "  odd.txt\n" + digest["a.txt"],
		"changed.sums": digest["a.txt"] + digest["changed.txt"],
		"missing.sums": zero + "  missing.txt\n" + zero + "  gone.txt\n",
		"junk.sums":    "nothing here\nnor here\n",
		"empty.sums":   "",
	}
	for name, content := range lists {
		if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	runs := [][]string{
		{"ok.sums"}, {"mixed.sums"}, {"changed.sums"}, {"missing.sums"}, {"junk.sums"}, {"empty.sums"},
		{"nolist.sums"}, {"nolist.sums", "ok.sums"}, {"junk.sums", "changed.sums"},
	}
	optSets := [][]string{nil, {"--quiet"}, {"--status"}, {"--ignore-missing"}, {"--strict"}, {"-w"},
		{"--quiet", "--ignore-missing"}, {"--strict", "-w"}, {"--status", "--ignore-missing"}}
	for _, lists := range runs {
		for _, opts := range optSets {
			args := append(append([]string{"-c"}, opts...), lists...)
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				cmd := exec.Command(sha, args...)
				cmd.Args[0] = "sha256sum" // its messages start with argv[0]
				var wantOut, wantErr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &wantOut, &wantErr
				wantCode := 0
				if err := cmd.Run(); err != nil {
					var ee *exec.ExitError
					if !errors.As(err, &ee) {
						t.Fatal(err)
					}
					wantCode = ee.ExitCode()
				}
				var gotOut, gotErr bytes.Buffer
				gotCode := run(context.Background(), append([]string{"hash"}, args...), &cli{stdin: strings.NewReader(""), stdout: &gotOut, stderr: &gotErr})
				if gotCode != wantCode {
					t.Errorf("exit %d, sha256sum %d\nstderr:\n%s", gotCode, wantCode, gotErr.String())
				}
				if !bytes.Equal(gotOut.Bytes(), wantOut.Bytes()) {
					t.Errorf("stdout:\n%q\nsha256sum:\n%q", gotOut.String(), wantOut.String())
				}
				w := slicesOf(wantErr.String(), "sha256sum: ")
				g := slicesOf(gotErr.String(), "sverka: ")
				var gotBad, wantBad []string
				w, wantBad = without(w, regexp.MustCompile(`^(\S+): (\d+): improperly formatted SHA256 checksum line$`))
				g, gotBad = without(g, regexp.MustCompile(`^(\S+) line (\d+): `))
				if strings.Join(g, "\n") != strings.Join(w, "\n") {
					t.Errorf("stderr:\n%s\nsha256sum:\n%s", strings.Join(g, "\n"), strings.Join(w, "\n"))
				}
				if len(wantBad) > 0 && strings.Join(gotBad, " ") != strings.Join(wantBad, " ") {
					t.Errorf("malformed lines %v, sha256sum -w %v", gotBad, wantBad)
				}
			})
		}
	}
}

// slicesOf splits a stream into lines, the program's name made one.
func slicesOf(s, prog string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		if l != "" {
			out = append(out, "PROG: "+strings.TrimPrefix(l, prog))
		}
	}
	return out
}

// without drops the lines re matches (after "PROG: ") and returns them as
// "LIST:N".
func without(lines []string, re *regexp.Regexp) (kept, dropped []string) {
	for _, l := range lines {
		if m := re.FindStringSubmatch(strings.TrimPrefix(l, "PROG: ")); m != nil {
			dropped = append(dropped, fmt.Sprintf("%s:%s", m[1], m[2]))
			continue
		}
		kept = append(kept, l)
	}
	return kept, dropped
}
