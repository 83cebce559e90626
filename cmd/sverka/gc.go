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
// (fresh pages cost as much as collecting). A check of a smaller table
// or list goes back to the default once it is parsed (parsed).
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcTight)
	}
}

// gcTight is tuneGC's setting.
const gcTight = 50

// gcList is the setting after a large checksum list: its entries keep
// each digest and name apart (170 bytes an entry, where a table's row
// takes about 120), and at gcTight the hash -c of a million lines grew
// to 320–330 MB against 283–289 MB here, for the same wall time (user
// CPU 4.3 s against 4.0).
const gcList = 30

// parsed runs parse, the reading of a large file (a formular, a list),
// and sets the collector for the work after it: big after a file of
// bigTable or more (or of a size not known), gcTight or gcList. A
// formular's bytes are live beside what is cut from them while it is
// parsed: at a million rows 100 MB beside 150 MB (a list is read as a
// stream). A collection's goal counts both, so the work
// after would grow the heap to half as much again as the two together
// before the first collection that finds the bytes gone (a check of a
// million rows: 380 MB). So, unless GOGC says otherwise, the parse
// collects more often, and the work after starts from a collection made
// once the bytes are gone. A file under bigParse (a kit's list or table)
// is parsed as it is: those collections would cost it milliseconds, on
// the way to the first file hashed, for no memory worth saving.
//
// After a file under bigTable the run collects at Go's default: what it
// keeps is then tens of megabytes, and collecting at half as much cost
// the check of 100,000 rows a twentieth of its CPU time (best of 11:
// 1.63 s against 1.77 s) for 10 MB less. After any other it collects at
// big, whatever a list parsed before it left.
func parsed(path string, big int, parse func()) {
	if os.Getenv("GOGC") != "" {
		parse()
		return
	}
	size := int64(-1) // not known: standard input, whatever a file of that name holds
	if path != "-" {
		if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
			size = fi.Size()
		}
	}
	after := big
	if size >= 0 && size < bigTable {
		after = 100
	}
	if size >= 0 && size < bigParse {
		parse()
		debug.SetGCPercent(after)
		return
	}
	debug.SetGCPercent(20)
	parse()
	runtime.GC()
	debug.SetGCPercent(after)
}

const (
	// bigParse is the size from which parsed collects as it goes: 8 MiB
	// is about 80,000 lines of a list or rows of a table.
	bigParse = 8 << 20
	// bigTable is the size from which the run after the parse collects
	// as tuneGC has it: 32 MiB is about 300,000 rows of a table.
	bigTable = 32 << 20
)
