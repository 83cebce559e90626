package verify

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/sverka/sverka/formular"
)

func parseFormular(t *testing.T, tables string) *formular.Formular {
	t.Helper()
	f, err := formular.Parse([]byte("sverka-formular 1\nproduct: p\n\n"+tables), "f.txt")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

const twoSources = `[parameters source=/etc/a/agent.ini format=ini]
main.mode = safe

[parameters source=C:\ProgramData\Vendor\update.json format=json]
/threads range 1..8
`

func TestMatchSettings(t *testing.T) {
	for _, tt := range []struct {
		name    string
		tables  string
		files   []string
		want    map[int]string // table line → file
		wantErr string
	}{
		{name: "none", tables: twoSources, want: map[int]string{}},
		{name: "by name", tables: twoSources, files: []string{"copy/agent.ini"},
			want: map[int]string{4: "copy/agent.ini"}},
		{name: "by name, case and Windows path", tables: twoSources, files: []string{"x/UPDATE.JSON", "agent.ini"},
			want: map[int]string{4: "agent.ini", 7: "x/UPDATE.JSON"}},
		{name: "one file for another table", tables: twoSources, files: []string{"other.ini"},
			wantErr: "--settings other.ini: no [parameters] table reads a file of that name; the tables read agent.ini (line 4), update.json (line 7)"},
		{name: "two files for one table", tables: twoSources, files: []string{"a/agent.ini", "b/agent.ini"},
			wantErr: "--settings a/agent.ini, b/agent.ini: several files are named as the source of the [parameters] table at line 4"},
		{name: "the same file twice", tables: twoSources, files: []string{"agent.ini", "agent.ini"},
			want: map[int]string{4: "agent.ini"}},
		{name: "sourceless takes the unclaimed file",
			tables: "[parameters format=ini]\nmain.mode = safe\n\n[parameters source=/etc/b.ini format=ini]\nx = 1\n",
			files:  []string{"mine.ini", "b.ini"}, want: map[int]string{4: "mine.ini", 7: "b.ini"}},
		{name: "sourceless, two unclaimed files",
			tables:  "[parameters format=ini]\nmain.mode = safe\n",
			files:   []string{"one.ini", "two.ini"},
			wantErr: "--settings one.ini, two.ini: no table reads files of these names, and the [parameters] table at line 4 (no source file) takes only one of them"},
		{name: "sourceless, no unclaimed file",
			tables: "[parameters format=ini]\nmain.mode = safe\n\n[parameters source=/etc/b.ini format=ini]\nx = 1\n",
			files:  []string{"b.ini"}, want: map[int]string{7: "b.ini"}},
		{name: "one name, two sources",
			tables:  "[parameters source=/etc/a/c.ini format=ini]\nx = 1\n\n[parameters source=/etc/b/c.ini format=ini]\ny = 1\n",
			files:   []string{"c.ini"},
			wantErr: "--settings c.ini: its name is that of the sources of the [parameters] table at line 4 (source=/etc/a/c.ini) and the [parameters] table at line 7 (source=/etc/b/c.ini)"},
		{name: "one source, two tables",
			tables: "[parameters source=/etc/c.ini format=ini]\nx = 1\n\n[parameters source=/etc/c.ini format=ini]\ny = 1\n",
			files:  []string{"c.ini"}, want: map[int]string{4: "c.ini", 7: "c.ini"}},
		{name: "no parameters table", tables: "[media sha256]\n", files: []string{"c.ini"},
			wantErr: "--settings c.ini: the formular has no [parameters] table"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := parseFormular(t, tt.tables)
			got, err := matchSettings(f, tt.files)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			byLine := map[int]string{}
			for tb, s := range got {
				byLine[tb.Line] = s
			}
			if len(byLine) != len(tt.want) {
				t.Fatalf("got %v, want %v", byLine, tt.want)
			}
			for l, s := range tt.want {
				if byLine[l] != s {
					t.Errorf("table at line %d: %q, want %q", l, byLine[l], s)
				}
			}
		})
	}
}

func TestCheckVars(t *testing.T) {
	f := parseFormular(t, "[modules root=${INSTALLDIR} default=/opt/x sha256]\n\n"+
		"[modules root=%ProgramFiles(x86)% os=windows sha256]\n\n"+
		"[parameters source=${CONFDIR}/a.ini format=ini]\nx = 1\n")
	for _, tt := range []struct {
		vars    map[string]string
		wantErr string
	}{
		{vars: map[string]string{"INSTALLDIR": "/x", "CONFDIR": "/etc", "ProgramFiles(x86)": "/p"}},
		{vars: map[string]string{"INSTALDIR": "/x"}, wantErr: "--var INSTALDIR: the formular declares no root variable INSTALDIR; did you mean INSTALLDIR?"},
		{vars: map[string]string{"programfiles(x86)": "/x"}, wantErr: "did you mean ProgramFiles(x86)?"},
		{vars: map[string]string{"HOME": "/x"}, wantErr: "--var HOME: the formular declares no root variable HOME; it declares INSTALLDIR, ProgramFiles(x86), CONFDIR"},
	} {
		err := checkVars(f, tt.vars)
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%v: %v", tt.vars, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%v: %v, want %q", tt.vars, err, tt.wantErr)
		}
	}
	none := parseFormular(t, "[media sha256]\n")
	if err := checkVars(none, map[string]string{"X": "/"}); err == nil || !strings.HasSuffix(err.Error(), "it declares none") {
		t.Errorf("no variables: %v", err)
	}
}

// A cancelled check gives no table: a listing or hashing cut short must
// not be judged as if it were whole (everything unseen would be MISSING).
func TestCheckTreeCancelled(t *testing.T) {
	root := kit(t, map[string]string{"a.txt": "alpha", "dir/b.txt": "beta"})
	for _, fold := range []bool{false, true} {
		tab := tableOf(t, formular.KindMedia, root, "sha256")
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := CheckTree(ctx, tab, root, TreeOptions{Recursive: true, IgnoreCase: fold}); !errors.Is(err, context.Canceled) {
			t.Errorf("ignore case %v: CheckTree of a cancelled check: %v", fold, err)
		}
	}
}

// Check matches what the user named before reading anything: a misspelt
// --var or a --settings file no table reads is an error, not a check of
// something else.
func TestCheckRefusesUnmatchedInput(t *testing.T) {
	f := parseFormular(t, "[modules root=${INSTALLDIR} default=/nonexistent sha256]\n\n"+
		"[parameters source=${INSTALLDIR}/etc/a.ini format=ini]\nx = 1\n")
	for _, tt := range []struct {
		src  Sources
		want string
	}{
		{Sources{Vars: map[string]string{"INSTALDIR": t.TempDir()}}, "did you mean INSTALLDIR?"},
		{Sources{Settings: []string{"b.ini"}}, "--settings b.ini: no [parameters] table reads a file of that name"},
	} {
		if _, err := Check(context.Background(), f, tt.src); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%+v: %v, want %q", tt.src, err, tt.want)
		}
	}
}
