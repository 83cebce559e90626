//go:build linux || darwin || freebsd || netbsd || openbsd

package hostinfo

import (
	"os"
	"path/filepath"
	"testing"
)

func TestPrettyName(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct{ name, text, want string }{
		{"quoted", "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n", "Debian GNU/Linux 12 (bookworm)"},
		{"escaped", `PRETTY_NAME="Astra Linux \"SE\" 1.7"` + "\n", `Astra Linux "SE" 1.7`},
		{"single quotes", "  PRETTY_NAME='Alt Linux 10'\n", "Alt Linux 10"},
		{"bare", "PRETTY_NAME=Arch\n", "Arch"},
		{"absent", "NAME=Debian\n", ""},
	} {
		path := filepath.Join(dir, c.name)
		if err := os.WriteFile(path, []byte(c.text), 0o644); err != nil {
			t.Fatal(err)
		}
		if got := prettyName(path); got != c.want {
			t.Errorf("%s: prettyName = %q, want %q", c.name, got, c.want)
		}
	}
	if got := prettyName(filepath.Join(dir, "missing")); got != "" {
		t.Errorf("a missing file gives %q", got)
	}
}
