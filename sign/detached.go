package sign

import (
	"errors"
	"fmt"
	"io/fs"

	"aead.dev/minisign"
)

// PublicKey reads the signer's public key as the minisign tool takes it:
// the base64 line when line is given (its -P), else the key file named by
// file (its -p). Exactly one of them is expected.
func PublicKey(line, file string) (minisign.PublicKey, error) {
	if line != "" {
		pk, err := ParsePublicKey(line)
		if err != nil {
			return pk, fmt.Errorf("-P: %w", err)
		}
		return pk, nil
	}
	data, err := ReadKeyFile(file)
	if err != nil {
		return minisign.PublicKey{}, fmt.Errorf("public key: %w", err)
	}
	pk, err := ReadPublicKey(data)
	if err != nil {
		return pk, fmt.Errorf("public key %s: %w", file, err)
	}
	return pk, nil
}

// NotSignedError says that a file has no detached signature beside it.
type NotSignedError struct {
	What      string // what the file is: "formular", "report"
	Path      string // the file
	Signature string // the signature file looked for
}

func (e *NotSignedError) Error() string {
	return fmt.Sprintf("%s %s is not signed: %s not found", e.What, e.Path, e.Signature)
}

// Detached is what a verified detached signature says.
type Detached struct {
	KeyID          string // the signer's key id, as minisign prints it
	TrustedComment string // the comment signed with the file
}

// VerifyDetached checks the detached signature of the file at path (what
// names it in errors: "formular", "report"), read from path's
// SignatureSuffix file, over m, the file's bytes. A signature file that is
// not there is a *NotSignedError; one that does not verify wraps
// ErrMalformedSignature, ErrWrongKey or ErrBadSignature.
func VerifyDetached(pub minisign.PublicKey, what, path string, m *Message) (Detached, error) {
	sig, err := readDetached(what, path)
	if err != nil {
		return Detached{}, err
	}
	return verifyDetached(pub, path, m, sig)
}

// readDetached reads the signature file beside path: a *NotSignedError
// when there is none.
func readDetached(what, path string) ([]byte, error) {
	sigPath := path + SignatureSuffix
	sig, err := ReadKeyFile(sigPath)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &NotSignedError{What: what, Path: path, Signature: sigPath}
	} else if err != nil {
		return nil, fmt.Errorf("signature: %w", err)
	}
	return sig, nil
}

// verifyDetached checks sig, read from path's signature file, over m.
func verifyDetached(pub minisign.PublicKey, path string, m *Message, sig []byte) (Detached, error) {
	keyID, comment, err := VerifyMessage(pub, m, sig)
	if err != nil {
		return Detached{}, fmt.Errorf("signature %s: %w", path+SignatureSuffix, err)
	}
	return Detached{KeyID: keyID, TrustedComment: comment}, nil
}
