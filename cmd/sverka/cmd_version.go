package main

import (
	"fmt"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = ""

const versionSynopsis = `sverka version

Print the version of this build.`

const versionExamples = `  sverka version
  sverka --version`

// runVersion prints the version of this build.
func runVersion(c *cli) error {
	fmt.Fprintf(c.stdout, "sverka %s\n", toolVersion())
	return nil
}

// toolVersion is the version set at build time, else the module version,
// else the VCS revision the binary was built from.
func toolVersion() string {
	if version != "" {
		return version
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	rev, dirty := "", false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if dirty {
		rev += "+dirty"
	}
	return "devel-" + rev
}
