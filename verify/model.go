package verify

import "github.com/sverka/sverka/formular"

// The model has no JSON spelling of its own: the report's wire types
// (package report) are the one place its members are named in a document.

// Status is the outcome for one item of a table.
type Status string

// The statuses an item can have.
const (
	OK         Status = "OK"
	Modified   Status = "MODIFIED"   // digest, size, type or mode differs
	Missing    Status = "MISSING"    // listed, not found
	Extra      Status = "EXTRA"      // found in a table's directories, not listed
	Renamed    Status = "RENAMED"    // missing under its name, exact content found under another
	Unreadable Status = "UNREADABLE" // permission or I/O error: never OK
	Violated   Status = "VIOLATED"   // parameter outside its allowed values
	Unset      Status = "UNSET"      // parameter absent where presence is required
)

// Statuses lists every status in the order reports show them.
var Statuses = []Status{OK, Modified, Missing, Renamed, Extra, Unreadable, Violated, Unset}

// Verdict is the answer to "does the certified configuration still hold".
type Verdict string

// The verdicts.
const (
	Holds    Verdict = "HOLDS"
	NotHolds Verdict = "NOT HOLD"
	// CannotCheck is the verdict of a check that could not be made (bad
	// signature, unreadable formular or media, interrupted): its report
	// still says so, for whoever collects reports, and its one reason
	// (CodeCannotCheck) says why. Exit 2.
	CannotCheck Verdict = "CANNOT CHECK"
)

// Digest is one algorithm's digest, hex in the table column's byte order.
type Digest struct {
	Alg string // column name, e.g. "sha256" or "gost94-cryptopro/reversed"
	Hex string
}

// Item is one row of a table and what was found for it.
type Item struct {
	Name   string // path relative to the table root, or the parameter key
	Line   int
	Status Status
	// Failure is false for an item that does not break the verdict: OK,
	// or EXTRA in a table that is not closed (a warning).
	Failure bool

	Size       int64  // expected size
	ActualSize *int64 // observed size, when read
	Expected   []Digest
	Actual     []Digest
	// Differs names what differs for MODIFIED: "size", "type", "mode" or
	// an algorithm's column name.
	Differs []string
	// Other is the name under which a RENAMED item's content was found.
	Other string
	// Mode: expected and actual permission bits, for tables with a mode column.
	Mode       string
	ActualMode string

	// Parameters.
	Allowed  string
	Value    string
	HasValue bool
	Note     string

	// Detail says in English what differs or why it could not be read;
	// DetailCode and DetailArgs say the same for renderings in other
	// languages (see the Detail codes).
	Detail     string
	DetailCode Code
	DetailArgs map[string]string
	// Hint suggests what would read the formular right (e.g. a reversed
	// GOST byte order); the finding stays a failure.
	Hint     string
	HintCode Code
	HintArgs map[string]string
}

// Table is one formular table's outcome.
type Table struct {
	Kind    formular.Kind // image, boot, media, modules, parameters
	Line    int           // the table's header line in the formular
	Root    string
	Source  string // parameters: the settings file or registry
	Format  string
	Columns []string
	Closed  bool
	// Items are the table's items, in the report's order; or, for a
	// table that keeps its rows (see rows), those not made from a row.
	// Read them with Len, At and All, which see both.
	Items  []Item
	Counts map[Status]int
	// Weak lists legacy algorithms (md5, sha1) the table relies on.
	Weak []string

	// rows, when set, are the formular rows a file table was judged on:
	// a row found exactly as listed has no item of its own (a million OK
	// rows would be 400 MB of items), and its item is made from the row
	// when it is read. Items then begin with the items of the other
	// rows, at[k] the row of Items[k], in row order; the items of no row
	// (unlisted names) follow.
	rows *formular.Table
	at   []int
}

// Result is the outcome of a whole check.
type Result struct {
	Verdict  Verdict
	Reasons  []Message // why NOT HOLD; empty when it holds
	Warnings []Message // what does not break the verdict but deserves a look
	// Scope is what the verdict covers; HOLDS speaks for it alone.
	Scope  Scope
	Tables []Table
	// Image is what the single pass over an image or device found.
	Image *ImageInfo
}

// ImageInfo describes the media when it is an image file or a device.
type ImageInfo struct {
	Path    string
	Kind    string // image or device
	Size    int64
	Digests []Digest
	// ImplantedMD5 is the isomd5sum evidence, when the image carries one.
	ImplantedMD5 *ImplantedMD5
}

// ImplantedMD5 is the result of checking an isomd5sum implanted MD5.
type ImplantedMD5 struct {
	Expected string
	Computed string
	OK       bool
	// NotRead: the image was not read for it, as it covers far more than
	// the file holds on its disk (implantedNotRead); Computed is empty.
	NotRead bool
}

// Scope says what a verdict covers, so that a HOLDS is never read as
// covering more than was checked.
type Scope struct {
	// Checked lists the kinds of the tables checked, in formular order,
	// each once.
	Checked []formular.Kind
	// NotChecked says, per table, why it was not checked (messages of
	// CodeTableNotChecked).
	NotChecked []Message
	// Uncovered names what the checked media or host holds that neither
	// the formular nor sverka covers: a directory tree of an image that
	// cannot be read, boot code the formular records nothing for. It is
	// not by itself a failure.
	Uncovered []Message
	// Required lists the kinds the verdict had to cover (--require).
	Required []formular.Kind
}
