package verify

import (
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
	"syscall"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/regular"
	"github.com/sverka/sverka/iso"
	"github.com/sverka/sverka/settings"
)

// Code names one kind of message, so that a rendering can say it in its
// reader's language from the code and the arguments; Text keeps the
// English sentence for whoever reads the result without a rendering.
type Code string

// Message is a reason of the verdict, a warning, or what an item's detail
// or hint says. Args hold the values the sentence names, as strings (file
// names, dates YYYY-MM-DD, numbers in decimal); OS error texts are kept
// as the OS gives them.
//
// An argument holding an error or warning text (error, message) may come
// with its code, so that a rendering can say it too: error_code is the
// code of a settings.ParseError (settings.Codes), of a formular.CheckError
// (formular.CheckCodes) or the errno name of an OS error (ErrnoNames);
// error_line is the line of a parse error, and error_NAME each argument
// NAME of the error. message_code and message_NAME do the same for a
// settings warning.
type Message struct {
	Code Code `json:"code"`
	// Table and Line name the table the message is about: its kind and
	// its header line in the formular.
	Table formular.Kind `json:"table,omitempty"`
	Line  int           `json:"line,omitempty"`
	// Counts are items per status: the failing ones for CodeTableFailed,
	// the unlisted ones for CodeExtraFiles and CodeExtraLinks.
	Counts map[Status]int    `json:"counts,omitempty"`
	Args   map[string]string `json:"args,omitempty"`
	Text   string            `json:"text"` // the English sentence
}

// Codes of the reasons and warnings of a Result. The arguments each one
// carries are listed after it.
const (
	// CodeTableFailed: a table has failing items (Table, Line, Counts).
	CodeTableFailed Code = "table-failed"
	// CodeNothingChecked: the sources given reached no table.
	CodeNothingChecked Code = "nothing-checked"
	// CodeCertificateExpired: valid-until is before the check date
	// (certificate when the formular names one, until, check_date).
	CodeCertificateExpired Code = "certificate-expired"
	// CodeValidUntilUnreadable: valid-until is no date (error).
	CodeValidUntilUnreadable Code = "valid-until-unreadable"
	// CodeNoValidUntil: the formular states no valid-until (a warning).
	CodeNoValidUntil Code = "no-valid-until"
	// CodeSupportEnded: support-until is before the check date (a
	// warning; certificate when named, until, check_date).
	CodeSupportEnded Code = "support-ended"
	// CodeSupportUntilUnreadable: support-until is no date (a warning;
	// error).
	CodeSupportUntilUnreadable Code = "support-until-unreadable"
	// CodeTableNotChecked: no source given reaches a table (in
	// Scope.NotChecked, not a warning; Table, Line, why: one of the Why
	// codes).
	CodeTableNotChecked Code = "table-not-checked"
	// CodeImplantedMD5Mismatch: the image's isomd5sum does not match
	// (recorded, computed).
	CodeImplantedMD5Mismatch Code = "implanted-md5-mismatch"
	// CodeImplantedMD5NotRead: the image, checked against [media] tables
	// alone, carries an implanted MD5 that covers more than is worth
	// reading of what the file holds on its disk: a sparse file, mostly
	// holes, which would hold the check for hours (covers, stored: bytes).
	CodeImplantedMD5NotRead Code = "implanted-md5-not-read"
	// CodeSourceUnreadable: a parameters table's settings source cannot
	// be read (Table, Line, source, error).
	CodeSourceUnreadable Code = "source-unreadable"
	// CodeRegistryOffline: a live registry source with --installed: it
	// could only be read on the host itself (Table, Line, source). No
	// longer given, since an offline system's hive files are read; kept
	// for the reports that carry it.
	CodeRegistryOffline Code = "registry-offline"
	// CodeExtraFiles: unlisted files in a table that is not closed (a
	// warning; Table, Line, Counts).
	CodeExtraFiles Code = "extra-files"
	// CodeExtraLinks: unlisted symbolic links, not followed (a warning;
	// Table, Line, Counts).
	CodeExtraLinks Code = "extra-links"
	// CodeWeakAlgorithm: a table relies on legacy algorithms (a warning;
	// Table, Line, algorithms: comma-separated).
	CodeWeakAlgorithm Code = "weak-algorithm"
	// CodeSettings: what the settings reader warns of (file, line,
	// message: its own text).
	CodeSettings Code = "settings"
	// CodeReadStopped: reading the image or device stopped early (a
	// warning; media, offset, error).
	CodeReadStopped Code = "read-stopped"
	// CodeRequiredNotChecked: --require names a table kind the check did
	// not cover (kind).
	CodeRequiredNotChecked Code = "required-not-checked"
	// CodeBootNotCovered: the image boots (an El Torito boot record, or
	// a system area that is not all zeros) and the formular has neither
	// a [boot] nor an [image] table: what boots is not covered (a scope
	// message, Scope.Uncovered; no arguments).
	CodeBootNotCovered Code = "boot-not-covered"
	// CodeCannotCheck: the check could not be made (error: what stopped
	// it, as the command line says it). The only reason of a CANNOT
	// CHECK verdict.
	CodeCannotCheck Code = "cannot-check"
)

// Codes of what the checked media or host holds that the verdict does
// not cover (Scope.Uncovered).
const (
	// CodeUDFNotChecked: the image also holds a UDF file system (a UDF
	// bridge disc), which Windows reads first and sverka does not read.
	CodeUDFNotChecked Code = "udf-not-checked"
)

// Why a table was not checked: the why argument of CodeTableNotChecked.
const (
	WhyNoMedia          = "no-media"
	WhyMediaIsDirectory = "media-is-directory"
	WhyNoInstalled      = "no-installed"
	WhyNoSettings       = "no-settings"
	WhyNoRegistry       = "no-registry"
)

// Codes of an item's detail, and the arguments each one carries.
const (
	// DetailError: the detail is an error text as the OS or the settings
	// reader gave it.
	DetailError Code = "error"
	// DetailNotRead: a listed file that was found but not read.
	DetailNotRead Code = "not-read"
	// DetailNotReadLonger: a listed file more than twice the size its
	// row lists (and more than a mebibyte longer), not read: the size
	// alone says it is not the file listed (MODIFIED, no digests).
	DetailNotReadLonger Code = "not-read-longer"
	// DetailReplacedBySymlink: a listed file replaced by a symbolic link
	// (target).
	DetailReplacedBySymlink Code = "replaced-by-symlink"
	// DetailReplacedBy: a listed file replaced by something that is not
	// a file (type: one of the File types).
	DetailReplacedBy Code = "replaced-by"
	// DetailFileType: an unlisted item that is not a file (type).
	DetailFileType Code = "file-type"
	// DetailUnlistedSymlink: an unlisted symbolic link (target).
	DetailUnlistedSymlink Code = "unlisted-symlink"
	// DetailUnreadableDirectory: a directory above the file could not be
	// read (directory, error).
	DetailUnreadableDirectory Code = "unreadable-directory"
	// DetailThroughSymlink: the file is there only through a symbolic
	// link, which is not followed.
	DetailThroughSymlink Code = "through-symlink"
	// DetailNotOnImage: a listed file the image does not hold.
	DetailNotOnImage Code = "not-on-image"
	// DetailRootNotFound: a modules table's root is not there (root).
	DetailRootNotFound Code = "root-not-found"
	// DetailReadFromDevice: the image row matched by content on a device.
	DetailReadFromDevice Code = "read-from-device"
	// DetailImageRenamed: the image's content is right, its name is not
	// (name). Written by earlier versions; DetailImageNameOnly now.
	DetailImageRenamed Code = "image-renamed"
	// DetailImageNameOnly: only the image's file name differs from the
	// row its content matches byte for byte (name, expected: the name
	// the formular certifies).
	DetailImageNameOnly Code = "image-name-only"
	// DetailImageNameDiffers: the image has another name than its only
	// row (name, expected, and error when it could not be read).
	DetailImageNameDiffers Code = "image-name-differs"
	// DetailImageUnmatched: the image matches no row of the table.
	DetailImageUnmatched Code = "image-unmatched"
	// DetailRegistryOffline: as CodeRegistryOffline, for each row; no
	// longer given either.
	DetailRegistryOffline Code = "registry-offline"
	// DetailSettingsLine: where the settings source holds the value
	// (file, line).
	DetailSettingsLine Code = "settings-line"
	// DetailConstraintError: the value could not be judged (error; file
	// and line when known).
	DetailConstraintError Code = "constraint-error"
	// DetailBootImageUnlisted: a boot entry loads bytes no file of the
	// image holds (offset, size: where and how many).
	DetailBootImageUnlisted Code = "boot-image-unlisted"
	// DetailBootEntryChanged: a boot entry's platform, emulation or file
	// differs from its row (entry: what the catalog has now, as a row
	// would name it).
	DetailBootEntryChanged Code = "boot-entry-changed"
	// DetailAmbiguousName: names on disk differing only in letter case
	// match the row, in a table that ignores case; which one the system
	// reads cannot be told (names: comma-separated, sorted).
	DetailAmbiguousName Code = "ambiguous-name"
	// DetailAlternateStream: a module of a closed modules table carries
	// NTFS alternate data streams (name:stream) that no row lists; args
	// streams, their names comma-separated.
	DetailAlternateStream Code = "alternate-stream"
	// DetailDuplicateReading: the key is given more than once and a
	// program may read the failing occurrence (file, lines: every
	// occurrence, comma-separated, or the first 20 of more, whose number
	// count then gives; line: the failing one).
	DetailDuplicateReading Code = "duplicate-reading"
	// DetailDuplicateRecord: a directory tree of the image holds the
	// name more than once in one directory (tree, name: the path in that
	// tree, records: the byte offsets of the records, comma-separated).
	DetailDuplicateRecord Code = "duplicate-record"
	// DetailTreeOtherContent: another directory tree holds other content
	// under the name (tree, name, record: its record's byte offset,
	// members_tree, members_record).
	DetailTreeOtherContent Code = "tree-other-content"
	// DetailTreeOnly: only another directory tree shows this file (tree,
	// name: its path there, record, members_tree).
	DetailTreeOnly Code = "tree-only"
	// DetailTreeMissing: another directory tree does not show this
	// member (tree, record: the member's record, members_tree).
	DetailTreeMissing Code = "tree-missing"
)

// Directory trees of an image: the tree and members_tree arguments of
// the tree details (iso.TreeRockRidge, iso.TreeJoliet, iso.TreeISO9660).
const (
	TreeRockRidge = iso.TreeRockRidge
	TreeJoliet    = iso.TreeJoliet
	TreeISO9660   = iso.TreeISO9660
)

// File types: the type argument of DetailReplacedBy and DetailFileType.
const (
	TypeDirectory = "directory"
	TypeFIFO      = "fifo"
	TypeSocket    = "socket"
	TypeDevice    = "device"
	TypeSpecial   = "special"
	TypeSymlink   = "symlink"
)

// HintGOSTReversed is an item's hint code: GOST digests that match with
// their bytes reversed (column: the columns, comma-separated; should_be:
// the column each should be, in the same order).
const HintGOSTReversed Code = "gost-reversed"

// The English sentences. Renderings have them in every language from the
// codes; these fill Text.

func tableName(kind formular.Kind, line int) string {
	return fmt.Sprintf("[%s] table (line %d)", kind, line)
}

func tableFailed(kind formular.Kind, line int, counts map[Status]int) Message {
	var parts []string
	for _, s := range Statuses {
		if n := counts[s]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, s))
		}
	}
	return Message{Code: CodeTableFailed, Table: kind, Line: line, Counts: counts,
		Text: tableName(kind, line) + ": " + strings.Join(parts, ", ")}
}

var whyText = map[string]string{
	WhyNoMedia:          "no --media given",
	WhyMediaIsDirectory: "the media is a directory, not the image",
	WhyNoInstalled:      "no --installed ROOT or --var given",
	WhyNoSettings:       "no --settings FILE or --installed ROOT given for its source",
	WhyNoRegistry:       "this host has no Windows registry: give --installed ROOT of an offline Windows system",
}

// CannotCheckResult is the result of a check that could not be made:
// verdict CANNOT CHECK, with err as its one reason.
func CannotCheckResult(err error) *Result {
	return &Result{Verdict: CannotCheck, Warnings: []Message{}, Tables: []Table{},
		Scope:   Scope{Checked: []formular.Kind{}},
		Reasons: []Message{{Code: CodeCannotCheck, Args: map[string]string{"error": err.Error()}, Text: "cannot check: " + err.Error()}}}
}

func requiredNotChecked(kind formular.Kind) Message {
	return Message{Code: CodeRequiredNotChecked, Args: map[string]string{"kind": string(kind)},
		Text: "required " + string(kind) + " not checked"}
}

func tableNotChecked(kind formular.Kind, line int, why string) Message {
	return Message{Code: CodeTableNotChecked, Table: kind, Line: line, Args: map[string]string{"why": why},
		Text: tableName(kind, line) + " not checked: " + whyText[why]}
}

// certArgs names the certificate, when the formular does, for the date
// messages.
func certArgs(cert, until, day string) (map[string]string, string) {
	args := map[string]string{"until": until, "check_date": day}
	if cert == "" {
		return args, "the certificate"
	}
	args["certificate"] = cert
	return args, "certificate " + cert
}

func certificateExpired(cert, until, day string) Message {
	args, name := certArgs(cert, until, day)
	return Message{Code: CodeCertificateExpired, Args: args,
		Text: fmt.Sprintf("%s expired on %s (check date %s)", name, until, day)}
}

func supportEnded(cert, until, day string) Message {
	args, name := certArgs(cert, until, day)
	return Message{Code: CodeSupportEnded, Args: args,
		Text: fmt.Sprintf("support of %s ended on %s (check date %s)", name, until, day)}
}

// dateUnreadable reports a certificate date that is not a date; value lets
// a report say so in its own language.
func dateUnreadable(code Code, key, value string, err error) Message {
	return Message{Code: code, Args: map[string]string{"error": err.Error(), "value": value},
		Text: fmt.Sprintf("%s cannot be read: %v", key, err)}
}

var noValidUntil = Message{Code: CodeNoValidUntil,
	Text: "the formular states no valid-until date: the certificate's validity was not checked"}

var bootNotCovered = Message{Code: CodeBootNotCovered, Text: "boot code not covered by the formular"}

var nothingChecked = Message{Code: CodeNothingChecked,
	Text: "nothing was checked: give --media, --installed or --settings"}

func implantedMismatch(recorded, computed string) Message {
	return Message{Code: CodeImplantedMD5Mismatch, Args: map[string]string{"recorded": recorded, "computed": computed},
		Text: fmt.Sprintf("the MD5 implanted in the image (isomd5sum) does not match: recorded %s, computed %s", recorded, computed)}
}

func implantedNotRead(covers, stored int64) Message {
	return Message{Code: CodeImplantedMD5NotRead,
		Args: map[string]string{"covers": strconv.FormatInt(covers, 10), "stored": strconv.FormatInt(stored, 10)},
		Text: fmt.Sprintf("the MD5 implanted in the image (isomd5sum) was not checked: it covers %d bytes, more than four times the %d bytes the file holds on its disk (a sparse file, mostly holes)", covers, stored)}
}

func sourceUnreadable(line int, source string, err error) Message {
	why := sourceWhy(err)
	args := map[string]string{"source": source, "error": why}
	errArgs(args, err)
	return Message{Code: CodeSourceUnreadable, Table: formular.KindParameters, Line: line,
		Args: args,
		Text: fmt.Sprintf("%s: source %s: %s", tableName(formular.KindParameters, line), source, why)}
}

// sourceWhy says why a settings source could not be read without naming
// it: the message names the source once, in front, and the errors of the
// OS and the readers name the file again, in their own words.
func sourceWhy(err error) string {
	var pe *settings.ParseError
	var fe *fs.PathError
	var nr *regular.NotRegularError
	var tl *regular.TooLargeError
	switch {
	case errors.As(err, &pe) && pe.Line > 0:
		return fmt.Sprintf("line %d: %s", pe.Line, pe.Msg)
	case errors.As(err, &pe):
		return pe.Msg
	case errors.As(err, &nr):
		return "is " + regular.Kind(nr.Mode) + ", not a regular file"
	case errors.As(err, &tl):
		return fmt.Sprintf("is larger than %s, the most %s may be", regular.Size(tl.Limit), tl.What)
	case errors.As(err, &fe):
		return fe.Err.Error()
	}
	return err.Error()
}

func extraFiles(kind formular.Kind, line, n int) Message {
	return Message{Code: CodeExtraFiles, Table: kind, Line: line, Counts: map[Status]int{Extra: n},
		Text: fmt.Sprintf("%s: %d unlisted %s (the table is not closed)", tableName(kind, line), n, plural(n, "file", "files"))}
}

func extraLinks(kind formular.Kind, line, n int) Message {
	return Message{Code: CodeExtraLinks, Table: kind, Line: line, Counts: map[Status]int{Extra: n},
		Text: fmt.Sprintf("%s: %d unlisted symbolic %s, not followed (formulars list content, not links)", tableName(kind, line), n, plural(n, "link", "links"))}
}

func weakAlgorithm(kind formular.Kind, line int, algs []string) Message {
	list := strings.Join(algs, ", ")
	return Message{Code: CodeWeakAlgorithm, Table: kind, Line: line, Args: map[string]string{"algorithms": list},
		Text: fmt.Sprintf("%s relies on %s: legacy, detects accidents but not deliberate tampering", tableName(kind, line), list)}
}

func settingsWarning(w settings.Warning) Message {
	args := map[string]string{"file": w.File, "line": strconv.Itoa(w.Line), "message": w.Msg}
	if w.Code != "" {
		args["message_code"] = w.Code
		for k, v := range w.Args {
			args["message_"+k] = v
		}
	}
	return Message{Code: CodeSettings, Args: args,
		Text: fmt.Sprintf("settings %s line %d: %s", w.File, w.Line, w.Msg)}
}

func readStopped(media string, offset int64, err error) Message {
	args := map[string]string{"media": media, "offset": strconv.FormatInt(offset, 10), "error": err.Error()}
	errArgs(args, err)
	return Message{Code: CodeReadStopped, Args: args,
		Text: fmt.Sprintf("media %s: read stopped at byte %d: %v", media, offset, err)}
}

// errArgs adds to args the code of err and its own arguments, under the
// names error_code, error_line and error_NAME, when err has a code.
func errArgs(args map[string]string, err error) {
	if err == nil {
		return
	}
	var pe *settings.ParseError
	var ce *formular.CheckError
	switch {
	case errors.As(err, &pe) && pe.Code != "":
		args["error_code"] = pe.Code
		if pe.Line > 0 {
			args["error_line"] = strconv.Itoa(pe.Line)
		}
		for k, v := range pe.Args {
			args["error_"+k] = v
		}
	case errors.As(err, &ce) && ce.Code != "":
		args["error_code"] = ce.Code
		for k, v := range ce.Args {
			args["error_"+k] = v
		}
	default:
		if name := errnoName(err); name != "" {
			args["error_code"] = name
		}
	}
}

// errnos are the OS errors a check meets, by their POSIX names. The
// syscall package names them on every system; on Windows, where the OS
// speaks in other numbers, the fs.Err fallbacks below catch the usual two.
var errnos = []struct {
	errno syscall.Errno
	name  string
}{
	{syscall.EPERM, "EPERM"},
	{syscall.ENOENT, "ENOENT"},
	{syscall.EIO, "EIO"},
	{syscall.ENXIO, "ENXIO"},
	{syscall.EACCES, "EACCES"},
	{syscall.EBUSY, "EBUSY"},
	{syscall.ENODEV, "ENODEV"},
	{syscall.ENOTDIR, "ENOTDIR"},
	{syscall.EISDIR, "EISDIR"},
	{syscall.EINVAL, "EINVAL"},
	{syscall.EMFILE, "EMFILE"},
	{syscall.ENFILE, "ENFILE"},
	{syscall.EROFS, "EROFS"},
	{syscall.ENAMETOOLONG, "ENAMETOOLONG"},
	{syscall.ELOOP, "ELOOP"},
	{syscall.ESTALE, "ESTALE"},
}

// NameCodes returns the codes error_code holds for a name Windows would
// not open as named (checksum.WindowsName).
func NameCodes() []string { return []string{"windows-device-name", "windows-dot-space-name"} }

// ErrnoNames returns the errno names error_code may hold.
func ErrnoNames() []string {
	names := make([]string, len(errnos))
	for i, e := range errnos {
		names[i] = e.name
	}
	return names
}

// errnoName is the POSIX name of the OS error inside err, "" when it has
// none this package knows.
func errnoName(err error) string {
	var no syscall.Errno
	if errors.As(err, &no) {
		for _, e := range errnos {
			if e.errno == no {
				return e.name
			}
		}
	}
	switch {
	case errors.Is(err, checksum.ErrReservedName):
		return "windows-device-name"
	case errors.Is(err, checksum.ErrDotSpaceName):
		return "windows-dot-space-name"
	case errors.Is(err, fs.ErrNotExist):
		return "ENOENT"
	case errors.Is(err, fs.ErrPermission):
		return "EACCES"
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Item details.

func detail(code Code, text string, kv ...string) Message {
	m := Message{Code: code, Text: text}
	for i := 0; i+1 < len(kv); i += 2 {
		if m.Args == nil {
			m.Args = map[string]string{}
		}
		m.Args[kv[i]] = kv[i+1]
	}
	return m
}

// setDetail gives an item its detail.
func (it *Item) setDetail(m Message) {
	it.Detail, it.DetailCode, it.DetailArgs = m.Text, m.Code, m.Args
}

// errorDetail is the detail of an item that could not be read: text says
// err as the item shows it.
func errorDetail(text string, err error) Message {
	m := detail(DetailError, text)
	args := map[string]string{}
	errArgs(args, err)
	if len(args) > 0 {
		m.Args = args
	}
	return m
}

var typeText = map[string]string{
	TypeDirectory: "directory",
	TypeFIFO:      "FIFO",
	TypeSocket:    "socket",
	TypeDevice:    "device",
	TypeSpecial:   "special file",
	TypeSymlink:   "symbolic link",
}

func replacedBy(typ string) Message {
	return detail(DetailReplacedBy, "replaced by a "+typeText[typ], "type", typ)
}

func replacedBySymlink(target string) Message {
	return detail(DetailReplacedBySymlink, fmt.Sprintf("replaced by a symbolic link to %s (not followed)", target), "target", target)
}

func fileType(typ string) Message { return detail(DetailFileType, typeText[typ], "type", typ) }

func unlistedSymlink(target string) Message {
	return detail(DetailUnlistedSymlink, "symbolic link to "+target+", not followed", "target", target)
}

func unreadableDirectory(dir string, err error) Message {
	msg := osErrText(err)
	m := detail(DetailUnreadableDirectory, "directory unreadable: "+dir+": "+msg, "directory", dir, "error", msg)
	errArgs(m.Args, err)
	return m
}

func alternateStream(streams []string) Message {
	list := strings.Join(streams, ", ")
	return detail(DetailAlternateStream, "alternate data streams that no row lists: "+list, "streams", list)
}

func ambiguousName(names []string) Message {
	list := strings.Join(names, ", ")
	return detail(DetailAmbiguousName, "names on disk differing only in letter case match this row: "+list, "names", list)
}

func rootNotFound(root string) Message {
	return detail(DetailRootNotFound, "root directory "+root+" not found", "root", root)
}

// imageNameOnly says that the image is a certified one, byte for byte,
// under another name than the formular gives it: the one thing to fix.
func imageNameOnly(name, expected string) Message {
	return detail(DetailImageNameOnly, fmt.Sprintf("only the file name differs: this is the certified image byte for byte, under the name %s; the formular certifies it as %s, and the name is part of what is certified", name, expected), "name", name, "expected", expected)
}

// imageNameDiffers reports an image under another name than the table's,
// with the error of its reading, if any.
func imageNameDiffers(name, expected string, err error) Message {
	m := detail(DetailImageNameDiffers, fmt.Sprintf("file name %s, expected %s", name, expected), "name", name, "expected", expected)
	if err != nil {
		text := osErrText(err)
		m.Text += "; " + text
		m.Args["error"] = text
		errArgs(m.Args, err)
	}
	return m
}

// settingsLine says where a settings source holds a value, after the
// reason it could not be judged, if any.
func settingsLine(err error, file string, line int) Message {
	var m Message
	if err != nil {
		m = detail(DetailConstraintError, err.Error(), "error", err.Error())
		errArgs(m.Args, err)
	} else {
		m = detail(DetailSettingsLine, "")
	}
	if line > 0 {
		if m.Args == nil {
			m.Args = map[string]string{}
		}
		m.Args["file"], m.Args["line"] = file, strconv.Itoa(line)
		m.Text = strings.TrimPrefix(m.Text+fmt.Sprintf("; %s line %d", file, line), "; ")
	}
	return m
}

var udfNotChecked = Message{Code: CodeUDFNotChecked, Text: "UDF tree not checked"}

var treeText = map[string]string{TreeRockRidge: "Rock Ridge", TreeJoliet: "Joliet", TreeISO9660: "ISO 9660"}

func duplicateRecord(tree, name string, records []int64) Message {
	recs := offsets(records)
	return detail(DetailDuplicateRecord, fmt.Sprintf("the %s tree holds %s more than once in one directory: directory records at byte offsets %s", treeText[tree], name, recs),
		"tree", tree, "name", name, "records", recs)
}

func treeOtherContent(tree, name string, record int64, members string, membersRecord int64) Message {
	return detail(DetailTreeOtherContent, fmt.Sprintf("the %s tree holds other content under %s: its directory record at byte offset %d, the %s tree's at byte offset %d", treeText[tree], name, record, treeText[members], membersRecord),
		"tree", tree, "name", name, "record", strconv.FormatInt(record, 10), "members_tree", members, "members_record", strconv.FormatInt(membersRecord, 10))
}

func treeOnly(tree, name string, record int64, members string) Message {
	return detail(DetailTreeOnly, fmt.Sprintf("only the %s tree shows %s (directory record at byte offset %d); the %s tree does not", treeText[tree], name, record, treeText[members]),
		"tree", tree, "name", name, "record", strconv.FormatInt(record, 10), "members_tree", members)
}

func treeMissing(tree string, record int64, members string) Message {
	return detail(DetailTreeMissing, fmt.Sprintf("the %s tree does not show this file (directory record at byte offset %d of the %s tree)", treeText[tree], record, treeText[members]),
		"tree", tree, "record", strconv.FormatInt(record, 10), "members_tree", members)
}

func offsets(records []int64) string {
	s := make([]string, len(records))
	for i, r := range records {
		s[i] = strconv.FormatInt(r, 10)
	}
	return strings.Join(s, ", ")
}

var (
	notRead        = detail(DetailNotRead, "not read")
	notReadLonger  = detail(DetailNotReadLonger, "not read: more than twice the size listed, so not the file listed, whatever it holds")
	throughSymlink = detail(DetailThroughSymlink, "reached only through a symbolic link, which is not followed")
	notOnImage     = detail(DetailNotOnImage, "not on the image")
	readFromDevice = detail(DetailReadFromDevice, "read from the device")
	imageUnmatched = detail(DetailImageUnmatched, "the image matches no row of the [image] table, by name or content")
)

// gostReversed is the hint for GOST columns whose digests match with their
// bytes reversed: the formular was made from a list read in the wrong
// byte order.
func gostReversed(cols, shouldBe []string) Message {
	var parts []string
	for i, c := range cols {
		with := "out"
		if strings.HasSuffix(shouldBe[i], "/reversed") {
			with = ""
		}
		parts = append(parts, fmt.Sprintf("the %s digest matches byte-reversed: the table's column should be %s (import the list with%s --gost-reverse)", c, shouldBe[i], with))
	}
	return detail(HintGOSTReversed, strings.Join(parts, "; "), "column", strings.Join(cols, ", "), "should_be", strings.Join(shouldBe, ", "))
}
