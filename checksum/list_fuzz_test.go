package checksum

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// seedLists adds every committed list and a few hand-made edge cases.
func seedLists(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "lists", "*.txt"))
	files = append(files, filepath.Join("testdata", "lists", "gostsum.md5sums"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(0), false)
	}
	for _, s := range []string{
		"", "\n", "\r\n", "#\n;\n", "\\", "\\\\\n", "%%%%", "%%%% size,md5,filename\n1,,\n",
		"%%%% md5,filename\n" + fooMD5 + ",\n", "MD5 (", "MD5 ()=", "MD5 (x) = " + fooMD5 + ")",
		fooMD5 + " ", fooMD5 + "  ", fooMD5 + " *", "\\" + fooMD5 + "  \\", "x  " + fooMD5 + "  " + fooMD5,
		"  " + fooSHA1 + "  " + fooMD5, "\xef\xbb\xbf%%%% HASHDEEP-1.0\n",
	} {
		f.Add([]byte(s), uint8(3), true)
	}
}

// checkRead reads data and checks what every parser promises: no panic,
// line numbers within the input, entries with a name and well-sized
// digests.
func checkRead(t *testing.T, data []byte, format Format, sel uint8, reversed bool) {
	all := Algorithms()
	var algs []*Algorithm
	for i, a := range all {
		if i < 8 && sel&(1<<i) != 0 {
			algs = append(algs, a)
		}
	}
	opt := ReadOptions{Format: format, Algs: algs, Reversed: reversed, File: "fuzz"}
	entries, bad, err := ReadList(bytes.NewReader(data), opt)
	// A list in memory, its entries made at once, reads the same.
	pEntries, pBad, pErr := ParseList(data, opt)
	if fmt.Sprint(err) != fmt.Sprint(pErr) || fmt.Sprint(bad) != fmt.Sprint(pBad) || len(entries)+len(pEntries) > 0 && !reflect.DeepEqual(entries, pEntries) {
		t.Fatalf("ParseList read %+v, %v, %v; ReadList %+v, %v, %v", pEntries, pBad, pErr, entries, bad, err)
	}
	// And so does a list file read as a stream, its lines counted first
	// (ReadListPath once its file is open).
	fEntries, fBad, fErr := readCounted(bytes.NewReader(data), "fuzz", MaxListSize, opt)
	if fmt.Sprint(fErr) != fmt.Sprint(pErr) || fmt.Sprint(fBad) != fmt.Sprint(pBad) || len(fEntries)+len(pEntries) > 0 && !reflect.DeepEqual(fEntries, pEntries) {
		t.Fatalf("ParseList read %+v, %v, %v; ReadListPath %+v, %v, %v", pEntries, pBad, pErr, fEntries, fBad, fErr)
	}
	if err != nil {
		return
	}
	lines := bytes.Count(data, []byte("\n")) + 1
	for _, b := range bad {
		if b.Line < 1 || b.Line > lines || b.Err == nil {
			t.Fatalf("bad line %d of %d: %v", b.Line, lines, b.Err)
		}
	}
	for _, e := range entries {
		if e.Line < 1 || e.Line > lines {
			t.Fatalf("entry line %d of %d", e.Line, lines)
		}
		if e.Name == "" || strings.IndexByte(e.Name, 0) >= 0 || len(e.Sums) == 0 {
			t.Fatalf("entry %+v", e)
		}
		for _, s := range e.Sums {
			if len(s.Digest) != s.Col.Alg.Size {
				t.Fatalf("%v digest of %d bytes", s.Col, len(s.Digest))
			}
		}
	}
}

func fuzzFormat(f *testing.F, format Format) {
	seedLists(f)
	f.Fuzz(func(t *testing.T, data []byte, sel uint8, reversed bool) {
		checkRead(t, data, format, sel, reversed)
	})
}

func FuzzReadAuto(f *testing.F)      { fuzzFormat(f, FormatAuto) }
func FuzzReadGNU(f *testing.F)       { fuzzFormat(f, FormatGNU) }
func FuzzReadBSD(f *testing.F)       { fuzzFormat(f, FormatBSD) }
func FuzzReadRhash(f *testing.F)     { fuzzFormat(f, FormatRhash) }
func FuzzReadRhashBSD(f *testing.F)  { fuzzFormat(f, FormatRhashBSD) }
func FuzzReadHashdeep(f *testing.F)  { fuzzFormat(f, FormatHashdeep) }
func FuzzReadDpkg(f *testing.F)      { fuzzFormat(f, FormatDpkg) }
func FuzzReadGostsum(f *testing.F)   { fuzzFormat(f, FormatGostsum) }
func FuzzReadGost12sum(f *testing.F) { fuzzFormat(f, FormatGost12sum) }

// What WriteGNU and WriteBSD write reads back equal, whatever the name.
func FuzzRoundTripGNUBSD(f *testing.F) {
	for _, n := range roundTripNames {
		f.Add(n, []byte{1, 2, 3}, uint8(0), false)
	}
	f.Add("", []byte{}, uint8(1), true)
	f.Add("a\x00b", []byte{}, uint8(2), true)
	f.Fuzz(func(t *testing.T, name string, seed []byte, alg uint8, binary bool) {
		all := Algorithms()
		a := all[int(alg)%len(all)]
		col := GOSTReverseColumn(a, binary)
		digest := make([]byte, a.Size)
		copy(digest, seed)
		for _, tag := range []bool{false, true} {
			var buf bytes.Buffer
			var err error
			if tag {
				err = WriteBSD(&buf, col, digest, name)
			} else {
				err = WriteGNU(&buf, col, digest, name, binary)
			}
			if err != nil {
				if name != "" && strings.IndexByte(name, 0) < 0 {
					t.Fatalf("write %q: %v", name, err)
				}
				return
			}
			if buf.Len() > maxLine {
				return
			}
			for _, format := range []Format{FormatAuto, FormatGNU} {
				entries, bad, err := ReadList(bytes.NewReader(buf.Bytes()), ReadOptions{Format: format, Algs: []*Algorithm{a}, Reversed: binary})
				if err != nil || len(bad) != 0 || len(entries) != 1 {
					t.Fatalf("%s tag=%v %q: %v %v %d entries", format, tag, buf.String(), err, bad, len(entries))
				}
				e := entries[0]
				if e.Name != name || e.Binary != (binary && !tag) || len(e.Sums) != 1 ||
					e.Sums[0].Col != col || !bytes.Equal(e.Sums[0].Digest, digest) {
					t.Fatalf("%s tag=%v: wrote %q %x, read %+v", format, tag, name, digest, e)
				}
			}
		}
	})
}

// What HashdeepWriter writes reads back equal.
func FuzzRoundTripHashdeep(f *testing.F) {
	for _, n := range roundTripNames {
		f.Add(n, int64(7), []byte{9})
	}
	f.Fuzz(func(t *testing.T, name string, size int64, seed []byte) {
		md5, _ := Lookup("md5")
		sha256, _ := Lookup("sha256")
		cols := []Column{{Alg: sha256}, {Alg: md5}}
		d1, d2 := make([]byte, 32), make([]byte, 16)
		copy(d1, seed)
		copy(d2, seed)
		var buf bytes.Buffer
		w, err := NewHashdeepWriter(&buf, cols)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Write(size, [][]byte{d1, d2}, name); err != nil {
			if size >= 0 && name != "" && !strings.ContainsAny(name, "\x00\r\n") {
				t.Fatalf("write %q: %v", name, err)
			}
			return
		}
		if buf.Len() > maxLine {
			return
		}
		entries, bad, err := ReadList(&buf, ReadOptions{})
		if err != nil || len(bad) != 0 || len(entries) != 1 {
			t.Fatalf("%q: %v %v %d entries", name, err, bad, len(entries))
		}
		e := entries[0]
		if e.Name != name || e.Size != size || len(e.Sums) != 2 ||
			!bytes.Equal(e.Sums[0].Digest, d2) || !bytes.Equal(e.Sums[1].Digest, d1) {
			t.Fatalf("wrote %q, read %+v", name, e)
		}
	})
}

// Read without -a, as hash -c and import read a list by default: the
// digests of a list in the one-blank layout are never told by their
// length alone, and only a digest whose length several algorithms share
// is marked as assumed.
func FuzzReadDefaults(f *testing.F) {
	seedLists(f)
	f.Add([]byte(fooSHA256+" foo.txt\n"), uint8(0), false)
	f.Add([]byte(fooSHA256+"  foo.txt\n"+fooSHA256+" x\n"), uint8(1), false)
	f.Fuzz(func(t *testing.T, data []byte, format uint8, _ bool) {
		formats := []Format{FormatAuto, FormatGNU, FormatRhash}
		fm := formats[int(format)%len(formats)]
		entries, _, err := ReadList(bytes.NewReader(data), ReadOptions{Format: fm, Algs: LengthAlgs(fm), Defaults: true})
		if err != nil {
			return
		}
		lines := strings.Split(string(data), "\n")
		for _, e := range entries {
			for _, s := range e.Sums {
				if !s.ByLength {
					continue
				}
				if len(ByHexLen(s.Col.Alg.HexLen())) < 2 {
					t.Fatalf("line %d: %v, the one algorithm of its length, marked as assumed", e.Line, s.Col)
				}
				line := strings.TrimLeft(lines[e.Line-1], " \t\\")
				if i := strings.IndexAny(line, " \t"); i >= 0 && i+1 < len(line) && line[i+1] != ' ' && line[i+1] != '*' && isHex(line[:i]) && len(ByHexLen(i)) > 0 {
					t.Fatalf("line %d in the one-blank layout read by length as %v", e.Line, s.Col)
				}
			}
		}
	})
}
