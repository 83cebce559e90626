package main

import (
	"fmt"
	"math"
	"path"
	"slices"
	"strings"
)

// A file of a layout: its slash-separated path relative to the tree's root,
// its size, and the seed of its content stream.
type file struct {
	path  string
	size  int64
	seed  uint64
	large bool // one of the kit's named large files
}

// A layout is everything mkkit writes into a tree except the bytes, which
// follow from each file's seed.
type layout struct {
	kind  string // "kit" or "many"
	dirs  []string
	files []file // sorted by path
}

func (l layout) bytes() int64 {
	var n int64
	for _, f := range l.files {
		n += f.size
	}
	return n
}

// Seeds of the two trees. Changing one changes every byte of that tree.
const (
	kitSeed  = 0x73766572_6b61_0001 // "sverka", kit
	manySeed = 0x73766572_6b61_0002 // "sverka", installed tree
)

const mb = 1_000_000

// bigLargest is the kit's largest file at scale 1, and bigRest the ratio
// of its bytes to the rest's (400 MB to 700 MB) that --big changes.
const (
	bigLargest = 400 * mb
	bigRest    = 400.0 / 700.0
)

// scaled returns n·scale rounded, at least 0. One IEEE multiplication and an
// exact rounding: the same result on every architecture.
func scaled(n int64, scale float64) int64 {
	return max(int64(math.Round(float64(n)*scale)), 0)
}

// kitLayout is the installation kit: three large files and 2,000 smaller
// ones. With big > 0 the largest file holds that share of the kit's bytes:
// the other files keep their names and shrink (or grow) in proportion.
func kitLayout(scale, big float64) layout {
	r := newRNG(kitSeed)
	l := layout{kind: "kit"}
	rest := scale // the scale of every file but the largest
	if big > 0 {
		rest = scale * bigRest * (1 - big) / big
	}
	big3 := []file{
		{path: "packages/product-12.1.0.1297-x86_64.tar", size: scaled(bigLargest, scale), large: true},
		{path: "packages/antivirus-bases-20240101.bin", size: scaled(300*mb, rest), large: true},
		{path: "документация/руководство.pdf", size: scaled(20*mb, rest), large: true},
	}
	l.files = append(l.files, big3...)
	l.dirs = append(l.dirs, "packages", "документация")

	// A few levels of directories, ASCII and Cyrillic, as a product's kit
	// has them.
	level1 := []string{"bin", "lib", "share", "модули", "конфигурация", "plugins"}
	level2 := []string{"x86_64", "common", "locale", "ресурсы", "данные", "templates", "базы"}
	level3 := []string{"ru", "en", "extra", "обновления", "scripts"}
	var leaves []string
	for _, a := range level1 {
		l.dirs = append(l.dirs, a)
		leaves = append(leaves, a)
		for _, b := range level2 {
			if r.next()%2 != 0 {
				continue
			}
			ab := a + "/" + b
			l.dirs = append(l.dirs, ab)
			leaves = append(leaves, ab)
			if r.next()%3 == 0 {
				abc := ab + "/" + level3[r.intn(len(level3))]
				l.dirs = append(l.dirs, abc)
				leaves = append(leaves, abc)
			}
		}
	}

	// Median 64 KiB, σ = 1.4 (in natural log) ≈ 2.02 bits, capped at 16 MiB
	// before scaling to 380 MB in all.
	const n = 2000
	dist := logNormal{mu64: 16 * 64, sigma64: 129, max64: 24 * 64}
	sizes := make([]uint64, n)
	for i := range sizes {
		sizes[i] = dist.draw(r)
	}
	scaleTo(sizes, uint64(scaled(380*mb, rest)))
	stems := []string{"lib", "модуль", "data", "ресурс", "config", "шаблон", "update", "index", "справка", "core"}
	exts := []string{".so", ".dat", ".xml", ".bin", ".txt", ".json", ".cfg", ".mo", ".py", ".jar"}
	for i, s := range sizes {
		dir := leaves[r.intn(len(leaves))]
		name := fmt.Sprintf("%s-%04d%s", stems[r.intn(len(stems))], i, exts[r.intn(len(exts))])
		l.files = append(l.files, file{path: dir + "/" + name, size: int64(s)})
	}
	finish(&l, kitSeed)
	return l
}

// manyLayout is an installed product: 100,000 files in 200 directories
// (8 top-level ones with 24 subdirectories each), 600 MB in all. scale
// multiplies the number of files as well as the bytes, unless files gives
// the number (a table of a million rows over small files, where the
// bookkeeping rather than the hashing is measured).
func manyLayout(scale float64, files int64) layout {
	r := newRNG(manySeed)
	l := layout{kind: "many"}
	top := []string{"bin", "lib", "lib64", "libexec", "share", "модули", "plugins", "drivers"}
	sub := []string{"mod", "компонент", "x", "pkg"}
	for _, a := range top {
		l.dirs = append(l.dirs, a)
		for j := 0; j < 24; j++ {
			l.dirs = append(l.dirs, fmt.Sprintf("%s/%s%02d", a, sub[j%len(sub)], j))
		}
	}
	n := max(scaled(100_000, scale), 1)
	if files > 0 {
		n = files
	}
	// Median 2 KiB, σ ≈ 2.02 bits, capped at 4 MiB before scaling.
	dist := logNormal{mu64: 11 * 64, sigma64: 129, max64: 22 * 64}
	sizes := make([]uint64, n)
	for i := range sizes {
		sizes[i] = dist.draw(r)
	}
	scaleTo(sizes, uint64(scaled(600*mb, scale)))
	stems := []string{"m", "lib", "модуль", "drv", "plugin"}
	exts := []string{".so", ".so.1", ".ko", ".bin", ".dat", ""}
	for i, s := range sizes {
		dir := l.dirs[r.intn(len(l.dirs))]
		name := fmt.Sprintf("%s%06d%s", stems[r.intn(len(stems))], i, exts[r.intn(len(exts))])
		l.files = append(l.files, file{path: dir + "/" + name, size: int64(s)})
	}
	finish(&l, manySeed)
	return l
}

// finish sorts the layout and gives each file its content seed, derived from
// the tree's seed and the file's path so that it does not depend on the
// order in which files are written.
func finish(l *layout, seed uint64) {
	slices.SortFunc(l.files, func(a, b file) int { return strings.Compare(a.path, b.path) })
	for i := range l.files {
		l.files[i].seed = mix64(seed ^ fnv1a(l.files[i].path))
	}
	// Parent directories of the large files are listed explicitly above;
	// make sure every file's directory is in dirs whatever the layout.
	have := make(map[string]bool, len(l.dirs))
	for _, d := range l.dirs {
		have[d] = true
	}
	for _, f := range l.files {
		for d := path.Dir(f.path); d != "." && !have[d]; d = path.Dir(d) {
			have[d] = true
			l.dirs = append(l.dirs, d)
		}
	}
	// Byte order, as LC_ALL=C sort has it.
	slices.Sort(l.dirs)
}

func fnv1a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}
