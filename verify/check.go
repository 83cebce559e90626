package verify

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/settings"
)

// RequireAll in Sources.Require stands for every table kind the formular
// has.
const RequireAll formular.Kind = "all"

// Sources says where the things a formular describes are.
type Sources struct {
	// Media is the kit: a directory copy, an image file or a block device.
	Media string
	// Installed is the root of an offline copy of a host (a mounted
	// disk); "" checks this host.
	Installed string
	// Vars overrides root variables: NAME → path on this machine.
	Vars map[string]string
	// Settings are files replacing the source= of parameters tables.
	Settings []string
	// RegistryUser names the user whose NTUSER.DAT stands for HKCU in
	// the registry tables of an offline system (Installed).
	RegistryUser string
	// IgnoreCase compares kit names case-insensitively.
	IgnoreCase bool
	// At is the check date for the certificate's validity.
	At time.Time
	// Require lists the table kinds the verdict must cover; RequireAll
	// stands for every kind the formular has. A required kind left
	// unchecked makes the verdict NOT HOLD.
	Require []formular.Kind
	// GOOS is the system whose default roots apply; "" means this one.
	GOOS   string
	Engine checksum.Options

	// settingsFor is the --settings file each parameters table reads,
	// matched once by Check.
	settingsFor map[*formular.Table]string
}

// Check verifies everything the formular lists that the sources let it
// reach, and returns the findings with one verdict. An error means the
// check could not be made at all (media that cannot be opened, a root
// variable with no value): the caller must not report a verdict.
func Check(ctx context.Context, f *formular.Formular, src Sources) (*Result, error) {
	// What the user named is matched to the formular before anything is
	// read: a misspelt variable or a settings file meant for another
	// table would otherwise check something else than was asked.
	if err := checkVars(f, src.Vars); err != nil {
		return nil, err
	}
	var err error
	if src.settingsFor, err = matchSettings(f, src.Settings); err != nil {
		return nil, err
	}
	if err := checkRegistryUser(f, src); err != nil {
		return nil, err
	}
	res := &Result{}
	mediaIsDir := false
	if src.Media != "" {
		fi, err := os.Stat(src.Media)
		if err != nil {
			return nil, fmt.Errorf("media: %w", err)
		}
		mediaIsDir = fi.IsDir()
		if !mediaIsDir {
			if err := checkImage(ctx, f, src, res); err != nil {
				return nil, err
			}
		}
	}
	for _, t := range f.Tables {
		switch t.Kind {
		case formular.KindImage, formular.KindBoot:
			if src.Media == "" {
				skip(res, t, WhyNoMedia)
			} else if mediaIsDir {
				skip(res, t, WhyMediaIsDirectory)
			}
		case formular.KindMedia:
			if src.Media == "" {
				skip(res, t, WhyNoMedia)
				continue
			}
			if !mediaIsDir {
				continue // checked in the image's single pass
			}
			out, err := CheckTree(ctx, t, src.Media, TreeOptions{IgnoreCase: src.IgnoreCase, Recursive: true, Engine: src.Engine})
			if err != nil {
				return nil, err
			}
			res.Tables = append(res.Tables, out)
		case formular.KindModules:
			if src.Installed == "" && len(src.Vars) == 0 {
				skip(res, t, WhyNoInstalled)
				continue
			}
			root, err := resolveRoot(t, t.Root, src)
			if err != nil {
				return nil, err
			}
			out, err := CheckTree(ctx, t, root, TreeOptions{IgnoreCase: src.IgnoreCase, Jail: src.jailOf(root), Engine: src.Engine})
			if err != nil {
				// A root that is not there is what broke, not a usage error.
				out = newTable(t)
				out.Root = root
				for _, e := range t.Entries {
					it := Item{Name: e.Path, Line: int(e.Line), Size: e.Size, Status: Missing, Failure: true,
						Expected: rowDigests(t.Columns, e.Sums)}
					it.setDetail(rootNotFound(root))
					out.Items = append(out.Items, it)
				}
				out.count()
			}
			res.Tables = append(res.Tables, out)
		case formular.KindParameters:
			out, skipped, err := checkParameters(ctx, f, t, src, res)
			if err != nil {
				return nil, err
			}
			if skipped != "" {
				skip(res, t, skipped)
				continue
			}
			res.Tables = append(res.Tables, out)
		}
	}
	certificate(f, src.At, res)
	required(f, src.Require, res)
	verdict(res)
	return res, nil
}

// checkRegistryUser refuses a --registry-user that would not be read: it
// names the user of an offline system's HKCU, and the check would
// otherwise look as if it had read that user's settings.
func checkRegistryUser(f *formular.Formular, src Sources) error {
	if src.RegistryUser == "" {
		return nil
	}
	if src.Installed == "" || settings.IsLiveRoot(src.Installed) {
		return fmt.Errorf("--registry-user %s: it names the user whose NTUSER.DAT is read from an offline system (--installed ROOT); the live registry's HKCU is that of the user running sverka", src.RegistryUser)
	}
	if HasRegistryTable(f) {
		return nil
	}
	return fmt.Errorf("--registry-user %s: the formular has no [parameters format=registry] table", src.RegistryUser)
}

// HasRegistryTable reports whether the formular has a table of the
// registry: one that reads this host's registry with no source given.
func HasRegistryTable(f *formular.Formular) bool {
	for _, t := range f.TablesOf(formular.KindParameters) {
		if t.Format == "registry" {
			return true
		}
	}
	return false
}

// skip records a table that was not checked and says why (a Why code).
// It is part of the verdict's scope, not a warning.
func skip(res *Result, t *formular.Table, why string) {
	res.Scope.NotChecked = append(res.Scope.NotChecked, tableNotChecked(t.Kind, t.Line, why))
}

// required records the kinds the verdict must cover; verdict then fails
// any of them that was not checked.
func required(f *formular.Formular, kinds []formular.Kind, res *Result) {
	for _, k := range kinds {
		if k != RequireAll {
			res.Scope.Required = append(res.Scope.Required, k)
			continue
		}
		for _, t := range f.Tables {
			res.Scope.Required = append(res.Scope.Required, t.Kind)
		}
	}
	res.Scope.Required = dedupe(res.Scope.Required)
}

// Uncover records something the checked media or host holds that the
// verdict does not cover (a Code of the Uncovered kind).
func (res *Result) Uncover(m Message) {
	res.Scope.Uncovered = append(res.Scope.Uncovered, m)
}

// certificate checks the validity dates of the formular's certificate.
func certificate(f *formular.Formular, at time.Time, res *Result) {
	day := at.Format(formular.DateLayout)
	cert := f.Get(formular.KeyCertificate)
	if until, ok, err := f.ValidUntil(); err != nil {
		res.Reasons = append(res.Reasons, dateUnreadable(CodeValidUntilUnreadable, formular.KeyValidUntil, f.Get(formular.KeyValidUntil), err))
	} else if !ok {
		res.Warnings = append(res.Warnings, noValidUntil)
	} else if until.Format(formular.DateLayout) < day {
		res.Reasons = append(res.Reasons, certificateExpired(cert, until.Format(formular.DateLayout), day))
	}
	if until, ok, err := f.SupportUntil(); err != nil {
		res.Warnings = append(res.Warnings, dateUnreadable(CodeSupportUntilUnreadable, formular.KeySupportUntil, f.Get(formular.KeySupportUntil), err))
	} else if ok && until.Format(formular.DateLayout) < day {
		res.Warnings = append(res.Warnings, supportEnded(cert, until.Format(formular.DateLayout), day))
	}
}

// verdict fills the verdict and its reasons from the tables.
func verdict(res *Result) {
	for _, t := range res.Tables {
		failing := map[Status]int{}
		var nFiles, nLinks int
		for _, it := range t.Items {
			switch {
			case it.Failure:
				failing[it.Status]++
			case it.Status == Extra && it.DetailCode == DetailUnlistedSymlink:
				nLinks++
			case it.Status == Extra:
				nFiles++
			}
		}
		if len(failing) > 0 {
			res.Reasons = append(res.Reasons, tableFailed(t.Kind, t.Line, failing))
		}
		if nFiles > 0 {
			res.Warnings = append(res.Warnings, extraFiles(t.Kind, t.Line, nFiles))
		}
		if nLinks > 0 {
			res.Warnings = append(res.Warnings, extraLinks(t.Kind, t.Line, nLinks))
		}
		if len(t.Weak) > 0 {
			res.Warnings = append(res.Warnings, weakAlgorithm(t.Kind, t.Line, t.Weak))
		}
	}
	if len(res.Tables) == 0 {
		res.Reasons = append(res.Reasons, nothingChecked)
	}
	var checked []formular.Kind
	for _, t := range res.Tables {
		checked = append(checked, t.Kind)
	}
	res.Scope.Checked = dedupe(checked)
	if res.Scope.Checked == nil {
		res.Scope.Checked = []formular.Kind{}
	}
	for _, k := range res.Scope.Required {
		if !slices.Contains(res.Scope.Checked, k) {
			res.Reasons = append(res.Reasons, requiredNotChecked(k))
		}
	}
	if len(res.Reasons) == 0 {
		res.Verdict = Holds
	} else {
		res.Verdict = NotHolds
	}
}

func dedupe[T comparable](s []T) []T {
	seen := map[T]bool{}
	var out []T
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// windowsDefaults are the usual values of the Windows root variables, used
// when a table gives no default and the check is not on the host itself.
var windowsDefaults = map[string]string{
	"programfiles":       `C:\Program Files`,
	"programfiles(x86)":  `C:\Program Files (x86)`,
	"programw6432":       `C:\Program Files`,
	"systemroot":         `C:\Windows`,
	"windir":             `C:\Windows`,
	"programdata":        `C:\ProgramData`,
	"systemdrive":        `C:\`,
	"commonprogramfiles": `C:\Program Files\Common Files`,
}

// resolveRoot turns a table's root (a variable or a literal path) into a
// directory on this machine: --var first, then the host's own value or the
// table's default, mapped under --installed for an offline system.
func resolveRoot(t *formular.Table, root string, src Sources) (string, error) {
	goos := src.GOOS
	if goos == "" {
		goos = runtime.GOOS
	}
	tableOS := t.OS
	if tableOS == "" {
		tableOS = goos
	}
	name, isVar := t.RootVar()
	if root != t.Root {
		name, isVar = varOf(root)
	}
	var p string
	switch {
	case !isVar:
		p = root
	case src.Vars[name] != "":
		// A path of this machine; the part of it inside an offline copy
		// is read as that host would read it.
		v := src.Vars[name]
		if j := src.jail(); j != "" {
			if rel, ok := within(j, v); ok {
				return rootOnHost(t, v, j, rel)
			}
		}
		return v, nil
	default:
		if d, ok := t.Default(tableOS); ok {
			p = d
		} else if v := os.Getenv(name); v != "" && src.jail() == "" && strings.HasPrefix(root, "%") && goos == "windows" {
			// This Windows host's own value (no --installed, or
			// --installed /): where its programs find the directory. The
			// report names the path it stood for.
			return v, nil
		} else if d, ok := windowsDefaults[strings.ToLower(name)]; ok && strings.HasPrefix(root, "%") {
			p = d
		} else {
			return "", fmt.Errorf("[%s] table (line %d): root variable %s has no value here: give --var %s=PATH", t.Kind, t.Line, name, name)
		}
	}
	if src.Installed == "" {
		return p, nil
	}
	return rootOnHost(t, p, src.Installed, strings.Join(splitPath(p, true), "/"))
}

// rootOnHost resolves a table's root p, at rel in the offline copy jail,
// as that host would (see inRoot). A root that is not there is left to
// the check, which reports it MISSING where it would be; a root that
// cannot be resolved (a loop of links, an ambiguous spelling) stops it.
func rootOnHost(t *formular.Table, p, jail, rel string) (string, error) {
	host, err := resolveOne(jail, rel, t.Windows())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("[%s] table (line %d): root %s in %s: %w", t.Kind, t.Line, p, jail, err)
	}
	return host, nil
}

// varOf reads "${NAME}" or "%NAME%".
func varOf(s string) (string, bool) {
	t := formular.Table{Root: s}
	return t.RootVar()
}
