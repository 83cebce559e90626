package report

import (
	"strings"

	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

// Messages are rendered from their codes and arguments, in the report's
// language; the English text verify wrote is the fallback for a code this
// build does not know. Values from the checked system (names, paths, OS
// error texts) are shown in display form.

// has reports whether the catalogue holds id.
func has(id string) bool {
	_, ok := catalogue[id]
	return ok
}

// plural picks id+"-1" for one of something when the catalogue has it.
func (l lang) plural(id string, n int, args ...any) string {
	if n == 1 && has(id+"-1") {
		id += "-1"
	}
	return l.f(id, args...)
}

// msgDate writes a date argument: as written (YYYY-MM-DD) in English, the
// words verify uses; the language's way otherwise.
func (l lang) msgDate(s string) string {
	if l == en {
		return s
	}
	return l.dateText(s)
}

// msgSpec says a message from its code alone: the catalogue id of its
// sentence and the arguments the sentence names, in order. An argument
// name may carry a prefix saying how it is shown:
//
//	"table"       the message's table and line ("[media] table (line 11)")
//	"kind:NAME"   a table kind, in the rendering's language
//	"date:NAME"   a date, the language's way
//	"error:NAME"  an error with its code, said in the language when known
//	"bytes:NAME"  a number of bytes, grouped as auditors read it
//
// Everything else is a value from the checked system, shown in display
// form. A new code that needs no more than this gets a row here and its
// sentence, in English and Russian, in the catalogue; message says it
// then, and says the English text for a code it finds here without its
// arguments.
type msgSpec struct {
	id   string
	args []string
}

var msgSpecs = map[verify.Code]msgSpec{
	verify.CodeNothingChecked:       {"msg-nothing-checked", nil},
	verify.CodeNoValidUntil:         {"msg-no-valid-until", nil},
	verify.CodeImplantedMD5Mismatch: {"msg-implanted-md5-mismatch", []string{"recorded", "computed"}},
	verify.CodeImplantedMD5NotRead:  {"msg-implanted-md5-not-read", []string{"bytes:covers", "bytes:stored"}},
	verify.CodeSourceUnreadable:     {"msg-source-unreadable", []string{"table", "source", "error:error"}},
	verify.CodeWeakAlgorithm:        {"msg-weak-algorithm", []string{"table", "algorithms"}},
	verify.CodeSettings:             {"msg-settings", []string{"file", "line", "error:message"}},
	verify.CodeReadStopped:          {"msg-read-stopped", []string{"media", "offset", "error:error"}},
	verify.CodeRequiredNotChecked:   {"msg-required-not-checked", []string{"kind:kind"}},
	verify.CodeCannotCheck:          {"msg-cannot-check", []string{"error:error"}},
	verify.CodeBootNotCovered:       {"msg-boot-not-covered", nil},
	verify.CodeUDFNotChecked:        {"msg-udf-not-checked", nil},
}

// spec says m by its msgSpec; false when its code has none or an
// argument is missing.
func (l lang) spec(m *verify.Message) (string, bool) {
	sp, ok := msgSpecs[m.Code]
	if !ok {
		return "", false
	}
	vals := make([]any, len(sp.args))
	for i, a := range sp.args {
		if a == "table" {
			if m.Table == "" {
				return "", false
			}
			vals[i] = l.tableName(m.Table, m.Line)
			continue
		}
		how, name, found := strings.Cut(a, ":")
		if !found {
			how, name = "", a
		}
		v, ok := m.Args[name]
		if !ok {
			return "", false
		}
		switch how {
		case "kind":
			vals[i] = l.kind(safetext.Display(v))
		case "date":
			vals[i] = l.msgDate(safetext.Display(v))
		case "error":
			vals[i] = l.errArg(m.Args, name, v)
		case "bytes":
			if !digits(v) {
				return "", false
			}
			vals[i] = groupDigits(v)
		default:
			vals[i] = safetext.Display(v)
		}
	}
	return l.f(sp.id, vals...), true
}

// message says a reason, a warning, a table not checked or something the
// verdict does not cover; status labels a status in the rendering's way
// (the token in text, a word in the Russian HTML).
func (l lang) message(m *verify.Message, status func(verify.Status) string) string {
	arg := func(k string) string { return safetext.Display(m.Args[k]) }
	table := l.tableName(m.Table, m.Line)
	if s, ok := l.spec(m); ok {
		return s
	}
	switch m.Code {
	case verify.CodeTableFailed:
		var parts []string
		for _, s := range verify.Statuses {
			if n := m.Counts[s]; n > 0 {
				parts = append(parts, l.f("msg-count", n, status(s)))
			}
		}
		return l.f("msg-table-failed", table, strings.Join(parts, ", "))
	case verify.CodeTableNotChecked:
		if why := "why-" + m.Args["why"]; has(why) {
			return l.f("msg-table-not-checked", table, l.t(why))
		}
	case verify.CodeCertificateExpired, verify.CodeSupportEnded:
		id := "msg-" + string(m.Code)
		if cert, ok := m.Args["certificate"]; ok {
			return l.f(id, safetext.Display(cert), l.msgDate(m.Args["until"]), l.msgDate(m.Args["check_date"]))
		}
		return l.f(id+"-none", l.msgDate(m.Args["until"]), l.msgDate(m.Args["check_date"]))
	case verify.CodeValidUntilUnreadable, verify.CodeSupportUntilUnreadable:
		if v, ok := m.Args["value"]; ok {
			return l.f("msg-"+string(m.Code), l.f("err-not-a-date", safetext.Display(v)))
		}
		return l.f("msg-"+string(m.Code), arg("error"))
	case verify.CodeRegistryOffline:
		return l.f("msg-source-unreadable", table, arg("source"), l.t("det-registry-offline"))
	case verify.CodeExtraFiles, verify.CodeExtraLinks:
		n := m.Counts[verify.Extra]
		return l.plural("msg-"+string(m.Code), n, table, n)
	}
	// A code this build does not know, or one without its arguments: the
	// English sentence as written.
	return safetext.Display(m.Text)
}

// detail says an item's detail; "" when it has none.
func (l lang) detail(it *verify.Item) string {
	arg := func(k string) string { return safetext.Display(it.DetailArgs[k]) }
	switch it.DetailCode {
	case verify.DetailNotRead, verify.DetailNotReadLonger, verify.DetailThroughSymlink, verify.DetailNotOnImage,
		verify.DetailReadFromDevice, verify.DetailImageUnmatched, verify.DetailRegistryOffline:
		return l.t("det-" + string(it.DetailCode))
	case verify.DetailReplacedBySymlink, verify.DetailUnlistedSymlink:
		return l.f("det-"+string(it.DetailCode), arg("target"))
	case verify.DetailReplacedBy:
		if id := "replaced-" + it.DetailArgs["type"]; has(id) {
			return l.t(id)
		}
	case verify.DetailFileType:
		if id := "type-" + it.DetailArgs["type"]; has(id) {
			return l.t(id)
		}
	case verify.DetailError:
		return l.errArg(it.DetailArgs, "error", it.Detail)
	case verify.DetailUnreadableDirectory:
		return l.f("det-unreadable-directory", arg("directory"), l.errArg(it.DetailArgs, "error", it.DetailArgs["error"]))
	case verify.DetailRootNotFound:
		return l.f("det-root-not-found", arg("root"))
	case verify.DetailAmbiguousName:
		return l.f("det-ambiguous-name", arg("names"))
	case verify.DetailAlternateStream:
		return l.f("det-alternate-stream", arg("streams"))
	case verify.DetailImageRenamed:
		return l.f("det-image-renamed", arg("name"))
	case verify.DetailImageNameOnly:
		return l.f("det-image-name-only", arg("name"), arg("expected"))
	case verify.DetailImageNameDiffers:
		s := l.f("det-image-name-differs", arg("name"), arg("expected"))
		if e, ok := it.DetailArgs["error"]; ok {
			s += "; " + l.errArg(it.DetailArgs, "error", e)
		}
		return s
	case verify.DetailSettingsLine:
		return l.f("det-settings-line", arg("file"), arg("line"))
	case verify.DetailBootImageUnlisted:
		return l.f("det-boot-image-unlisted", arg("size"), arg("offset"))
	case verify.DetailBootEntryChanged:
		return l.f("det-boot-entry-changed", arg("entry"))
	case verify.DetailDuplicateReading:
		if it.DetailArgs["count"] != "" {
			return l.f("det-duplicate-reading-n", arg("file"), arg("count"), arg("lines"), arg("line"))
		}
		return l.f("det-duplicate-reading", arg("file"), arg("lines"), arg("line"))
	case verify.DetailDuplicateRecord, verify.DetailTreeOtherContent, verify.DetailTreeOnly, verify.DetailTreeMissing:
		if s, ok := l.treeDetail(it); ok {
			return s
		}
	case verify.DetailConstraintError:
		s := l.f("det-constraint-error", l.errArg(it.DetailArgs, "error", it.DetailArgs["error"]))
		if _, ok := it.DetailArgs["file"]; ok {
			s += "; " + l.f("det-settings-line", arg("file"), arg("line"))
		}
		return s
	}
	// An OS error, a reader's own message, or a code this build does not
	// know: the text as written.
	return safetext.Display(it.Detail)
}

// treeDetail says a disagreement of an image's directory trees; false
// when a tree argument names no tree this build knows.
func (l lang) treeDetail(it *verify.Item) (string, bool) {
	a := it.DetailArgs
	tree := func(k string) (string, bool) {
		id := "tree-" + a[k]
		return l.t(id), has(id)
	}
	t, ok := tree("tree")
	if !ok {
		return "", false
	}
	name, rec := safetext.Display(a["name"]), safetext.Display(a["record"])
	if it.DetailCode == verify.DetailDuplicateRecord {
		return l.f("det-duplicate-record", t, name, safetext.Display(a["records"])), true
	}
	mt, ok := tree("members_tree")
	if !ok {
		return "", false
	}
	switch it.DetailCode {
	case verify.DetailTreeOtherContent:
		return l.f("det-tree-other-content", t, name, rec, mt, safetext.Display(a["members_record"])), true
	case verify.DetailTreeOnly:
		return l.f("det-tree-only", t, name, rec, mt), true
	default:
		return l.f("det-tree-missing", t, rec, mt), true
	}
}

// hint says an item's hint; "" when it has none.
func (l lang) hint(it *verify.Item) string {
	if it.HintCode == verify.HintGOSTReversed {
		cols := strings.Split(it.HintArgs["column"], ", ")
		should := strings.Split(it.HintArgs["should_be"], ", ")
		if len(cols) == len(should) {
			parts := make([]string, len(cols))
			for i := range cols {
				id := "hint-gost-without"
				if strings.HasSuffix(should[i], "/reversed") {
					id = "hint-gost-with"
				}
				parts[i] = l.f(id, safetext.Display(cols[i]), safetext.Display(should[i]))
			}
			return strings.Join(parts, "; ")
		}
	}
	return safetext.Display(it.Hint)
}

// errArg says an error or warning carried by args under prefix (see
// verify.Message): from its code in a language other than English, and as
// text, the English sentence as written, otherwise. English keeps the
// sentence itself since it may carry a decoder's or the OS's own words
// that the code does not hold.
func (l lang) errArg(args map[string]string, prefix, text string) string {
	if l != en {
		if s, ok := l.coded(args, prefix); ok {
			return s
		}
	}
	return safetext.Display(text)
}

// coded says the error under prefix from its code; false when there is
// none, or one this build does not know, or an argument is missing.
func (l lang) coded(args map[string]string, prefix string) (string, bool) {
	code := args[prefix+"_code"]
	id := "err-" + code
	if code == "" || !has(id) {
		return "", false
	}
	names := errArgNames[code]
	vals := make([]any, len(names))
	for i, n := range names {
		v, ok := args[prefix+"_"+n]
		if !ok {
			// A warning's own line is the line the message names.
			v, ok = args[n]
		}
		if !ok {
			return "", false
		}
		vals[i] = safetext.Display(v)
	}
	s := l.f(id, vals...)
	if line, ok := args[prefix+"_line"]; ok {
		s = l.f("err-at-line", safetext.Display(line), s)
	}
	return s, true
}
