package sign

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"aead.dev/minisign"
)

// The kinds of file a key file may turn out to hold, told by their shape
// alone: what a user gives by mistake where a key is asked for.
const (
	kindEmpty     = "an empty file"
	kindPublic    = "a public key"
	kindSecret    = "a secret key"
	kindSignature = "a signature file"
)

// Sizes of minisign's base64 blobs once decoded: algorithm (2 bytes),
// key id (8) and key (32) for a public key; algorithm, KDF and checksum
// algorithms (6), salt (32), KDF limits (16) and the encrypted key id,
// key and checksum (104) for a secret key; algorithm, key id and
// signature (74) for a signature.
const (
	publicBlob    = 42
	secretBlob    = 158
	signatureBlob = 74
)

// fileKind says what data looks like: one of the kinds, or "" when it is
// none of them.
func fileKind(data []byte) string {
	text := strings.TrimSpace(string(data))
	if text == "" {
		return kindEmpty
	}
	lines := strings.Split(text, "\n")
	if strings.HasPrefix(lines[0], "untrusted comment:") {
		lines = lines[1:]
	}
	if len(lines) == 0 {
		return ""
	}
	blob, err := base64.StdEncoding.DecodeString(strings.TrimSpace(lines[0]))
	if err != nil || len(blob) < 2 || blob[0] != 'E' {
		return ""
	}
	switch {
	case len(blob) == publicBlob && len(lines) == 1:
		return kindPublic
	case len(blob) == secretBlob && len(lines) == 1:
		return kindSecret
	case len(blob) == signatureBlob && len(lines) >= 2 && strings.HasPrefix(lines[1], "trusted comment:"):
		return kindSignature
	}
	return ""
}

// wrongKind is the error for a file of kind given where want was asked
// for, or nil when the kind is right or cannot be told.
func wrongKind(kind, want string) error {
	if kind == "" || kind == want {
		return nil
	}
	return fmt.Errorf("%s, not %s", kind, want)
}

// ErrWrongPassword is a secret key that does not decrypt with the
// password given.
var ErrWrongPassword = errors.New("wrong password (or a damaged key file)")

// CheckSecretKey says whether privFile, the contents of a secret key
// file, is one, before a password is asked for it: a public key, a
// signature or an empty file given in its place is named as what it is.
// The caller names the file.
func CheckSecretKey(privFile []byte) error {
	if err := wrongKind(fileKind(privFile), kindSecret); err != nil {
		return err
	}
	if minisign.IsEncrypted(privFile) {
		return nil
	}
	var sk minisign.PrivateKey
	if err := sk.UnmarshalText(bytes.TrimSpace(privFile)); err != nil {
		return fmt.Errorf("not a minisign secret key: %v", strings.TrimPrefix(err.Error(), "minisign: "))
	}
	return nil
}
