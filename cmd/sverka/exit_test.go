package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/spf13/pflag"
)

// exitStatus turns every kind of error a command returns into its exit
// code and what standard error says, once.
func TestExitStatus(t *testing.T) {
	for _, c := range []struct {
		name   string
		err    error
		code   int
		stderr string
	}{
		{"success", nil, exitOK, ""},
		{"help asked", pflag.ErrHelp, exitOK, ""},
		{"does not hold, said by the report", errNotHold, exitFail, ""},
		{"does not hold, wrapped", fmt.Errorf("list x: %w", errNotHold), exitFail, ""},
		{"could not check, said already", errCannotCheck, exitError, ""},
		{"worst of several", exitErr(exitFail), exitFail, ""},
		{"all OK of several", exitErr(exitOK), exitOK, ""},
		{"a mismatch said in a message", failure{errors.New("l.txt: no file was verified")}, exitFail, "sverka: l.txt: no file was verified\n"},
		{"usage error", errors.New("verify needs -f FORMULAR"), exitError, "sverka: verify needs -f FORMULAR\n"},
		{"usage text", usageText("Usage: sverka formular make\n"), exitError, "Usage: sverka formular make\n"},
		{"could not check", fmt.Errorf("formular: %w", errors.New("f.txt: no such file")), exitError, "sverka: formular: f.txt: no such file\n"},
		{"interrupted", errInterrupted, exitError, "sverka: interrupted\n"},
		{"cancelled", context.Canceled, exitError, "sverka: context canceled\n"},
	} {
		var stderr bytes.Buffer
		code := exitStatus(&cli{stderr: &stderr}, c.err)
		if code != c.code || stderr.String() != c.stderr {
			t.Errorf("%s: exit %d, stderr %q; want %d, %q", c.name, code, stderr.String(), c.code, c.stderr)
		}
	}
}

// A command's usage errors and help go through exitStatus: help on
// standard output with 0, an unknown flag named with the command's help.
func TestRunUsage(t *testing.T) {
	for _, c := range []struct {
		args           []string
		code           int
		stdout, stderr string
	}{
		{nil, exitError, "", usage},
		{[]string{"nope"}, exitError, "", "sverka: unknown command \"nope\""},
		{[]string{"hash", "--nope"}, exitError, "", "sverka: hash: unknown flag: --nope (see 'sverka hash --help')\n"},
		{[]string{"keygen", "--help"}, exitOK, "Usage: sverka keygen", ""},
		{[]string{"formular"}, exitError, "", "Usage: sverka formular make"},
		{[]string{"report", "help"}, exitOK, "Usage: sverka report render", ""},
		{[]string{"verify", "-f", "x"}, exitError, "", "sverka: verify needs the signer's public key: -P BASE64 or -p KEY.pub (one of them)\n"},
	} {
		var stdout, stderr bytes.Buffer
		code := run(context.Background(), c.args, &cli{stdout: &stdout, stderr: &stderr})
		if code != c.code || !bytes.HasPrefix(stdout.Bytes(), []byte(c.stdout)) || !bytes.HasPrefix(stderr.Bytes(), []byte(c.stderr)) ||
			(c.stdout == "") != (stdout.Len() == 0) || (c.stderr == "") != (stderr.Len() == 0) {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want %d, %q…, %q…", c.args, code, stdout.String(), stderr.String(), c.code, c.stdout, c.stderr)
		}
	}
}
