package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sverka/sverka/docs"
)

func jsonOf(t testing.TB, r *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// An item that breaks the schema is named by its place in the document,
// and of several, the first is.
func TestReadJSONNamesFirstBadItem(t *testing.T) {
	r := bigReport(3000)
	items := r.Result.Tables[0].Items
	items[2500].Failure = true // OK items do not fail
	items[700].Failure = true
	items[701].Status = "MOVED"
	data := jsonOf(t, r)
	for _, f := range []func([]byte) error{Validate, func(d []byte) error { _, err := ReadJSON(d); return err }} {
		err := f(data)
		if err == nil {
			t.Fatal("accepted")
		}
		if !strings.Contains(err.Error(), "/tables/0/items/700/failure") ||
			strings.Contains(err.Error(), "items/701") || strings.Contains(err.Error(), "items/2500") {
			t.Errorf("error does not name the first bad item alone: %v", err)
		}
	}
	if err := wholeValidate(t, data); err == nil || !strings.Contains(err.Error(), "/tables/0/items/700/failure") {
		t.Errorf("the whole document's error differs in place: %v", err)
	}
}

// The items are checked on another core a batch at a time while the next
// are read: the error is still the first the document holds, whether a
// refused item or bytes that are not JSON, wherever the batches end.
func TestReadItemsInBatches(t *testing.T) {
	for _, c := range []struct {
		name   string
		bad    []int // items given a status no report has
		broken int   // an item that is not JSON; -1: none
		want   int   // the item named: refused, or not JSON if it is broken
	}{
		{"first", []int{0}, -1, 0},
		{"a batch's last", []int{itemBatch1 - 1, 2000}, -1, itemBatch1 - 1},
		{"the next batch's first", []int{itemBatch1, itemBatch1 + 1}, -1, itemBatch1},
		{"the last", []int{2999}, -1, 2999},
		{"refused before bytes that are not JSON, batches later", []int{300}, 1500, 300},
		{"refused just before them", []int{300}, 301, 300},
		{"not JSON before one refused", []int{301}, 300, 300},
		{"not JSON alone", nil, 2900, 2900},
	} {
		r := bigReport(3000)
		for _, i := range c.bad {
			r.Result.Tables[0].Items[i].Status = "MOVED"
		}
		data := jsonOf(t, r)
		_, end := itemSpan(t, data, c.want)
		broken := -1
		if c.broken >= 0 {
			broken, _ = itemSpan(t, data, c.broken)
			data = slices.Concat(data[:broken+1], []byte("]"), data[broken+1:]) // {] ...
		}
		_, err := ReadJSON(data)
		var want string
		if c.broken == c.want {
			want = fmt.Sprintf("report is not JSON: invalid character ']' at start of value at byte %d", broken+1)
		} else {
			want = fmt.Sprintf("/tables/0/items/%d/status: ", c.want)
			if !strings.Contains(fmt.Sprint(err), fmt.Sprintf("(item ending at byte %d)", end)) {
				t.Errorf("%s: %v; want the item ending at byte %d", c.name, err, end)
			}
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v; want %q", c.name, err, want)
		}
	}
}

// itemSpan is where item i of the first table starts and ends in data.
func itemSpan(t *testing.T, data []byte, i int) (start, end int) {
	t.Helper()
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	want := jsontext.Pointer(fmt.Sprintf("/tables/0/items/%d", i))
	for {
		tok, err := dec.ReadToken()
		if err != nil {
			t.Fatalf("item %d not found: %v", i, err)
		}
		if tok.Kind() == '{' && dec.StackPointer() == want {
			start = int(dec.InputOffset()) - 1
			depth := 1
			for depth > 0 {
				tok, err := dec.ReadToken()
				if err != nil {
					t.Fatal(err)
				}
				switch tok.Kind() {
				case '{', '[':
					depth++
				case '}', ']':
					depth--
				}
			}
			return start, int(dec.InputOffset())
		}
	}
}

// Documents whose layout the split reading does not follow, or follows
// only in part, get the schema's verdict on the whole document.
func TestReadJSONLayouts(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("testdata", "golden", "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := string(good)
	// valid is the schema's verdict; read is whether sverka reads it,
	// which refuses a name given twice and integers with an exponent.
	cases := []struct {
		name, old, new string
		valid, read    bool
		want           string // in the error
	}{
		{"as written", "", "", true, true, ""},
		{"tables twice, the last valid", `"tables": [`, `"tables": [{"kind": "x"}], "tables": [`, true, false, "/tables/0"},
		{"tables twice, the last invalid", "\n}\n", `, "tables": [{"kind": "x"}]` + "\n}\n", false, false, "given twice"},
		{"items twice, the last valid", `"items": [`, `"items": [{}], "items": [`, true, false, "/tables/0/items/0"},
		{"items twice, the last invalid", `"items": [`, `"items": [], "items": [{}, `, false, false, "given twice"},
		{"escaped key", `"items": [`, `"it\u0065ms": [`, true, true, ""},
		{"escaped key, bad item", `"items": [`, `"it\u0065ms": [{"name": ""}, `, false, false, "/tables/0/items/0"},
		{"items not an array", `"items": [`, `"items": {}, "x": [`, false, false, "/tables/0"},
		{"item not an object", `"items": [`, `"items": [true, `, false, false, "/tables/0/items/0"},
		{"empty element", `"items": [`, `"items": [,`, false, false, "not JSON"},
		{"syntax error in an item", `"status": "OK",`, `"status": "OK" "x",`, false, false, "not JSON"},
		{"control character in an item", `"status": "OK",`, "\"status\": \"O\x01K\",", false, false, "not JSON"},
		{"string holding brackets", `"status": "OK",`, `"status": "OK", "note": "]}\"[{",`, true, true, ""},
		{"bad number in an item", `"status": "OK",`, `"status": "OK", "note": 01,`, false, false, "/note"},
		{"long number in an item", `"status": "OK",`, `"status": "OK", "has_value": true, "size": 1e9999,`, true, false, "/tables/1/items/0/"},
		{"trailing data", "\n}\n", "\n}\n]", false, false, "after top-level value"},
		{"not an object", s, "[" + s + "]", false, false, "an array where an object is required"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.old == "" {
				c.old, c.new = s[:1], s[:1]
			}
			if !strings.Contains(s, c.old) {
				t.Fatalf("fixture lacks %q", c.old)
			}
			data := []byte(strings.Replace(s, c.old, c.new, 1))
			whole := wholeValidate(t, data)
			err := Validate(data)
			if (whole == nil) != c.valid {
				t.Fatalf("the case is wrong: the schema says %v", whole)
			}
			if (err == nil) != c.read {
				t.Fatalf("Validate says %v, want read %v", err, c.read)
			}
			_, rerr := ReadJSON(data)
			if !c.read && rerr == nil {
				t.Fatal("ReadJSON accepted")
			}
			if !c.read && !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
		})
	}
}

// The item conditions of the schema are grouped so that the validator
// evaluates few of them per item. testdata/schema-plain-conditions.json
// is the schema with every condition a separate if/then over the whole
// item; both must accept and reject the same items. The status, detail
// and hint conditions touch disjoint fields, so each group is varied in
// full with the others left valid.
func TestItemConditionsRegrouped(t *testing.T) {
	plainDoc, err := os.ReadFile(filepath.Join("testdata", "schema-plain-conditions.json"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(plainDoc))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, v); err != nil {
		t.Fatal(err)
	}
	plain, err := c.Compile(schemaURL + "#/$defs/item")
	if err != nil {
		t.Fatal(err)
	}
	all := testSchemas(t)
	absent := ""
	opts := func(vals ...string) []string { return append([]string{absent}, vals...) }
	statuses := opts(`"OK"`, `"MODIFIED"`, `"MISSING"`, `"RENAMED"`, `"EXTRA"`, `"UNREADABLE"`, `"VIOLATED"`, `"UNSET"`, `"MOVED"`, `1`)
	var codes []string
	for _, code := range schemaEnum(t, "detail_code") {
		codes = append(codes, strconv.Quote(code))
	}
	codes = opts(append(codes, `"bogus"`, `null`)...)
	args := opts(`{}`, `{"target": "t"}`, `{"target": "t", "x": "y"}`, `{"type": "fifo"}`, `{"type": "pipe"}`,
		`{"name": "n"}`, `{"name": "n", "expected": "e"}`, `{"name": "n", "expected": "e", "error": "x"}`,
		`{"file": "f", "line": "1"}`, `{"file": "f", "line": "x"}`, `{"file": "f", "lines": "1, 2", "line": "2"}`, `{"file": "f", "lines": "1,2", "line": "2"}`, `{"error": "e"}`, `{"error": "e", "file": "f"}`,
		`{"error": "e", "file": "f", "line": "2"}`, `{"directory": "d", "error": "e"}`, `{"root": "r"}`, `[]`,
		`{"error_code": "EACCES"}`, `{"error_code": "not a code"}`, `{"error": "e", "error_code": "not-an-integer", "error_value": "x"}`,
		`{"directory": "d", "error": "e", "error_code": "ENOENT", "error_line": "x"}`, `{"error_x": "y", "other": "z"}`)
	var items []string
	for _, st := range statuses {
		for _, fail := range opts(`true`, `false`) {
			for _, other := range opts(`""`, `"b"`) {
				items = append(items, item(map[string]string{"status": st, "failure": fail, "other": other}))
			}
		}
	}
	for _, code := range codes {
		for _, a := range args {
			for _, raw := range opts(`{"target": "AAAA"}`) {
				items = append(items, item(map[string]string{"status": `"UNREADABLE"`, "failure": `true`,
					"detail": `"d"`, "detail_code": code, "detail_args": a, "detail_args_b64": raw}))
			}
		}
	}
	for _, code := range opts(`"gost-reversed"`, `"other"`) {
		for _, a := range opts(`{}`, `{"column": "c", "should_be": "s"}`, `{"column": "", "should_be": "s"}`, `{"column": "c"}`, `{"column": "c", "should_be": "s", "x": "y"}`) {
			items = append(items, item(map[string]string{"status": `"MODIFIED"`, "failure": `true`,
				"hint": `"h"`, "hint_code": code, "hint_args": a}))
		}
	}
	valid := 0
	for _, it := range items {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(it))
		if err != nil {
			t.Fatalf("%s: %v", it, err)
		}
		want, got := plain.Validate(v), all[Schema].item.Validate(v)
		if (want == nil) != (got == nil) {
			t.Errorf("%s: plain conditions say %v, grouped %v", it, want, got)
		}
		if got == nil {
			valid++
		}
	}
	// Both outcomes occur, often.
	if valid < 50 || len(items)-valid < 50 {
		t.Errorf("%d of %d items valid: the cases do not probe the conditions", valid, len(items))
	}
}

// item is a JSON item with a name and the given fields; absent ones are
// left out.
func item(fields map[string]string) string {
	var b strings.Builder
	b.WriteString(`{"name": "n"`)
	for _, k := range []string{"status", "failure", "other", "detail", "detail_code", "detail_args", "detail_args_b64", "hint", "hint_code", "hint_args"} {
		if v := fields[k]; v != "" {
			b.WriteString(`, "` + k + `": ` + v)
		}
	}
	b.WriteString("}")
	return b.String()
}

// schemaEnum is the enum of an item property in the report schema.
func schemaEnum(t *testing.T, prop string) []string {
	var doc struct {
		Defs struct {
			Item struct {
				Properties map[string]struct{ Enum []string }
			}
		} `json:"$defs"`
	}
	if err := json.Unmarshal(docs.ReportSchema, &doc); err != nil {
		t.Fatal(err)
	}
	e := doc.Defs.Item.Properties[prop].Enum
	if len(e) == 0 {
		t.Fatalf("item property %s has no enum", prop)
	}
	return e
}

// Reading checks items apart from the rest of the document, which is
// exact only while the schema says nothing about an item beyond
// $defs/item: no condition on a table or on the document may look into
// the items arrays.
func TestSchemaItemsStandAlone(t *testing.T) {
	var doc struct {
		Properties map[string]json.RawMessage
		AllOf      json.RawMessage
		Defs       map[string]map[string]json.RawMessage `json:"$defs"`
	}
	if err := json.Unmarshal(docs.ReportSchema, &doc); err != nil {
		t.Fatal(err)
	}
	same := func(what string, got json.RawMessage, want string) {
		var g, w any
		if json.Unmarshal(got, &g) != nil || json.Unmarshal([]byte(want), &w) != nil || !reflect.DeepEqual(g, w) {
			t.Errorf("%s is %s, want %s", what, got, want)
		}
	}
	same("tables", doc.Properties["tables"], `{"type": "array", "items": {"$ref": "#/$defs/table"}}`)
	// A bound on the number of tables is seen in the document without its
	// items as well as with them; anything else about the tables is not.
	if bytes.Contains(bytes.ReplaceAll(doc.AllOf, []byte(`"tables": { "maxItems": 0 }`), nil), []byte("tables")) {
		t.Errorf("a document condition names the tables: %s", doc.AllOf)
	}
	table := doc.Defs["table"]
	for k := range table {
		switch k {
		case "type", "additionalProperties", "required", "properties":
		default:
			t.Errorf("$defs/table has %q, which may look into its items", k)
		}
	}
	var props map[string]json.RawMessage
	if err := json.Unmarshal(table["properties"], &props); err != nil {
		t.Fatal(err)
	}
	same("a table's items", props["items"], `{"type": "array", "items": {"$ref": "#/$defs/item"}}`)
}

// A report read from a stream of unknown length, its items gathered in
// chunks, is the report read from its bytes.
func TestReadStream(t *testing.T) {
	data := jsonOf(t, bigReport(3*maxChunk+5))
	want, err := ReadJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Read(struct{ io.Reader }{bytes.NewReader(data)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("the report read from a stream differs")
	}
}

// A stream whose size the caller knows (a file read through its digest)
// is read into room made once; a size that lies, too small or too
// large, changes nothing of what is read.
func TestReadSized(t *testing.T) {
	data := jsonOf(t, bigReport(3*maxChunk+5))
	want, err := ReadJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int64{int64(len(data)), -1, 0, 100, 1 << 40} {
		got, err := ReadSized(struct{ io.Reader }{bytes.NewReader(data)}, size)
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("size %d: the report read differs", size)
		}
	}
	// The room: made once for every item with the true size, none past
	// what the document's bytes can hold with a larger one.
	for _, size := range []int64{int64(len(data)), 1 << 40} {
		rd := &reader{dec: jsontext.NewDecoder(struct{ io.Reader }{bytes.NewReader(data)}, readOptions), fields: wireTypes{}, size: size, algs: map[string]string{}}
		var j jsonReport
		if err := rd.value(reflect.ValueOf(&j).Elem()); err != nil {
			t.Fatal(err)
		}
		// Made once: the items' number, rounded up to an allocation's
		// size class, not a slice grown by half again and again.
		if n, room := 3*maxChunk+5, j.Tables[0].Items.room(); room < n || room > n+n/64 {
			t.Errorf("size %d: room for %d items, want %d", size, room, n)
		}
	}
}

// The reader keeps the required members of a wire type as bits of a
// uint64, and every member as a bit of another, so that one given twice
// in an object is refused: each must have a bit of its own.
func TestWireTypesFit(t *testing.T) {
	ts := wireTypes{}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(rt reflect.Type) {
		for rt.Kind() == reflect.Pointer || rt.Kind() == reflect.Slice || rt.Kind() == reflect.Map {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct || seen[rt] {
			return
		}
		seen[rt] = true
		w := ts.of(rt)
		n := 0
		var given uint64
		for _, f := range w.fields {
			if f.required {
				n++
			}
			if f.once == 0 || given&f.once != 0 {
				t.Errorf("%s: member %q shares its bit, or has none (%d members)", rt, f.name, len(w.fields))
			}
			given |= f.once
		}
		if n > 64 {
			t.Errorf("%s has %d required members", rt, n)
		}
		for i := range rt.NumField() {
			walk(rt.Field(i).Type)
		}
	}
	// The items are not reached from the report's type (itemList holds
	// them as the model's).
	walk(reflect.TypeFor[jsonReport]())
	walk(reflect.TypeFor[jsonItem]())
	if len(seen) < 10 {
		t.Errorf("only %d wire types found", len(seen))
	}
}

// A report of version 1 lists the tables not checked among its
// warnings. Read, they are in the scope alone; its renderings and its
// JSON, of version 1 still, list them first among the warnings.
func TestReadV1NotChecked(t *testing.T) {
	v1, err := os.ReadFile(filepath.Join("testdata", "report-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	const text = "[image] table (line 2) not checked: no --media given"
	nc := `{"code": "table-not-checked", "table": "image", "line": 2, "args": {"why": "no-media"}, "text": "` + text + `"}`
	// Between two other warnings, as verify could list it.
	support := "{\n      \"code\": \"support-ended\","
	if !bytes.Contains(v1, []byte(support)) {
		t.Fatal("the fixture has no support-ended warning")
	}
	data := bytes.Replace(v1, []byte(support), []byte(nc+", "+support), 1)
	r, err := ReadJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Result.Scope.NotChecked) != 1 || r.Result.Scope.NotChecked[0].Text != text {
		t.Errorf("not checked: %+v", r.Result.Scope.NotChecked)
	}
	for _, w := range r.Result.Warnings {
		if w.Code == "table-not-checked" {
			t.Errorf("a table not checked is a warning too: %+v", w)
		}
	}
	var b bytes.Buffer
	if err := WriteText(&b, r, TextOptions{Lang: "en"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), text) {
		t.Errorf("the text does not say %q:\n%s", text, b.String())
	}
	var doc struct {
		Schema   string
		Warnings []struct{ Code string }
	}
	if err := json.Unmarshal(jsonOf(t, r), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Schema != SchemaV1 || len(doc.Warnings) != 5 || doc.Warnings[0].Code != "table-not-checked" {
		t.Errorf("written back: %+v", doc)
	}
}

// Counts that claim items a table does not hold make no room that
// outlives the reading, nor room again for every table that claims it.
func TestReadCountsLie(t *testing.T) {
	r := bigReport(10)
	for range 200 {
		tb := r.Result.Tables[0]
		tb.Items = nil
		r.Result.Tables = append(r.Result.Tables, tb)
	}
	data := jsonOf(t, r)
	rd := &reader{dec: jsontext.NewDecoder(bytes.NewReader(data), readOptions), fields: wireTypes{}, size: int64(len(data)), algs: map[string]string{}}
	var j jsonReport
	if err := rd.value(reflect.ValueOf(&j).Elem()); err != nil {
		t.Fatal(err)
	}
	room := 0
	for _, tb := range j.Tables {
		room += tb.Items.room()
	}
	if room > 10 {
		t.Errorf("the tables keep room for %d items, hold 10", room)
	}
	if rd.unfilled > len(data)/minItemLen {
		t.Errorf("%d items' room made for a document of %d bytes", rd.unfilled, len(data))
	}
	if _, err := ReadJSON(data); err == nil {
		t.Error("counts without their items read")
	}
}

// A report of version 2 names its host by host_id, held to the rules of
// a name; a report of version 1 has none, and its hostname stands in.
func TestReadHostID(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, fixedReport()); err != nil {
		t.Fatal(err)
	}
	good := b.String()
	const id = `"host_id": "3d1219c7c4c5404aaa1f6d2a48adfda4",`
	const groups = `"groups": [
      "бухгалтерия",
      "kesl-12"
    ],`
	for _, c := range []struct{ name, old, new, want string }{
		{"no host id", id, ``, "/run/host_id: missing"},
		{"empty host id", id, `"host_id": "",`, "/run/host_id: missing"},
		{"host id with a newline", id, `"host_id": "web\n01",`, "/run/host_id"},
		{"host id with an escape", id, `"host_id": "web\u001b[2J",`, "U+001B"},
		{"host id with a bidi override", id, `"host_id": "web\u202e10",`, "U+202E"},
		{"host id of 256 bytes", id, `"host_id": "` + strings.Repeat("я", 128) + `",`, "256 bytes, more than 255"},
		{"host id not a string", id, `"host_id": 7,`, "/run/host_id"},
		{"host id null", id, `"host_id": null,`, "/run/host_id"},
		{"empty groups", groups, `"groups": [],`, "/run/groups: empty"},
		{"group given twice", groups, `"groups": ["a", "a"],`, `/run/groups/1: "a" given twice`},
		{"empty group", groups, `"groups": ["a", ""],`, "/run/groups/1: empty"},
		{"group with a tab", groups, `"groups": ["a\tb"],`, "/run/groups/0"},
	} {
		if !strings.Contains(good, c.old) {
			t.Fatalf("%s: fixture lacks %q", c.name, c.old)
		}
		_, err := ReadJSON([]byte(strings.Replace(good, c.old, c.new, 1)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %q", c.name, err, c.want)
		}
	}
	r, err := ReadJSON([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if r.Run.HostID != "3d1219c7c4c5404aaa1f6d2a48adfda4" || !slices.Equal(r.Run.Groups, []string{"бухгалтерия", "kesl-12"}) {
		t.Errorf("read host id %q, groups %q", r.Run.HostID, r.Run.Groups)
	}
	noGroups := strings.Replace(good, groups, "", 1)
	if r, err := ReadJSON([]byte(noGroups)); err != nil || r.Run.Groups != nil {
		t.Errorf("a report without groups: %v, groups %q", err, r.Run.Groups)
	}

	v1, err := os.ReadFile(filepath.Join("testdata", "report-v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	old, err := ReadJSON(v1)
	if err != nil {
		t.Fatal(err)
	}
	if old.Run.HostID != "host-1" || old.Run.Groups != nil {
		t.Errorf("version 1: host id %q, groups %q; want the hostname, none", old.Run.HostID, old.Run.Groups)
	}
	// Written back as version 1, it gains no host id.
	b.Reset()
	if err := WriteJSON(&b, old); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "host_id") {
		t.Error("a version 1 report written back has a host_id")
	}
	for _, add := range []string{`"host_id": "x", "host"`, `"groups": ["a"], "host"`} {
		data := bytes.Replace(v1, []byte(`"host"`), []byte(add), 1)
		if _, err := ReadJSON(data); err == nil || !strings.Contains(err.Error(), "not in sverka-report/1") {
			t.Errorf("version 1 with %s: %v", add, err)
		}
	}
}

// A report whose host id its reader would refuse is not written.
func TestWriteRefusesBadHostID(t *testing.T) {
	for _, c := range []struct {
		name   string
		id     string
		groups []string
	}{
		{"no host id", "", nil},
		{"control character", "a\x00b", nil},
		{"group twice", "h", []string{"g", "g"}},
		{"empty group", "h", []string{""}},
	} {
		r := fixedReport()
		r.Run.HostID, r.Run.Groups = c.id, c.groups
		if err := WriteJSON(io.Discard, r); err == nil {
			t.Errorf("%s: WriteJSON wrote it", c.name)
		}
		if err := WriteNDJSON(io.Discard, r); err == nil {
			t.Errorf("%s: WriteNDJSON wrote it", c.name)
		}
	}
}

// lookupAfter's guess of the next member is a shortcut only: names in
// another order than the one learned, spelt with escapes, or unknown are
// found as lookup finds them.
func TestLookupAfter(t *testing.T) {
	w := wireTypes{}.of(reflect.TypeFor[jsonDigest]())
	var buf []byte
	steps := []struct {
		prev, raw string // prev: the member read before ("": none)
		want      string // the member found ("": none)
	}{
		{"", `"alg"`, "alg"},
		{"alg", `"hex"`, "hex"},
		{"", `"alg"`, "alg"},      // as learned
		{"alg", `"hex"`, "hex"},   // as learned
		{"", `"hex"`, "hex"},      // another order
		{"hex", `"alg"`, "alg"},   //
		{"", `"h\u0065x"`, "hex"}, // an escape
		{"hex", `"algx"`, ""},     // unknown, after a guess that fails
		{"", `"al"`, ""},          // a prefix of the guess
	}
	for _, s := range steps {
		var prev *wireField
		if s.prev != "" {
			prev = w.byName[s.prev]
		}
		f, _ := w.lookupAfter(prev, jsontext.Value(s.raw), &buf)
		got := ""
		if f != nil {
			got = f.name
		}
		if got != s.want {
			t.Errorf("after %q, %s: found %q, want %q", s.prev, s.raw, got, s.want)
		}
	}
}

// The digest objects of an item are read by hand, not by the reflective
// reader: a hostile report's digest in another order, with an escaped
// name, an unknown or repeated member, a missing one, a null or a number
// where a string goes, or upper-case digits, is read or refused as the
// schema reads or refuses it, and one that is read gives its digest.
// The first item's first digest is changed; with `2`, the second item's,
// after the reader has learned the members' order from the first.
func TestReadDigestMembers(t *testing.T) {
	data := jsonOf(t, bigReport(6)) // item 5 fails, as the report's reasons say
	items := bytes.Index(data, []byte(`"items"`))
	digest := regexp.MustCompile(`\{\s*"alg":\s*"sha256",\s*"hex":\s*"([0-9a-f]+)"\s*\}`)
	all := digest.FindAllSubmatchIndex(data[items:], 3)
	if items < 0 || len(all) < 3 {
		t.Fatalf("%d sha256 digests among the items, want 3", len(all))
	}
	tests := []struct {
		name   string
		second bool   // the second item's digest, not the first's
		obj    string // H: the digest's hex
		refuse string // what the error says; "": read
	}{
		{"in order", false, `{"alg": "sha256", "hex": "H"}`, ""},
		{"hex first", false, `{"hex": "H", "alg": "sha256"}`, ""},
		{"hex first, learned order", true, `{"hex": "H", "alg": "sha256"}`, ""},
		{"escaped name", false, `{"\u0061lg": "sha256", "h\u0065x": "H"}`, ""},
		{"escaped name, learned order", true, `{"alg": "sha256", "h\u0065x": "H"}`, ""},
		{"unknown member", false, `{"alg": "sha256", "hex": "H", "size": 1}`, `unknown member "size"`},
		{"unknown member like a known one", true, `{"alg": "sha256", "hexx": "H"}`, `unknown member "hexx"`},
		{"repeated member", false, `{"alg": "sha256", "alg": "sha256", "hex": "H"}`, "a name given twice"},
		{"hex missing", false, `{"alg": "sha256"}`, `member "hex" missing`},
		{"alg missing", true, `{"hex": "H"}`, `member "alg" missing`},
		{"alg null", false, `{"alg": null, "hex": "H"}`, "null"},
		{"hex a number", false, `{"alg": "sha256", "hex": 12}`, "number where a string is required"},
		{"upper-case hex", false, `{"alg": "sha256", "hex": "UPPER"}`, "not hex"},
		{"not an object", false, `["sha256", "H"]`, "array where an object is required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at := slices.Clone(all[0])
			if tc.second {
				at = slices.Clone(all[2]) // item 0's expected and actual sha256 come first
			}
			for i := range at {
				at[i] += items
			}
			hex := string(data[at[2]:at[3]])
			obj := strings.ReplaceAll(tc.obj, "UPPER", strings.ToUpper(hex))
			obj = strings.ReplaceAll(obj, `"H"`, `"`+hex+`"`)
			doc := slices.Concat(data[:at[0]], []byte(obj), data[at[1]:])
			r, err := ReadJSON(doc)
			schema := wholeValidate(t, doc)
			switch {
			case tc.refuse == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.refuse == "":
				item := 0
				if tc.second {
					item = 1
				}
				got := r.Result.Tables[0].At(item).Expected[0]
				if got.Alg != "sha256" || got.Hex != hex {
					t.Errorf("read %+v, want sha256 %s", got, hex)
				}
				if schema != nil {
					t.Errorf("read, but the schema refuses it: %v", schema)
				}
			case err == nil:
				t.Fatalf("read; want an error saying %q", tc.refuse)
			case !strings.Contains(err.Error(), tc.refuse):
				t.Errorf("error %q does not say %q", err, tc.refuse)
			case schema == nil && tc.name != "repeated member":
				// A repeated name is the one check beyond the schema.
				t.Errorf("refused, but the schema reads it: %v", err)
			}
		})
	}
}

// A report naming a new algorithm in every digest shares no more than
// maxAlgs names: the rest are read, each its own string, and the shared
// names stay few whatever the document holds.
func TestReadDigestsSharesFewNames(t *testing.T) {
	var doc strings.Builder
	doc.WriteString("[")
	const n = 3 * maxAlgs
	for i := range n {
		if i > 0 {
			doc.WriteString(", ")
		}
		fmt.Fprintf(&doc, `{"alg": "alg-%d", "hex": "00"}`, i)
	}
	doc.WriteString("]")
	rd := &reader{dec: jsontext.NewDecoder(strings.NewReader(doc.String()), readOptions), fields: wireTypes{}, size: -1, algs: map[string]string{}}
	var ds []jsonDigest
	if err := rd.digests(&ds, nil); err != nil {
		t.Fatal(err)
	}
	if len(ds) != n || ds[n-1].Alg != fmt.Sprintf("alg-%d", n-1) || ds[n-1].Hex != "00" {
		t.Fatalf("read %d digests, the last %+v", len(ds), ds[len(ds)-1])
	}
	if len(rd.algs) != maxAlgs {
		t.Errorf("%d names shared, want at most %d", len(rd.algs), maxAlgs)
	}
}

// An item's actual digest whose text is its expected one's, at the same
// place, shares that text; one that differs, or has no counterpart, is
// read as written.
func TestReadDigestsLike(t *testing.T) {
	like := []jsonDigest{{Alg: "sha256", Hex: strings.Repeat("a", 64)}, {Alg: "gost12-256", Hex: strings.Repeat("b", 64)}}
	doc := fmt.Sprintf(`[{"alg": "sha256", "hex": %q}, {"alg": "gost12-256", "hex": %q}, {"alg": "md5", "hex": %q}]`,
		strings.Repeat("a", 64), strings.Repeat("c", 64), strings.Repeat("a", 64))
	rd := &reader{dec: jsontext.NewDecoder(strings.NewReader(doc), readOptions), fields: wireTypes{}, size: -1, algs: map[string]string{}}
	var ds []jsonDigest
	if err := rd.digests(&ds, like); err != nil {
		t.Fatal(err)
	}
	want := []jsonDigest{{"sha256", strings.Repeat("a", 64)}, {"gost12-256", strings.Repeat("c", 64)}, {"md5", strings.Repeat("a", 64)}}
	if !slices.Equal(ds, want) {
		t.Fatalf("read %+v, want %+v", ds, want)
	}
	if unsafe.StringData(ds[0].Hex) != unsafe.StringData(like[0].Hex) {
		t.Error("the digest equal to the one expected at its place was made again")
	}
}
