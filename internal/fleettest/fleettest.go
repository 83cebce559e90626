// Package fleettest makes real reports for the tests of the fleet
// packages: the demo kit checked by verify against a formular signed with
// the demo key, as a host of a fleet at a given time, holding, broken or
// not checkable, written by report.WriteJSON. Only tests import it.
package fleettest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/sign"
	"github.com/sverka/sverka/verify"
)

// Demo is the directory of the demo kit, its formular and its keys.
func Demo(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("fleettest: cannot tell where the source is")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "testdata", "demo")
}

// Formular writes a copy of the demo formular into dir with its
// certificate valid and supported until the given dates (YYYY-MM-DD; ""
// keeps the demo's) and its version set, signs it with the demo key, and
// returns its path.
func Formular(t testing.TB, dir, version, validUntil, supportUntil string) string {
	t.Helper()
	demo := Demo(t)
	data, err := os.ReadFile(filepath.Join(demo, "formular.txt"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	if version != "" {
		text = strings.Replace(text, "version: 1.0.0.42", "version: "+version, 1)
	}
	if validUntil != "" {
		text = strings.Replace(text, "valid-until: 2099-12-31", "valid-until: "+validUntil, 1)
	}
	if supportUntil != "" {
		text = strings.Replace(text, "support-until: 2099-12-31", "support-until: "+supportUntil, 1)
	}
	key, err := os.ReadFile(filepath.Join(demo, "demo.key"))
	if err != nil {
		t.Fatal(err)
	}
	sig, err := sign.SignFile(key, "", []byte(text), "fleettest formular")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "formular-"+version+"-"+validUntil+".txt")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path+sign.SignatureSuffix, sig, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Host is one check of one host.
type Host struct {
	ID, Name string
	Groups   []string
	At       time.Time // the run's end
	// Broken changes the kit's bin/agent before the check: NOT HOLD.
	Broken bool
	// Cannot checks a kit that is not there: CANNOT CHECK.
	Cannot bool
	// Formular is the signed formular's path; "" is the demo's.
	Formular string
}

// Report checks the demo kit as h says and returns the report's JSON.
func Report(t testing.TB, h Host) []byte {
	t.Helper()
	demo := Demo(t)
	kit := filepath.Join(t.TempDir(), "kit")
	copyTree(t, filepath.Join(demo, "kit"), kit)
	if h.Broken {
		if err := os.WriteFile(filepath.Join(kit, "bin", "agent"), []byte("#!/bin/sh\necho implant\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if h.Cannot {
		kit = filepath.Join(kit, "absent")
	}
	fpath := h.Formular
	if fpath == "" {
		fpath = filepath.Join(demo, "formular.txt")
	}
	pub, err := sign.PublicKey("", filepath.Join(demo, "demo.pub"))
	if err != nil {
		t.Fatal(err)
	}
	sf, err := verify.ReadSigned(fpath, pub)
	if err != nil {
		t.Fatal(err)
	}
	in := report.BuildInput{
		Tool: report.Tool{Name: "sverka", Version: "test", SHA256: strings.Repeat("0", 64)},
		Run: report.Run{
			Start: h.At.Add(-2 * time.Second), End: h.At,
			HostID: h.ID, Host: h.Name, Groups: h.Groups,
			OS: "linux", Arch: "amd64", User: "auditor",
			Args: []string{"sverka", "verify", "-f", "formular.txt", "--media", "kit"},
		},
		At:       h.At,
		Formular: sf,
		Targets:  report.Targets{Media: kit},
	}
	in.Result, in.Err = verify.Check(context.Background(), sf.Formular, verify.Sources{Media: kit, At: h.At})
	var b bytes.Buffer
	if err := report.WriteJSON(&b, report.Build(in)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func copyTree(t testing.TB, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}
