package checksum

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// twoFaced is a list file rewritten between ReadListPath's count and its
// parse: its first pass reads first, every read after a seek reads then.
type twoFaced struct {
	first, then []byte
	r           *bytes.Reader
	seeked      bool
}

func (f *twoFaced) Read(p []byte) (int, error) {
	if f.r == nil {
		f.r = bytes.NewReader(f.first)
	}
	return f.r.Read(p)
}

func (f *twoFaced) Seek(off int64, whence int) (int64, error) {
	f.r, f.seeked = bytes.NewReader(f.then), true
	return f.r.Seek(off, whence)
}

// A list rewritten between the count and the parse is parsed as its
// second read gives it, whole, whether it grew or shrank: the count only
// sizes the entries' slice.
func TestReadCountedListRewritten(t *testing.T) {
	line := fooSHA256 + "  foo\n"
	many := strings.Repeat(line, 50)
	opt := ReadOptions{Algs: mustAlgs(t, "sha256")}
	for _, c := range []struct {
		name        string
		first, then string
		want        int
	}{
		{"grown", line, many, 50},
		{"shrunk", many, line, 1},
		{"emptied", many, "", 0},
	} {
		f := &twoFaced{first: []byte(c.first), then: []byte(c.then)}
		entries, bad, err := readCounted(f, "SHA256SUMS", MaxListSize, opt)
		if err != nil || len(bad) != 0 || len(entries) != c.want || !f.seeked {
			t.Errorf("%s: %d entries, %v, %v; want %d from the list's second read", c.name, len(entries), bad, err, c.want)
		}
		want, _, _ := ParseList([]byte(c.then), opt)
		if len(want) > 0 && !reflect.DeepEqual(entries, want) {
			t.Errorf("%s: read %v, want %v", c.name, entries, want)
		}
	}
}

// A list of nothing but line ends, as many as its bytes allow, asks for
// no more entries than its bytes could hold, one per shortest line a
// digest makes: a billion empty lines must not ask for 64 GB.
func TestReadCountedBoundsTheEntries(t *testing.T) {
	data := bytes.Repeat([]byte{'\n'}, 100_000)
	entries, _, err := readCounted(bytes.NewReader(data), "SHA256SUMS", MaxListSize, ReadOptions{Algs: mustAlgs(t, "sha256")})
	if err != nil {
		t.Fatal(err)
	}
	if bound := len(data)/(shortestHex()+2) + 1; len(entries) != 0 || cap(entries) > bound {
		t.Errorf("%d empty lines: %d entries in room for %d, want none in room for at most %d", len(data), len(entries), cap(entries), bound)
	}
}

// entriesFor makes room for each line, no more than the bytes could
// fill, and never more than maxMadeEntries.
func TestEntriesFor(t *testing.T) {
	per := int64(shortestHex() + 2) // the shortest line that gives an entry
	for _, tt := range []struct {
		lineEnds int
		size     int64
		want     int
	}{
		{0, 0, 1},
		{10, 100 * per, 11},
		{1000, 100 * per, 101},
		{1 << 30, 1 << 40, maxMadeEntries},
	} {
		if got := entriesFor(tt.lineEnds, tt.size); got != tt.want {
			t.Errorf("entriesFor(%d, %d) = %d, want %d", tt.lineEnds, tt.size, got, tt.want)
		}
	}
}

// A list of more short malformed lines than maxMadeEntries makes no more
// entries than that before it is read, whichever reader reads it: a
// gigabyte of them once asked for 6.8 GB at once.
func TestListEntriesMadeAtMostMax(t *testing.T) {
	const lines = maxMadeEntries + 1000
	data := bytes.Repeat([]byte("xxxxxxxxx\n"), lines)
	opt := ReadOptions{Algs: mustAlgs(t, "sha256")}
	p, pBad, pErr := ParseList(data, opt)
	r, rBad, rErr := readCounted(bytes.NewReader(data), "SUMS", MaxListSize, opt)
	for _, got := range []struct {
		name    string
		entries []Entry
		bad     []LineError
		err     error
	}{{"ParseList", p, pBad, pErr}, {"ReadListPath", r, rBad, rErr}} {
		if got.err != nil || len(got.entries) != 0 || BadLines(got.bad) != lines {
			t.Fatalf("%s: %d entries, %d malformed lines, %v; want none, %d", got.name, len(got.entries), BadLines(got.bad), got.err, lines)
		}
		if c := cap(got.entries); c > maxMadeEntries {
			t.Errorf("%s: room for %d entries made, want at most %d", got.name, c, maxMadeEntries)
		}
	}
}

// A list from a pipe is parsed as the same bytes from a file; a pipe that
// fails partway gives its error, not the lines read before it.
func TestReadListFrom(t *testing.T) {
	list := []byte(strings.Repeat("0", 64) + "  a\n" + strings.Repeat("1", 64) + "  b\n")
	opt := ReadOptions{File: "standard input", Algs: mustAlgs(t, "sha256")}
	got, _, err := ReadListFrom(bytes.NewReader(list), "standard input", opt)
	want, _, _ := ParseList(list, opt)
	if err != nil || len(got) != 2 || !reflect.DeepEqual(got, want) {
		t.Fatalf("ReadListFrom: %v, %+v; ParseList: %+v", err, got, want)
	}
	broken := errors.New("input/output error")
	got, _, err = ReadListFrom(&failingReader{data: string(list), err: broken}, "standard input", opt)
	if !errors.Is(err, broken) || got != nil {
		t.Errorf("a failing pipe: %v, %d entries", err, len(got))
	}
}
