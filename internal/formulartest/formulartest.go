// Package formulartest makes formular tables for tests from trees of
// files. It is imported by _test.go files only.
package formulartest

import (
	"context"
	"strings"
	"testing"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/survey"
)

// Table makes a table of the given kind describing the files under root
// as they are now, with a column for each of algs, a comma-separated list
// of column names as -a takes them ("sha256,gost94-cryptopro").
func Table(t testing.TB, kind formular.Kind, root, algs string) *formular.Table {
	t.Helper()
	var cols []checksum.Column
	for _, n := range strings.Split(algs, ",") {
		c, err := checksum.ParseColumn(n)
		if err != nil {
			t.Fatal(err)
		}
		cols = append(cols, c)
	}
	tab, _, err := survey.Tree(context.Background(), kind, root, cols, survey.Options{})
	if err != nil {
		t.Fatalf("making a %s table of %s: %v", kind, root, err)
	}
	return tab
}
