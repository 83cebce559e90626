//go:build !windows

package main

import (
	"syscall"

	"github.com/rogpeppe/go-internal/testscript"
)

func mkfifo(ts *testscript.TestScript, neg bool, args []string) {
	ts.Check(syscall.Mkfifo(ts.MkAbs(args[0]), 0o644))
}
