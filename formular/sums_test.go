package formular

import (
	"bytes"
	"testing"

	"github.com/sverka/sverka/checksum"
)

// TestRowSums: a row's digests are one slice, a column's cut from it by
// the columns' sizes; a result's digests, one a column, compare equal
// only column by column and whole.
func TestRowSums(t *testing.T) {
	sha, _ := checksum.Lookup("sha256")
	md5, _ := checksum.Lookup("md5")
	cols := []checksum.Column{{Alg: sha}, {Alg: md5}}
	a, b := bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 16)
	e := Entry{Sums: JoinSums([][]byte{a, b})}
	if got := e.Sum(cols, 0); !bytes.Equal(got, a) {
		t.Errorf("column 0: %x", got)
	}
	if got := e.Sum(cols, 1); !bytes.Equal(got, b) {
		t.Errorf("column 1: %x", got)
	}
	if got := SplitSums(cols, e.Sums); len(got) != 2 || !bytes.Equal(got[0], a) || !bytes.Equal(got[1], b) {
		t.Errorf("split: %x", got)
	}
	if SplitSums(cols, nil) != nil {
		t.Error("split of no digests is not nil")
	}
	if got := SumOf(cols, a, 1); got != nil {
		t.Errorf("a column past the row's digests: %x, want nil", got)
	}
	if SumsWidth(cols) != 48 {
		t.Error("width of sha256 and md5 is not 48")
	}
	// Appending to a column's digest must not write over the next.
	_ = append(e.Sum(cols, 0), 9)
	if !bytes.Equal(e.Sum(cols, 1), b) {
		t.Error("appending to column 0 changed column 1")
	}
	for _, c := range []struct {
		name string
		got  [][]byte
		want bool
	}{
		{"same", [][]byte{a, b}, true},
		{"other md5", [][]byte{a, a[:16]}, false},
		{"columns swapped", [][]byte{b, a}, false},
		{"one column", [][]byte{a}, false},
		{"one more", [][]byte{a, b, b}, false},
		{"short digest", [][]byte{a[:31], append(a[31:], b...)}, false},
		{"none", nil, false},
	} {
		if got := SumsEqual(cols, e.Sums, c.got); got != c.want {
			t.Errorf("%s: equal %v, want %v", c.name, got, c.want)
		}
	}
	if SumsEqual(cols, e.Sums[:47], [][]byte{a, b[:15]}) {
		t.Error("a short row equals a short result")
	}
}
