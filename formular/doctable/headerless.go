package doctable

import (
	"fmt"
	"sort"
	"strings"

	"github.com/sverka/sverka/checksum"
)

// headerless reads text without a table header: lines of a file name
// followed by hex digests ("README.txt  2391dbdb 5a2e070c ..."), a leading
// number and a size before the digests allowed. A digest may continue on
// the lines below its name; a name may continue on the line below when the
// line carries no digest. The algorithm comes from the digest length, or
// from Options.Algs when the length fits several.
func (p *textParser) headerless() error {
	type hrow struct {
		lines []int
		name  string
		size  int64
		hex   []string
		hexAt []int // line of each column's first piece
	}
	var rows []*hrow
	var cur *hrow
	last := -1 // line index of the last line used by cur
	for i, l := range p.lines {
		if l.raw == "" {
			continue
		}
		if reNoise().MatchString(l.raw) {
			p.skip(l, "page header or footer")
			continue
		}
		name, size, hexes := splitHeaderless(l)
		switch {
		case name != "" && len(hexes) > 0:
			cur = &hrow{lines: []int{l.n}, name: name, size: size}
			for _, h := range hexes {
				cur.hex = append(cur.hex, h)
				cur.hexAt = append(cur.hexAt, l.n)
			}
			rows = append(rows, cur)
		case name == "" && len(hexes) > 0:
			if cur == nil || last != i-1 {
				p.skip(l, "a digest without a file name")
				continue
			}
			for k, h := range hexes {
				if k < len(cur.hex) {
					cur.hex[k] += h
				} else {
					cur.hex = append(cur.hex, h)
					cur.hexAt = append(cur.hexAt, l.n)
				}
			}
			cur.lines = append(cur.lines, l.n)
		default:
			next := i + 1
			if next < len(p.lines) {
				if n, _, h := splitHeaderless(p.lines[next]); n == "" && len(h) > 0 {
					// The digest stands below its name.
					cur = &hrow{lines: []int{l.n}, name: name, size: size}
					rows = append(rows, cur)
					break
				}
			}
			if cur != nil && last == i-1 && len(cur.hex) > 0 {
				cur.name = joinName(cur.name, name)
				cur.lines = append(cur.lines, l.n)
				break
			}
			p.skipOutside(l, "no digest on the line")
			continue
		}
		last = i
	}
	if len(rows) == 0 {
		return nil
	}
	// Each digest column takes the length most of its digests have; a
	// digest of another length is a misread row, not a new algorithm.
	ncol := 0
	for _, r := range rows {
		ncol = max(ncol, len(r.hex))
	}
	cols := make([]checksum0, ncol)
	for k := range ncol {
		count := map[int]int{}
		for _, r := range rows {
			if k < len(r.hex) {
				count[len(r.hex[k])]++
			}
		}
		best, bn := 0, -1
		for n, c := range count {
			if c > bn || c == bn && n > best {
				best, bn = n, c
			}
		}
		cols[k].n = best
		line := 0
		for _, r := range rows {
			if k < len(r.hex) && len(r.hex[k]) == best {
				line = r.hexAt[k]
				break
			}
		}
		c, err := p.res.resolve(spec{kind: colDigest}, best, fmt.Sprintf("digest %d", k+1))
		if err != nil {
			return p.errorf(line, "%s", strings.TrimPrefix(err.Error(), fmt.Sprintf("column %q: ", fmt.Sprintf("digest %d", k+1))))
		}
		cols[k].col = c
	}
	for _, r := range rows {
		row := Row{Line: r.lines[0], Name: r.name, Size: r.size}
		why := ""
		for k, h := range r.hex {
			if len(h) != cols[k].n {
				why = fmt.Sprintf("a digest of %d hex digits where the others have %d", len(h), cols[k].n)
				break
			}
			d, err := decode(cols[k].col, h)
			if err != nil {
				why = err.Error()
				break
			}
			row.Digests = append(row.Digests, d)
		}
		if why != "" {
			sort.Ints(r.lines)
			for _, n := range r.lines {
				p.skipLine(n, why)
			}
			continue
		}
		p.rows = append(p.rows, row)
	}
	return nil
}

// checksum0 is a resolved headerless digest column.
type checksum0 struct {
	n   int
	col checksum.Column
}

// splitHeaderless splits a line into a file name, a size (-1 if none) and
// its digest cells, left to right.
func splitHeaderless(l textLine) (name string, size int64, hexes []string) {
	size = -1
	cells := l.cells
	// Digest cells from the right.
	k := len(cells)
	for k > 0 {
		h, ok := hexGroups(cells[k-1].text)
		if !ok || len(h) < 4 || reInteger().MatchString(cells[k-1].text) && k-1 > 0 && len(h) < 16 {
			break
		}
		hexes = append([]string{h}, hexes...)
		k--
	}
	left := cells[:k]
	// The cell before the digests may end in digest groups separated from
	// the name by one space only.
	if k > 0 {
		toks := tokens(left[k-1])
		j := len(toks)
		total := 0
		for j > 1 && reHexTok().MatchString(toks[j-1].text) {
			total += len(toks[j-1].text)
			j--
		}
		if j < len(toks) && total >= 16 {
			var parts, rest []string
			for _, t := range toks[j:] {
				parts = append(parts, t.text)
			}
			for _, t := range toks[:j] {
				rest = append(rest, t.text)
			}
			if len(hexes) > 0 {
				hexes[0] = strings.Join(parts, "") + hexes[0]
			} else {
				hexes = []string{strings.Join(parts, "")}
			}
			left = append(append([]cell(nil), left[:k-1]...), cell{text: strings.Join(rest, " ")})
		}
	}
	var words []string
	for i, c := range left {
		t := strings.TrimSpace(c.text)
		switch {
		case i == 0 && len(left) > 1 && reInteger().MatchString(t):
			continue // №
		case i == len(left)-1 && i > 0 && len(hexes) > 0:
			if n, ok := parseSize(t); ok {
				size = n
				continue
			}
		}
		if i == 0 {
			// "1 README.txt": a number glued to the name by one space.
			if f := strings.Fields(t); len(f) > 1 && reInteger().MatchString(f[0]) && strings.HasSuffix(f[0], ".") {
				t = strings.TrimSpace(strings.TrimPrefix(t, f[0]))
			}
		}
		words = append(words, t)
	}
	return strings.Join(words, " "), size, hexes
}
