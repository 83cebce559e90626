package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Set at build time by release builds, which may build without VCS
// information (-buildvcs=false):
//
//	go build -ldflags "-X main.version=1.2.0 -X main.commit=$(git rev-parse HEAD) -X main.date=2026-12-01T10:00:00Z"
var (
	version = "" // the release's version, without a leading v
	commit  = "" // the commit built, in full
	date    = "" // when it was built, UTC, RFC 3339
)

const versionSynopsis = `sverka version

Print the version of this build, the commit it was built from, when it was
built (release builds say it) and the Go toolchain that built it. A build
that was not stamped says "devel" and the commit Go recorded, if any.`

const versionExamples = `  sverka version
  sverka --version`

// runVersion prints what this build is.
func runVersion(c *cli) error {
	bi, _ := debug.ReadBuildInfo()
	describeBuild(buildStamp{version, commit, date}, bi).write(c.stdout)
	return nil
}

// buildStamp is what -ldflags -X set.
type buildStamp struct{ version, commit, date string }

// build is what a binary knows of itself.
type build struct {
	version string
	commit  string // "" when neither stamped nor recorded by Go
	dirty   bool   // built from a tree with changes not committed
	date    string // "" unless stamped
	goVer   string
}

// describeBuild is what stamp and Go's build information say of a build:
// the stamp first (release builds), else the module version or the VCS
// revision Go recorded (a 'go install' or a build in a checkout).
func describeBuild(stamp buildStamp, bi *debug.BuildInfo) build {
	b := build{version: stamp.version, commit: stamp.commit, date: stamp.date, goVer: runtime.Version()}
	if bi == nil {
		if b.version == "" {
			b.version = "devel"
		}
		return b
	}
	if bi.GoVersion != "" {
		b.goVer = bi.GoVersion
	}
	if b.version == "" {
		if v := bi.Main.Version; v != "" && v != "(devel)" {
			b.version = v
		}
	}
	if b.commit == "" {
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				b.commit = s.Value
			case "vcs.modified":
				b.dirty = s.Value == "true"
			}
		}
	}
	if b.version == "" {
		b.version = "devel"
	}
	return b
}

// write prints the build as 'sverka version' does: the version on the
// first line, as scripts read it, then one fact a line.
func (b build) write(w io.Writer) {
	fmt.Fprintf(w, "sverka %s\n", b.version)
	c := b.commit
	switch {
	case c == "":
		c = "unknown (a build without version stamp or VCS information)"
	case b.dirty:
		c += " (with changes not committed)"
	}
	fmt.Fprintf(w, "commit: %s\n", c)
	if b.date != "" {
		fmt.Fprintf(w, "built:  %s\n", b.date)
	}
	fmt.Fprintf(w, "go:     %s %s/%s\n", b.goVer, runtime.GOOS, runtime.GOARCH)
}

// toolVersion is the version a report names: the stamped one, else the
// module version, else "devel-" and the commit Go recorded.
func toolVersion() string {
	bi, _ := debug.ReadBuildInfo()
	b := describeBuild(buildStamp{version, commit, date}, bi)
	if b.version != "devel" || b.commit == "" {
		return b.version
	}
	rev := b.commit
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if b.dirty {
		rev += "+dirty"
	}
	return "devel-" + rev
}
