package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/sverka/sverka/internal/atomicfile"
	"github.com/sverka/sverka/sign"
)

const keygenSynopsis = `sverka keygen [-W] -p KEY.pub -s KEY.key

Make a minisign-compatible key pair. The secret key is encrypted with a
password asked on the terminal, or taken from SVERKA_PASSWORD for
automation; -W makes an unencrypted key.`

const keygenExamples = `  sverka keygen -p vendor.pub -s vendor.key          # asks for a password
  sverka keygen -W -p test.pub -s test.key           # no password: for tests only`

type keygenOpts struct {
	noPass  bool
	pubPath string
	secPath string
	force   bool
}

func (o *keygenOpts) flags(fs *pflag.FlagSet) {
	fs.BoolVarP(&o.noPass, "without-password", "W", false, "do not encrypt the secret key")
	fs.StringVarP(&o.pubPath, "public", "p", "", "public key file to write")
	fs.StringVarP(&o.secPath, "secret", "s", "", "secret key file to write")
	fs.BoolVarP(&o.force, "force", "f", false, "overwrite existing key files")
}

// runKeygen writes a new key pair, the secret key first.
func runKeygen(_ context.Context, c *cli, o *keygenOpts, args []string) error {
	if o.pubPath == "" || o.secPath == "" || len(args) > 0 {
		return errors.New("keygen needs -p KEY.pub and -s KEY.key and nothing else")
	}
	if !o.force {
		for _, p := range []string{o.pubPath, o.secPath} {
			if _, err := os.Lstat(p); err == nil {
				return fmt.Errorf("%s exists: not overwritten (use -f)", p)
			}
		}
	}
	password := ""
	if !o.noPass {
		var err error
		if password, err = askPassword(c, true); err != nil {
			return err
		}
	}
	pub, sec, err := sign.GenerateKey(password, o.noPass)
	if err != nil {
		return err
	}
	if err := atomicfile.WriteFile(o.secPath, sec, 0o600); err != nil {
		return err
	}
	if err := atomicfile.WriteFile(o.pubPath, pub, 0o644); err != nil {
		return err
	}
	pk, _ := sign.ReadPublicKey(pub)
	fmt.Fprintf(c.stdout, "Key %s written: public %s, secret %s\nVerify with: sverka verify -p %s (or -P %s)\n",
		sign.KeyID(pk.ID()), o.pubPath, o.secPath, o.pubPath, pk.String())
	return nil
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
