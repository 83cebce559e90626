package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestExp2Table(t *testing.T) {
	for i, v := range exp2Q16 {
		want := math.Exp2(float64(i)/64) * 65536
		if math.Abs(float64(v)-want) > 0.5 {
			t.Errorf("exp2Q16[%d] = %d, want %.3f", i, v, want)
		}
	}
	for _, tc := range []struct {
		e    int64
		want uint64
	}{
		{0, 1},
		{64, 2},
		{640, 1024},
		{20 * 64, 1 << 20},
		{20*64 + 32, 1482912}, // 2^20.5 ≈ 1482910.4, to the table's precision
	} {
		if got := exp2_64(tc.e); got != tc.want {
			t.Errorf("exp2_64(%d) = %d, want %d", tc.e, got, tc.want)
		}
	}
}

func TestScaleTo(t *testing.T) {
	for _, tc := range []struct {
		in    []uint64
		total uint64
		want  []uint64
	}{
		{[]uint64{1, 1, 2}, 8, []uint64{2, 2, 4}},
		{[]uint64{1, 1, 1}, 10, []uint64{4, 3, 3}},
		{[]uint64{5}, 0, []uint64{0}},
		{[]uint64{0, 0}, 7, []uint64{0, 0}}, // nothing to scale
		{[]uint64{1 << 40, 1 << 40}, 1 << 62, []uint64{1 << 61, 1 << 61}},
	} {
		got := slices.Clone(tc.in)
		scaleTo(got, tc.total)
		if !slices.Equal(got, tc.want) {
			t.Errorf("scaleTo(%v, %d) = %v, want %v", tc.in, tc.total, got, tc.want)
		}
	}
}

func TestFillChunking(t *testing.T) {
	const seed = 42
	whole := make([]byte, 1000)
	fill(whole, seed, 0)
	if bytes.Count(whole, []byte{0}) > 50 {
		t.Errorf("content has %d zero bytes of 1000", bytes.Count(whole, []byte{0}))
	}
	pieces := make([]byte, 0, len(whole))
	for off := 0; off < len(whole); off += 64 {
		p := make([]byte, min(64, len(whole)-off))
		fill(p, seed, uint64(off/8))
		pieces = append(pieces, p...)
	}
	if !bytes.Equal(whole, pieces) {
		t.Error("content filled in 64-byte pieces differs from one fill")
	}
	// Pinned: splitmix64 (seed 0 gives 0xe220a8397b1dcdaf first), written
	// little-endian. A change here changes every kit on every machine.
	if got, want := hex.EncodeToString(whole[:16]), "956eeb2f2632d7bd03f166b233e3ef28"; got != want {
		t.Errorf("first bytes of stream 42 = %s, want %s", got, want)
	}
}

// digest summarises a layout so that a change to any name, size or seed shows.
func digest(l layout) string {
	h := sha256.New()
	for _, d := range l.dirs {
		fmt.Fprintf(h, "d %s\n", d)
	}
	for _, f := range l.files {
		fmt.Fprintf(h, "f %s %d %x\n", f.path, f.size, f.seed)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func TestLayoutPinned(t *testing.T) {
	// Pinned digests: the same layout on every machine and every build.
	for _, tc := range []struct {
		name string
		l    layout
		want string
	}{
		{"kit", kitLayout(1, 0), "5b5a4c7c767789cd0906d8d8b1bd52a62564d0501eca36f85b94bc06b5303699"},
		{"kit 0.05", kitLayout(0.05, 0), "b5d43e3f4e8602ae2dde71c2593a0e4cd9949b4e73332250dcd30ac7b7786d0b"},
		{"many", manyLayout(1, 0), "290aa1a6c613cb64198694ba679cd2d29eef495971e224d35fdedc0e39924cd7"},
	} {
		if got := digest(tc.l); got != tc.want {
			t.Errorf("%s: layout digest %s, want %s", tc.name, got, tc.want)
		}
	}
}

func checkNames(t *testing.T, l layout) {
	t.Helper()
	dirs := make(map[string]bool)
	for _, d := range l.dirs {
		dirs[d] = true
	}
	seen := make(map[string]bool)
	for _, f := range l.files {
		if seen[f.path] || dirs[f.path] {
			t.Errorf("%s: listed twice", f.path)
		}
		seen[f.path] = true
		if !utf8.ValidString(f.path) || strings.ContainsAny(f.path, "\\\n\r") || path.Clean(f.path) != f.path || path.IsAbs(f.path) {
			t.Errorf("%q: not a plain relative UTF-8 path", f.path)
		}
		if !dirs[path.Dir(f.path)] {
			t.Errorf("%s: its directory is not in the layout", f.path)
		}
	}
	if !slices.IsSortedFunc(l.files, func(a, b file) int { return strings.Compare(a.path, b.path) }) {
		t.Error("files not in byte order")
	}
}

func TestKitLayout(t *testing.T) {
	l := kitLayout(1, 0)
	checkNames(t, l)
	if len(l.files) != 2003 {
		t.Errorf("%d files, want 2003", len(l.files))
	}
	if got := l.bytes(); got != 1100*mb {
		t.Errorf("%d bytes, want 1.1 GB", got)
	}
	var large []int64
	var small []int64
	cyrillic, depth3 := false, false
	for _, f := range l.files {
		if f.large {
			large = append(large, f.size)
			if f.path == "документация/руководство.pdf" {
				cyrillic = true
			}
			continue
		}
		small = append(small, f.size)
		if strings.Count(f.path, "/") >= 3 {
			depth3 = true
		}
	}
	slices.Sort(large)
	if !slices.Equal(large, []int64{20 * mb, 300 * mb, 400 * mb}) {
		t.Errorf("large files %v, want 20, 300 and 400 MB", large)
	}
	if !cyrillic {
		t.Error("no 20 MB file with a Cyrillic name")
	}
	if !depth3 {
		t.Error("no file three directories deep")
	}
	checkLogNormal(t, small, 380*mb)
	if !slices.ContainsFunc(l.dirs, func(d string) bool { return !isASCII(d) }) || !slices.ContainsFunc(l.dirs, isASCII) {
		t.Error("want both Cyrillic and ASCII directory names")
	}
}

// --big keeps the kit's names and its largest file, and shrinks the rest
// so that the largest holds the share asked for.
func TestKitLayoutBig(t *testing.T) {
	plain := kitLayout(1, 0)
	for _, share := range []float64{0.5, 0.8, 0.95} {
		l := kitLayout(1, share)
		checkNames(t, l)
		if len(l.files) != len(plain.files) {
			t.Fatalf("--big %v: %d files, want %d", share, len(l.files), len(plain.files))
		}
		for i, f := range l.files {
			if f.path != plain.files[i].path || f.seed != plain.files[i].seed {
				t.Fatalf("--big %v: file %d is %s, want %s with the same bytes", share, i, f.path, plain.files[i].path)
			}
		}
		top := l.files[largest(l)]
		if top.path != "packages/product-12.1.0.1297-x86_64.tar" || top.size != 400*mb {
			t.Errorf("--big %v: largest %s of %d bytes, want the 400 MB product", share, top.path, top.size)
		}
		if got := float64(top.size) / float64(l.bytes()); got < share-1e-6 || got > share+1e-6 {
			t.Errorf("--big %v: the largest file is %.7f of the kit", share, got)
		}
	}
	if got, want := digest(kitLayout(1, 0.8)), "930a5789affb43f4570109303cfe65dc56027eacfdd380448de85278cb1e3d75"; got != want {
		t.Errorf("--big 0.8: layout digest %s, want %s", got, want)
	}
}

func TestManyLayout(t *testing.T) {
	l := manyLayout(1, 0)
	checkNames(t, l)
	if len(l.files) != 100_000 || len(l.dirs) != 200 {
		t.Errorf("%d files in %d directories, want 100,000 in 200", len(l.files), len(l.dirs))
	}
	sizes := make([]int64, len(l.files))
	for i, f := range l.files {
		sizes[i] = f.size
	}
	checkLogNormal(t, sizes, 600*mb)

	q := manyLayout(0.05, 0)
	if len(q.files) != 5000 || q.bytes() != 30*mb {
		t.Errorf("scale 0.05: %d files, %d bytes; want 5,000 and 30 MB", len(q.files), q.bytes())
	}
	// --files: the count given, the bytes still scaled, the names unique.
	r := manyLayout(0.001, 250_000)
	checkNames(t, r)
	if len(r.files) != 250_000 || r.bytes() != 600_000 {
		t.Errorf("--files 250000 --scale 0.001: %d files, %d bytes; want 250,000 and 600,000", len(r.files), r.bytes())
	}
}

// checkLogNormal checks the total and the shape a log-normal has: skewed to
// the right (mean above median) and its logarithm roughly symmetric.
func checkLogNormal(t *testing.T, sizes []int64, total int64) {
	t.Helper()
	var sum int64
	for _, s := range sizes {
		sum += s
	}
	if sum != total {
		t.Errorf("sizes add up to %d, want %d", sum, total)
	}
	s := slices.Sorted(slices.Values(sizes))
	median := float64(s[len(s)/2])
	mean := float64(sum) / float64(len(s))
	if !(mean > 1.5*median) {
		t.Errorf("mean %.0f, median %.0f: not skewed as a log-normal", mean, median)
	}
	lo, hi := float64(s[len(s)/10]), float64(s[len(s)*9/10])
	if r := math.Log(hi/median) / math.Log(median/lo); r < 0.8 || r > 1.25 {
		t.Errorf("log-sizes asymmetric: p10 %.0f, median %.0f, p90 %.0f", lo, median, hi)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func TestWriteTree(t *testing.T) {
	l := kitLayout(0.001, 0)
	root := t.TempDir()
	if err := writeTree(context.Background(), root, l, 3); err != nil {
		t.Fatal(err)
	}
	var got []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if !info.ModTime().Equal(fixedTime) {
			t.Errorf("%s: modified %v, want %v", p, info.ModTime(), fixedTime)
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(root, p)
			got = append(got, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := make([]string, len(l.files))
	for i, f := range l.files {
		want[i] = f.path
	}
	if !slices.Equal(got, want) {
		t.Fatalf("wrote %d files, want %d as listed", len(got), len(want))
	}
	for _, f := range l.files[:20] {
		b, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(f.path)))
		if err != nil {
			t.Fatal(err)
		}
		exp := make([]byte, f.size)
		fill(exp, f.seed, 0)
		if !bytes.Equal(b, exp) {
			t.Errorf("%s: content differs from its stream", f.path)
		}
	}
	if err := writeTree(context.Background(), root, l, 2); err == nil {
		t.Error("writing over an existing tree did not fail")
	}
}

func TestRunRefuses(t *testing.T) {
	dir := t.TempDir()
	foreign := filepath.Join(dir, "foreign")
	os.MkdirAll(foreign, 0o755)
	os.WriteFile(filepath.Join(foreign, "keep"), []byte("x"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{}, "-o DIR is required"},
		{[]string{"-o", filepath.Join(dir, "a"), "--scale", "0"}, "want 0 < F <= 1"},
		{[]string{"-o", filepath.Join(dir, "a"), "--scale", "2"}, "want 0 < F <= 1"},
		{[]string{"-o", filepath.Join(dir, "a"), "--lists", filepath.Join(dir, "a", "l")}, "inside the tree"},
		{[]string{"-o", foreign, "--no-lists"}, "is not empty"},
		{[]string{"-o", foreign, "--no-lists", "--force"}, "remove it yourself"},
		{[]string{"-o", filepath.Join(dir, "a"), "extra"}, "unexpected argument"},
		{[]string{"-o", filepath.Join(dir, "a"), "--files", "10"}, "add --many"},
		{[]string{"-o", filepath.Join(dir, "a"), "--many", "--files", "-1"}, "want 1 to 10,000,000"},
	} {
		var out, errb bytes.Buffer
		err := run(context.Background(), tc.args, &out, &errb)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("mkkit %q: error %v, want one saying %q", tc.args, err, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(foreign, "keep")); err != nil {
		t.Errorf("a directory mkkit did not write was touched: %v", err)
	}
}

func TestRunWithLists(t *testing.T) {
	for _, tool := range []string{"sha256sum", "b3sum", "hashdeep", "find", "sort", "xargs", "bash"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	dir := t.TempDir()
	kit := filepath.Join(dir, "kit")
	args := []string{"-o", kit, "--scale", "0.001"}
	var out bytes.Buffer
	if err := run(context.Background(), args, &out, &out); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if err := run(context.Background(), args, &out, &out); err == nil {
		t.Error("a second run without --force did not refuse")
	}
	if err := run(context.Background(), append(args, "--force"), &out, &out); err != nil {
		t.Fatalf("--force: %v", err)
	}
	lists := kit + ".lists"
	info, _ := os.ReadFile(filepath.Join(lists, "KIT"))
	for _, want := range []string{"kind: kit\n", "scale: 0.001\n", "files: 2003\n", "bytes: 1100000\n", "state: complete\n"} {
		if !bytes.Contains(info, []byte(want)) {
			t.Errorf("KIT lacks %q:\n%s", want, info)
		}
	}
	// SHA256SUMS made by sha256sum agrees with the bytes on disk, in order.
	f, err := os.Open(filepath.Join(lists, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	var names []string
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ./")
		if !ok {
			t.Fatalf("unexpected line %q", sc.Text())
		}
		b, err := os.ReadFile(filepath.Join(kit, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		if h := sha256.Sum256(b); hex.EncodeToString(h[:]) != sum {
			t.Errorf("%s: listed %s, is %x", name, sum, h)
		}
		names = append(names, name)
	}
	if len(names) != 2003 || !slices.IsSorted(names) {
		t.Errorf("SHA256SUMS: %d names, sorted %v; want 2003 sorted", len(names), slices.IsSorted(names))
	}
	for _, name := range []string{"B3SUMS", "HASHDEEP"} {
		b, err := os.ReadFile(filepath.Join(lists, name))
		if err != nil {
			t.Fatal(err)
		}
		if n := bytes.Count(b, []byte("./")); n < 2003 {
			t.Errorf("%s names %d files, want 2003", name, n)
		}
	}
	audit := exec.Command("hashdeep", "-a", "-k", filepath.Join(lists, "HASHDEEP"), "-l", "-r", ".")
	audit.Dir = kit
	if b, err := audit.CombinedOutput(); err != nil {
		t.Errorf("hashdeep audit of the kit: %v\n%s", err, b)
	}
}

func TestSortHashdeep(t *testing.T) {
	in := "%%%% HASHDEEP-1.0\n%%%% size,sha256,filename\n## Invoked from: x\n## \n" +
		"9,bb,./b\n10,aa,./a,comma\n1,cc,./a\n"
	want := "%%%% HASHDEEP-1.0\n%%%% size,sha256,filename\n## Invoked from: x\n## \n" +
		"1,cc,./a\n10,aa,./a,comma\n9,bb,./b\n"
	if got := string(sortHashdeep([]byte(in))); got != want {
		t.Errorf("sortHashdeep:\n%s\nwant\n%s", got, want)
	}
}
