package formular

import "strings"

// MaxSize bounds a formular file: ten times the largest formular seen (a
// Windows product of 100,000 modules is some 30 MB), and small enough that
// a path naming something endless cannot exhaust memory.
const MaxSize = 1 << 30

// TrustedComment returns the trusted comment sverka signs a formular with:
// its identifier, product and version, separated by "; " so that it reads
// the same in minisign's output and in a printed report.
func TrustedComment(f *Formular) string {
	var parts []string
	for _, k := range []string{KeyFormularID, KeyProduct, KeyVersion} {
		if v := f.Get(k); v != "" {
			parts = append(parts, k+": "+oneLine(v))
		}
	}
	if len(parts) == 0 {
		return "sverka formular"
	}
	return "sverka formular; " + strings.Join(parts, "; ")
}

// oneLine drops control characters so that a value cannot break the
// signature file's line structure.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
}
