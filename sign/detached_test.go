package sign

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// VerifyDetached reads FILE.minisig beside the file: a missing one is a
// NotSignedError naming both, a bad one names the signature file, a good
// one gives the key id and the trusted comment.
func TestVerifyDetached(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.txt")
	data := readFile(t, "signed.formular")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	pub, err := PublicKey("", filepath.Join("testdata", "minisign.pub"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := ReadMessage(path, 1<<20, "a formular")
	if err != nil {
		t.Fatal(err)
	}
	_, err = VerifyDetached(pub, "formular", path, m)
	var ns *NotSignedError
	if !errors.As(err, &ns) || err.Error() != "formular "+path+" is not signed: "+path+".minisig not found" {
		t.Errorf("no signature: %v", err)
	}
	if err := os.WriteFile(path+SignatureSuffix, readFile(t, "signed.formular.minisig"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, m := range []*Message{m, {Data: data}} { // with and without the digest taken on reading
		d, err := VerifyDetached(pub, "formular", path, m)
		if err != nil || d.KeyID != "C6E6F14D6EA7D243" || !strings.HasPrefix(d.TrustedComment, "sverka formular") {
			t.Errorf("good signature: %+v %v", d, err)
		}
	}
	_, err = VerifyDetached(pub, "report", path, &Message{Data: append(data, ' ')})
	if !errors.Is(err, ErrBadSignature) || !strings.HasPrefix(err.Error(), "signature "+path+".minisig: ") {
		t.Errorf("changed file: %v", err)
	}
}

// PublicKey names where a bad key came from: -P, or the key file.
func TestPublicKeySource(t *testing.T) {
	if _, err := PublicKey("junk", ""); err == nil || !strings.HasPrefix(err.Error(), "-P: malformed public key") {
		t.Errorf("-P junk: %v", err)
	}
	missing := filepath.Join(t.TempDir(), "k.pub")
	if _, err := PublicKey("", missing); !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), "public key: ") {
		t.Errorf("missing file: %v", err)
	}
	junk := filepath.Join(t.TempDir(), "junk.pub")
	os.WriteFile(junk, []byte("a\nb\nc\n"), 0o644)
	if _, err := PublicKey("", junk); err == nil || !strings.HasPrefix(err.Error(), "public key "+junk+": malformed") {
		t.Errorf("junk file: %v", err)
	}
}
