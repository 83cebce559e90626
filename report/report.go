package report

import (
	"time"

	"github.com/sverka/sverka/verify"
)

// Schema names the version of the report document this package writes. A
// report that adds, removes or changes the meaning of a field gets a new
// version. Version 2 adds the verdict's scope and the verdict CANNOT
// CHECK; it stays open for additions until the first release.
const Schema = "sverka-report/2"

// SchemaV1 is the version before the scope: still read, and rendered
// saying that it predates scope.
const SchemaV1 = "sverka-report/1"

// Report is the evidence of one check: who checked what, when, with which
// tool, against which formular, and what was found.
type Report struct {
	Schema   string // Schema when written by this package; SchemaV1 for a report read from version 1
	Tool     Tool
	Run      Run
	Formular FormularInfo
	Sources  Sources
	// Result is the verdict and the findings. Result.Scope says what the
	// verdict covers, except in a version 1 report (HasScope).
	Result verify.Result
}

// HasScope reports whether the report says what its verdict covers:
// reports of version 1 do not.
func (r *Report) HasScope() bool { return r.Schema != SchemaV1 }

// Tool names the build that computed the report.
type Tool struct {
	Name    string // "sverka"
	Version string
	SHA256  string // hex digest of the running executable
}

// Run says when, where and how the check ran. The caller fills in the
// host's facts (internal/hostinfo learns them); what cannot be learnt
// stays empty.
type Run struct {
	Start, End time.Time
	// CheckDate is the date the certificate's validity is judged on (today,
	// or --at). Only its year, month and day are kept.
	CheckDate time.Time
	// HostID names the checked host in a fleet: --host-id, else the
	// machine id (/etc/machine-id, the MachineGuid on Windows). A version 1
	// report has none; readers take Host in its place.
	HostID string
	Host   string // the hostname
	// Groups are the inventory groups the host was checked as (--group).
	Groups    []string
	OS        string // runtime.GOOS
	OSVersion string // distribution and kernel release, or the Windows version
	Arch      string // runtime.GOARCH
	User      string
	Args      []string // the command line, program name first
}

// Duration is the run's wall-clock time.
func (r Run) Duration() time.Duration { return r.End.Sub(r.Start) }

// Field is one header line of the formular, unknown keys included.
type Field struct {
	Key, Value string
}

// Signature describes the formular's detached signature.
type Signature struct {
	KeyID          string // minisign key id, 16 upper-case hex digits
	TrustedComment string
	Verified       bool
}

// FormularInfo identifies the formular the check ran against.
type FormularInfo struct {
	Path      string
	SHA256    string // hex digest of the formular file's raw bytes
	Header    []Field
	Signature *Signature // nil when the formular was not signed
}

// Get returns the value of the first header field named key, or "".
func (f FormularInfo) Get(key string) string {
	for _, h := range f.Header {
		if h.Key == key {
			return h.Value
		}
	}
	return ""
}

// Media kinds.
const (
	MediaDirectory = "directory"
	MediaImage     = "image"
	MediaDevice    = "device"
)

// Media is the checked installation kit.
type Media struct {
	Path         string
	Kind         string // MediaDirectory, MediaImage or MediaDevice
	Size         int64  // bytes of the image or device; total of the files for a directory
	Digests      []verify.Digest
	ImplantedMD5 *ImplantedMD5 // nil when not looked for (directories)
}

// ImplantedMD5 is the outcome of the isomd5sum check of an image.
type ImplantedMD5 struct {
	Present  bool // the image carries an implanted MD5
	OK       bool // it matches
	Expected string
	Computed string
	NotRead  bool // not read: it covers far more than the file holds on its disk
}

// Var is one root variable of the modules tables and the path it stood for.
type Var struct {
	Name, Path string
}

// Installed is the checked installed product.
type Installed struct {
	Root string // --installed: the mounted system's root, "" for the running host
	Vars []Var
}

// Sources names everything the check read besides the formular.
type Sources struct {
	Media     *Media
	Installed *Installed
	Settings  []string // settings files or registry hives the parameters were read from
}
