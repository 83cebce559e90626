package sign

import (
	"bytes"
	"errors"
	"testing"

	"aead.dev/minisign"
)

// FuzzReadPublicKey: a public key file is read or refused, never panics;
// a key read is written back as the same key.
func FuzzReadPublicKey(f *testing.F) {
	pub, _, err := GenerateKey("", true)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(pub)
	f.Add(bytes.TrimPrefix(pub, []byte("untrusted comment: ")))
	f.Add([]byte("RWQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"))
	f.Add([]byte("untrusted comment: x\r\nRWQ\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pk, err := ReadPublicKey(data)
		if err != nil {
			return
		}
		again, err := ParsePublicKey(pk.String())
		if err != nil || !again.Equal(pk) {
			t.Fatalf("key %s does not read back: %v", pk.String(), err)
		}
	})
}

// FuzzReadSecretKey: a secret key file is read or refused, never panics;
// a key read signs what its public key verifies.
func FuzzReadSecretKey(f *testing.F) {
	for _, pw := range []string{"", "secret"} {
		_, priv, err := GenerateKey(pw, pw == "")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(priv, pw)
	}
	f.Add([]byte("untrusted comment: x\nRWRTY0Iy"), "")
	f.Fuzz(func(t *testing.T, data []byte, password string) {
		sk, err := readSecretKey(data, password)
		if err != nil {
			return
		}
		pk, ok := sk.Public().(minisign.PublicKey)
		if !ok {
			t.Fatalf("the public half of key %s is a %T", KeyID(sk.ID()), sk.Public())
		}
		msg := []byte("formular")
		if _, _, err := VerifySignature(pk, msg, minisign.Sign(sk, msg)); err != nil {
			t.Fatalf("key %s read from %q signs what its public key refuses: %v", KeyID(sk.ID()), data, err)
		}
	})
}

// FuzzVerifySignature: a signature file is checked or refused, never
// panics; a refusal says why (malformed, another key, bad), and nothing
// but the signed bytes, with the signed trusted comment, ever verifies.
func FuzzVerifySignature(f *testing.F) {
	pubFile, privFile, err := GenerateKey("", true)
	if err != nil {
		f.Fatal(err)
	}
	pub, err := ReadPublicKey(pubFile)
	if err != nil {
		f.Fatal(err)
	}
	signed := []byte("sverka-formular 1\nproduct: Demo\n")
	sig, err := SignFile(privFile, "", signed, "Demo")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(signed, sig)
	f.Add(signed, bytes.Replace(sig, []byte("Demo"), []byte("Dem0"), 1))
	f.Add(append(bytes.Clone(signed), ' '), sig)
	f.Add(signed, []byte("untrusted comment: x\nRUQ\ntrusted comment: y\nAAAA\n"))
	f.Fuzz(func(t *testing.T, data, sigFile []byte) {
		id, comment, err := VerifySignature(pub, data, sigFile)
		if err != nil {
			if !errors.Is(err, ErrMalformedSignature) && !errors.Is(err, ErrWrongKey) && !errors.Is(err, ErrBadSignature) {
				t.Fatalf("error %v says none of the reasons", err)
			}
			return
		}
		if !bytes.Equal(data, signed) || comment != "Demo" || id != KeyID(pub.ID()) {
			t.Fatalf("verified %q with comment %q by %s: not what was signed", data, comment, id)
		}
		var s minisign.Signature
		if err := s.UnmarshalText(sigFile); err != nil {
			t.Fatalf("verified a signature that does not parse: %v", err)
		}
	})
}
