package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"aead.dev/minisign"
	"golang.org/x/term"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/regular"
	"github.com/sverka/sverka/sign"
)

const keygenSynopsis = `sverka keygen [-W] -p KEY.pub -s KEY.key

Make a minisign-compatible key pair. The secret key is encrypted with a
password asked on the terminal, or taken from SVERKA_PASSWORD for
automation; -W makes an unencrypted key.`

func cmdKeygen(_ context.Context, c *cli, args []string) int {
	fs := newFlags(c, "keygen", keygenSynopsis)
	noPass := fs.BoolP("without-password", "W", false, "do not encrypt the secret key")
	pubPath := fs.StringP("public", "p", "", "public key file to write")
	secPath := fs.StringP("secret", "s", "", "secret key file to write")
	force := fs.BoolP("force", "f", false, "overwrite existing key files")
	if code, done := parseFlags(c, fs, args); done {
		return code
	}
	if *pubPath == "" || *secPath == "" || fs.NArg() > 0 {
		c.errorf("keygen needs -p KEY.pub and -s KEY.key and nothing else")
		return exitError
	}
	if !*force {
		for _, p := range []string{*pubPath, *secPath} {
			if _, err := os.Lstat(p); err == nil {
				c.errorf("%s exists: not overwritten (use -f)", p)
				return exitError
			}
		}
	}
	password := ""
	if !*noPass {
		var err error
		password, err = askPassword(c, true)
		if err != nil {
			c.errorf("%v", err)
			return exitError
		}
	}
	pub, sec, err := sign.GenerateKey(password, *noPass)
	if err != nil {
		c.errorf("%v", err)
		return exitError
	}
	if err := writeFileAtomic(*secPath, sec, 0o600); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	if err := writeFileAtomic(*pubPath, pub, 0o644); err != nil {
		c.errorf("%v", err)
		return exitError
	}
	pk, _ := sign.ReadPublicKey(pub)
	fmt.Fprintf(c.stdout, "Key %s written: public %s, secret %s\nVerify with: sverka verify -p %s (or -P %s)\n",
		sign.KeyID(pk.ID()), *pubPath, *secPath, *pubPath, pk.String())
	return exitOK
}

const signSynopsis = `sverka sign -s KEY.key FILE...

Sign each FILE, writing FILE.minisig (minisign's format). A formular's
signature carries its identifier, product and version in the trusted
comment. The password comes from SVERKA_PASSWORD or the terminal.`

func cmdSign(_ context.Context, c *cli, args []string) int {
	fs := newFlags(c, "sign", signSynopsis)
	secPath := fs.StringP("secret", "s", "", "secret key file")
	comment := fs.StringP("trusted-comment", "t", "", "trusted comment (default: the formular's id, product and version)")
	if code, done := parseFlags(c, fs, args); done {
		return code
	}
	if *secPath == "" || fs.NArg() == 0 {
		c.errorf("sign needs -s KEY.key and at least one FILE")
		return exitError
	}
	sec, err := sign.ReadKeyFile(*secPath)
	if err != nil {
		c.errorf("secret key: %v", err)
		return exitError
	}
	password := ""
	if minisign.IsEncrypted(sec) {
		if password, err = askPassword(c, false); err != nil {
			c.errorf("%v", err)
			return exitError
		}
	}
	for _, name := range fs.Args() {
		data, err := regular.ReadFile(name, formular.MaxSize, "a file to sign")
		if err != nil {
			c.errorf("%s", fileErr(name, err))
			return exitError
		}
		tc := *comment
		if tc == "" {
			tc = defaultComment(name, data)
		}
		sig, err := sign.SignFile(sec, password, data, tc)
		if err != nil {
			c.errorf("%s: %v", name, err)
			return exitError
		}
		if err := writeFileAtomic(name+sign.SignatureSuffix, sig, 0o644); err != nil {
			c.errorf("%v", err)
			return exitError
		}
		fmt.Fprintf(c.stdout, "%s%s written\n", name, sign.SignatureSuffix)
	}
	return exitOK
}

// defaultComment is a formular's id, product and version when the file is
// a formular, else its name, as minisign does.
func defaultComment(name string, data []byte) string {
	if f, err := formular.Parse(data, name); err == nil {
		return formular.TrustedComment(f)
	}
	return "file:" + filepath.Base(name)
}

// askPassword takes the password from SVERKA_PASSWORD, else asks on the
// terminal (twice for a new key). Without a terminal it fails rather than
// hang.
func askPassword(c *cli, confirm bool) (string, error) {
	if p, ok := os.LookupEnv("SVERKA_PASSWORD"); ok {
		return p, nil
	}
	f, ok := c.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errors.New("no terminal to ask the password on: set SVERKA_PASSWORD, or use -W for an unencrypted key")
	}
	fmt.Fprint(c.stderr, "Password: ")
	p, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(c.stderr)
	if err != nil {
		return "", fmt.Errorf("reading the password: %w", err)
	}
	if confirm {
		fmt.Fprint(c.stderr, "Password (again): ")
		again, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(c.stderr)
		if err != nil {
			return "", fmt.Errorf("reading the password: %w", err)
		}
		if !bytes.Equal(p, again) {
			return "", errors.New("the passwords differ")
		}
	}
	return string(p), nil
}
