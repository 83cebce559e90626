// Package checksumtest gives tests the registered checksum algorithms by
// name. It is imported by _test.go files only. The checksum package's own
// tests cannot import it (it imports checksum) and keep their one helper.
package checksumtest

import (
	"testing"

	"github.com/sverka/sverka/checksum"
)

// Alg returns the registered algorithm called name; the test fails if
// there is none.
func Alg(t testing.TB, name string) *checksum.Algorithm {
	t.Helper()
	a, err := checksum.Lookup(name)
	if err != nil {
		t.Fatalf("checksum registry: %v", err)
	}
	return a
}

// Algs returns the registered algorithms called names, in order.
func Algs(t testing.TB, names ...string) []*checksum.Algorithm {
	t.Helper()
	out := make([]*checksum.Algorithm, 0, len(names))
	for _, n := range names {
		out = append(out, Alg(t, n))
	}
	return out
}
