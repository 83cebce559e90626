package report

import (
	"maps"
	"slices"
	"time"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/verify"
)

// BuildInput is what the report of one check is made of.
type BuildInput struct {
	Tool Tool
	// Run is the run's facts (NewRun) with its end; Build sets its check
	// date from At.
	Run Run
	// At is the date the certificate's validity was judged on; only its
	// year, month and day are kept.
	At time.Time
	// Formular is what was learnt of the formular before the check
	// stopped or ended: its path always; its digest, signature and
	// header once read, checked and parsed.
	Formular *verify.Signed
	// Targets is what the check was told to read besides the formular.
	Targets Targets
	// Err, when not nil, is why the check could not be made: the report's
	// result is then CANNOT CHECK, saying why, and Result is not used.
	Err error
	// Result is the check's result when Err is nil.
	Result *verify.Result
}

// Targets is what a check was told to read besides the formular.
type Targets struct {
	Media     string            // the kit: a directory, an image or a device
	Installed string            // the installed system's root
	Vars      map[string]string // root variables: NAME → path on this machine
}

// Build assembles the report of one check: the tool, the run, the
// formular as far as it was read, and the result with the sources it was
// read from, or the CANNOT CHECK result of a check that could not be made.
func Build(in BuildInput) *Report {
	run := in.Run
	run.CheckDate = time.Date(in.At.Year(), in.At.Month(), in.At.Day(), 0, 0, 0, 0, in.At.Location())
	rep := &Report{Schema: Schema, Tool: in.Tool, Run: run, Formular: formularInfo(in.Formular)}
	switch {
	case in.Err != nil:
		rep.Result = *verify.CannotCheckResult(in.Err)
	case in.Result != nil:
		rep.Result = *in.Result
		rep.Sources = SourcesOf(in.Targets, in.Formular.Formular, in.Result)
	}
	return rep
}

// formularInfo is what the report says of the formular read.
func formularInfo(s *verify.Signed) FormularInfo {
	fi := FormularInfo{Path: s.Path, SHA256: s.SHA256}
	if sig := s.Signature; sig != nil {
		fi.Signature = &Signature{KeyID: sig.KeyID, TrustedComment: sig.TrustedComment, Verified: true}
	}
	if f := s.Formular; f != nil {
		for _, h := range f.Header {
			fi.Header = append(fi.Header, Field{Key: h.Key, Value: h.Value})
		}
	}
	return fi
}

// SourcesOf describes what a check read besides the formular f: the
// media as the check found it, each modules table's root as the formular
// writes it with the directory it stood for, the root variables given
// that no table names, and the settings files.
func SourcesOf(read Targets, f *formular.Formular, res *verify.Result) Sources {
	var s Sources
	if read.Media != "" {
		s.Media = mediaOf(read.Media, res)
	}
	var roots []Var
	named := map[string]bool{}
	for _, t := range res.Tables {
		switch t.Kind {
		case formular.KindModules:
			if f == nil {
				continue
			}
			for _, ft := range f.Tables {
				if ft.Line == t.Line && !named[ft.Root] {
					named[ft.Root] = true
					roots = append(roots, Var{Name: ft.Root, Path: t.Root})
				}
			}
		case formular.KindParameters:
			s.Settings = append(s.Settings, t.Source)
		}
	}
	// ${NAME} and %NAME% name the same variable as --var NAME.
	for _, k := range slices.Sorted(maps.Keys(read.Vars)) {
		if !named["${"+k+"}"] && !named["%"+k+"%"] {
			roots = append(roots, Var{Name: k, Path: read.Vars[k]})
		}
	}
	if read.Installed != "" || len(roots) > 0 {
		s.Installed = &Installed{Root: read.Installed, Vars: roots}
	}
	return s
}

// mediaOf describes the media at path: an image or device as its single
// pass found it, else a directory whose size is that of the files read.
func mediaOf(path string, res *verify.Result) *Media {
	m := &Media{Path: path, Kind: MediaDirectory}
	if img := res.Image; img != nil {
		m.Kind, m.Size, m.Digests = img.Kind, img.Size, img.Digests
		m.ImplantedMD5 = &ImplantedMD5{}
		if im := img.ImplantedMD5; im != nil {
			m.ImplantedMD5 = &ImplantedMD5{Present: true, OK: im.OK, Expected: im.Expected, Computed: im.Computed, NotRead: im.NotRead}
		}
		return m
	}
	for _, t := range res.Tables {
		if t.Kind != formular.KindMedia {
			continue
		}
		for _, it := range t.AllButDigests() {
			if it.ActualSize != nil {
				m.Size += *it.ActualSize
			}
		}
	}
	return m
}
