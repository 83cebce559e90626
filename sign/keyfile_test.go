package sign

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileKind(t *testing.T) {
	pub, sec, err := GenerateKey("", true)
	if err != nil {
		t.Fatal(err)
	}
	_, enc, err := GenerateKey("pw", false)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := SignFile(sec, "", []byte("data\n"), "file:x")
	if err != nil {
		t.Fatal(err)
	}
	pubLine := strings.Split(strings.TrimSpace(string(pub)), "\n")[1]
	for _, c := range []struct {
		name, data, want string
	}{
		{"empty", "", kindEmpty},
		{"blank lines", "\n \n", kindEmpty},
		{"public key file", string(pub), kindPublic},
		{"public key line", pubLine, kindPublic},
		{"secret key", string(sec), kindSecret},
		{"encrypted secret key", string(enc), kindSecret},
		{"signature", string(sig), kindSignature},
		{"text", "hello world\n", ""},
		{"comment only", "untrusted comment: x\n", ""},
		{"other base64", "untrusted comment: x\nYWJjZA==\n", ""},
	} {
		if got := fileKind([]byte(c.data)); got != c.want {
			t.Errorf("%s: fileKind = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestKeyFileMistakes(t *testing.T) {
	pub, sec, err := GenerateKey("", true)
	if err != nil {
		t.Fatal(err)
	}
	_, enc, err := GenerateKey("right", false)
	if err != nil {
		t.Fatal(err)
	}
	sig, err := SignFile(sec, "", []byte("data\n"), "file:x")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"public as secret", CheckSecretKey(pub), "a public key, not a secret key"},
		{"signature as secret", CheckSecretKey(sig), "a signature file, not a secret key"},
		{"empty as secret", CheckSecretKey(nil), "an empty file, not a secret key"},
		{"text as secret", CheckSecretKey([]byte("hello\n")), "not a minisign secret key"},
		{"secret", CheckSecretKey(sec), ""},
		{"encrypted secret", CheckSecretKey(enc), ""},
		{"wrong password", errOf(UnlockSecretKey(enc, "wrong")), "wrong password"},
		{"right password", errOf(UnlockSecretKey(enc, "right")), ""},
		{"public as public", errOf(ReadPublicKey(pub)), ""},
		{"secret as public", errOf(ReadPublicKey(sec)), "a secret key, not a public key"},
		{"signature as public", errOf(ReadPublicKey(sig)), "a signature file, not a public key"},
		{"empty as public", errOf(ReadPublicKey(nil)), "an empty file, not a public key"},
	} {
		switch {
		case c.want == "" && c.err != nil:
			t.Errorf("%s: %v", c.name, c.err)
		case c.want != "" && (c.err == nil || !strings.HasPrefix(c.err.Error(), c.want)):
			t.Errorf("%s: err = %v, want %q", c.name, c.err, c.want)
		}
	}
	if _, err := UnlockSecretKey(enc, "wrong"); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password: %v, want ErrWrongPassword", err)
	}
	// PublicKey names the key file.
	p := filepath.Join(t.TempDir(), "vendor.key")
	if err := os.WriteFile(p, sec, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := PublicKey("", p); err == nil || !strings.Contains(err.Error(), p+": a secret key, not a public key") {
		t.Errorf("PublicKey(%s) = %v", p, err)
	}
}

func errOf[T any](_ T, err error) error { return err }
