// Command readreport reads a saved sverka report as 'sverka report
// render' does before it renders anything: the document checked member
// by member as it streams from the file, and its verdict, reasons and
// counts held to its items. It renders nothing and checks no signature,
// so that bench/run can time the reading alone.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/sverka/sverka/report"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintf(os.Stderr, "readreport: %v\n", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 1 {
		return errors.New("usage: readreport REPORT.json")
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	r, err := report.Read(f)
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	items := 0
	for _, t := range r.Result.Tables {
		items += t.Len()
	}
	fmt.Printf("%s: %s, %d tables, %d items\n", args[0], r.Result.Verdict, len(r.Result.Tables), items)
	return nil
}
