package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/sign"
	"github.com/sverka/sverka/verify"
)

// Where the product lives on every host, as its reports say.
const (
	installDir   = "/opt/product"
	confDir      = "/etc/product"
	formularPath = "/etc/sverka/product.formular"
	settingsName = "product.ini"
)

// file is one listed file of the product.
type file struct {
	path    string
	content []byte
}

// param is one parameter: its INI section and key, its constraint, the
// value an intact host has and one its changes set.
type param struct {
	section, key string
	constraint   string
	good         string
	bad          func(variant uint64) string
}

// product is the certified product: its files, parameters and formular.
type product struct {
	files    []file
	params   []param
	extras   []string // names a file can be added under
	formular []byte
	signed   *verify.Signed
}

var fileDirs = []struct{ dir, name string }{
	{"bin", "tool-%04d"},
	{"lib", "libmod-%04d.so"},
	{"lib/plugins", "plugin-%04d.so"},
	{"share/product/data", "data-%04d.dat"},
	{"share/locale/ru/LC_MESSAGES", "product-%04d.mo"},
}

var sections = []string{"Scan", "Update", "Log", "Network", "Admin"}

// newProduct makes a product of files listed files and params parameters,
// from seed.
func newProduct(seed uint64, files, params int) (*product, error) {
	r := rand.New(rand.NewPCG(seed, 1<<63))
	p := &product{}
	for i := range files {
		d := fileDirs[i%len(fileDirs)]
		content := make([]byte, 512+r.IntN(8192))
		for j := 0; j < len(content); j += 8 {
			v := r.Uint64()
			for k := 0; k < 8 && j+k < len(content); k++ {
				content[j+k] = byte(v >> (8 * k))
			}
		}
		p.files = append(p.files, file{path: d.dir + "/" + fmt.Sprintf(d.name, i), content: content})
	}
	for i := range params {
		sec := sections[i%len(sections)]
		key := fmt.Sprintf("Option%04d", i)
		var pr param
		switch i % 4 {
		case 0:
			pr = param{constraint: "= yes", good: "yes", bad: func(uint64) string { return "no" }}
		case 1:
			n := 1 + r.IntN(8)
			pr = param{constraint: fmt.Sprintf("range 1..%d", n+8), good: fmt.Sprint(n),
				bad: func(v uint64) string { return fmt.Sprint(100 + v) }}
		case 2:
			pr = param{constraint: "in {KLServers, SCServer}", good: "SCServer",
				bad: func(v uint64) string { return fmt.Sprintf("mirror%d.example.org", v) }}
		default:
			pr = param{constraint: "!= off", good: "on", bad: func(uint64) string { return "off" }}
		}
		pr.section, pr.key = sec, key
		p.params = append(p.params, pr)
	}
	p.extras = []string{"bin/.update-helper", "lib/libhook.so", "lib/plugins/remote-shell.so", "share/product/data/patch.dat", "bin/netcat"}
	p.formular = p.formularText()
	sum := sha256.Sum256(p.formular)
	f, err := formular.ParseText(string(p.formular), formularPath)
	if err != nil {
		return nil, fmt.Errorf("the formular made for the fleet: %w", err)
	}
	p.signed = &verify.Signed{
		Path:      formularPath,
		SHA256:    hex.EncodeToString(sum[:]),
		Signature: &sign.Detached{KeyID: "5A1B2C3D4E5F6071", TrustedComment: "timestamp:1764547200 file:product.formular"},
		Formular:  f,
	}
	return p, nil
}

func (p *product) formularText() []byte {
	var b bytes.Buffer
	b.WriteString("sverka-formular 1\nproduct: Product\nversion: 12.1.0.1297\nformular-id: bench-fleet-1\n")
	b.WriteString("certificate: 4068\ncertificate-issuer: ФСТЭК России\nprotection-class: 4Б\n")
	b.WriteString("valid-until: 2099-12-31\nsupport-until: 2099-12-31\n\n")
	fmt.Fprintf(&b, "[modules root=${INSTALLDIR} default=%s os=linux closed sha256]\n", installDir)
	rows := slices.Clone(p.files)
	slices.SortFunc(rows, func(a, b file) int { return strings.Compare(a.path, b.path) })
	for _, f := range rows {
		sum := sha256.Sum256(f.content)
		fmt.Fprintf(&b, "%x %d %s\n", sum, len(f.content), f.path)
	}
	if len(p.params) > 0 {
		fmt.Fprintf(&b, "\n[parameters source=${CONFDIR}/%s format=ini]\n", settingsName)
		for _, pr := range p.params {
			fmt.Fprintf(&b, "%s.%s %s\n", pr.section, pr.key, pr.constraint)
		}
	}
	return b.Bytes()
}

// settings writes the INI file with the parameters of state s.
func (p *product) settings(s state) []byte {
	values := make([]string, len(p.params))
	for i, pr := range p.params {
		values[i] = pr.good
	}
	for _, c := range s {
		if c.kind == changeViolate {
			values[c.index] = p.params[c.index].bad(c.variant)
		}
	}
	var b bytes.Buffer
	for _, sec := range sections {
		header := false
		for i, pr := range p.params {
			if pr.section != sec {
				continue
			}
			if !header {
				fmt.Fprintf(&b, "[%s]\n", sec)
				header = true
			}
			fmt.Fprintf(&b, "%s = %s\n", pr.key, values[i])
		}
	}
	return b.Bytes()
}

// changed is listed file i's content after change c.
func changed(content []byte, c change) []byte {
	out := slices.Clone(content)
	if c.variant == 0 {
		// The update: a newer build, the same on every host.
		return append(out, []byte("\x00build 1298\n")...)
	}
	// A host's own change: a patched byte.
	out[int(c.variant)%len(out)] ^= 0x5a
	return out
}

// bench is the product installed in a temporary directory, checked by
// verify.Check in each state a host is in.
type bench struct {
	p    *product
	root string // the temporary directory; its name is cut from the results
}

func install(p *product, root string) (*bench, error) {
	b := &bench{p: p, root: root}
	for _, f := range p.files {
		if err := writeFile(filepath.Join(b.install(), f.path), f.content); err != nil {
			return nil, err
		}
	}
	if err := writeFile(filepath.Join(b.conf(), settingsName), p.settings(nil)); err != nil {
		return nil, err
	}
	return b, nil
}

func (b *bench) install() string { return filepath.Join(b.root, installDir) }
func (b *bench) conf() string    { return filepath.Join(b.root, confDir) }

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// check puts the installation in state s, checks it, and puts it back.
func (b *bench) check(ctx context.Context, s state) (*verify.Result, error) {
	restore, err := b.apply(s)
	if err != nil {
		return nil, err
	}
	res, cerr := verify.Check(ctx, b.p.signed.Formular, verify.Sources{
		Vars: map[string]string{"INSTALLDIR": b.install(), "CONFDIR": b.conf()},
		At:   time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	if err := restore(); err != nil {
		return nil, fmt.Errorf("restoring the installation after state %s: %w", s.key(), err)
	}
	if cerr != nil {
		return nil, fmt.Errorf("checking state %s: %w", s.key(), cerr)
	}
	b.cut(res)
	return res, nil
}

// apply makes the changes of s on the disk and returns what undoes them.
func (b *bench) apply(s state) (func() error, error) {
	var undo []func() error
	restore := func() error {
		var errs []error
		for _, u := range slices.Backward(undo) {
			errs = append(errs, u())
		}
		return errors.Join(errs...)
	}
	for _, c := range s {
		switch c.kind {
		case changeModify, changeRemove:
			f := b.p.files[c.index]
			path := filepath.Join(b.install(), f.path)
			var err error
			if c.kind == changeModify {
				err = os.WriteFile(path, changed(f.content, c), 0o644)
			} else {
				err = os.Remove(path)
			}
			undo = append(undo, func() error { return os.WriteFile(path, f.content, 0o644) })
			if err != nil {
				return nil, errors.Join(err, restore())
			}
		case changeAdd:
			path := filepath.Join(b.install(), b.p.extras[c.index])
			undo = append(undo, func() error { return os.Remove(path) })
			if err := os.WriteFile(path, fmt.Appendf(nil, "added %d\n", c.variant), 0o755); err != nil {
				return nil, errors.Join(err, restore())
			}
		}
	}
	if slices.ContainsFunc(s, func(c change) bool { return c.kind == changeViolate }) {
		path := filepath.Join(b.conf(), settingsName)
		undo = append(undo, func() error { return os.WriteFile(path, b.p.settings(nil), 0o644) })
		if err := os.WriteFile(path, b.p.settings(s), 0o644); err != nil {
			return nil, errors.Join(err, restore())
		}
	}
	return restore, nil
}

// cut takes the temporary directory out of every path the result names,
// so that the reports name the product where it lives on a host.
func (b *bench) cut(res *verify.Result) {
	c := func(s string) string { return strings.ReplaceAll(s, b.root, "") }
	cm := func(m map[string]string) {
		for k, v := range m {
			m[k] = c(v)
		}
	}
	msgs := func(ms []verify.Message) {
		for i := range ms {
			ms[i].Text = c(ms[i].Text)
			cm(ms[i].Args)
		}
	}
	msgs(res.Reasons)
	msgs(res.Warnings)
	msgs(res.Scope.NotChecked)
	msgs(res.Scope.Uncovered)
	for ti := range res.Tables {
		t := &res.Tables[ti]
		t.Root, t.Source = c(t.Root), c(t.Source)
		for ii := range t.Items {
			it := &t.Items[ii]
			it.Detail, it.Hint, it.Note = c(it.Detail), c(it.Hint), c(it.Note)
			cm(it.DetailArgs)
			cm(it.HintArgs)
		}
	}
}
