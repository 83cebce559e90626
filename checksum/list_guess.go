package checksum

import (
	"bytes"
	"context"
	"fmt"
	"strings"
)

// Assumed names the algorithms of entries that were told by the digest's
// length alone (Sum.ByLength), and the others of that length, as a
// sentence for the user; "" when no digest was read so. A list read that
// way is read as sha256sum reads it, and the sentence says what a BLAKE3 or
// GOST list of the same length needs instead.
func Assumed(entries []Entry) string {
	var algs []*Algorithm
	seen := map[*Algorithm]bool{}
	for _, e := range entries {
		for _, s := range e.Sums {
			if s.ByLength && !seen[s.Col.Alg] {
				seen[s.Col.Alg] = true
				algs = append(algs, s.Col.Alg)
			}
		}
	}
	var parts []string
	for _, a := range algs {
		var others []*Algorithm
		for _, o := range ByHexLen(a.HexLen()) {
			if o != a {
				others = append(others, o)
			}
		}
		parts = append(parts, fmt.Sprintf("%s assumed from the length of the digests (%d hex digits), as %ssum reads them; %s digests have that length too",
			a.Name, a.HexLen(), a.Name, algList(others)))
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "; ") + ": a list of one of them needs -a or its --from format"
}

// OtherColumns are the columns a digest listed under col may have been
// written for instead: every other algorithm of its length, the GOST R
// 34.11-94 ones in both byte orders. col's own algorithm in the other order
// is not among them: Column.ReadReversed tells that case.
func OtherColumns(col Column) []Column {
	var out []Column
	for _, a := range ByHexLen(col.Alg.HexLen()) {
		if a == col.Alg {
			continue
		}
		out = append(out, Column{Alg: a})
		if a.GOST && strings.HasPrefix(a.Name, "gost94") {
			out = append(out, Column{Alg: a, Reversed: true})
		}
	}
	return out
}

// MatchesAs says whether want, a digest a list gave for the column col
// (held in canonical order), is got, a digest of other's algorithm,
// when the list's hex is read as other's column.
func MatchesAs(col Column, want []byte, other Column, got []byte) bool {
	written := want
	if col.Reversed {
		written = Reverse(want)
	}
	if other.Reversed {
		written = Reverse(written)
	}
	return bytes.Equal(written, got)
}

// Reading is a column a list's digests match when read as another.
type Reading struct {
	// Listed is the column the list was read with.
	Listed Column
	// As is the column under which every file tried matches.
	As Column
}

// Flags are the options of hash -c and formular import that read a list's
// untagged digests as r.As.
func (r Reading) Flags() string {
	if r.As.Reversed {
		return "-a " + r.As.Alg.Name + " --gost-reverse"
	}
	return "-a " + r.As.Alg.Name
}

// Rereadings hashes the files of entries (those of a check that all
// failed; the caller passes the first few) with the other algorithms of
// each digest's length, and returns the readings under which every file
// tried matches, with the number of files that could be read. It never
// changes a verdict: it only says how the list was probably meant to be
// read. Files that cannot be read are left out.
func Rereadings(ctx context.Context, entries []Entry, opt Options) ([]Reading, int, error) {
	jobs := make([]Job, len(entries))
	for i, e := range entries {
		var algs []*Algorithm
		for _, s := range e.Sums {
			for _, c := range OtherColumns(s.Col) {
				if !hasAlg(algs, c.Alg) {
					algs = append(algs, c.Alg)
				}
			}
		}
		jobs[i] = Named(e.Name, false)
		jobs[i].Algs = algs
	}
	type key struct{ listed, as Column }
	count := map[key]int{}
	var listed []Column
	for _, e := range entries {
		for _, s := range e.Sums {
			if !hasColumn(listed, s.Col) {
				listed = append(listed, s.Col)
			}
		}
	}
	tried := 0
	err := HashFiles(ctx, jobs, nil, opt, func(r Result) error {
		if r.Err != nil || len(jobs[r.Index].Algs) == 0 {
			return nil
		}
		tried++
		got := map[*Algorithm][]byte{}
		for i, a := range jobs[r.Index].Algs {
			got[a] = r.Sums[i]
		}
		for _, s := range entries[r.Index].Sums {
			for _, c := range OtherColumns(s.Col) {
				if !MatchesAs(s.Col, s.Digest, c, got[c.Alg]) {
					continue
				}
				count[key{s.Col, c}]++
			}
		}
		return nil
	})
	if err != nil {
		return nil, tried, err
	}
	var out []Reading
	for _, l := range listed {
		for _, c := range OtherColumns(l) {
			if tried > 0 && count[key{l, c}] == tried {
				out = append(out, Reading{Listed: l, As: c})
			}
		}
	}
	return out, tried, nil
}

func hasColumn(cols []Column, c Column) bool {
	for _, d := range cols {
		if d == c {
			return true
		}
	}
	return false
}
