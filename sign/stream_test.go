package sign

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aead.dev/minisign"
)

// A Verifier checks the signature over what was read through it and the
// rest of the file: a prehashed signature by its digest, a legacy one by
// the bytes; a file changed anywhere, even past what the reader wanted,
// fails; a missing or malformed signature is said before the file is read.
func TestVerifier(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "r.json")
	data := []byte(strings.Repeat("{\"a\": 1}\n", 1000))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	pubFile, priv, err := GenerateKey("", true)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ReadPublicKey(pubFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewVerifier(pub, "report", path, bytes.NewReader(data)); !errors.As(err, new(*NotSignedError)) {
		t.Fatalf("no signature: %v", err)
	}
	if err := os.WriteFile(path+SignatureSuffix, []byte("untrusted comment: x\nnot base64\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := NewVerifier(pub, "report", path, bytes.NewReader(data)); !errors.Is(err, ErrMalformedSignature) {
		t.Fatalf("malformed signature: %v", err)
	}
	sk, err := UnlockSecretKey(priv, "")
	if err != nil {
		t.Fatal(err)
	}
	prehashed, err := SignWith(sk, data, "c")
	if err != nil {
		t.Fatal(err)
	}
	legacy := minisign.SignWithComments(sk, data, "c", "legacy")
	var ls minisign.Signature
	if err := ls.UnmarshalText(legacy); err != nil || ls.Algorithm != minisign.EdDSA {
		t.Fatalf("not a legacy signature: %v", err)
	}
	for name, sig := range map[string][]byte{"prehashed": prehashed, "legacy": legacy} {
		if err := os.WriteFile(path+SignatureSuffix, sig, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			what    string
			content []byte
			read    int // bytes the caller reads before Verify
			ok      bool
		}{
			{"whole, read whole", data, len(data), true},
			{"whole, read in part", data, 100, true},
			{"changed past what was read", append(bytes.Clone(data[:len(data)-1]), '!'), 100, false},
			{"longer", append(bytes.Clone(data), ' '), len(data), false},
		} {
			v, err := NewVerifier(pub, "report", path, bytes.NewReader(c.content))
			if err != nil {
				t.Fatalf("%s %s: %v", name, c.what, err)
			}
			if _, err := io.ReadFull(v, make([]byte, c.read)); err != nil {
				t.Fatal(err)
			}
			d, err := v.Verify()
			if c.ok && (err != nil || d.TrustedComment != "c") {
				t.Errorf("%s %s: %+v %v", name, c.what, d, err)
			}
			if !c.ok && !errors.Is(err, ErrBadSignature) {
				t.Errorf("%s %s: %v, want a bad signature", name, c.what, err)
			}
		}
	}
}
