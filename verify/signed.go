package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"

	"aead.dev/minisign"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/sign"
)

// Signed is a formular read for a check, as far as the reading got: the
// digest of its raw bytes, its verified signature, and the formular
// parsed from those bytes.
type Signed struct {
	Path      string
	SHA256    string             // hex SHA-256 of the raw bytes; "" until read
	Signature *sign.Detached     // nil until verified
	Formular  *formular.Formular // nil until parsed
}

// ReadSigned reads the formular at path and checks its detached signature
// (path's sign.SignatureSuffix file) by pub over the raw bytes before
// anything is parsed: no byte the signer did not sign reaches the parser.
// On an error, the Signed returned holds what was learnt before it, for
// the report of a check that could not be made.
func ReadSigned(path string, pub minisign.PublicKey) (*Signed, error) {
	s := &Signed{Path: path}
	sum := sha256.New()
	msg, err := sign.ReadMessage(path, formular.MaxSize, "a formular", sum)
	if err != nil {
		return s, fmt.Errorf("formular: %w", err)
	}
	s.SHA256 = hex.EncodeToString(sum.Sum(nil))
	sig, err := sign.VerifyDetached(pub, "formular", path, msg)
	var unsigned *sign.NotSignedError
	if errors.As(err, &unsigned) {
		return s, fmt.Errorf("%w; an unsigned formular proves nothing", err)
	} else if err != nil {
		return s, err
	}
	s.Signature = &sig
	// msg.Data is never written: the formular is parsed without a copy,
	// then takes its own strings, so that the file's bytes (100 MB for a
	// million rows, most of them hex already decoded) are not kept for
	// the whole check.
	if s.Formular, err = formular.ParseBytes(msg.Data, path); err != nil {
		return s, err
	}
	s.Formular.Own()
	return s, nil
}
