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
		lines, count := readingLines(v, present)
		it.setDetail(duplicateReading(file, lines, count, r.Line))
		return
	}
}

// maxReadingLines is the most lines a duplicate-reading detail names: a
// settings file on the checked host may give one key millions of times,
// and every line named would make the report a copy of it (a 12 MB file
// of one key, one reading wrong: a report of 34 MB, past what a fleet's
// collector takes).
const maxReadingLines = 20

// readingLines returns the first maxReadingLines lines of the readings of
// v, in order, and how many lines give it in all.
func readingLines(v settings.Value, present bool) (lines []int, count int) {
	if present && v.Line > 0 {
		lines = append(lines, v.Line)
	}
	for _, r := range v.Others {
		if r.Line > 0 {
			lines = append(lines, r.Line)
		}
	}
	slices.Sort(lines)
	lines = slices.Compact(lines)
	return lines[:min(len(lines), maxReadingLines)], len(lines)
}

// duplicateReading is the detail of a failing reading at line, of count
// lines giving the key, the first of them lines.
func duplicateReading(file string, lines []int, count, line int) Message {
	s := make([]string, len(lines))
	for i, l := range lines {
		s[i] = strconv.Itoa(l)
	}
	list := strings.Join(s, ", ")
	if count > len(lines) {
		return detail(DetailDuplicateReading,
			fmt.Sprintf("given more than once in %s (%d lines, the first of them %s): a program may read the one at line %d", file, count, list, line),
			"file", file, "lines", list, "count", strconv.Itoa(count), "line", strconv.Itoa(line))
	}
	return detail(DetailDuplicateReading,
		fmt.Sprintf("given more than once in %s (lines %s): a program may read the one at line %d", file, list, line),
		"file", file, "lines", list, "line", strconv.Itoa(line))
}
