// Package sign makes and checks minisign keys and detached signatures,
// for formulars and reports alike: key generation, signing, reading
// public keys as minisign's -P and -p take them, and verifying a file's
// detached signature over its raw bytes.
package sign

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"strings"
	"sync"

	"aead.dev/minisign"
	"golang.org/x/crypto/blake2b"

	"github.com/sverka/sverka/internal/regular"
)

// Reasons a signature does not verify. VerifySignature wraps them with the
// details, so callers can tell them apart with errors.Is.
var (
	ErrMalformedSignature = errors.New("malformed signature")
	ErrWrongKey           = errors.New("signed by another key")
	ErrBadSignature       = errors.New("bad signature")
)

// SignatureSuffix is appended to a file's name to name its detached
// signature.
const SignatureSuffix = ".minisig"

// KeyID formats a minisign key id as the minisign tool prints it.
func KeyID(id uint64) string { return fmt.Sprintf("%016X", id) }

// GenerateKey makes a minisign key pair and returns the contents of the
// public and the secret key files, in the minisign tool's format. The
// secret key is encrypted with password (scrypt, with minisign's
// parameters) unless unencrypted is set.
func GenerateKey(password string, unencrypted bool) (pub, priv []byte, err error) {
	if !unencrypted && password == "" {
		return nil, nil, errors.New("empty password: give one, or ask for an unencrypted key")
	}
	pk, sk, err := minisign.GenerateKey(nil)
	if err != nil {
		return nil, nil, err
	}
	if unencrypted {
		priv, err = sk.MarshalText()
	} else {
		priv, err = minisign.EncryptKey(password, sk)
	}
	if err != nil {
		return nil, nil, err
	}
	pub = fmt.Appendf(nil, "untrusted comment: minisign public key %s\n%s\n", KeyID(pk.ID()), pk.String())
	return pub, append(priv, '\n'), nil
}

// UnlockSecretKey checks that privFile, a secret key file, opens with
// password (ignored when the key is not encrypted) and returns the key:
// ErrWrongPassword if it does not. The caller names the key file.
func UnlockSecretKey(privFile []byte, password string) (minisign.PrivateKey, error) {
	if err := CheckSecretKey(privFile); err != nil {
		return minisign.PrivateKey{}, err
	}
	return readSecretKey(privFile, password)
}

// readSecretKey reads a secret key file, encrypted or not.
func readSecretKey(privFile []byte, password string) (minisign.PrivateKey, error) {
	var sk minisign.PrivateKey
	if minisign.IsEncrypted(privFile) {
		k, err := minisign.DecryptKey(password, privFile)
		if err != nil {
			return sk, ErrWrongPassword
		}
		return k, nil
	}
	if err := sk.UnmarshalText(bytes.TrimSpace(privFile)); err != nil {
		return sk, fmt.Errorf("not a minisign secret key: %v", err)
	}
	return sk, nil
}

// SignFile signs data with the secret key file's key and returns the
// contents of the detached signature file. The signature is minisign's
// pre-hashed one (BLAKE2b-512), the default of the minisign tool; the
// trusted comment is signed too and shown on verification.
func SignFile(privFile []byte, password string, data []byte, trustedComment string) (sig []byte, err error) {
	sk, err := readSecretKey(privFile, password)
	if err != nil {
		return nil, err
	}
	return SignWith(sk, data, trustedComment)
}

// SignWith is SignFile with a key UnlockSecretKey has opened: a caller
// signing several files decrypts the key (scrypt, slow by design) once.
func SignWith(sk minisign.PrivateKey, data []byte, trustedComment string) (sig []byte, err error) {
	if strings.ContainsAny(trustedComment, "\r\n") {
		return nil, errors.New("the trusted comment must be one line")
	}
	r := minisign.NewReader(bytes.NewReader(data))
	if _, err := io.Copy(io.Discard, r); err != nil {
		return nil, err
	}
	return r.SignWithComments(sk, trustedComment, "signature from sverka secret key "+KeyID(sk.ID())), nil
}

// ParsePublicKey reads a public key given as its base64 line, as
// `minisign -P` takes it.
func ParsePublicKey(s string) (minisign.PublicKey, error) {
	var pk minisign.PublicKey
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "\r\n") {
		return pk, errors.New("malformed public key: expected one base64 line, the second line of a .pub file")
	}
	if err := pk.UnmarshalText([]byte(s)); err != nil {
		return pk, fmt.Errorf("malformed public key: %v", strings.TrimPrefix(err.Error(), "minisign: "))
	}
	return pk, nil
}

// ReadPublicKey reads the contents of a public key file as `minisign -G`
// writes it (an untrusted comment line, then the key), or a file holding
// the base64 line alone.
func ReadPublicKey(contents []byte) (minisign.PublicKey, error) {
	lines := strings.Split(strings.TrimSpace(string(contents)), "\n")
	if len(lines) > 0 && strings.HasPrefix(lines[0], "untrusted comment:") {
		lines = lines[1:]
	}
	if err := wrongKind(fileKind(contents), kindPublic); err != nil {
		return minisign.PublicKey{}, err
	}
	if len(lines) != 1 {
		return minisign.PublicKey{}, errors.New("malformed public key file: expected a comment line and one base64 key line")
	}
	return ParsePublicKey(lines[0])
}

// VerifySignature checks a detached minisign signature of data. It returns
// the signer's key id and the signed trusted comment, or an error wrapping
// ErrMalformedSignature, ErrWrongKey or ErrBadSignature with the details.
// Both minisign signature kinds are accepted: pre-hashed (the default of
// minisign since 0.10) and legacy.
func VerifySignature(pub minisign.PublicKey, data, sig []byte) (keyID string, trustedComment string, err error) {
	return verifySignature(pub, data, nil, sig)
}

// VerifyMessage is VerifySignature of a file read by ReadMessage.
func VerifyMessage(pub minisign.PublicKey, m *Message, sig []byte) (keyID string, trustedComment string, err error) {
	return verifySignature(pub, m.Data, m.prehash, sig)
}

// Message is a signed file's bytes and, when it was taken while they were
// read, the BLAKE2b-512 digest that a prehashed minisign signature signs.
type Message struct {
	Data    []byte
	prehash *[blake2b.Size]byte
}

// MaxKeySize bounds a key or signature file: a minisign key is some 150
// bytes, a signature some 300 with its trusted comment.
const MaxKeySize = 8 << 10

// ReadKeyFile reads a public or secret key file, or a signature file:
// a regular file of at most MaxKeySize bytes, opened without waiting (a
// FIFO in its place is refused, not waited on).
func ReadKeyFile(path string) ([]byte, error) {
	return regular.ReadFile(path, MaxKeySize, "a key or signature file")
}

// ReadMessage reads a file to verify whole and takes its digest while it
// is read: the reading and the hashing of a formular of 100,000 rows then
// overlap instead of following one another. The file must be a regular
// file of at most limit bytes: a FIFO or a device (/dev/zero) is refused
// at once. what names the file in an error ("a formular"). Each hash of
// also (a digest a report names the file by) is written on a goroutine of
// its own beside BLAKE2b's, rather than after it on one core.
func ReadMessage(path string, limit int64, what string, also ...hash.Hash) (*Message, error) {
	f, err := regular.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	tooLarge := &regular.TooLargeError{Path: path, Limit: limit, What: what}
	size := int64(0)
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	if size > limit {
		return nil, tooLarge
	}
	const chunk = 1 << 20
	// One more byte than stat says, so that the end is seen in the
	// last read: a file that grew is read on, up to the limit.
	data := make([]byte, 0, size+1)
	h, _ := blake2b.New512(nil)
	hs := append([]hash.Hash{h}, also...)
	reads := make([]chan []byte, len(hs))
	var hashed sync.WaitGroup
	for i, h := range hs {
		reads[i] = make(chan []byte, 4)
		hashed.Go(func() {
			for b := range reads[i] {
				h.Write(b)
			}
		})
	}
	stop := func() {
		for _, r := range reads {
			close(r)
		}
		hashed.Wait()
	}
	for {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)]
		}
		n, err := f.Read(data[len(data):min(cap(data), len(data)+chunk)])
		if n > 0 {
			for _, r := range reads {
				r <- data[len(data) : len(data)+n]
			}
			data = data[:len(data)+n]
		}
		if int64(len(data)) > limit {
			stop()
			return nil, tooLarge
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			stop()
			return nil, err
		}
	}
	stop()
	m := &Message{Data: data, prehash: new([blake2b.Size]byte)}
	h.Sum(m.prehash[:0])
	return m, nil
}

// verifySignature checks sig over data; prehash, if not nil, is the
// BLAKE2b-512 of data, taken already.
func verifySignature(pub minisign.PublicKey, data []byte, prehash *[blake2b.Size]byte, sig []byte) (keyID string, trustedComment string, err error) {
	var s minisign.Signature
	if err := s.UnmarshalText(sig); err != nil {
		return "", "", fmt.Errorf("%w: %s", ErrMalformedSignature, strings.TrimPrefix(err.Error(), "minisign: "))
	}
	if s.KeyID != pub.ID() {
		return KeyID(s.KeyID), "", fmt.Errorf("%w: the signature is by key %s, the public key given is %s",
			ErrWrongKey, KeyID(s.KeyID), KeyID(pub.ID()))
	}
	raw, err := base64.StdEncoding.DecodeString(pub.String())
	if err != nil || len(raw) != 2+8+ed25519.PublicKeySize {
		return "", "", errors.New("internal error: cannot encode the public key")
	}
	key := ed25519.PublicKey(raw[10:])
	msg := data
	if s.Algorithm == minisign.HashEdDSA {
		if prehash == nil {
			h := blake2b.Sum512(data)
			prehash = &h
		}
		msg = prehash[:]
	}
	id := KeyID(s.KeyID)
	if !ed25519.Verify(key, msg, s.Signature[:]) {
		return id, "", fmt.Errorf("%w: the file was changed after it was signed, or the signature is of another file", ErrBadSignature)
	}
	if !ed25519.Verify(key, append(s.Signature[:], s.TrustedComment...), s.CommentSignature[:]) {
		return id, "", fmt.Errorf("%w: the signature's trusted comment was altered", ErrBadSignature)
	}
	return id, s.TrustedComment, nil
}
