package ansible

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// requireEnv names the variable that, set to 1, makes a missing
// ansible-playbook a test failure instead of a skip: CI sets it, so that
// the playbooks cannot silently stop being tested.
const requireEnv = "SVERKA_REQUIRE_ANSIBLE"

// playbookTool is ansible-playbook's path; the test skips without it.
func playbookTool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("ansible-playbook")
	if err != nil {
		if os.Getenv(requireEnv) == "1" {
			t.Fatalf("%s=1, but ansible-playbook is not installed (apt-get install ansible-core)", requireEnv)
		}
		t.Skip("ansible-playbook is not installed (apt-get install ansible-core)")
	}
	if testing.Short() {
		t.Skip("-short: the playbooks run for a minute or more")
	}
	return p
}

// fixture is what the controller holds: a sverka built from this
// checkout, a key pair, a formular of the demo kit, an installed tree and
// its settings, signed.
type fixture struct {
	dir      string
	sverka   string
	formular string
	pub      string
	kit      string // the reference kit: the demo kit
	ref      string // the reference installation: opt/agent
}

// agentINI is the reference settings: they hold the parameters table.
const agentINI = "[Scan]\nArchives = yes\n[Update]\nThreads = 4\n"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	kit, err := filepath.Abs(filepath.Join("..", "..", "testdata", "demo", "kit"))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{
		dir:      dir,
		sverka:   filepath.Join(dir, "controller", "sverka"),
		formular: filepath.Join(dir, "controller", "formular.txt"),
		pub:      filepath.Join(dir, "controller", "vendor.pub"),
		kit:      kit,
		ref:      filepath.Join(dir, "reference", "opt", "agent"),
	}
	build := exec.Command("go", "build", "-o", f.sverka, "github.com/sverka/sverka/cmd/sverka")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	writeFiles(t, f.ref, map[string]string{
		"bin/agentd":      "#!/bin/sh\necho agent\n",
		"lib/libagent.so": "\x7fELF the agent's library",
		"etc/agent.ini":   agentINI,
	})
	tables := filepath.Join(dir, "controller", "parameters.txt")
	writeFiles(t, filepath.Dir(tables), map[string]string{
		"parameters.txt": "[parameters source=${INSTALLDIR}/etc/agent.ini format=ini]\n" +
			"Scan.Archives = yes\nUpdate.Threads range 1..8\n",
	})
	key := filepath.Join(dir, "controller", "vendor.key")
	f.run(t, 0, "keygen", "-W", "-p", f.pub, "-s", key)
	f.run(t, 0, "formular", "make", "--media", kit, "--modules", f.ref,
		"--root-var", "INSTALLDIR", "--default", "/opt/agent", "--exclude", "etc/*",
		"--tables", tables, "--set", "product=Agent", "--set", "version=1.0",
		"--set", "valid-until=2099-12-31", "-o", f.formular)
	f.run(t, 0, "sign", "-s", key, f.formular)
	return f
}

// run runs the controller's sverka and wants exit code want.
func (f *fixture) run(t *testing.T, want int, args ...string) string {
	t.Helper()
	cmd := exec.Command(f.sverka, args...)
	cmd.Env = append(os.Environ(), "LANG=C.UTF-8", "LC_ALL=", "LC_MESSAGES=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("sverka %s: %v", strings.Join(args, " "), err)
	}
	if code != want {
		t.Fatalf("sverka %s: exit %d, want %d\n%s%s", strings.Join(args, " "), code, want, out, stderr.Bytes())
	}
	return string(out)
}

// host makes a host's tree under dir/hosts/NAME: a copy of the kit and of
// the installed product.
func (f *fixture) host(t *testing.T, name string) string {
	t.Helper()
	root := filepath.Join(f.dir, "hosts", name)
	copyTree(t, f.kit, filepath.Join(root, "kit"))
	copyTree(t, f.ref, filepath.Join(root, "root", "opt", "agent"))
	return root
}

// inventory writes an inventory (JSON, which Ansible reads as YAML) of
// hosts on the local connection, each host's paths under
// dir/hosts/<inventory_hostname>, and the groups given.
func (f *fixture) inventory(t *testing.T, groups map[string][]string, vars map[string]any) string {
	t.Helper()
	hostRoot := filepath.Join(f.dir, "hosts") + "/{{ inventory_hostname }}"
	all := map[string]any{
		"ansible_connection":         "local",
		"ansible_python_interpreter": "{{ ansible_playbook_python }}",
		"sverka_become":              false,
		"sverka_binary":              f.sverka,
		"sverka_controller_bin":      f.sverka,
		"sverka_formular":            f.formular,
		"sverka_public_key":          f.pub,
		"sverka_fetch_dir":           filepath.Join(f.dir, "controller", "reports"),
		"sverka_db":                  filepath.Join(f.dir, "controller", "fleet.db"),
		"sverka_bin":                 hostRoot + "/usr/local/bin/sverka",
		"sverka_conf_dir":            hostRoot + "/etc/sverka",
		"sverka_check_dir":           hostRoot + "/var/lib/sverka/ansible",
		"sverka_reports_dir":         hostRoot + "/var/lib/sverka/reports",
		"sverka_unit_dir":            hostRoot + "/etc/systemd/system",
		"sverka_media":               hostRoot + "/kit",
		"sverka_installed":           hostRoot + "/root",
	}
	for k, v := range vars {
		all[k] = v
	}
	children := map[string]any{}
	for g, hosts := range groups {
		hs := map[string]any{}
		for _, h := range hosts {
			hs[h] = map[string]any{}
		}
		children[g] = map[string]any{"hosts": hs}
	}
	data, err := json.MarshalIndent(map[string]any{"all": map[string]any{"vars": all, "children": children}}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.dir, "inventory.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// playbook runs ansible-playbook on a playbook of this directory and
// returns its output and exit code. Ansible's own files (configuration,
// temporary files) are kept in the test's directory.
func (f *fixture) playbook(t *testing.T, tool, inventory, name string, args ...string) (string, int) {
	t.Helper()
	book, err := filepath.Abs(name)
	if err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(f.dir, "ansible")
	cfg := filepath.Join(home, "ansible.cfg")
	writeFiles(t, home, map[string]string{"ansible.cfg": "[defaults]\n" +
		"forks = 10\n" +
		"retry_files_enabled = false\n" +
		"nocolor = true\n" +
		"local_tmp = " + filepath.Join(home, "tmp") + "\n" +
		"remote_tmp = " + filepath.Join(home, "remote") + "\n" +
		"[connection]\npipelining = true\n"})
	cmd := exec.Command(tool, append([]string{"-i", inventory, book}, args...)...)
	cmd.Dir = f.dir
	start := time.Now()
	cmd.Env = append(os.Environ(), "ANSIBLE_CONFIG="+cfg, "ANSIBLE_HOME="+home,
		"LANG=C.UTF-8", "LC_ALL=C.UTF-8", "LC_MESSAGES=")
	out, err := cmd.CombinedOutput()
	if cmd.ProcessState != nil {
		t.Logf("ansible-playbook %s %s: %.1f s, CPU %.1f s (user %.1f s, system %.1f s)", name, strings.Join(args, " "),
			time.Since(start).Seconds(), (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds(),
			cmd.ProcessState.UserTime().Seconds(), cmd.ProcessState.SystemTime().Seconds())
	}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return string(out), ee.ExitCode()
	case err != nil:
		t.Fatalf("ansible-playbook %s: %v\n%s", name, err, out)
	}
	return string(out), 0
}

// recapLine is a host's line of the play recap.
var recapLine = regexp.MustCompile(`(?m)^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)`)

// tally is a host's counts in the play recap.
type tally struct{ ok, changed, unreachable, failed int }

// recap reads the play recap: each host's counts.
func recap(t *testing.T, out string) map[string]tally {
	t.Helper()
	i := strings.LastIndex(out, "PLAY RECAP")
	if i < 0 {
		t.Fatalf("no play recap in the output:\n%s", out)
	}
	r := map[string]tally{}
	for _, m := range recapLine.FindAllStringSubmatch(out[i:], -1) {
		n := func(s string) int { v, _ := strconv.Atoi(s); return v }
		r[m[1]] = tally{ok: n(m[2]), changed: n(m[3]), unreachable: n(m[4]), failed: n(m[5])}
	}
	return r
}

// planted is what was done to a host and what the check must find.
type planted struct {
	what    string
	plant   func(t *testing.T, root string)
	state   string // in fleet status
	table   string // the finding's table kind, "" for none
	name    string
	status  string
	failed  bool // the host is failed in the play recap
	message string
}

func TestCheckPlaybook(t *testing.T) {
	tool := playbookTool(t)
	f := newFixture(t)

	plants := map[string]planted{
		"host-04": {what: "a changed kit file", state: "NOT HOLD", table: "media", name: "bin/agent", status: "MODIFIED",
			plant: func(t *testing.T, root string) {
				appendFile(t, filepath.Join(root, "kit", "bin", "agent"), "\n# changed\n")
			}},
		"host-09": {what: "a missing module", state: "NOT HOLD", table: "modules", name: "lib/libagent.so", status: "MISSING",
			plant: func(t *testing.T, root string) {
				remove(t, filepath.Join(root, "root", "opt", "agent", "lib", "libagent.so"))
			}},
		"host-13": {what: "a violated parameter", state: "NOT HOLD", table: "parameters", name: "Update.Threads", status: "VIOLATED",
			plant: func(t *testing.T, root string) {
				writeFiles(t, filepath.Join(root, "root", "opt", "agent", "etc"),
					map[string]string{"agent.ini": strings.Replace(agentINI, "Threads = 4", "Threads = 64", 1)})
			}},
		// Root reads any file: a symbolic link to itself is a media path
		// no one can read, and the check cannot be made (exit 2).
		"host-17": {what: "unreadable media", state: "CANNOT CHECK", failed: true, message: "too many levels of symbolic links",
			plant: func(t *testing.T, root string) {
				kit := filepath.Join(root, "kit")
				if err := os.RemoveAll(kit); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink("kit", kit); err != nil {
					t.Fatal(err)
				}
			}},
	}
	groups := map[string][]string{"accounting": {"host-02", "host-13"}}
	var names []string
	for i := 1; i <= 20; i++ {
		name := fmt.Sprintf("host-%02d", i)
		names = append(names, name)
		g := "msk"
		if i > 10 {
			g = "spb"
		}
		groups[g] = append(groups[g], name)
		root := f.host(t, name)
		if p, ok := plants[name]; ok {
			p.plant(t, root)
		}
	}
	inv := f.inventory(t, groups, nil)

	out, code := f.playbook(t, tool, inv, "check.yml")
	if testing.Verbose() {
		t.Logf("ansible-playbook output:\n%s", out)
	}

	// A host that could not be checked fails the play (exit 2); one that
	// does not hold is a finding, not a failure.
	if code != 2 {
		t.Errorf("ansible-playbook exit %d, want 2 (a failed host)\n%s", code, out)
	}
	rc := recap(t, out)
	for _, name := range names {
		got, ok := rc[name]
		switch {
		case !ok:
			t.Errorf("%s: not in the play recap", name)
		case got.unreachable != 0:
			t.Errorf("%s: unreachable in the play recap", name)
		case plants[name].failed && got.failed != 1:
			t.Errorf("%s (%s): failed=%d in the play recap, want 1", name, plants[name].what, got.failed)
		case !plants[name].failed && got.failed != 0:
			t.Errorf("%s: failed=%d in the play recap, want 0\n%s", name, got.failed, out)
		}
	}
	for _, p := range plants {
		if p.message != "" && !strings.Contains(out, p.message) {
			t.Errorf("the output does not say why a host could not be checked (%q)", p.message)
		}
	}

	// Every host's report was fetched, the failed one's too, all under
	// one run id.
	fetched, err := filepath.Glob(filepath.Join(f.dir, "controller", "reports", "*", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	runs := map[string]bool{}
	var hosts []string
	for _, p := range fetched {
		runs[filepath.Base(p)] = true
		hosts = append(hosts, filepath.Base(filepath.Dir(p)))
	}
	if !slices.Equal(hosts, names) || len(runs) != 1 {
		t.Errorf("fetched %d reports of hosts %v in runs %v; want one per host, one run", len(fetched), hosts, runs)
	}
	for run := range runs {
		if !regexp.MustCompile(`^\d{8}T\d{6}Z\.json$`).MatchString(run) {
			t.Errorf("report file %s: not named by the run's UTC time", run)
		}
	}

	// The status printed at the end counts them all.
	if want := "Hosts: 20 (HOLDS 16, NOT HOLD 3, CANNOT CHECK 1, OVERDUE 0)"; !strings.Contains(out, want) {
		t.Errorf("the play does not print the fleet status %q:\n%s", want, out)
	}

	// The store holds exactly the planted verdicts, each host under its
	// inventory name with its inventory groups.
	db := filepath.Join(f.dir, "controller", "fleet.db")
	var status struct {
		Hosts []struct {
			HostID string   `json:"host_id"`
			State  string   `json:"state"`
			Groups []string `json:"groups"`
		} `json:"hosts"`
	}
	decode(t, f.run(t, 1, "fleet", "status", "--db", db, "--format", "json"), &status)
	got := map[string]string{}
	for _, h := range status.Hosts {
		got[h.HostID] = h.State
		var want []string
		for g, hs := range groups {
			if slices.Contains(hs, h.HostID) {
				want = append(want, g)
			}
		}
		slices.Sort(want)
		have := slices.Sorted(slices.Values(h.Groups))
		if !slices.Equal(have, want) {
			t.Errorf("%s: groups %v in the store, want %v", h.HostID, have, want)
		}
	}
	for _, name := range names {
		want := "HOLDS"
		if p, ok := plants[name]; ok {
			want = p.state
		}
		if got[name] != want {
			t.Errorf("%s: %q in the store, want %q (%s)", name, got[name], want, plants[name].what)
		}
	}
	if len(got) != len(names) {
		t.Errorf("the store holds %d hosts, want %d: %v", len(got), len(names), got)
	}

	// And each planted finding on its host alone.
	var findings struct {
		Findings []struct {
			Table   string   `json:"table"`
			Name    string   `json:"name"`
			Status  string   `json:"status"`
			HostIDs []string `json:"host_ids"`
		} `json:"findings"`
	}
	decode(t, f.run(t, 0, "fleet", "findings", "--db", db, "--format", "json"), &findings)
	for host, p := range plants {
		if p.table == "" {
			continue
		}
		found := false
		for _, fd := range findings.Findings {
			if strings.HasPrefix(fd.Table, p.table+":") && fd.Name == p.name && fd.Status == p.status {
				found = slices.Equal(fd.HostIDs, []string{host})
			}
		}
		if !found {
			t.Errorf("%s: no finding %s %s %s on it alone in %+v", host, p.status, p.table, p.name, findings.Findings)
		}
	}
	if len(findings.Findings) != 3 {
		t.Errorf("%d findings in the store, want the 3 planted: %+v", len(findings.Findings), findings.Findings)
	}
}

// TestCheckPlaybookImpostor: a host whose report names another host (a
// host taken over, or a sverka changed on it, to make the other look
// sound) fails, and its report is kept aside, not stored.
func TestCheckPlaybookImpostor(t *testing.T) {
	tool := playbookTool(t)
	f := newFixture(t)
	f.host(t, "buh-01")
	f.host(t, "buh-02")
	appendFile(t, filepath.Join(f.dir, "hosts", "buh-01", "kit", "README.txt"), "changed\n")
	inv := f.inventory(t, map[string][]string{"accounting": {"buh-01", "buh-02"}}, nil)
	// buh-02's sverka is told to name buh-01: the last --host-id wins.
	data := strings.Replace(readFile(t, inv), `"buh-02": {}`, `"buh-02": {"sverka_verify_args": ["--host-id", "buh-01"]}`, 1)
	if err := os.WriteFile(inv, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}

	out, code := f.playbook(t, tool, inv, "check.yml")
	if code != 2 {
		t.Errorf("ansible-playbook exit %d, want 2 (a failed host)\n%s", code, out)
	}
	rc := recap(t, out)
	if rc["buh-01"].failed != 0 || rc["buh-02"].failed != 1 {
		t.Errorf("recap buh-01 %+v, buh-02 %+v; want buh-02 alone failed\n%s", rc["buh-01"], rc["buh-02"], out)
	}
	if want := "the report of buh-02 names host buh-01: not ingested"; !strings.Contains(out, want) {
		t.Errorf("the output does not say %q:\n%s", want, out)
	}
	kept, _ := filepath.Glob(filepath.Join(f.dir, "controller", "reports", "buh-02", "*.json.refused"))
	stored, _ := filepath.Glob(filepath.Join(f.dir, "controller", "reports", "*", "*.json"))
	if len(kept) != 1 || len(stored) != 1 {
		t.Errorf("reports kept aside %v, to store %v; want one of each", kept, stored)
	}
	var status struct {
		Hosts []struct {
			HostID string `json:"host_id"`
			State  string `json:"state"`
		} `json:"hosts"`
	}
	decode(t, f.run(t, 1, "fleet", "status", "--db", filepath.Join(f.dir, "controller", "fleet.db"), "--format", "json"), &status)
	if len(status.Hosts) != 1 || status.Hosts[0].HostID != "buh-01" || status.Hosts[0].State != "NOT HOLD" {
		t.Errorf("the store holds %+v, want buh-01 alone, NOT HOLD", status.Hosts)
	}
}

func TestTimerPlaybook(t *testing.T) {
	tool := playbookTool(t)
	f := newFixture(t)
	names := []string{"web-1", "web-2", "db-1"}
	for _, n := range names {
		f.host(t, n)
	}
	units := unitsSource(t)
	inv := f.inventory(t, map[string][]string{"web": {"web-1", "web-2"}, "db": {"db-1"}, "msk": {"web-1", "db-1"}},
		map[string]any{"sverka_systemd": false, "sverka_units_src": units})

	// The first run installs everything on every host.
	out, code := f.playbook(t, tool, inv, "timer.yml")
	if code != 0 {
		t.Fatalf("timer.yml: exit %d\n%s", code, out)
	}
	for _, n := range names {
		if c := recap(t, out)[n]; c.changed == 0 || c.failed != 0 {
			t.Errorf("%s: first run %+v, want changes and no failure\n%s", n, c, out)
		}
	}
	host := filepath.Join(f.dir, "hosts", "web-1")
	conf := readFile(t, filepath.Join(host, "etc", "sverka", "verify.conf"))
	for _, want := range []string{
		"formular        = " + filepath.Join(host, "etc", "sverka", "formular.txt") + "\n",
		"public-key-file = " + filepath.Join(host, "etc", "sverka", "vendor.pub") + "\n",
		"media           = " + filepath.Join(host, "kit") + "\n",
		"installed       = " + filepath.Join(host, "root") + "\n",
		"reports         = " + filepath.Join(host, "var", "lib", "sverka", "reports") + "\n",
		"host-id         = web-1\n",
		"group           = msk\ngroup           = web\n",
		"period          = 1d\n",
	} {
		if !strings.Contains(conf, want) {
			t.Errorf("verify.conf of web-1 lacks %q:\n%s", want, conf)
		}
	}
	unitDir := filepath.Join(host, "etc", "systemd", "system")
	for _, u := range []string{"sverka-verify.service", "sverka-verify.timer"} {
		if readFile(t, filepath.Join(unitDir, u)) != readFile(t, filepath.Join(units, u)) {
			t.Errorf("%s installed differs from its source", u)
		}
	}
	// The drop-in runs the unit's own command, with this host's paths.
	dropin := readFile(t, filepath.Join(unitDir, "sverka-verify.service.d", "ansible.conf"))
	unitExec := regexp.MustCompile(`(?m)^ExecStart=(.+)$`).FindStringSubmatch(readFile(t, filepath.Join(units, "sverka-verify.service")))
	if unitExec == nil {
		t.Fatal("sverka-verify.service has no ExecStart")
	}
	bin, confPath := filepath.Join(host, "usr", "local", "bin", "sverka"), filepath.Join(host, "etc", "sverka", "verify.conf")
	execStart := strings.NewReplacer("/usr/bin/sverka", bin, "/etc/sverka/verify.conf", confPath).Replace(unitExec[1])
	if want := "ExecStart=\nExecStart=" + execStart + "\n"; !strings.Contains(dropin, want) {
		t.Errorf("the service's drop-in lacks %q:\n%s", want, dropin)
	}
	if !strings.Contains(execStart, bin+" verify ") || !strings.Contains(execStart, " --config "+confPath) {
		t.Errorf("the service's command %q does not run this host's sverka on its verify.conf", execStart)
	}
	if _, err := os.Stat(filepath.Join(unitDir, "sverka-verify.timer.d", "ansible.conf")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a timer drop-in without sverka_on_calendar: %v", err)
	}

	// Run again, and in check mode: nothing changes.
	for _, args := range [][]string{nil, {"--check"}} {
		out, code := f.playbook(t, tool, inv, "timer.yml", args...)
		if code != 0 {
			t.Fatalf("timer.yml %v: exit %d\n%s", args, code, out)
		}
		for _, n := range names {
			if c := recap(t, out)[n]; c.changed != 0 || c.failed != 0 || c.ok == 0 {
				t.Errorf("%s: timer.yml %v again: %+v, want nothing changed\n%s", n, args, c, out)
			}
		}
	}
	// A changed variable is a change, which check mode reports and does
	// not make.
	out, code = f.playbook(t, tool, inv, "timer.yml", "--check", "-e", "sverka_period=12h", "-e", "sverka_on_calendar=hourly", "-e", "sverka_randomized_delay=10m")
	if code != 0 {
		t.Fatalf("timer.yml --check: exit %d\n%s", code, out)
	}
	for _, n := range names {
		if c := recap(t, out)[n]; c.changed != 2 {
			t.Errorf("%s: a new period and schedule in check mode: changed=%d, want 2 (verify.conf, the timer's drop-in)\n%s", n, c.changed, out)
		}
	}
	if readFile(t, filepath.Join(host, "etc", "sverka", "verify.conf")) != conf {
		t.Error("check mode changed verify.conf")
	}

	// Made, the schedule is a drop-in of the timer's.
	out, code = f.playbook(t, tool, inv, "timer.yml", "-e", "sverka_on_calendar=hourly", "-e", "sverka_randomized_delay=10m")
	if code != 0 {
		t.Fatalf("timer.yml with a schedule: exit %d\n%s", code, out)
	}
	timer := readFile(t, filepath.Join(unitDir, "sverka-verify.timer.d", "ansible.conf"))
	if want := "[Timer]\nOnCalendar=\nOnCalendar=hourly\nRandomizedDelaySec=10m\n"; !strings.Contains(timer, want) {
		t.Errorf("the timer's drop-in lacks %q:\n%s", want, timer)
	}

	// What the service runs, run by hand: the configuration is one
	// sverka reads, and the report, naming the host and its groups, lands
	// in the reports directory.
	argv := strings.Fields(execStart)
	cmd := exec.Command(argv[0], append(argv[1:], "--quiet")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("the service's command: %v\n%s", err, out)
	}
	reports, err := filepath.Glob(filepath.Join(host, "var", "lib", "sverka", "reports", "web-1-*.json"))
	if err != nil || len(reports) != 1 {
		t.Fatalf("the service's command wrote reports %v, want one (%v)", reports, err)
	}
	var rep struct {
		Verdict string `json:"verdict"`
		Run     struct {
			HostID string   `json:"host_id"`
			Groups []string `json:"groups"`
		} `json:"run"`
	}
	decode(t, readFile(t, reports[0]), &rep)
	if rep.Verdict != "HOLDS" || rep.Run.HostID != "web-1" || !slices.Equal(rep.Run.Groups, []string{"msk", "web"}) {
		t.Errorf("the periodic report: verdict %q, host %q, groups %v; want HOLDS, web-1, [msk web]", rep.Verdict, rep.Run.HostID, rep.Run.Groups)
	}
}

// unitsSource is deploy/systemd, whose units timer.yml installs.
func unitsSource(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "systemd"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "sverka-verify.timer")); err != nil {
		t.Fatalf("the units timer.yml installs: %v", err)
	}
	return dir
}

func writeFiles(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// copyTree copies the regular files and directories under src to dst,
// with their permission bits.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

func appendFile(t *testing.T, path, s string) {
	t.Helper()
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fh.WriteString(s); err != nil {
		t.Fatal(err)
	}
	if err := fh.Close(); err != nil {
		t.Fatal(err)
	}
}

func remove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func decode(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("%v:\n%s", err, s)
	}
}
