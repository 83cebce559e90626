package survey

import (
	"path/filepath"
	"runtime"
	"testing"
)

func TestScratchDir(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("POSIX paths")
	}
	tests := []struct {
		dir   string
		more  []string
		under string
	}{
		{"/opt/vendor/product", nil, ""},
		{"/usr/lib/product", nil, ""},
		{"/home/alice/ref/opt/product", nil, "/home"},
		{"/tmp/x", nil, "/tmp"},
		{"/tmp", nil, "/tmp"},
		{"/tmpfoo/x", nil, ""},
		{"/mnt/host/opt/product", nil, "/mnt"},
		{"/srv/build/ref", []string{"/srv/build"}, "/srv/build"},
		{"/srv/build/ref", []string{"", "relative"}, ""},
	}
	for _, tt := range tests {
		got, ok := ScratchDir(filepath.FromSlash(tt.dir), tt.more...)
		if got != tt.under || ok != (tt.under != "") {
			t.Errorf("ScratchDir(%q, %q) = %q, %v, want %q", tt.dir, tt.more, got, ok, tt.under)
		}
	}
}
