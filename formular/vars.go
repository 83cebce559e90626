package formular

import (
	"fmt"
	"strings"
)

// SourceVar returns the root variable a parameters table's source= starts
// with ("INSTALLDIR" for ${INSTALLDIR}/etc/x.ini) and true; false when the
// source is a path or there is none.
func (t *Table) SourceVar() (string, bool) {
	if t.Kind != KindParameters || t.Source == "" {
		return "", false
	}
	head := t.Source
	if i := strings.IndexAny(head, `/\`); i > 0 {
		head = head[:i]
	}
	return (&Table{Root: head}).RootVar()
}

// CheckSourceVar says why a verifier could not find t's settings file by
// itself: its source= starts with a root variable that no modules table
// of f is rooted at, and that is not one of the Windows variables that
// resolve by themselves. Such a formular needs --var at every check, and
// a misspelt variable looks like a missing settings file; nil when the
// source can be placed.
func (f *Formular) CheckSourceVar(t *Table) error {
	name, ok := t.SourceVar()
	if !ok {
		return nil
	}
	if strings.HasPrefix(t.Source, "%") {
		for _, w := range windowsVars {
			if strings.EqualFold(w, name) {
				return nil
			}
		}
	}
	var declared []string
	for _, m := range f.Tables {
		if m.Kind != KindModules {
			continue
		}
		if v, ok := m.RootVar(); ok {
			if v == name {
				return nil
			}
			declared = append(declared, v)
		}
	}
	msg := fmt.Sprintf("[parameters] source=%s: no modules table declares the root variable %s, so verify cannot find the file without --var %s=PATH", t.Source, name, name)
	switch {
	case len(declared) == 0:
		msg += "; the formular declares no root variable"
	default:
		msg += "; the formular declares " + strings.Join(declared, ", ")
	}
	return fmt.Errorf("%s", msg)
}
