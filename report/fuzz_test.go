package report

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/sverka/sverka/internal/hostinfo"
)

// wholeValidate is the reference for Validate: the schema applied by the
// library to the document as one tree.
func wholeValidate(t testing.TB, data []byte) error {
	return schemaValidate(t, data)
}

// FuzzReadJSON: ReadJSON never panics; Validate, with its Go checks,
// rejects whatever the schema rejects, and accepts what the schema
// accepts unless a check beyond the schema refuses it (a name given
// twice, an integer written as 1.0); ReadJSON rejects whatever Validate
// rejects; and what it accepts writes back to a report the schema accepts
// and that reads back the same.
func FuzzReadJSON(f *testing.F) {
	golden, err := os.ReadFile(filepath.Join("testdata", "golden", "report.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(golden)
	s := string(golden)
	for _, m := range [][2]string{
		{`"NOT HOLD"`, `"HOLDS"`},
		{`"failure": true`, `"failure": false`},
		{`"name_b64": "`, `"name_b64": "A`},
		{`"size": 58`, `"size": 1e30`},
		{`"size": 58`, `"size": 58.5`},
		{`"tables": [`, `"tables": [{}, `},
		{`"check_date": "2026-11-23"`, `"check_date": "2026-02-30"`},
		{`"args": [`, `"args_b64": ["AA=="], "args": [`},
		{`"line": 13,`, `"line": 13, "line": -1,`},
		{`"code": "support-ended"`, `"code": "table-failed"`},
		{`"line": "9"`, `"line": "9", "extra": "x"`},
		{`"detail_code": "error"`, `"detail_code": "error", "detail_args_b64": {"a": "AA=="}`},
		{`"detail_code": "settings-line",`, `"detail_code": "settings-line", "detail_args_b64": {"file": "AA=="},`},
	} {
		f.Add([]byte(strings.Replace(s, m[0], m[1], 1)))
	}
	for _, name := range []string{filepath.Join("testdata", "report-v1.json"), filepath.Join("testdata", "golden", "partial.json"), filepath.Join("testdata", "golden", "cannot.json")} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(strings.Replace(s, `"host": "host-1",`, `"host": `+strings.Repeat("[", 70)+strings.Repeat("]", 70)+`,`, 1)))
	f.Add(golden[:len(golden)/2])
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ReadJSON(data)
		whole := wholeValidate(t, data)
		v := Validate(data)
		if v == nil && whole != nil {
			t.Fatalf("Validate accepts what the schema rejects: %v", whole)
		}
		if v != nil && whole == nil && !beyondSchema(data) {
			t.Fatalf("Validate rejects what the schema accepts: %v", v)
		}
		if v != nil && err == nil {
			t.Fatal("ReadJSON accepts what Validate rejects")
		}
		if whole != nil {
			if err == nil {
				t.Fatal("ReadJSON accepted what the schema rejects")
			}
			return
		}
		if err != nil {
			return // valid by the schema, rejected by a check beyond it
		}
		var out bytes.Buffer
		if err := WriteJSON(&out, r); err != nil {
			t.Fatalf("writing an accepted report: %v", err)
		}
		if err := wholeValidate(t, out.Bytes()); err != nil {
			t.Fatalf("an accepted report writes back invalid: %v\n%s", err, out.Bytes())
		}
		r2, err := ReadJSON(out.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		var again bytes.Buffer
		WriteJSON(&again, r2)
		if !bytes.Equal(out.Bytes(), again.Bytes()) {
			t.Fatalf("not stable:\n%s", firstDiff(out.Bytes(), again.Bytes()))
		}
	})
}

// beyondSchema says whether data breaks a rule of reading the schema does
// not make: a name given twice in an object, an integer with a fraction
// or exponent, a number beyond its Go type.
func beyondSchema(data []byte) bool {
	dec := jsontext.NewDecoder(bytes.NewReader(data), jsontext.AllowInvalidUTF8(true))
	// A host id or group name of at most 255 characters may still be
	// more than the 255 bytes the reader allows.
	var doc struct {
		Run struct {
			HostID string   `json:"host_id"`
			Groups []string `json:"groups"`
		} `json:"run"`
	}
	json.Unmarshal(data, &doc, json.RejectUnknownMembers(false), jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))
	for _, s := range append(doc.Run.Groups, doc.Run.HostID) {
		if len(s) > hostinfo.MaxNameLen {
			return true
		}
	}
	for {
		tok, err := dec.ReadToken()
		if err == io.EOF {
			return false
		}
		if err != nil {
			return true // a duplicate name, or not JSON
		}
		if tok.Kind() == '0' {
			s := tok.String()
			if strings.ContainsAny(s, ".eE") {
				return true
			}
			if _, err := strconv.ParseInt(s, 10, 64); err != nil {
				return true
			}
		}
	}
}
