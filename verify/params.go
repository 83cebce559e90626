package verify

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/settings"
)

// checkParameters evaluates a parameters table against its settings
// source. A source that cannot be read or parsed makes every row
// UNREADABLE: what could not be checked is never OK. skipped is non-empty
// when no source applies to this run.
func checkParameters(ctx context.Context, f *formular.Formular, t *formular.Table, src Sources, res *Result) (out Table, skipped string, err error) {
	out = newTable(t)
	if t.Format == "registry" {
		return checkRegistry(ctx, t, src, res)
	}
	path, err := parameterSource(f, t, src)
	if err != nil {
		return out, "", err
	}
	if path == "" {
		return out, WhyNoSettings, nil
	}
	out.Source = path
	format := t.Format
	if format == "" {
		format = formatOf(path)
	}
	out.Format = format

	source, warns, readErr := settings.OpenWith(path, format, settings.Options{Windows: t.Windows()})
	for _, w := range warns {
		res.Warnings = append(res.Warnings, settingsWarning(w))
	}
	return judgeParameters(t, out, path, source, readErr, res), "", nil
}

// checkRegistry evaluates a table of the registry: this host's live
// registry, or the hive files of the offline system under --installed
// (unless it names the drive this Windows runs from). A host without a
// registry and without an offline root leaves the table unchecked, and
// the verdict's scope says so.
func checkRegistry(ctx context.Context, t *formular.Table, src Sources, res *Result) (Table, string, error) {
	out := newTable(t)
	out.Format = t.Format
	o := settings.RegistryOptions{User: src.RegistryUser, Closed: t.Closed}
	if src.Installed != "" && !settings.IsLiveRoot(src.Installed) {
		o.Offline = src.Installed
	} else if !settings.HasLiveRegistry() {
		return out, WhyNoRegistry, nil
	}
	keys := make([]string, len(t.Params))
	for i, p := range t.Params {
		keys[i] = p.Key
	}
	source, name, readErr := settings.ReadRegistry(ctx, keys, o)
	if ctxErr := ctx.Err(); ctxErr != nil {
		return out, "", ctxErr
	}
	switch {
	case errors.Is(readErr, settings.ErrNoRegistryUser):
		readErr = fmt.Errorf("%v: give --registry-user NAME", readErr)
	case readErr != nil:
		// Whole, with the key and the file it names: the table's source
		// is several files, and the reason must say which one failed.
		readErr = errors.New(readErr.Error())
	}
	return judgeParameters(t, out, name, source, readErr, res), "", nil
}

// judgeParameters judges each row of a parameters table against source,
// read from path (readErr when it could not be read).
func judgeParameters(t *formular.Table, out Table, path string, source settings.Source, readErr error, res *Result) Table {
	out.Source = path
	format := out.Format
	if readErr != nil {
		res.Reasons = append(res.Reasons, sourceUnreadable(t.Line, path, readErr))
	}
	listed := map[string]bool{}
	fold := format == "reg" || format == "registry" || (format == "ini" && t.Windows())
	keyOf := func(k string) string {
		if fold {
			return strings.ToUpper(k) // as the settings reader folds
		}
		return k
	}
	for _, p := range t.Params {
		listed[keyOf(p.Key)] = true
		it := Item{Name: p.Key, Line: p.Line, Note: p.Note, Allowed: p.Constraint()}
		if readErr != nil {
			it.Status, it.Failure = Unreadable, true
			// Why is said once, by the table's reason; each row only
			// says that it was not read.
			it.setDetail(notRead)
			out.Items = append(out.Items, it)
			continue
		}
		v, present := source.Lookup(p.Key)
		it.Value, it.HasValue = v.Text, present
		ok, allowed, cerr := p.Check(v.Text, present)
		if allowed != "" {
			it.Allowed = allowed
		}
		var why error
		switch {
		case ok:
			it.Status = OK
		case !present:
			it.Status = Unset
		default:
			it.Status = Violated
			why = cerr
		}
		line := 0
		if present {
			line = v.Line
		}
		if why != nil || line > 0 {
			it.setDetail(settingsLine(why, filepath.Base(path), line))
		}
		if it.Status == OK {
			judgeOtherReadings(&it, p, v, present, filepath.Base(path))
		}
		it.Failure = it.Status != OK
		out.Items = append(out.Items, it)
	}
	if readErr == nil && t.Closed {
		for _, k := range source.Keys() {
			if listed[keyOf(k)] {
				continue
			}
			v, _ := source.Lookup(k)
			it := Item{Name: k, Status: Extra, Failure: true, Value: v.Text, HasValue: true}
			if v.Line > 0 {
				it.setDetail(settingsLine(nil, filepath.Base(path), v.Line))
			}
			out.Items = append(out.Items, it)
		}
	}
	out.count()
	return out
}

// parameterSource picks the settings source of a table: the --settings
// file matched to it (see matchSettings), else source= itself (under
// --installed for an offline system).
func parameterSource(f *formular.Formular, t *formular.Table, src Sources) (string, error) {
	if s, ok := src.settingsFor[t]; ok {
		return s, nil
	}
	if t.Source == "" {
		return "", nil
	}
	if src.Installed == "" && len(src.Vars) == 0 {
		return "", nil
	}
	head, rest := t.Source, ""
	if i := strings.IndexAny(t.Source, `/\`); i > 0 {
		head, rest = t.Source[:i], t.Source[i+1:]
	}
	if name, isVar := varOf(head); isVar {
		// The variable's default is declared by the modules table rooted
		// at it.
		decl := t
		for _, m := range f.Tables {
			if v, ok := m.RootVar(); ok && v == name {
				decl = m
				break
			}
		}
		root, err := resolveRoot(decl, head, src)
		if err != nil {
			return "", err
		}
		return src.sourceOnHost(t, root, rest, decl.Windows())
	}
	return src.sourceOnHost(t, "", t.Source, windowsPath(t.Source))
}

// formatOf guesses a settings format from a file name, for --settings
// files given to a table that declares no format.
func formatOf(path string) string {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ini", ".conf", ".cfg":
		return "ini"
	case ".json":
		return "json"
	case ".xml":
		return "xml"
	case ".reg":
		return "reg"
	}
	return "kv"
}
