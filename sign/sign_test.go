package sign

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/scrypt"

	"github.com/sverka/sverka/formular"
)

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestMinisignMadeFixtures: a key pair and signatures made by the minisign
// tool verify with this package, the key given either way.
func TestMinisignMadeFixtures(t *testing.T) {
	data := readFile(t, "signed.formular")
	pubFile := readFile(t, "minisign.pub")
	fromFile, err := ReadPublicKey(pubFile)
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Split(strings.TrimSpace(string(pubFile)), "\n")[1]
	fromLine, err := ParsePublicKey(line)
	if err != nil {
		t.Fatal(err)
	}
	if !fromFile.Equal(fromLine) {
		t.Fatal("-p and -P forms give different keys")
	}
	if bare, err := ReadPublicKey([]byte(line + "\n")); err != nil || !bare.Equal(fromFile) {
		t.Errorf("a file holding the base64 line alone: %v", err)
	}
	for _, sigName := range []string{"signed.formular.minisig", "signed.formular.legacy.minisig"} {
		sig := readFile(t, sigName)
		id, tc, err := VerifySignature(fromFile, data, sig)
		if err != nil {
			t.Fatalf("%s: %v", sigName, err)
		}
		if id != "C6E6F14D6EA7D243" {
			t.Errorf("%s: key id %s", sigName, id)
		}
		if sigName == "signed.formular.minisig" {
			f, err := formular.Parse(data, "signed.formular")
			if err != nil {
				t.Fatal(err)
			}
			// The fixture was signed with the comment sverka writes.
			if tc != formular.TrustedComment(f) {
				t.Errorf("trusted comment %q, TrustedComment gives %q", tc, formular.TrustedComment(f))
			}
		}
	}
	// The minisign tool's unencrypted secret key signs with this package.
	sig, err := SignFile(readFile(t, "minisign.key"), "", data, "t")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := VerifySignature(fromFile, data, sig); err != nil {
		t.Error(err)
	}
}

func TestVerifyFailures(t *testing.T) {
	data := readFile(t, "signed.formular")
	sig := readFile(t, "signed.formular.minisig")
	pub, err := ReadPublicKey(readFile(t, "minisign.pub"))
	if err != nil {
		t.Fatal(err)
	}
	otherPub, _, err := GenerateKey("", true)
	if err != nil {
		t.Fatal(err)
	}
	other, err := ReadPublicKey(otherPub)
	if err != nil {
		t.Fatal(err)
	}
	edited := bytes.Replace(data, []byte("1.0"), []byte("1.1"), 1)
	oneByte := bytes.Clone(data)
	oneByte[len(oneByte)-2] ^= 1
	lines := strings.Split(string(sig), "\n")
	tamperedComment := strings.Join([]string{lines[0], lines[1], "trusted comment: forged", lines[3], ""}, "\n")
	cases := []struct {
		name string
		pub  int // 0: the signer's key, 1: another key
		data []byte
		sig  []byte
		want error
		says string
	}{
		{"edited formular", 0, edited, sig, ErrBadSignature, "changed after it was signed"},
		{"one byte flipped", 0, oneByte, sig, ErrBadSignature, "changed after it was signed"},
		{"another file's signature", 0, []byte("other\n"), sig, ErrBadSignature, "changed after"},
		{"other key", 1, data, sig, ErrWrongKey, "C6E6F14D6EA7D243"},
		{"truncated", 0, data, sig[:len(sig)/2], ErrMalformedSignature, ""},
		{"garbled", 0, data, bytes.ReplaceAll(sig, []byte("R"), []byte("!")), ErrMalformedSignature, ""},
		{"empty", 0, data, nil, ErrMalformedSignature, ""},
		{"altered trusted comment", 0, data, []byte(tamperedComment), ErrBadSignature, "trusted comment was altered"},
	}
	for _, c := range cases {
		key := pub
		if c.pub == 1 {
			key = other
		}
		_, _, err := VerifySignature(key, c.data, c.sig)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
			continue
		}
		if !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %q does not say %q", c.name, err, c.says)
		}
		if c.want == ErrWrongKey && !strings.Contains(err.Error(), KeyID(other.ID())) {
			t.Errorf("%s: %q does not name the key given", c.name, err)
		}
	}
}

func TestPublicKeyErrors(t *testing.T) {
	for _, s := range []string{"", "RWQ", "not base64!", "RWRD0qduTfHmxjRyXx3DTtd5Wr7aRvPiAeKt0UZYD0OXhowq+G0uC8cy\nRWRD"} {
		if _, err := ParsePublicKey(s); err == nil || !strings.Contains(err.Error(), "malformed public key") {
			t.Errorf("ParsePublicKey(%q) = %v", s, err)
		}
	}
	if _, err := ReadPublicKey([]byte("untrusted comment: x\n")); err == nil {
		t.Error("a key file without a key")
	}
}

func TestSignUnencrypted(t *testing.T) {
	pubFile, privFile, err := GenerateKey("", true)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pubFile, []byte("untrusted comment: minisign public key ")) {
		t.Errorf("public key file:\n%s", pubFile)
	}
	pub, err := ReadPublicKey(pubFile)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("sverka-formular 1\n")
	sig, err := SignFile(privFile, "ignored", data, "c")
	if err != nil {
		t.Fatal(err)
	}
	if id, tc, err := VerifySignature(pub, data, sig); err != nil || tc != "c" || id != KeyID(pub.ID()) {
		t.Errorf("VerifySignature = %s %q %v", id, tc, err)
	}
	if _, err := SignFile(privFile, "", data, "two\nlines"); err == nil {
		t.Error("a two-line trusted comment was accepted")
	}
	if _, err := SignFile([]byte("garbage"), "", data, ""); err == nil {
		t.Error("a garbage secret key signed")
	}
	if _, _, err := GenerateKey("", false); err == nil {
		t.Error("an encrypted key with an empty password")
	}
}

// cheapEncryptedKey encrypts an unencrypted minisign secret key file the
// way minisign does, but with the smallest scrypt cost minisign files allow,
// so that tests of encrypted keys take milliseconds.
func cheapEncryptedKey(t *testing.T, unencrypted []byte, password string) []byte {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(string(unencrypted)), "\n")
	raw, err := base64.StdEncoding.DecodeString(lines[len(lines)-1])
	if err != nil || len(raw) != 158 {
		t.Fatalf("unencrypted key: %v", err)
	}
	const ops, mem = 1 << 15, 1 << 24 // scrypt N=1024, r=8, p=1
	salt := bytes.Repeat([]byte{7}, 32)
	keystream, err := scrypt.Key([]byte(password), salt, 1024, 8, 1, 104)
	if err != nil {
		t.Fatal(err)
	}
	plain := raw[54:126] // key id and Ed25519 key
	chk := blake2b.Sum256(append([]byte("Ed"), plain...))
	ct := append(bytes.Clone(plain), chk[:]...)
	for i := range ct {
		ct[i] ^= keystream[i]
	}
	out := append([]byte("Ed"), "ScB2"...)
	out = append(out, salt...)
	out = binary.LittleEndian.AppendUint64(out, ops)
	out = binary.LittleEndian.AppendUint64(out, mem)
	out = append(out, ct...)
	return []byte("untrusted comment: minisign encrypted secret key\n" + base64.StdEncoding.EncodeToString(out) + "\n")
}

func TestSignWithEncryptedKey(t *testing.T) {
	pubFile, plain, err := GenerateKey("", true)
	if err != nil {
		t.Fatal(err)
	}
	privFile := cheapEncryptedKey(t, plain, "correct horse")
	pub, _ := ReadPublicKey(pubFile)
	data := []byte("x")
	if _, err := SignFile(privFile, "wrong", data, ""); err == nil || !strings.Contains(err.Error(), "wrong password") {
		t.Errorf("wrong password: %v", err)
	}
	sig, err := SignFile(privFile, "correct horse", data, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := VerifySignature(pub, data, sig); err != nil {
		t.Error(err)
	}
}

// TestGenerateEncryptedKey uses minisign's own scrypt cost (1 GiB of
// memory, seconds of CPU), so it is left out in -short mode.
func TestGenerateEncryptedKey(t *testing.T) {
	if testing.Short() {
		t.Skip("scrypt with minisign's parameters is slow")
	}
	pubFile, privFile, err := GenerateKey("correct horse", false)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(privFile, []byte("encrypted secret key")) {
		t.Errorf("secret key file:\n%s", privFile)
	}
	pub, _ := ReadPublicKey(pubFile)
	sig, err := SignFile(privFile, "correct horse", []byte("x"), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := VerifySignature(pub, []byte("x"), sig); err != nil {
		t.Error(err)
	}
}

// TestMinisignToolVerifiesOurs: keys and signatures made by this package
// verify with the minisign tool, and the tool signs with our unencrypted
// key. It needs the tool; the fixture half above never does.
func TestMinisignToolVerifiesOurs(t *testing.T) {
	tool, err := exec.LookPath("minisign")
	if err != nil {
		t.Skip("minisign not on PATH")
	}
	dir := t.TempDir()
	pubFile, privFile, err := GenerateKey("", true)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	data := readFile(t, "signed.formular")
	f, err := formular.Parse(data, "")
	if err != nil {
		t.Fatal(err)
	}
	sig, err := SignFile(privFile, "", data, formular.TrustedComment(f))
	if err != nil {
		t.Fatal(err)
	}
	file := write("f.formular", data)
	write("f.formular.minisig", sig)
	pubPath := write("k.pub", pubFile)
	keyPath := write("k.key", privFile)
	pub, _ := ReadPublicKey(pubFile)

	out, err := exec.Command(tool, "-Vm", file, "-p", pubPath).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "formular-id: DEMO-0001") {
		t.Errorf("minisign -Vm -p: %v\n%s", err, out)
	}
	out, err = exec.Command(tool, "-Vm", file, "-P", pub.String()).CombinedOutput()
	if err != nil {
		t.Errorf("minisign -Vm -P: %v\n%s", err, out)
	}
	// A changed byte fails with the tool too.
	write("f.formular", append(bytes.Clone(data), '\n'))
	if out, err := exec.Command(tool, "-Vm", file, "-p", pubPath).CombinedOutput(); err == nil {
		t.Errorf("minisign accepted a changed file:\n%s", out)
	}
	// The tool signs with a secret key this package wrote.
	write("f.formular", data)
	out, err = exec.Command(tool, "-S", "-s", keyPath, "-m", file, "-x", filepath.Join(dir, "tool.minisig"), "-t", "by the tool").CombinedOutput()
	if err != nil {
		t.Fatalf("minisign -S with our key: %v\n%s", err, out)
	}
	toolSig, err := os.ReadFile(filepath.Join(dir, "tool.minisig"))
	if err != nil {
		t.Fatal(err)
	}
	if _, tc, err := VerifySignature(pub, data, toolSig); err != nil || tc != "by the tool" {
		t.Errorf("tool's signature: %q %v", tc, err)
	}
}

// ReadMessage reads any size whole, across its chunk boundaries, its
// digest verifies the signature VerifySignature verifies, and the other
// digests asked for are of the same bytes.
func TestReadMessage(t *testing.T) {
	pubFile, privFile, err := GenerateKey("", true)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ReadPublicKey(pubFile)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, size := range []int{0, 1, 1000, 1 << 20, 1<<20 + 1, 2 << 20, 5<<20 + 12345} {
		data := bytes.Repeat([]byte("0123456789abcdef\n"), size/17+1)[:size]
		path := filepath.Join(dir, "f")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		sig, err := SignFile(privFile, "", data, "c")
		if err != nil {
			t.Fatal(err)
		}
		also := sha256.New()
		m, err := ReadMessage(path, formular.MaxSize, "a formular", also)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if !bytes.Equal(m.Data, data) {
			t.Fatalf("size %d: read %d bytes, not the file", size, len(m.Data))
		}
		if want := sha256.Sum256(data); !bytes.Equal(also.Sum(nil), want[:]) {
			t.Errorf("size %d: the SHA-256 taken while reading is not the file's", size)
		}
		if _, tc, err := VerifyMessage(pub, m, sig); err != nil || tc != "c" {
			t.Errorf("size %d: %q %v", size, tc, err)
		}
		if size > 0 {
			data[size/2] ^= 1
			os.WriteFile(path, data, 0o644)
			if m, err = ReadMessage(path, formular.MaxSize, "a formular"); err != nil {
				t.Fatal(err)
			}
			if _, _, err := VerifyMessage(pub, m, sig); !errors.Is(err, ErrBadSignature) {
				t.Errorf("size %d: a changed byte verified: %v", size, err)
			}
		}
	}
	if _, err := ReadMessage(filepath.Join(dir, "missing"), formular.MaxSize, "a formular"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := ReadMessage(dir, formular.MaxSize, "a formular"); err == nil {
		t.Error("a directory read as a formular")
	}
}
