package sign

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"aead.dev/minisign"
	"golang.org/x/crypto/blake2b"
)

// Verifier checks a detached signature over a file read as a stream, so
// that a large signed file (a report of a million items) is never held
// whole: what is read through it is hashed as minisign's prehashed
// signatures sign it. The signature is read and parsed first, before any
// of the file, so that a missing or malformed one is said at once.
type Verifier struct {
	pub    minisign.PublicKey
	what   string
	path   string
	sig    []byte
	r      io.Reader
	sum    func() []byte // BLAKE2b-512 of what was read (prehashed signatures)
	legacy *bytes.Buffer // the bytes read, for a legacy signature only
}

// NewVerifier prepares checking the detached signature of the file at
// path (read from path's SignatureSuffix file) over what is read through
// r, which reads that file. what names the file in errors ("report").
// A signature file that is not there is a *NotSignedError; one that
// cannot be parsed wraps ErrMalformedSignature.
func NewVerifier(pub minisign.PublicKey, what, path string, r io.Reader) (*Verifier, error) {
	sig, err := readDetached(what, path)
	if err != nil {
		return nil, err
	}
	var s minisign.Signature
	if err := s.UnmarshalText(sig); err != nil {
		return nil, fmt.Errorf("signature %s: %w: %s", path+SignatureSuffix, ErrMalformedSignature, strings.TrimPrefix(err.Error(), "minisign: "))
	}
	v := &Verifier{pub: pub, what: what, path: path, sig: sig}
	if s.Algorithm == minisign.HashEdDSA {
		h, _ := blake2b.New512(nil)
		v.sum = func() []byte { return h.Sum(nil) }
		v.r = io.TeeReader(r, h)
	} else {
		// A legacy signature signs the bytes themselves: they are kept.
		v.legacy = new(bytes.Buffer)
		v.r = io.TeeReader(r, v.legacy)
	}
	return v, nil
}

// Read reads the file, hashing what it reads.
func (v *Verifier) Read(p []byte) (int, error) { return v.r.Read(p) }

// Verify reads what is left of the file, then checks the signature over
// all of it. Only then may anything read through v be believed.
func (v *Verifier) Verify() (Detached, error) {
	if _, err := io.Copy(io.Discard, v.r); err != nil {
		return Detached{}, fmt.Errorf("%s %s: %w", v.what, v.path, err)
	}
	m := &Message{}
	if v.legacy != nil {
		m.Data = v.legacy.Bytes()
	} else {
		m.prehash = new([blake2b.Size]byte)
		copy(m.prehash[:], v.sum())
	}
	return verifyDetached(v.pub, v.path, m, v.sig)
}
