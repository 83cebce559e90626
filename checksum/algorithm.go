package checksum

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"slices"
	"sort"
	"strings"

	"github.com/sverka/sverka/checksum/gost"
)

// Algorithm describes one registered digest algorithm.
type Algorithm struct {
	// Name is the name users type (-a) and formulars use: rhash's spelling.
	Name string
	// Tag is the BSD-style tag written by `--tag` and rhash `--bsd`.
	Tag string
	// Size is the digest length in bytes.
	Size int
	// Legacy marks algorithms that are broken for integrity use (md5,
	// sha1): accepted for checking old lists, flagged weak in every output.
	Legacy bool
	// GOST marks the GOST algorithms, whose digests tools print in two
	// byte orders (see Column.Reversed).
	GOST bool
	// New returns a fresh hash.
	New func() hash.Hash
	// split, if set, returns a hash that hashes a large write on the idle
	// cores of c as well: for a tree hash, whose subtrees are independent.
	split func(c *cores) hash.Hash
}

// newOn returns a fresh hash that may borrow c's idle cores (nil: none).
func (a *Algorithm) newOn(c *cores) hash.Hash {
	if a.split != nil && c != nil {
		return a.split(c)
	}
	return a.New()
}

// HexLen is the length of the algorithm's digest in hex digits.
func (a *Algorithm) HexLen() int { return 2 * a.Size }

func (a *Algorithm) String() string { return a.Name }

// registry is filled once at package initialisation and never changed.
var registry = []*Algorithm{
	{Name: "sha256", Tag: "SHA256", Size: 32, New: sha256.New},
	{Name: "sha512", Tag: "SHA512", Size: 64, New: sha512.New},
	{Name: "blake3", Tag: "BLAKE3", Size: 32, New: func() hash.Hash { return newBlake3(nil) },
		split: func(c *cores) hash.Hash { return newBlake3(c) }},
	{Name: "gost12-256", Tag: "GOST12-256", Size: 32, GOST: true, New: gost.New256},
	{Name: "gost12-512", Tag: "GOST12-512", Size: 64, GOST: true, New: gost.New512},
	{Name: "gost94", Tag: "GOST94", Size: 32, GOST: true, New: gost.New94},
	{Name: "gost94-cryptopro", Tag: "GOST94-CRYPTOPRO", Size: 32, GOST: true, New: gost.New94CryptoPro},
	{Name: "md5", Tag: "MD5", Size: 16, Legacy: true, New: md5.New},
	{Name: "sha1", Tag: "SHA1", Size: 20, Legacy: true, New: sha1.New},
}

// Algorithms returns every registered algorithm in registry order.
func Algorithms() []*Algorithm {
	return append([]*Algorithm(nil), registry...)
}

// Names returns the registered names, sorted.
func Names() []string {
	var n []string
	for _, a := range registry {
		n = append(n, a.Name)
	}
	sort.Strings(n)
	return n
}

// Lookup finds an algorithm by its name or its BSD tag, case-insensitively.
// A few common spellings used by other tools are accepted too
// (SHA-256, GOST12-256 written as STREEBOG256 by some tools is not).
func Lookup(name string) (*Algorithm, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	n = strings.ReplaceAll(n, "_", "-")
	switch n {
	case "sha-256":
		n = "sha256"
	case "sha-512":
		n = "sha512"
	case "sha-1":
		n = "sha1"
	}
	for _, a := range registry {
		if a.Name == n || strings.ToLower(a.Tag) == n {
			return a, nil
		}
	}
	return nil, fmt.Errorf("unknown algorithm %q (known: %s)", name, strings.Join(Names(), ", "))
}

// ByHexLen returns the algorithms whose hex digest has n digits.
func ByHexLen(n int) []*Algorithm {
	var out []*Algorithm
	for _, a := range registry {
		if a.HexLen() == n {
			out = append(out, a)
		}
	}
	return out
}

// shortestHex is the fewest hex digits an algorithm's digest has.
func shortestHex() int {
	n := registry[0].HexLen()
	for _, a := range registry[1:] {
		n = min(n, a.HexLen())
	}
	return n
}

// hexLenCount is how many algorithms have hex digests of n digits, told
// without building their list: a list's every line asks.
func hexLenCount(n int) int {
	c := 0
	for _, a := range registry {
		if a.HexLen() == n {
			c++
		}
	}
	return c
}

// ParseNames parses a comma-separated algorithm list such as
// "sha256,gost12-256". Duplicates are an error: each is computed once.
func ParseNames(list string) ([]*Algorithm, error) {
	var out []*Algorithm
	seen := map[string]bool{}
	for _, f := range strings.Split(list, ",") {
		if strings.TrimSpace(f) == "" {
			continue
		}
		a, err := Lookup(f)
		if err != nil {
			return nil, err
		}
		if seen[a.Name] {
			return nil, fmt.Errorf("algorithm %s given twice", a.Name)
		}
		seen[a.Name] = true
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no algorithm given")
	}
	return out, nil
}

// Column is an algorithm together with the byte order its digests are
// written in. Digests are always held in memory in the order rhash and
// openssl print them; Reversed only changes how they are read and written
// as hex (gostsum's and rhash --gost-reverse's order).
type Column struct {
	Alg      *Algorithm
	Reversed bool
}

// ReversedSuffix marks a byte-reversed GOST column, as in
// "gost94-cryptopro/reversed".
const ReversedSuffix = "/reversed"

// ParseColumn parses "ALG" or "ALG/reversed" (GOST algorithms only).
func ParseColumn(s string) (Column, error) {
	name, rev := strings.CutSuffix(s, ReversedSuffix)
	a, err := Lookup(name)
	if err != nil {
		return Column{}, err
	}
	if rev && !a.GOST {
		return Column{}, fmt.Errorf("%s: only GOST digests have a reversed byte order", s)
	}
	return Column{Alg: a, Reversed: rev}, nil
}

func (c Column) String() string {
	if c.Reversed {
		return c.Alg.Name + ReversedSuffix
	}
	return c.Alg.Name
}

// Encode writes a digest as lowercase hex in the column's byte order.
func (c Column) Encode(sum []byte) string {
	// Through a stack buffer: one allocation per digest, not two, which
	// counts on a report of 100,000 files.
	var buf [2 * 64]byte
	return string(c.AppendEncode(buf[:0], sum))
}

// AppendEncode appends the hex of sum, as Encode writes it, to dst.
func (c Column) AppendEncode(dst, sum []byte) []byte {
	if c.Reversed {
		sum = Reverse(sum)
	}
	return hex.AppendEncode(dst, sum)
}

// Decode reads a hex digest written in the column's byte order and returns
// it in canonical order. It checks the length against the algorithm.
func (c Column) Decode(h string) ([]byte, error) {
	return c.AppendDecode(nil, h)
}

// AppendDecode appends the digest Decode reads from h to dst: a reader of
// many digests keeps them in blocks rather than one allocation each.
func (c Column) AppendDecode(dst []byte, h string) ([]byte, error) {
	if len(h) != c.Alg.HexLen() {
		return dst, fmt.Errorf("%s digest must have %d hex digits, got %d", c.Alg.Name, c.Alg.HexLen(), len(h))
	}
	n := len(dst)
	for i := 0; i < len(h); i += 2 {
		hi, ok1 := unhex(h[i])
		lo, ok2 := unhex(h[i+1])
		if !ok1 || !ok2 {
			return dst[:n], fmt.Errorf("%s digest is not hex: %q", c.Alg.Name, h)
		}
		dst = append(dst, hi<<4|lo)
	}
	if c.Reversed {
		slices.Reverse(dst[n:])
	}
	return dst, nil
}

func unhex(c byte) (byte, bool) {
	v := hexVal[c]
	return v, v != notHex
}

// hexVal is each byte's value as a hex digit, or notHex: a digest's digits
// are random, so comparisons branch at random, and a list of a few
// thousand lines took milliseconds of mispredicted branches.
var hexVal = func() (t [256]byte) {
	for i := range t {
		t[i] = notHex
	}
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c - '0'
	}
	for c := byte('a'); c <= 'f'; c++ {
		t[c], t[c-'a'+'A'] = c-'a'+10, c-'a'+10
	}
	return t
}()

const notHex = 0xff

// IsLowerHex reports whether s holds lower-case hex digits alone (true
// for ""), as a digest is written back. The bytes are looked up without
// a branch each: a saved report's hundred thousand items hold four
// digests each to check.
func IsLowerHex(s string) bool {
	var bad byte
	for i := 0; i < len(s); i++ {
		bad |= notLowerHex[s[i]]
	}
	return bad == 0
}

// notLowerHex is 1 for each byte that is not a lower-case hex digit.
var notLowerHex = func() (t [256]byte) {
	for i := range t {
		if c := byte(i); hexVal[c] == notHex || c >= 'A' && c <= 'F' {
			t[i] = 1
		}
	}
	return t
}()

// Reverse returns a copy of b with its bytes in reverse order.
func Reverse(b []byte) []byte {
	r := make([]byte, len(b))
	for i, v := range b {
		r[len(b)-1-i] = v
	}
	return r
}

// ReadReversed says whether want, a digest a list gave for the column c,
// differs from got, the digest computed, only by the order of its bytes:
// the list was read in the other byte order, and the column it was
// written for is returned. Only GOST digests have two byte orders.
func (c Column) ReadReversed(want, got []byte) (Column, bool) {
	if !c.Alg.GOST || len(want) != len(got) || bytes.Equal(want, got) {
		return Column{}, false
	}
	for i, v := range want {
		if got[len(got)-1-i] != v {
			return Column{}, false
		}
	}
	return Column{Alg: c.Alg, Reversed: !c.Reversed}, true
}
