// Package lazyre holds regular expressions compiled on their first use
// rather than when the program starts: every run of sverka starts every
// package it links, and most runs match none of a package's expressions.
package lazyre

import (
	"regexp"
	"sync"
)

// New returns a function that compiles expr on its first call and
// returns the same expression on every call. An expr that does not
// compile panics there, as regexp.MustCompile does; the expressions are
// the program's own, and each package's tests use them.
func New(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}

// Match returns re's MatchString, for tables of checks that hold a
// matching function.
func Match(re func() *regexp.Regexp) func(string) bool {
	return func(s string) bool { return re().MatchString(s) }
}
