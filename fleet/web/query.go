package web

import (
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/sverka/sverka/fleet"
)

// states maps the state= values of the host list to the store's states.
var states = map[string]string{
	"holds":   fleet.Holds,
	"nothold": fleet.NotHold,
	"cannot":  fleet.CannotCheck,
	"overdue": fleet.Overdue,
}

// stateToken is the state= value of a store state.
func stateToken(s string) string {
	for k, v := range states {
		if v == s {
			return k
		}
	}
	return ""
}

// maxValue bounds a query value: a name, not a document.
const maxValue = 1024

// ParseFilter reads the filters of the host list and the findings from a
// query: state (holds, nothold, cannot, overdue), group (repeated),
// product, formular (a SHA-256 in hex) and lang. Anything else, a value
// given twice where one is meant, or a value out of its range is an error
// naming it.
func ParseFilter(q url.Values) (fleet.Filter, error) {
	var f fleet.Filter
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range q {
			if !yield(k) {
				return
			}
		}
	}) {
		vs := q[k]
		for _, v := range vs {
			if len(v) > maxValue {
				return f, fmt.Errorf("%s: longer than %d bytes", k, maxValue)
			}
		}
		if k != "group" && len(vs) > 1 {
			return f, fmt.Errorf("%s given %d times", k, len(vs))
		}
		switch k {
		case "lang":
			// Negotiate checks it.
		case "state":
			if vs[0] == "" {
				continue
			}
			s, ok := states[vs[0]]
			if !ok {
				return f, fmt.Errorf("state must be holds, nothold, cannot or overdue, not %q", vs[0])
			}
			f.State = s
		case "group":
			for _, g := range vs {
				if g != "" {
					f.Groups = append(f.Groups, g)
				}
			}
		case "product":
			f.Product = vs[0]
		case "formular":
			v := strings.ToLower(vs[0])
			if v != "" && !isSHA256(v) {
				return f, fmt.Errorf("formular must be a SHA-256 in hex (64 digits), not %q", vs[0])
			}
			f.FormularSHA256 = v
		default:
			return f, fmt.Errorf("unknown parameter %q", k)
		}
	}
	return f, nil
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := range len(s) {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// filterQuery is the query that gives f back, lang first when given.
func filterQuery(f fleet.Filter, lang string) url.Values {
	q := url.Values{}
	if lang != "" {
		q.Set("lang", lang)
	}
	if s := stateToken(f.State); s != "" {
		q.Set("state", s)
	}
	for _, g := range f.Groups {
		q.Add("group", g)
	}
	if f.Product != "" {
		q.Set("product", f.Product)
	}
	if f.FormularSHA256 != "" {
		q.Set("formular", f.FormularSHA256)
	}
	return q
}
