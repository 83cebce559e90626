package verify

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/near"
)

// matchSettings gives each parameters table the --settings file that
// replaces its source, if any. A file replaces the source of the tables
// whose source= has its file name; the tables that name no file (no
// source=, or the live registry) take the one file no table claims by
// name. A table of the live registry takes no file. A file can never
// stand for a table it was not meant for: a file that nothing claims, a
// table two files claim, a file whose name two different sources share,
// and several unclaimed files for a table without source= are errors
// naming the files and the tables.
func matchSettings(f *formular.Formular, files []string) (map[*formular.Table]string, error) {
	out := map[*formular.Table]string{}
	if len(files) == 0 {
		return out, nil
	}
	files = dedupe(files)
	params := f.TablesOf(formular.KindParameters)
	if len(params) == 0 {
		return nil, fmt.Errorf("--settings %s: the formular has no [parameters] table", strings.Join(files, ", "))
	}
	claimedBy := map[string][]*formular.Table{} // file → tables claiming it
	var sourceless []*formular.Table
	for _, t := range params {
		if t.Format == "registry" {
			continue
		}
		base, ok := sourceName(t)
		if !ok {
			sourceless = append(sourceless, t)
			continue
		}
		var mine []string
		for _, s := range files {
			if strings.EqualFold(filepath.Base(s), base) {
				mine = append(mine, s)
			}
		}
		if len(mine) > 1 {
			return nil, fmt.Errorf("--settings %s: several files are named as the source of %s: give one", strings.Join(mine, ", "), describeTable(t))
		}
		if len(mine) == 1 {
			claimedBy[mine[0]] = append(claimedBy[mine[0]], t)
			out[t] = mine[0]
		}
	}
	for s, ts := range claimedBy {
		for _, t := range ts[1:] {
			if t.Source != ts[0].Source {
				return nil, fmt.Errorf("--settings %s: its name is that of the sources of %s and %s: it cannot stand for both", s, describeTable(ts[0]), describeTable(t))
			}
		}
	}
	var unclaimed []string
	for _, s := range files {
		if claimedBy[s] == nil {
			unclaimed = append(unclaimed, s)
		}
	}
	switch {
	case len(unclaimed) == 0:
	case len(sourceless) == 0:
		return nil, fmt.Errorf("--settings %s: no [parameters] table reads a file of that name; the tables read %s", strings.Join(unclaimed, ", "), describeSources(params))
	case len(unclaimed) > 1:
		return nil, fmt.Errorf("--settings %s: no table reads files of these names, and %s takes only one of them", strings.Join(unclaimed, ", "), describeTables(sourceless))
	default:
		for _, t := range sourceless {
			out[t] = unclaimed[0]
		}
	}
	return out, nil
}

// sourceName is the file name of a table's source=, and false for a table
// whose source names no file: none given, or the live registry.
func sourceName(t *formular.Table) (string, bool) {
	if t.Source == "" || t.Format == "registry" {
		return "", false
	}
	return filepath.Base(strings.ReplaceAll(t.Source, `\`, "/")), true
}

func describeTable(t *formular.Table) string {
	if _, ok := sourceName(t); !ok {
		return fmt.Sprintf("the [parameters] table at line %d (no source file)", t.Line)
	}
	return fmt.Sprintf("the [parameters] table at line %d (source=%s)", t.Line, t.Source)
}

func describeTables(ts []*formular.Table) string {
	if len(ts) == 1 {
		return describeTable(ts[0])
	}
	lines := make([]string, len(ts))
	for i, t := range ts {
		lines[i] = fmt.Sprint(t.Line)
	}
	return "the [parameters] tables without a source file (lines " + strings.Join(lines, ", ") + ")"
}

func describeSources(ts []*formular.Table) string {
	var parts []string
	for _, t := range ts {
		if base, ok := sourceName(t); ok {
			parts = append(parts, fmt.Sprintf("%s (line %d)", base, t.Line))
		}
	}
	return strings.Join(parts, ", ")
}

// checkVars refuses a --var the formular does not declare: a misspelt
// name would otherwise be ignored and the default root checked instead,
// a finding about the wrong directory. A near name is suggested.
func checkVars(f *formular.Formular, vars map[string]string) error {
	declared := declaredVars(f)
	var names []string
	for name := range vars {
		if !slices.Contains(declared, name) {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	slices.Sort(names)
	name := names[0]
	msg := fmt.Sprintf("--var %s: the formular declares no root variable %s", name, name)
	switch near := near.Name(name, declared); {
	case near != "":
		msg += "; did you mean " + near + "?"
	case len(declared) == 0:
		msg += "; it declares none"
	default:
		msg += "; it declares " + strings.Join(declared, ", ")
	}
	return fmt.Errorf("%s", msg)
}

// declaredVars lists the root variables of the formular's tables, and the
// ones its parameters sources start with, each once, in formular order.
func declaredVars(f *formular.Formular) []string {
	var out []string
	for _, t := range f.Tables {
		if name, ok := t.RootVar(); ok {
			out = append(out, name)
		}
		if t.Kind == formular.KindParameters && t.Source != "" {
			head := t.Source
			if i := strings.IndexAny(head, `/\`); i > 0 {
				head = head[:i]
			}
			if name, ok := varOf(head); ok {
				out = append(out, name)
			}
		}
	}
	return dedupe(out)
}
