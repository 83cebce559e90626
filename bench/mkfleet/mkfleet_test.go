package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sverka/sverka/report"
	"github.com/sverka/sverka/verify"
)

var end = time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)

func bigFleet() config {
	return config{hosts: 1000, days: 30, files: 180, params: 20, extras: 5, seed: 1, end: end}
}

// The story of the fleet the benchmark measures: the shares the brief of
// the generator promises.
func TestPlanStory(t *testing.T) {
	c := bigFleet()
	hosts := plan(c)
	e := expect(hosts, c.days)
	failing := e.notHold + e.cannot
	if share := failing * 1000 / e.reports; share < 35 || share > 65 {
		t.Errorf("%d of %d checks fail (%d‰), want about one in 20", failing, e.reports, share)
	}
	if e.cannot == 0 || e.cannot > e.reports/100 {
		t.Errorf("%d CANNOT CHECK of %d checks, want a few", e.cannot, e.reports)
	}
	if e.nowOverdue < 10 || e.nowOverdue > 60 {
		t.Errorf("%d hosts overdue, want a few (about 30)", e.nowOverdue)
	}
	if e.updateHosts < 100 {
		t.Errorf("%d hosts have the update at the end, want many (about 150)", e.updateHosts)
	}
	if e.nowNotHold <= e.updateHosts-20 {
		t.Errorf("%d hosts broken at the end, %d of them by the update: want others too", e.nowNotHold, e.updateHosts)
	}
	var repaired, groups int
	seen := map[string]bool{}
	kinds := map[byte]int{}
	for _, h := range hosts {
		for _, g := range h.groups {
			if !seen[g] {
				seen[g] = true
				groups++
			}
		}
		for i, pc := range h.checks {
			for _, ch := range pc.state {
				kinds[ch.kind]++
			}
			if i > 0 && len(pc.state) == 0 && len(h.checks[i-1].state) > 0 {
				repaired++
			}
		}
		if h.overdue {
			last := h.checks[len(h.checks)-1]
			if gap := c.days - 1 - last.day; gap < 8 || gap > 12 {
				t.Errorf("%s is overdue with its last %d days missing, want 8 to 12", h.id, gap)
			}
		} else if n := len(h.checks); n != c.days {
			t.Errorf("%s has %d checks, want %d", h.id, n, c.days)
		}
	}
	if repaired < 100 {
		t.Errorf("%d repairs (NOT HOLD, then HOLDS), want many", repaired)
	}
	if groups < 3 {
		t.Errorf("%d groups, want a few", groups)
	}
	for _, k := range []byte{changeModify, changeRemove, changeAdd, changeViolate} {
		if kinds[k] < 50 {
			t.Errorf("%d checks with change %c, want many", kinds[k], k)
		}
	}
	if hosts[0].id != "host-0001" || hosts[999].id != "host-1000" {
		t.Errorf("host ids %s … %s, want host-0001 … host-1000", hosts[0].id, hosts[999].id)
	}
}

func TestPlanDeterministic(t *testing.T) {
	c := bigFleet()
	a, b := plan(c), plan(c)
	if !equalPlans(a, b) {
		t.Fatal("two plans from one seed differ")
	}
	c.seed = 2
	if equalPlans(a, plan(c)) {
		t.Fatal("plans from seeds 1 and 2 are the same")
	}
}

func equalPlans(a, b []hostPlan) bool {
	return slices.EqualFunc(a, b, func(x, y hostPlan) bool {
		return x.id == y.id && slices.Equal(x.groups, y.groups) && x.overdue == y.overdue && x.update == y.update &&
			slices.EqualFunc(x.checks, y.checks, func(p, q plannedCheck) bool {
				return p.day == q.day && p.at.Equal(q.at) && p.cannot == q.cannot && p.state.key() == q.state.key()
			})
	})
}

func TestHostID(t *testing.T) {
	for _, tc := range []struct {
		i, n int
		want string
	}{
		{0, 1000, "host-0001"},
		{999, 1000, "host-1000"},
		{0, 50, "host-0001"},
		{12344, 20000, "host-12345"},
	} {
		if got := hostID(tc.i, tc.n); got != tc.want {
			t.Errorf("hostID(%d, %d) = %s, want %s", tc.i, tc.n, got, tc.want)
		}
	}
}

// Each kind of change is found by the real check as the status it
// stands for, and the installation is intact again afterwards.
func TestCheckStates(t *testing.T) {
	p, err := newProduct(1, 30, 8)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	b, err := install(p, dir)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		s    state
		want map[verify.Status]int
	}{
		{nil, nil},
		{state{{kind: changeModify, index: 3, variant: 7}}, map[verify.Status]int{verify.Modified: 1}},
		{state{{kind: changeModify, index: updateFile}}, map[verify.Status]int{verify.Modified: 1}},
		{state{{kind: changeRemove, index: 4}}, map[verify.Status]int{verify.Missing: 1}},
		{state{{kind: changeAdd, index: 2, variant: 9}}, map[verify.Status]int{verify.Extra: 1}},
		{state{{kind: changeViolate, index: 1, variant: 5}}, map[verify.Status]int{verify.Violated: 1}},
		{state{{kind: changeModify, index: 0, variant: 1}, {kind: changeRemove, index: 5}, {kind: changeViolate, index: 2, variant: 3}},
			map[verify.Status]int{verify.Modified: 1, verify.Missing: 1, verify.Violated: 1}},
	} {
		res, err := b.check(ctx, tc.s)
		if err != nil {
			t.Fatalf("state %q: %v", tc.s.key(), err)
		}
		if res.Verdict != verdictOf(tc.s) {
			t.Errorf("state %q: verdict %s, want %s", tc.s.key(), res.Verdict, verdictOf(tc.s))
		}
		got := map[verify.Status]int{}
		for _, tb := range res.Tables {
			for _, it := range tb.Items {
				if it.Status != verify.OK {
					got[it.Status]++
				}
				if !it.Failure && it.Status != verify.OK {
					t.Errorf("state %q: %s %s does not fail", tc.s.key(), it.Status, it.Name)
				}
				if strings.Contains(it.Detail, dir) || strings.Contains(tb.Root, dir) || strings.Contains(tb.Source, dir) {
					t.Errorf("state %q: the temporary directory is left in %q %q %q", tc.s.key(), tb.Root, tb.Source, it.Detail)
				}
			}
		}
		if len(got) == 0 {
			got = nil
		}
		if !equalCounts(got, tc.want) {
			t.Errorf("state %q: findings %v, want %v", tc.s.key(), got, tc.want)
		}
	}
	// Every change was undone: the intact state holds again.
	if res, err := b.check(ctx, nil); err != nil || res.Verdict != verify.Holds {
		t.Fatalf("after the changes: %v %v, want HOLDS", res.Verdict, err)
	}
}

func equalCounts(a, b map[verify.Status]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// A small fleet end to end: every report is one report.Read accepts, its
// verdict is the one planned, the update's finding is the same on every
// host, and the same seed writes the same bytes.
func TestFleet(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	out := filepath.Join(dir, "fleet")
	args := []string{"-o", out, "-hosts", "60", "-days", "15", "-items", "40", "-seed", "7"}
	var stdout bytes.Buffer
	if err := run(ctx, args, &stdout, io.Discard); err != nil {
		t.Fatal(err)
	}
	info, err := os.ReadFile(out + ".fleet")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	hosts := plan(config{hosts: 60, days: 15, files: 36, params: 4, extras: 5, seed: 7, end: end})
	for _, h := range hosts {
		for _, pc := range h.checks {
			v := string(verdictOf(pc.state))
			if pc.cannot != "" {
				v = string(verify.CannotCheck)
			}
			want[h.id+"-"+pc.at.Format(time.DateOnly)+".json"] = 0
			want[v]++
		}
	}
	got := map[string]int{}
	updates := map[string]bool{}
	sum := sha256.New()
	err = filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if _, ok := want[d.Name()]; !ok {
			t.Errorf("%s: not a planned report", path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		sum.Write(data)
		r, err := report.Read(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			return nil
		}
		if host := filepath.Base(filepath.Dir(path)); r.Run.Host != host || !strings.HasPrefix(d.Name(), host+"-") {
			t.Errorf("%s: host %q", path, r.Run.Host)
		}
		got[string(r.Result.Verdict)]++
		for _, tb := range r.Result.Tables {
			for _, it := range tb.Items {
				if it.Status == verify.Modified && strings.HasSuffix(it.Name, "libmod-0001.so") && len(it.Actual) > 0 {
					updates[it.Actual[0].Hex] = true
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []verify.Verdict{verify.Holds, verify.NotHolds, verify.CannotCheck} {
		if got[string(v)] != want[string(v)] {
			t.Errorf("%d reports say %s, the plan has %d", got[string(v)], v, want[string(v)])
		}
	}
	if got[string(verify.NotHolds)] == 0 || got[string(verify.Holds)] == 0 {
		t.Errorf("verdicts %v: want both HOLDS and NOT HOLD", got)
	}
	if len(updates) != 1 {
		t.Errorf("the update's file has %d different digests across hosts, want 1 shared", len(updates))
	}
	if !strings.Contains(string(info), "state: complete\n") || !strings.Contains(string(info), fmt.Sprintf("generator: %d\n", generator)) {
		t.Errorf("%s.fleet:\n%s", out, info)
	}

	// The same seed again, over the first: -force is needed, and the
	// bytes are the same.
	if err := run(ctx, args, io.Discard, io.Discard); err == nil || !strings.Contains(err.Error(), "-force") {
		t.Errorf("a second run into a full directory: %v, want a refusal naming -force", err)
	}
	if err := run(ctx, append(args, "-force", "-j", "1"), io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	again := sha256.New()
	if err := filepath.WalkDir(out, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		again.Write(data)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(sum.Sum(nil), again.Sum(nil)) {
		t.Error("the same seed wrote other bytes the second time")
	}
}

func TestFlags(t *testing.T) {
	dir := t.TempDir()
	other := filepath.Join(dir, "other")
	if err := os.MkdirAll(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, "keep"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "-o DIR is required"},
		{[]string{"-o", dir + "/f", "-hosts", "0"}, "-hosts 0"},
		{[]string{"-o", dir + "/f", "-days", "0"}, "-days 0"},
		{[]string{"-o", dir + "/f", "-items", "1"}, "-items 1"},
		{[]string{"-o", dir + "/f", "-end", "1.12.2026"}, `-end "1.12.2026"`},
		{[]string{"-o", dir + "/f", "extra"}, `unexpected argument "extra"`},
		{[]string{"-o", other, "-force"}, "mkfleet did not write it"},
	} {
		err := run(context.Background(), tc.args, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("mkfleet %v: %v, want an error with %q", tc.args, err, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(other, "keep")); err != nil {
		t.Errorf("a directory mkfleet did not write was touched: %v", err)
	}
}
