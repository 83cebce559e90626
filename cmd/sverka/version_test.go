package main

import (
	"bytes"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestDescribeBuild(t *testing.T) {
	vcs := &debug.BuildInfo{GoVersion: "go1.26.1", Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"}, {Key: "vcs.modified", Value: "true"}}}
	plat := runtime.GOOS + "/" + runtime.GOARCH
	for _, tt := range []struct {
		name  string
		stamp buildStamp
		bi    *debug.BuildInfo
		want  string
		tool  string
	}{
		{"stamped release", buildStamp{"1.2.0", "fedcba9876543210fedcba9876543210fedcba98", "2026-12-01T10:00:00Z"}, vcs,
			"sverka 1.2.0\ncommit: fedcba9876543210fedcba9876543210fedcba98\nbuilt:  2026-12-01T10:00:00Z\ngo:     go1.26.1 " + plat + "\n", "1.2.0"},
		{"stamped version only, -buildvcs=false", buildStamp{"1.2.0", "", ""}, &debug.BuildInfo{GoVersion: "go1.26.1"},
			"sverka 1.2.0\ncommit: unknown (a build without version stamp or VCS information)\ngo:     go1.26.1 " + plat + "\n", "1.2.0"},
		{"checkout build with changes", buildStamp{}, vcs,
			"sverka devel\ncommit: 0123456789abcdef0123456789abcdef01234567 (with changes not committed)\ngo:     go1.26.1 " + plat + "\n", "devel-0123456789ab+dirty"},
		{"go install of a tag", buildStamp{}, &debug.BuildInfo{GoVersion: "go1.26.1", Main: debug.Module{Version: "v1.3.0"}},
			"sverka v1.3.0\ncommit: unknown (a build without version stamp or VCS information)\ngo:     go1.26.1 " + plat + "\n", "v1.3.0"},
		{"nothing known", buildStamp{}, nil,
			"sverka devel\ncommit: unknown (a build without version stamp or VCS information)\ngo:     " + runtime.Version() + " " + plat + "\n", "devel"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			describeBuild(tt.stamp, tt.bi).write(&b)
			if b.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), tt.want)
			}
			saved := [3]string{version, commit, date}
			t.Cleanup(func() { version, commit, date = saved[0], saved[1], saved[2] })
			version, commit, date = tt.stamp.version, tt.stamp.commit, tt.stamp.date
			if tt.bi == nil || strings.Contains(tt.name, "checkout") || strings.Contains(tt.name, "go install") {
				return // toolVersion reads the test binary's own build information
			}
			if got := toolVersion(); got != tt.tool {
				t.Errorf("toolVersion() = %q, want %q", got, tt.tool)
			}
		})
	}
}
