package verify

import "github.com/sverka/sverka/formular"

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
	Alg string `json:"alg"` // column name, e.g. "sha256" or "gost94-cryptopro/reversed"
	Hex string `json:"hex"`
}

// Item is one row of a table and what was found for it.
type Item struct {
	Name   string `json:"name"` // path relative to the table root, or the parameter key
	Line   int    `json:"line,omitempty"`
	Status Status `json:"status"`
	// Failure is false for an item that does not break the verdict: OK,
	// or EXTRA in a table that is not closed (a warning).
	Failure bool `json:"failure"`

	Size       int64    `json:"size,omitempty"`        // expected size
	ActualSize *int64   `json:"actual_size,omitempty"` // observed size, when read
	Expected   []Digest `json:"expected,omitempty"`
	Actual     []Digest `json:"actual,omitempty"`
	// Differs names what differs for MODIFIED: "size", "type", "mode" or
	// an algorithm's column name.
	Differs []string `json:"differs,omitempty"`
	// Other is the name under which a RENAMED item's content was found.
	Other string `json:"other,omitempty"`
	// Mode: expected and actual permission bits, for tables with a mode column.
	Mode       string `json:"mode,omitempty"`
	ActualMode string `json:"actual_mode,omitempty"`

	// Parameters.
	Allowed  string `json:"allowed,omitempty"`
	Value    string `json:"value,omitempty"`
	HasValue bool   `json:"has_value,omitempty"`
	Note     string `json:"note,omitempty"`

	// Detail says in English what differs or why it could not be read;
	// DetailCode and DetailArgs say the same for renderings in other
	// languages (see the Detail codes).
	Detail     string            `json:"detail,omitempty"`
	DetailCode Code              `json:"detail_code,omitempty"`
	DetailArgs map[string]string `json:"detail_args,omitempty"`
	// Hint suggests what would read the formular right (e.g. a reversed
	// GOST byte order); the finding stays a failure.
	Hint     string            `json:"hint,omitempty"`
	HintCode Code              `json:"hint_code,omitempty"`
	HintArgs map[string]string `json:"hint_args,omitempty"`
}

// Table is one formular table's outcome.
type Table struct {
	Kind    formular.Kind  `json:"kind"` // image, boot, media, modules, parameters
	Line    int            `json:"line"` // the table's header line in the formular
	Root    string         `json:"root,omitempty"`
	Source  string         `json:"source,omitempty"` // parameters: the settings file or registry
	Format  string         `json:"format,omitempty"`
	Columns []string       `json:"columns,omitempty"`
	Closed  bool           `json:"closed,omitempty"`
	Items   []Item         `json:"items"`
	Counts  map[Status]int `json:"counts"`
	// Weak lists legacy algorithms (md5, sha1) the table relies on.
	Weak []string `json:"weak,omitempty"`
}

// Result is the outcome of a whole check.
type Result struct {
	Verdict  Verdict   `json:"verdict"`
	Reasons  []Message `json:"reasons"`  // why NOT HOLD; empty when it holds
	Warnings []Message `json:"warnings"` // what does not break the verdict but deserves a look
	// Scope is what the verdict covers; HOLDS speaks for it alone.
	Scope  Scope   `json:"scope"`
	Tables []Table `json:"tables"`
	// Image is what the single pass over an image or device found.
	Image *ImageInfo `json:"image,omitempty"`
}

// ImageInfo describes the media when it is an image file or a device.
type ImageInfo struct {
	Path    string   `json:"path"`
	Kind    string   `json:"kind"` // image or device
	Size    int64    `json:"size"`
	Digests []Digest `json:"digests,omitempty"`
	// ImplantedMD5 is the isomd5sum evidence, when the image carries one.
	ImplantedMD5 *ImplantedMD5 `json:"implanted_md5,omitempty"`
}

// ImplantedMD5 is the result of checking an isomd5sum implanted MD5.
type ImplantedMD5 struct {
	Expected string `json:"expected"`
	Computed string `json:"computed"`
	OK       bool   `json:"ok"`
}

// Scope says what a verdict covers, so that a HOLDS is never read as
// covering more than was checked.
type Scope struct {
	// Checked lists the kinds of the tables checked, in formular order,
	// each once.
	Checked []formular.Kind `json:"checked"`
	// NotChecked says, per table, why it was not checked (messages of
	// CodeTableNotChecked).
	NotChecked []Message `json:"not_checked,omitempty"`
	// Uncovered names what the checked media or host holds that neither
	// the formular nor sverka covers: a directory tree of an image that
	// cannot be read, boot code the formular records nothing for. It is
	// not by itself a failure.
	Uncovered []Message `json:"uncovered,omitempty"`
	// Required lists the kinds the verdict had to cover (--require).
	Required []formular.Kind `json:"required,omitempty"`
}
