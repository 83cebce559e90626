package checksum

// LengthAlgs are the algorithms an untagged digest of a list in format is
// read as, told apart by its length as the coreutils tools would: sha256,
// sha512, sha1 and md5 for the generic formats (GNU, BSD, rhash); nil for
// the formats that say their algorithm themselves. BLAKE3 and GOST lists
// say so with a tag, a format (gostsum, gost12sum) or an explicit
// algorithm: never guessed.
func LengthAlgs(format Format) []*Algorithm {
	switch format {
	case "", FormatAuto, FormatGNU, FormatBSD, FormatRhash, FormatRhashBSD:
		algs, _ := ParseNames("sha256,sha512,sha1,md5")
		return algs
	}
	return nil
}

// MergeByName joins the entries that name the same file one after another
// (rhash --bsd and --tag with several algorithms write one line per
// algorithm), so that each file is read once and judged once. Entries of
// one name with the same algorithm stay apart.
func MergeByName(entries []Entry) []Entry {
	// Most lists name each file once: they are kept as they are, not
	// copied (a million entries are 64 MB).
	joins := false
	for i := 1; i < len(entries) && !joins; i++ {
		joins = joinable(&entries[i-1], &entries[i])
	}
	if !joins {
		return entries
	}
	out := entries[:0:0]
	for _, e := range entries {
		if n := len(out); n > 0 && joinable(&out[n-1], &e) {
			out[n-1].Sums = append(out[n-1].Sums, e.Sums...)
			if out[n-1].Size < 0 {
				out[n-1].Size = e.Size
			}
			continue
		}
		out = append(out, e)
	}
	return out
}

// joinable says whether e names prev's file with other algorithms.
func joinable(prev, e *Entry) bool {
	return prev.Name == e.Name && !sharesAlg(prev.Sums, e.Sums)
}

func sharesAlg(have, more []Sum) bool {
	for _, a := range have {
		for _, b := range more {
			if a.Col.Alg == b.Col.Alg {
				return true
			}
		}
	}
	return false
}
