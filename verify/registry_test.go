package verify

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/sverka/sverka/formular"
)

// realNTUSER is a hive Windows wrote: the hive parser's test data.
func realNTUSER(t *testing.T) []byte {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "www.velocidex.com/golang/regparser").Output()
	if err != nil {
		t.Skipf("the hive parser's module cannot be found: %v", err)
	}
	data, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(out)), "testdata", "NTUSER.DAT"))
	if err != nil {
		t.Skip(err)
	}
	return data
}

// TestRegistryOffline checks a registry table against an offline
// system's NTUSER.DAT: HOLDS when the values are right, NOT HOLD naming
// the value that is not, UNREADABLE (and NOT HOLD) when the user is not
// named, and not checked, said in the scope, with no registry at all.
func TestRegistryOffline(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "Users", "ivanov", "NTUSER.DAT")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, realNTUSER(t), 0o644); err != nil {
		t.Fatal(err)
	}
	table := func(rows string) *formular.Formular {
		f, err := formular.Parse([]byte("sverka-formular 1\n\n[parameters format=registry]\n"+rows), "f")
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	good := table(`"HKCU\Console\HistoryBufferSize" = 50
"HKCU\Control Panel\Desktop\ScreenSaveTimeOut" range 60..900
"HKCU\Environment\TEMP" = "%USERPROFILE%\Local Settings\Temp"
"HKCU\Console\NoSuchValue" absent
`)
	res, err := Check(context.Background(), good, Sources{Installed: root, RegistryUser: "ivanov"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != Holds || res.Tables[0].Source != p {
		t.Fatalf("verdict %s, source %q, reasons %v", res.Verdict, res.Tables[0].Source, res.Reasons)
	}

	bad := table(`"HKCU\Console\HistoryBufferSize" = 40
"HKCU\Console\QuickEdit" = 0
`)
	res, err = Check(context.Background(), bad, Sources{Installed: root, RegistryUser: "ivanov"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != NotHolds || all(&res.Tables[0])[0].Status != Violated || all(&res.Tables[0])[0].Value != "50" || all(&res.Tables[0])[1].Status != OK {
		t.Fatalf("verdict %s, items %+v", res.Verdict, all(&res.Tables[0]))
	}

	res, err = Check(context.Background(), good, Sources{Installed: root})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != NotHolds || all(&res.Tables[0])[0].Status != Unreadable ||
		!strings.Contains(res.Reasons[0].Text, "give --registry-user NAME") {
		t.Fatalf("without a user: verdict %s, reasons %v", res.Verdict, res.Reasons)
	}

	if runtime.GOOS != "windows" {
		res, err = Check(context.Background(), good, Sources{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Verdict != NotHolds || len(res.Tables) != 0 || len(res.Scope.NotChecked) != 1 || res.Scope.NotChecked[0].Args["why"] != WhyNoRegistry {
			t.Fatalf("no registry: verdict %s, scope %+v", res.Verdict, res.Scope)
		}
	}
}
