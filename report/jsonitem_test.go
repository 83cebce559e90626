package report

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/sverka/sverka/verify"
)

func encodingJSONItem(t testing.TB, j *jsonItem) []byte {
	b, err := newEncoder().value(j, 4)
	if err != nil {
		t.Fatal(err)
	}
	return append([]byte(nil), b...)
}

func handItem(j *jsonItem) []byte {
	var out bytes.Buffer
	w := bufio.NewWriter(&out)
	writeItem(w, j, 4, nil)
	w.Flush()
	return out.Bytes()
}

func TestItemEncodingMatchesEncodingJSON(t *testing.T) {
	tricky := []string{"", "plain", `quote " back \ slash`, "<html> & 'x'", "ctl \x00\x01\x1f\x7f",
		"\b\f\n\r\t", "bad \xff\xfe utf-8", "\u2028\u2029 separators", "Кириллица", "emoji 🙂", "\xe2\x80"}
	for _, s := range tricky {
		j := jsonItem{Name: s, NameB64: s, Status: verify.Status(s), Other: s, Allowed: s, Note: s, Hint: s,
			Mode: s, Detail: s, Differs: []string{s, "x"}, Expected: []verify.Digest{{Alg: s, Hex: s}},
			DetailCode: s, DetailArgs: map[string]string{s: s, "b": s, "a": "x"}, DetailArgsB64: map[string]string{"z": s},
			HintCode: s, HintArgs: map[string]string{s + "k": s}}
		if got, want := handItem(&j), encodingJSONItem(t, &j); !bytes.Equal(got, want) {
			t.Errorf("%q:\ngot  %s\nwant %s", s, got, want)
		}
	}
	for _, r := range fixedReport().Result.Tables {
		for i := range r.Items {
			j := itemOf(&r.Items[i])
			if got, want := handItem(&j), encodingJSONItem(t, &j); !bytes.Equal(got, want) {
				t.Errorf("%s:\ngot  %s\nwant %s", r.Items[i].Name, got, want)
			}
		}
	}
}

func FuzzItemEncoding(f *testing.F) {
	f.Add("name", "note", int64(5), true)
	f.Add("bad\xff\n", "\u2028<&>", int64(-1), false)
	f.Fuzz(func(t *testing.T, a, b string, n int64, flag bool) {
		j := jsonItem{Name: a, Status: verify.Status(b), Failure: flag, Size: n, ActualSize: &n, Line: int(n),
			Value: b, HasValue: flag, Differs: []string{a}, Actual: []verify.Digest{{Alg: a, Hex: b}},
			DetailArgs: map[string]string{a: b, b: a}, HintArgs: map[string]string{b: b}}
		if got, want := handItem(&j), encodingJSONItem(t, &j); !bytes.Equal(got, want) {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	})
}
