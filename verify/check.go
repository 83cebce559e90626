package verify

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
)

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
	// Modules asks for the modules tables to be checked on this host even
	// without Installed.
	Modules bool
	// IgnoreCase compares kit names case-insensitively.
	IgnoreCase bool
	// At is the check date for the certificate's validity.
	At time.Time
	// GOOS is the system whose default roots apply; "" means this one.
	GOOS   string
	Engine checksum.Options
}

// Check verifies everything the formular lists that the sources let it
// reach, and returns the findings with one verdict. An error means the
// check could not be made at all (media that cannot be opened, a root
// variable with no value): the caller must not report a verdict.
func Check(ctx context.Context, f *formular.Formular, src Sources) (*Result, error) {
	res := &Result{}
	var notChecked []string
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
		case formular.KindImage:
			if src.Media == "" {
				notChecked = append(notChecked, skip(res, t, "no --media given"))
			} else if mediaIsDir {
				notChecked = append(notChecked, skip(res, t, "the media is a directory, not the image"))
			}
		case formular.KindMedia:
			if src.Media == "" {
				notChecked = append(notChecked, skip(res, t, "no --media given"))
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
			if src.Installed == "" && !src.Modules && len(src.Vars) == 0 {
				notChecked = append(notChecked, skip(res, t, "no --installed ROOT or --var given"))
				continue
			}
			root, err := resolveRoot(t, t.Root, src)
			if err != nil {
				return nil, err
			}
			out, err := CheckTree(ctx, t, root, TreeOptions{IgnoreCase: src.IgnoreCase, Engine: src.Engine})
			if err != nil {
				// A root that is not there is what broke, not a usage error.
				out = newTable(t)
				out.Root = root
				for _, e := range t.Entries {
					out.Items = append(out.Items, Item{Name: e.Path, Line: e.Line, Size: e.Size, Status: Missing, Failure: true,
						Expected: digests(t.Columns, e.Sums), Detail: "root directory " + root + " not found"})
				}
				out.count()
			}
			res.Tables = append(res.Tables, out)
		case formular.KindParameters:
			out, skipped, err := checkParameters(f, t, src, res)
			if err != nil {
				return nil, err
			}
			if skipped != "" {
				notChecked = append(notChecked, skip(res, t, skipped))
				continue
			}
			res.Tables = append(res.Tables, out)
		}
	}
	certificate(f, src.At, res)
	verdict(res, notChecked)
	return res, nil
}

// skip records a table that was not checked and says why.
func skip(res *Result, t *formular.Table, why string) string {
	msg := fmt.Sprintf("[%s] table (line %d) not checked: %s", t.Kind, t.Line, why)
	res.Warnings = append(res.Warnings, msg)
	return string(t.Kind)
}

// certificate checks the validity dates of the formular's certificate.
func certificate(f *formular.Formular, at time.Time, res *Result) {
	day := at.Format(formular.DateLayout)
	cert := f.Get(formular.KeyCertificate)
	if cert == "" {
		cert = "the certificate"
	} else {
		cert = "certificate " + cert
	}
	if until, ok, err := f.ValidUntil(); err != nil {
		res.Reasons = append(res.Reasons, fmt.Sprintf("valid-until cannot be read: %v", err))
	} else if !ok {
		res.Warnings = append(res.Warnings, "the formular states no valid-until date: the certificate's validity was not checked")
	} else if until.Format(formular.DateLayout) < day {
		res.Reasons = append(res.Reasons, fmt.Sprintf("%s expired on %s (check date %s)", cert, until.Format(formular.DateLayout), day))
	}
	if until, ok, err := f.SupportUntil(); err != nil {
		res.Warnings = append(res.Warnings, fmt.Sprintf("support-until cannot be read: %v", err))
	} else if ok && until.Format(formular.DateLayout) < day {
		res.Warnings = append(res.Warnings, fmt.Sprintf("support of %s ended on %s (check date %s)", cert, until.Format(formular.DateLayout), day))
	}
}

// verdict fills the verdict and its reasons from the tables.
func verdict(res *Result, notChecked []string) {
	checked := 0
	for _, t := range res.Tables {
		if t.Skipped != "" {
			continue
		}
		checked++
		var parts []string
		var extraFiles, extraLinks int
		for _, s := range Statuses {
			n := 0
			for _, it := range t.Items {
				switch {
				case it.Status != s:
				case it.Failure:
					n++
				case s == Extra && strings.HasPrefix(it.Detail, "symbolic link"):
					extraLinks++
				case s == Extra:
					extraFiles++
				}
			}
			if n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, s))
			}
		}
		if len(parts) > 0 {
			res.Reasons = append(res.Reasons, fmt.Sprintf("[%s] table (line %d): %s", t.Kind, t.Line, strings.Join(parts, ", ")))
		}
		if extraFiles > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("[%s] table (line %d): %d unlisted %s (the table is not closed)", t.Kind, t.Line, extraFiles, plural(extraFiles, "file", "files")))
		}
		if extraLinks > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("[%s] table (line %d): %d unlisted symbolic %s, not followed (formulars list content, not links)", t.Kind, t.Line, extraLinks, plural(extraLinks, "link", "links")))
		}
		if len(t.Weak) > 0 {
			res.Warnings = append(res.Warnings, fmt.Sprintf("[%s] table (line %d) relies on %s: legacy, detects accidents but not deliberate tampering", t.Kind, t.Line, strings.Join(t.Weak, ", ")))
		}
	}
	if checked == 0 {
		res.Reasons = append(res.Reasons, "nothing was checked: give --media, --installed or --settings")
	}
	if len(res.Reasons) == 0 {
		res.Verdict = Holds
	} else {
		res.Verdict = NotHolds
	}
	res.NotChecked = dedupe(notChecked)
}

func dedupe(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
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
		return src.Vars[name], nil
	default:
		if d, ok := t.Default(tableOS); ok {
			p = d
		} else if v := os.Getenv(name); v != "" && src.Installed == "" && strings.HasPrefix(root, "%") && goos == "windows" {
			p = v
		} else if d, ok := windowsDefaults[strings.ToLower(name)]; ok && strings.HasPrefix(root, "%") {
			p = d
		} else {
			return "", fmt.Errorf("[%s] table (line %d): root variable %s has no value here: give --var %s=PATH", t.Kind, t.Line, name, name)
		}
	}
	if src.Installed == "" {
		return p, nil
	}
	rel := p
	if len(rel) >= 2 && rel[1] == ':' {
		rel = rel[2:] // a drive letter has no meaning under a mount point
	}
	rel = strings.ReplaceAll(rel, `\`, "/")
	rel = strings.TrimLeft(path.Clean("/"+rel), "/")
	if t.Windows() {
		rel = resolveFold(src.Installed, rel)
	}
	return filepath.Join(src.Installed, filepath.FromSlash(rel)), nil
}

// varOf reads "${NAME}" or "%NAME%".
func varOf(s string) (string, bool) {
	t := formular.Table{Root: s}
	return t.RootVar()
}
