// Package near finds the name a mistyped one most likely meant: a
// command, a flag, a root variable.
package near

import "strings"

// Name returns the candidate a mistyped name most likely meant: one
// that differs in letter case only, else one within a small edit distance
// (one edit for short names, two from five letters on); "" if none is
// near.
func Name(name string, candidates []string) string {
	best, bestD := "", -1
	for _, c := range candidates {
		if strings.EqualFold(c, name) {
			return c
		}
		limit := 1
		if len([]rune(name)) >= 5 {
			limit = 2
		}
		if d := Distance(strings.ToLower(name), strings.ToLower(c)); d <= limit && (bestD < 0 || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// Distance is the edit distance of a and b (insertions, deletions,
// substitutions and swaps of neighbours), by runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
