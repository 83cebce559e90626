package verify

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/settings"
)

// judgeOtherReadings fails an item whose value passed when its key is given
// more than once and another of its readings does not: programs differ in
// which occurrence they take (Windows' INI reader the first, most others the
// last), so a value a program may read is never left unjudged. The item
// takes the first failing reading, in file order: VIOLATED for a value,
// UNSET for a reading in which the key is absent.
func judgeOtherReadings(it *Item, p formular.Param, v settings.Value, present bool, file string) {
	for _, r := range v.Others {
		if ok, _, _ := p.Check(r.Text, r.Present); ok {
			continue
		}
		it.Status = Violated
		if !r.Present {
			it.Status = Unset
		}
		it.Value, it.HasValue = r.Text, r.Present
		it.setDetail(duplicateReading(file, readingLines(v, present), r.Line))
		return
	}
}

// readingLines lists the lines of every reading of v, in order.
func readingLines(v settings.Value, present bool) []int {
	var lines []int
	if present && v.Line > 0 {
		lines = append(lines, v.Line)
	}
	for _, r := range v.Others {
		if r.Line > 0 {
			lines = append(lines, r.Line)
		}
	}
	slices.Sort(lines)
	return slices.Compact(lines)
}

func duplicateReading(file string, lines []int, line int) Message {
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = strconv.Itoa(l)
	}
	list := strings.Join(s, ", ")
	return detail(DetailDuplicateReading,
		fmt.Sprintf("given more than once in %s (lines %s): a program may read the one at line %d", file, list, line),
		"file", file, "lines", list, "line", strconv.Itoa(line))
}
