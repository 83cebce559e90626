package checksum

import (
	"strings"
	"testing"
)

// Lines of one file one after another become one entry, unless they
// repeat an algorithm; the size of a later line fills an unknown one.
func TestMergeByName(t *testing.T) {
	sha256, sha512 := mustAlg(t, "sha256"), mustAlg(t, "sha512")
	got := MergeByName([]Entry{
		{Name: "a", Size: -1, Sums: oneSum(sha256)},
		{Name: "a", Size: 7, Sums: oneSum(sha512)},
		{Name: "a", Size: -1, Sums: oneSum(sha512)},
		{Name: "b", Size: -1, Sums: oneSum(sha256)},
	})
	if len(got) != 3 || got[0].Name != "a" || len(got[0].Sums) != 2 || got[0].Size != 7 ||
		got[1].Name != "a" || len(got[1].Sums) != 1 || got[2].Name != "b" {
		t.Errorf("MergeByName = %+v", got)
	}
}

// A list whose only lines to join are its last two is still merged: the
// scan that keeps a list with nothing to join uncopied must look at
// every pair.
func TestMergeByNameJoinsAtTheEnd(t *testing.T) {
	sha256, sha512 := mustAlg(t, "sha256"), mustAlg(t, "sha512")
	got := MergeByName([]Entry{
		{Name: "a", Size: -1, Sums: oneSum(sha256)},
		{Name: "b", Size: -1, Sums: oneSum(sha256)},
		{Name: "c", Size: -1, Sums: oneSum(sha256)},
		{Name: "c", Size: 9, Sums: oneSum(sha512)},
	})
	if len(got) != 3 || got[2].Name != "c" || len(got[2].Sums) != 2 || got[2].Size != 9 {
		t.Errorf("MergeByName = %+v", got)
	}
}

// oneSum is the digest column of one line that names a.
func oneSum(a *Algorithm) []Sum { return []Sum{{Col: Column{Alg: a}}} }

func TestLengthAlgs(t *testing.T) {
	for _, f := range []Format{"", FormatAuto, FormatGNU, FormatBSD, FormatRhash, FormatRhashBSD} {
		var names []string
		for _, a := range LengthAlgs(f) {
			names = append(names, a.Name)
		}
		if got := strings.Join(names, ","); got != "sha256,sha512,sha1,md5" {
			t.Errorf("%q: %s", f, got)
		}
	}
	for _, f := range []Format{FormatHashdeep, FormatDpkg, FormatGostsum} {
		if algs := LengthAlgs(f); algs != nil {
			t.Errorf("%q: %v", f, algs)
		}
	}
}
