package near

import "testing"

func TestName(t *testing.T) {
	cands := []string{"INSTALLDIR", "DATADIR", "ProgramFiles(x86)", "ETC"}
	for _, tt := range []struct{ name, want string }{
		{"INSTALDIR", "INSTALLDIR"},
		{"INSTALLDIR", "INSTALLDIR"},
		{"installdir", "INSTALLDIR"},
		{"ISNTALLDIR", "INSTALLDIR"},
		{"INSTALL", ""},
		{"DATDIR", "DATADIR"},
		{"ProgramFiles", ""},
		{"ETX", "ETC"},
		{"EXE", ""},
		{"", ""},
	} {
		if got := Name(tt.name, cands); got != tt.want {
			t.Errorf("Name(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"kitten", "sitting", 3},
		{"ab", "ba", 1}, {"каталог", "католог", 1}, {"abc", "abc", 0},
	} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// The mistakes people make typing commands and flags.
func TestNameCommands(t *testing.T) {
	cmds := []string{"hash", "keygen", "sign", "formular", "verify", "report", "version", "help", "completion"}
	for _, tt := range []struct{ name, want string }{
		{"verfy", "verify"},
		{"veryfy", "verify"},
		{"Verify", "verify"},
		{"hsah", "hash"},
		{"sing", "sign"},
		{"formula", "formular"},
		{"fromular", "formular"},
		{"reprot", "report"},
		{"x", ""},
		{"check", ""},
	} {
		if got := Name(tt.name, cmds); got != tt.want {
			t.Errorf("Name(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
