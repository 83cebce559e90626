package main

import "github.com/rogpeppe/go-internal/testscript"

func mkfifo(ts *testscript.TestScript, neg bool, args []string) {
	ts.Fatalf("no FIFOs on Windows")
}
