package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/atomicfile"
	"github.com/sverka/sverka/internal/regular"
	"github.com/sverka/sverka/sign"
)

const formularSynopsis = `sverka formular make [-a ALG[,ALG]] [--media ISO|DIR] [--modules DIR --root-var NAME] [--set KEY=VALUE]... -o FILE
       sverka formular import --from FORMAT [--table media|modules] [--gost-reverse] [--set KEY=VALUE]... LIST... -o FILE

make hashes a reference kit (a directory or an ISO image) and a reference
installation into a formular; import turns checksum lists and document
tables into one. Neither signs: review the result, then 'sverka sign'.

Run 'sverka help formular make' or 'sverka help formular import' for the
flags and examples of each.`

// header collects --set KEY=VALUE into a new formular.
func header(sets []string) (*formular.Formular, error) {
	f := &formular.Formular{Version: formular.FormatVersion}
	for _, s := range sets {
		k, v, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(k) == "" {
			return nil, fmt.Errorf("--set %q: expected KEY=VALUE", s)
		}
		f.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	return f, nil
}

// rootFlags are the flags that place a modules table.
type rootFlags struct {
	rootVar string
	def     string
	os      string
}

func (r *rootFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&r.rootVar, "root-var", "", "modules table root: a variable NAME (written ${NAME}), %NAME% for Windows, or an absolute path")
	fs.StringVar(&r.def, "default", "", "the root's default path on the target system")
	fs.StringVar(&r.os, "os", "", "target system of the modules table: linux or windows")
}

// apply places a modules table: its root, default and system.
func (r *rootFlags) apply(t *formular.Table, fallback string) error {
	root := r.rootVar
	if root == "" {
		root = fallback
	}
	switch {
	case root == "":
		return fmt.Errorf("a modules table needs --root-var NAME")
	case strings.HasPrefix(root, "/") || strings.HasPrefix(root, "%") || strings.HasPrefix(root, "${"):
		t.Root = root
	default:
		t.Root = "${" + root + "}"
	}
	if r.os != "" {
		if r.os != formular.OSLinux && r.os != formular.OSWindows {
			return fmt.Errorf("--os must be linux or windows, not %q", r.os)
		}
		t.OS = r.os
	} else if strings.HasPrefix(t.Root, "%") {
		t.OS = formular.OSWindows
	}
	if r.def != "" {
		t.Defaults = map[string]string{"": r.def}
	}
	return nil
}

// readTables reads a file of tables in the formular's syntax. It was
// typed by hand, often on Windows: its line ends, byte order mark and tabs
// are normalised first, saying what was changed, so that the user reviews
// it; the formular written is strict.
func readTables(c *cli, path string) ([]*formular.Table, error) {
	data, err := regular.ReadFile(path, formular.MaxSize, "a formular")
	if err != nil {
		return nil, err
	}
	data, changes, err := formular.NormalizeTables(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(changes) > 0 {
		c.warnf("%s: normalised: %s", path, strings.Join(changes, "; "))
	}
	return formular.ParseTables(data, path)
}

// warnHeader warns of the header fields a formular should have: without
// them a report cannot say what was checked, nor whether the certificate
// is still in force.
func warnHeader(c *cli, f *formular.Formular) {
	for _, k := range []struct{ key, value, why string }{
		{formular.KeyProduct, "NAME", "reports will not name the product"},
		{formular.KeyVersion, "VERSION", "reports will not name the version"},
		{formular.KeyValidUntil, "YYYY-MM-DD", "verify cannot tell whether the certificate is in force"},
	} {
		if f.Get(k.key) == "" {
			c.warnf("no %s: %s; give --set %s=%s", k.key, k.why, k.key, k.value)
		}
	}
}

// openOutput makes -o FILE ready to be written; nil stands for standard
// output ("-").
//
// A formular with a signature beside it is not overwritten unless force:
// the signature would then no longer match, and the signed formular
// someone reviewed would be lost.
func openOutput(path string, force bool) (*atomicfile.File, error) {
	if path == "-" {
		return nil, nil
	}
	if _, err := os.Stat(path); err == nil && !force {
		sig := path + sign.SignatureSuffix
		if _, err := os.Stat(sig); err == nil {
			return nil, fmt.Errorf("-o %s: it is signed (%s beside it): overwriting it would leave a signature that no longer matches; give -f to overwrite it, then sign it again", path, sig)
		}
	}
	out, err := atomicfile.Create(path, 0o644)
	if err != nil {
		return nil, fmt.Errorf("-o: %w", err)
	}
	return out, nil
}

// writeFormular writes f to dest, or to standard output when dest is
// nil, and says what was written and what to do next.
func writeFormular(c *cli, f *formular.Formular, out string, dest *atomicfile.File) error {
	if dest == nil {
		// What is written must read back: never hand the user a formular
		// the verifier would reject. Marshal reads it back whole.
		data, err := formular.Marshal(f)
		if err != nil {
			return err
		}
		c.stdout.Write(data)
		return nil
	}
	if err := writeFormularTo(f, out, dest); err != nil {
		return err
	}
	if err := dest.Commit(); err != nil {
		return err
	}
	n := 0
	for _, t := range f.Tables {
		n += len(t.Entries) + len(t.Params)
	}
	fmt.Fprintf(c.stderr, "sverka: %s written: %d %s, %d %s; review it, then sign it: sverka sign -s KEY.key %s\n",
		out, len(f.Tables), plural(len(f.Tables), "table", "tables"), n, plural(n, "row", "rows"), out)
	return nil
}

// writeFormularTo writes f to dest: streamed into a file, each part read
// back as it is written, so that a million rows are not held twice over
// (a file that fails half-way is never committed); whole into a pipe or a
// terminal, which cannot take back half a formular.
func writeFormularTo(f *formular.Formular, out string, dest *atomicfile.File) error {
	if dest.Direct() {
		data, err := formular.Marshal(f)
		if err != nil {
			return err
		}
		if _, err := dest.Write(data); err != nil {
			return fmt.Errorf("writing %s: %w", out, err)
		}
		return nil
	}
	if err := formular.Write(dest, f); err != nil {
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			return fmt.Errorf("writing %s: %w", out, err)
		}
		return err
	}
	return nil
}
