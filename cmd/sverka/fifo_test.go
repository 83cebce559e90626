package main

import (
	"github.com/rogpeppe/go-internal/testscript"

	"github.com/sverka/sverka/internal/testkit"
)

// mkfifo is the testscript command 'mkfifo PATH'; it fails on Windows,
// which has no FIFOs.
func mkfifo(ts *testscript.TestScript, neg bool, args []string) {
	ts.Check(testkit.Mkfifo(ts.MkAbs(args[0])))
}
