package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"

	"aead.dev/minisign"
	"github.com/spf13/pflag"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/atomicfile"
	"github.com/sverka/sverka/internal/regular"
	"github.com/sverka/sverka/sign"
)

const signSynopsis = `sverka sign -s KEY.key FILE...

Sign each FILE, writing FILE.minisig (minisign's format). A formular's
signature carries its identifier, product and version in the trusted
comment. The password comes from SVERKA_PASSWORD or the terminal.`

const signExamples = `  sverka sign -s vendor.key formular.txt             # writes formular.txt.minisig
  sverka sign -s auditor.key check.json`

type signOpts struct {
	secPath string
	comment string
}

func (o *signOpts) flags(fs *pflag.FlagSet) {
	fs.StringVarP(&o.secPath, "secret", "s", "", "secret key file")
	fs.StringVarP(&o.comment, "trusted-comment", "t", "", "trusted comment (default: the formular's id, product and version)")
}

// runSign signs each file in turn and stops at the first that fails.
func runSign(_ context.Context, c *cli, o *signOpts, files []string) error {
	if o.secPath == "" || len(files) == 0 {
		return errors.New("sign needs -s KEY.key and at least one FILE")
	}
	sec, err := sign.ReadKeyFile(o.secPath)
	if err != nil {
		return fmt.Errorf("secret key: %w", err)
	}
	// A mistake in the key file is the key file's, said before a password
	// is asked and before any file is read: not the first file's.
	if err := sign.CheckSecretKey(sec); err != nil {
		return fmt.Errorf("%s: %w", display(o.secPath), err)
	}
	password := ""
	if minisign.IsEncrypted(sec) {
		if password, err = askPassword(c, false); err != nil {
			return err
		}
	}
	key, err := sign.UnlockSecretKey(sec, password)
	if err != nil {
		return fmt.Errorf("%s: %w", display(o.secPath), err)
	}
	for _, name := range files {
		data, err := regular.ReadFile(name, formular.MaxSize, "a file to sign")
		if err != nil {
			return errors.New(fileErr(name, err))
		}
		tc := o.comment
		if tc == "" {
			tc = defaultComment(name, data)
		}
		sig, err := sign.SignWith(key, data, tc)
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		if err := atomicfile.WriteFile(name+sign.SignatureSuffix, sig, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(c.stdout, "%s%s written\n", name, sign.SignatureSuffix)
	}
	return nil
}

// defaultComment is a formular's id, product and version when the file is
// a formular, else its name, as minisign does.
func defaultComment(name string, data []byte) string {
	if f, err := formular.Parse(data, name); err == nil {
		return formular.TrustedComment(f)
	}
	return "file:" + filepath.Base(name)
}
