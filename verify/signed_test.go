package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sverka/sverka/sign"
)

// ReadSigned parses nothing before the signature verifies, and says what
// it learnt before an error.
func TestReadSigned(t *testing.T) {
	pubFile, privFile, err := sign.GenerateKey("", true)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := sign.ReadPublicKey(pubFile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, text string, signed bool) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if signed {
			sig, err := sign.SignFile(privFile, "", []byte(text), "t")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p+sign.SignatureSuffix, sig, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}
	good := "sverka-formular 1\nproduct: P\n\n[media sha256]\n"

	s, err := ReadSigned(write("unsigned.txt", good, false), pub)
	var ns *sign.NotSignedError
	if !errors.As(err, &ns) || !strings.HasSuffix(err.Error(), "; an unsigned formular proves nothing") ||
		s.SHA256 == "" || s.Signature != nil || s.Formular != nil {
		t.Errorf("unsigned: %+v %v", s, err)
	}
	p := write("changed.txt", good, true)
	os.WriteFile(p, []byte(good+"\n"), 0o644)
	if s, err = ReadSigned(p, pub); !errors.Is(err, sign.ErrBadSignature) || s.Signature != nil || s.Formular != nil {
		t.Errorf("changed: %+v %v", s, err)
	}
	if s, err = ReadSigned(write("bad.txt", "sverka-formular 1\nnonsense\n", true), pub); err == nil || s.Signature == nil || s.Formular != nil {
		t.Errorf("signed, does not parse: %+v %v", s, err)
	}
	if s, err = ReadSigned(filepath.Join(dir, "missing.txt"), pub); !errors.Is(err, os.ErrNotExist) || s.SHA256 != "" {
		t.Errorf("missing: %+v %v", s, err)
	}
	s, err = ReadSigned(write("good.txt", good, true), pub)
	if err != nil || s.Signature == nil || s.Signature.TrustedComment != "t" || s.Formular.Get("product") != "P" {
		t.Errorf("good: %+v %v", s, err)
	}
	// The report names the formular by the SHA-256 of the bytes checked.
	if sum := sha256.Sum256([]byte(good)); s.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("good: SHA-256 %s, not the formular's", s.SHA256)
	}
}
