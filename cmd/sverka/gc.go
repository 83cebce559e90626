package main

import (
	"os"
	"runtime"
	"runtime/debug"
)

// tuneGC collects more often than Go's default while a table is made,
// checked or read back from a report, or a list is checked, unless GOGC
// says otherwise: what is kept is the table (120 MB of a million rows)
// or the list, and the findings, while the walk's listings, the reads'
// results and the report's decoded JSON are garbage, and at the default
// a collection waits for as much garbage as is kept. Half as much keeps
// a check of a million rows at a third of the memory for no more time
// (fresh pages cost as much as collecting), and a check of 100,000 at
// two thirds.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
}

// parsed runs parse, the reading of a large file (a formular, a list)
// whose bytes are live beside what is cut from them: at a million rows
// 100 MB beside 150 MB. A collection's goal counts both, so the work
// after would grow the heap to half as much again as the two together
// before the first collection that finds the bytes gone (a check of a
// million rows: 380 MB). So, unless GOGC says otherwise, the parse
// collects more often, and the work after starts from a collection made
// once the bytes are gone. A file under bigParse (a kit's list or table)
// is parsed as it is: those collections would cost it milliseconds, on
// the way to the first file hashed, for no memory worth saving.
func parsed(path string, parse func()) {
	if os.Getenv("GOGC") != "" {
		parse()
		return
	}
	if path != "-" { // standard input, whatever a file of that name holds
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() < bigParse {
			parse()
			return
		}
	}
	old := debug.SetGCPercent(20)
	defer debug.SetGCPercent(old)
	parse()
	runtime.GC()
}

// bigParse is the size from which parsed collects as it goes: 8 MiB is
// about 80,000 lines of a list or rows of a table.
const bigParse = 8 << 20
