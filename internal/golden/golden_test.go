package golden

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDiff(t *testing.T) {
	for _, c := range []struct{ want, got, diff string }{
		{"a\nb\nc\n", "a\nB\nc\n", "line 2:\nwant: b\ngot:  B"},
		{"a\n", "a\nb\n", "line 2:\nwant: \ngot:  b"},
		{"same", "same", ""},
		{"PK\x03\x04\xff\x00", "PK\x03\x05\xff", "byte 3: want 6 bytes, got 5"},
	} {
		if d := Diff([]byte(c.want), []byte(c.got)); d != c.diff {
			t.Errorf("Diff(%q, %q) = %q, want %q", c.want, c.got, d, c.diff)
		}
	}
}

func TestCheck(t *testing.T) {
	if Update() {
		t.Skip("compares, which -update does not")
	}
	path := filepath.Join(t.TempDir(), "out.txt")
	if err := os.WriteFile(path, []byte("line\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	Check(t, path, []byte("line\n"))

	var rec recorder
	Check(&rec, path, []byte("other\n"))
	if !rec.failed {
		t.Error("a difference passed")
	}
	rec = recorder{}
	Check(&rec, filepath.Join(t.TempDir(), "missing"), nil)
	if !rec.failed {
		t.Error("a missing golden file passed")
	}
}

// recorder is a testing.TB that records a failure instead of failing.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Name() string          { return "TestX/sub" }
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
