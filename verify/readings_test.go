package verify

import (
	"strconv"
	"strings"
	"testing"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/settings"
)

// TestJudgeOtherReadings: a key given more than once passes only if every
// reading does; the first failing reading, in file order, names the item's
// value and status, and the detail names every line.
func TestJudgeOtherReadings(t *testing.T) {
	eqYes := formular.Param{Key: "S.k", Op: formular.OpEq, Values: []string{"yes"}}
	absent := formular.Param{Key: "S.k", Op: formular.OpAbsent}
	present := func(text string, line int) settings.Reading {
		return settings.Reading{Text: text, Line: line, Present: true}
	}
	tests := []struct {
		name    string
		p       formular.Param
		v       settings.Value
		present bool
		status  Status
		value   string
		has     bool
		detail  string
	}{
		{"given once", eqYes, settings.Value{Text: "yes", Line: 2}, true, OK, "yes", true, ""},
		{"every reading allowed", eqYes, settings.Value{Text: "yes", Line: 7, Others: []settings.Reading{present("yes", 2)}}, true, OK, "yes", true, ""},
		{"the first is not allowed", eqYes, settings.Value{Text: "yes", Line: 7, Others: []settings.Reading{present("no", 2)}}, true,
			Violated, "no", true, "given more than once in s.ini (lines 2, 7): a program may read the one at line 2"},
		{"the first failing of several", eqYes, settings.Value{Text: "yes", Line: 9, Others: []settings.Reading{present("yes", 2), present("x", 4), present("y", 6)}}, true,
			Violated, "x", true, "given more than once in s.ini (lines 2, 4, 6, 9): a program may read the one at line 4"},
		{"a reading where the key is absent", eqYes, settings.Value{Text: "yes", Line: 3, Others: []settings.Reading{{Line: 5}}}, true,
			Unset, "", false, "given more than once in s.ini (lines 3, 5): a program may read the one at line 5"},
		{"of more than 20 lines, the first 20 and the count", eqYes, settings.Value{Text: "yes", Line: 30, Others: manyReadings(present)}, true,
			Violated, "no", true, "given more than once in s.ini (25 lines, the first of them 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25): a program may read the one at line 29"},
		{"absent allowed, but present in a copy", absent, settings.Value{Others: []settings.Reading{present("1", 4)}}, false,
			Violated, "1", true, "given more than once in s.ini (lines 4): a program may read the one at line 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := Item{Name: tt.p.Key, Status: OK, Value: tt.v.Text, HasValue: tt.present}
			judgeOtherReadings(&it, tt.p, tt.v, tt.present, "s.ini")
			if it.Status != tt.status || it.Value != tt.value || it.HasValue != tt.has || it.Detail != tt.detail {
				t.Errorf("got %s %q (set %v) %q, want %s %q (set %v) %q", it.Status, it.Value, it.HasValue, it.Detail, tt.status, tt.value, tt.has, tt.detail)
			}
			if tt.detail != "" && (it.DetailCode != DetailDuplicateReading || it.DetailArgs["file"] != "s.ini" || it.DetailArgs["lines"] == "") {
				t.Errorf("detail code %s args %v", it.DetailCode, it.DetailArgs)
			}
			// The count is given only where lines are left out.
			if tt.detail != "" {
				n := strings.Count(it.DetailArgs["lines"], ",") + 1
				count, elided := it.DetailArgs["count"]
				c, _ := strconv.Atoi(count)
				if n > maxReadingLines || elided && (n != maxReadingLines || c <= n) {
					t.Errorf("%d lines named, count %q", n, count)
				}
			}
		})
	}
}

// manyReadings is 24 readings before the value's own at line 30: lines 6
// to 29, the last of them not allowed.
func manyReadings(present func(string, int) settings.Reading) []settings.Reading {
	var rs []settings.Reading
	for l := 6; l < 29; l++ {
		rs = append(rs, present("yes", l))
	}
	return append(rs, present("no", 29))
}
