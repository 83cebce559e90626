package report

import (
	"strings"

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

// message says a reason or warning; status labels a status in the
// rendering's way (the token in text, a word in the Russian HTML).
func (l lang) message(m *verify.Message, status func(verify.Status) string) string {
	arg := func(k string) string { return Display(m.Args[k]) }
	table := l.f("msg-table", m.Table, m.Line)
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
			return l.f(id, Display(cert), l.msgDate(m.Args["until"]), l.msgDate(m.Args["check_date"]))
		}
		return l.f(id+"-none", l.msgDate(m.Args["until"]), l.msgDate(m.Args["check_date"]))
	case verify.CodeValidUntilUnreadable, verify.CodeSupportUntilUnreadable:
		if v, ok := m.Args["value"]; ok {
			return l.f("msg-"+string(m.Code), l.f("err-not-a-date", Display(v)))
		}
		return l.f("msg-"+string(m.Code), arg("error"))
	case verify.CodeNoValidUntil, verify.CodeNothingChecked:
		return l.t("msg-" + string(m.Code))
	case verify.CodeImplantedMD5Mismatch:
		return l.f("msg-implanted-md5-mismatch", arg("recorded"), arg("computed"))
	case verify.CodeSourceUnreadable:
		return l.f("msg-source-unreadable", table, arg("source"), l.errArg(m.Args, "error", m.Args["error"]))
	case verify.CodeRegistryOffline:
		return l.f("msg-source-unreadable", table, arg("source"), l.t("det-registry-offline"))
	case verify.CodeExtraFiles, verify.CodeExtraLinks:
		n := m.Counts[verify.Extra]
		return l.plural("msg-"+string(m.Code), n, table, n)
	case verify.CodeWeakAlgorithm:
		return l.f("msg-weak-algorithm", table, arg("algorithms"))
	case verify.CodeSettings:
		return l.f("msg-settings", arg("file"), arg("line"), l.errArg(m.Args, "message", m.Args["message"]))
	case verify.CodeReadStopped:
		return l.f("msg-read-stopped", arg("media"), arg("offset"), l.errArg(m.Args, "error", m.Args["error"]))
	case verify.CodeUDFNotChecked:
		return l.t("msg-udf-not-checked")
	}
	return Display(m.Text)
}

// detail says an item's detail; "" when it has none.
func (l lang) detail(it *verify.Item) string {
	arg := func(k string) string { return Display(it.DetailArgs[k]) }
	switch it.DetailCode {
	case verify.DetailNotRead, verify.DetailThroughSymlink, verify.DetailNotOnImage,
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
	case verify.DetailImageRenamed:
		return l.f("det-image-renamed", arg("name"))
	case verify.DetailImageNameDiffers:
		s := l.f("det-image-name-differs", arg("name"), arg("expected"))
		if e, ok := it.DetailArgs["error"]; ok {
			s += "; " + l.errArg(it.DetailArgs, "error", e)
		}
		return s
	case verify.DetailSettingsLine:
		return l.f("det-settings-line", arg("file"), arg("line"))
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
	return Display(it.Detail)
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
	name, rec := Display(a["name"]), Display(a["record"])
	if it.DetailCode == verify.DetailDuplicateRecord {
		return l.f("det-duplicate-record", t, name, Display(a["records"])), true
	}
	mt, ok := tree("members_tree")
	if !ok {
		return "", false
	}
	switch it.DetailCode {
	case verify.DetailTreeOtherContent:
		return l.f("det-tree-other-content", t, name, rec, mt, Display(a["members_record"])), true
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
				parts[i] = l.f(id, Display(cols[i]), Display(should[i]))
			}
			return strings.Join(parts, "; ")
		}
	}
	return Display(it.Hint)
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
	return Display(text)
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
		vals[i] = Display(v)
	}
	s := l.f(id, vals...)
	if line, ok := args[prefix+"_line"]; ok {
		s = l.f("err-at-line", Display(line), s)
	}
	return s, true
}
