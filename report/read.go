package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sverka/sverka/docs"
	"github.com/sverka/sverka/verify"
)

// Reading a report validates it against the whole schema, but not as one
// tree: a report of a whole kit holds a hundred thousand items, and the
// validator's tree of such a document costs seconds and hundreds of
// megabytes. Nothing in the schema relates an item to anything outside it
// (an items array is "items": {"$ref": "#/$defs/item"} and no more), so a
// document follows the schema exactly when it does with its items arrays
// emptied and every item follows the item definition. The emptied
// document is checked as before; the items are checked one by one, spread
// over the processors, and decoded from the same tree. A document whose
// layout this does not recognise (a duplicate "tables" or "items" key, a
// syntax error) is checked whole, so that every document gets the
// schema's own verdict and message.

// schemaURL names the embedded schema in validation messages; schemaV1URL
// the schema of version 1.
const (
	schemaURL   = "urn:sverka:report.schema.json"
	schemaV1URL = "urn:sverka:report.v1.schema.json"
)

// MaxSize is the largest report sverka reads: ten times a report of a
// million items, far beyond any kit, and still within memory.
const MaxSize int64 = 4 << 30

// maxNesting is the deepest a report's objects and arrays may nest: a
// report nests six levels at most, and a document nested thousands deep
// is built to tire the reader.
const maxNesting = 64

// itemDepth is the nesting of an item's object in a report: the document,
// "tables", a table, "items".
const itemDepth = 4

// schemas holds one version's document schema and its item definition.
type schemas struct {
	version   string
	doc, item *jsonschema.Schema
}

// compiled holds the embedded schemas compiled once, by version; they
// never change afterwards.
var compiled = sync.OnceValues(func() (map[string]*schemas, error) {
	all := map[string]*schemas{}
	for _, v := range []struct {
		version, url string
		data         []byte
	}{{Schema, schemaURL, docs.ReportSchema}, {SchemaV1, schemaV1URL, docs.ReportSchemaV1}} {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(v.data))
		if err != nil {
			return nil, fmt.Errorf("embedded report schema %s: %w", v.version, err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(v.url, doc); err != nil {
			return nil, fmt.Errorf("embedded report schema %s: %w", v.version, err)
		}
		s := &schemas{version: v.version}
		if s.doc, err = c.Compile(v.url); err != nil {
			return nil, fmt.Errorf("embedded report schema %s: %w", v.version, err)
		}
		if s.item, err = c.Compile(v.url + "#/$defs/item"); err != nil {
			return nil, fmt.Errorf("embedded report schema %s: %w", v.version, err)
		}
		all[v.version] = s
	}
	return all, nil
})

// schemaFor picks the schema of the version doc names: version 1 when it
// says so, else the current one, whose "schema" const then says what is
// wrong.
func schemaFor(all map[string]*schemas, doc any) *schemas {
	if m, ok := doc.(map[string]any); ok {
		if v, _ := m["schema"].(string); v == SchemaV1 {
			return all[SchemaV1]
		}
	}
	return all[Schema]
}

// Validate checks data against the report schema of its version
// (docs/report.schema.json, or docs/report.v1.schema.json for version 1).
// The error carries the schema's own message, naming where the document
// breaks it.
func Validate(data []byte) error {
	_, err := read(data, false)
	return err
}

// ReadJSON validates data against the report schema of its version, then
// decodes it, and checks that its verdict, reasons, counts and failure
// flags are those its items, scope and dates give. A report the schema
// rejects is rejected with the schema's message; so is one whose raw
// names do not match their display forms, and one that disagrees with
// itself, with the disagreement named.
func ReadJSON(data []byte) (*Report, error) {
	r, err := read(data, true)
	if err != nil {
		return nil, err
	}
	if err := consistent(r); err != nil {
		return nil, err
	}
	return r, nil
}

func read(data []byte, decode bool) (*Report, error) {
	if int64(len(data)) > MaxSize {
		return nil, fmt.Errorf("report is larger than %d GiB, far beyond any check", MaxSize>>30)
	}
	all, err := compiled()
	if err != nil {
		return nil, err
	}
	arrays, ok := scanLayout(data)
	if !ok {
		return readWhole(all, data, decode)
	}
	// The document without its items, and its numbers and nesting checked
	// where they stand in data.
	skeleton := make([]byte, 0, skeletonSize(data, arrays))
	from := 0
	depth := 0
	for _, a := range arrays {
		if err := checkLimits(data[from:a.open+1], from, &depth); err != nil {
			return nil, err
		}
		skeleton = append(skeleton, data[from:a.open+1]...)
		from = a.close
	}
	if err := checkLimits(data[from:], from, &depth); err != nil {
		return nil, err
	}
	skeleton = append(skeleton, data[from:]...)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(skeleton))
	if err != nil || !emptied(doc, arrays) {
		// Not JSON: the whole document says where, in its own offsets.
		return readWhole(all, data, decode)
	}
	sch := schemaFor(all, doc)
	if err := schemaValidate(sch.doc, doc); err != nil {
		return nil, fmt.Errorf("report does not follow %s: %w", sch.version, err)
	}
	items, err := readItems(sch, data, arrays, decode)
	if errors.Is(err, errSyntax) {
		return readWhole(all, data, decode)
	}
	if err != nil || !decode {
		return nil, err
	}
	var j jsonReport
	if err := json.Unmarshal(skeleton, &j); err != nil {
		return nil, fmt.Errorf("decoding report: %w", err)
	}
	r, err := j.report()
	if err != nil {
		return nil, err
	}
	for i, a := range arrays {
		if a.table >= len(r.Result.Tables) {
			return nil, fmt.Errorf("internal error: items of table %d not in the decoded report", a.table)
		}
		r.Result.Tables[a.table].Items = items[i]
	}
	return r, nil
}

// readWhole validates and decodes data as one tree.
func readWhole(all map[string]*schemas, data []byte, decode bool) (*Report, error) {
	depth := 0
	if err := checkLimits(data, 0, &depth); err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("report is not JSON: %w", err)
	}
	sch := schemaFor(all, doc)
	if err := schemaValidate(sch.doc, doc); err != nil {
		return nil, fmt.Errorf("report does not follow %s: %w", sch.version, err)
	}
	if !decode {
		return nil, nil
	}
	var j jsonReport
	if err := json.Unmarshal(data, &j); err != nil {
		return nil, fmt.Errorf("decoding report: %w", err)
	}
	return j.report()
}

// schemaValidate runs the validator, turning a panic inside it into an
// error: whatever the input, reading a report must not crash the tool.
func schemaValidate(sch *jsonschema.Schema, doc any) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("validator failed: %v", p)
		}
	}()
	return sch.Validate(doc)
}

// itemsArray is where one table's items lie in the document.
type itemsArray struct {
	table       int // index in "tables"
	open, close int // offsets of the array's brackets
	items       []span
}

// span is the bytes of one item, without the white space around it.
type span struct{ start, end int }

func skeletonSize(data []byte, arrays []itemsArray) int {
	n := len(data)
	for _, a := range arrays {
		n -= a.close - a.open - 1
	}
	return n
}

// emptied reports whether doc, the decoded skeleton, has an empty items
// array in every table the scan took items from: the scan and the decoder
// saw the same document.
func emptied(doc any, arrays []itemsArray) bool {
	m, _ := doc.(map[string]any)
	tables, _ := m["tables"].([]any)
	for _, a := range arrays {
		if a.table >= len(tables) {
			return false
		}
		t, _ := tables[a.table].(map[string]any)
		items, ok := t["items"].([]any)
		if !ok || len(items) != 0 {
			return false
		}
	}
	return true
}

// readItems checks every item against the item definition and, with
// decode, decodes it, on all processors. Of the items that fail, the one
// first in the document is reported. The error is errSyntax when an item
// is not JSON.
func readItems(sch *schemas, data []byte, arrays []itemsArray, decode bool) ([][]verify.Item, error) {
	// Items are numbered across tables, in document order.
	first := make([]int, len(arrays)+1)
	var items [][]verify.Item
	if decode {
		items = make([][]verify.Item, len(arrays))
	}
	for i, a := range arrays {
		first[i+1] = first[i] + len(a.items)
		if decode {
			items[i] = make([]verify.Item, len(a.items))
		}
	}
	total := first[len(arrays)]
	const chunk = 64
	workers := min(runtime.GOMAXPROCS(0), (total+chunk-1)/chunk)
	var (
		next   atomic.Int64
		failed atomic.Int64 // number of the first failing item so far
		mu     sync.Mutex
		err    error
		wg     sync.WaitGroup
	)
	failed.Store(int64(total))
	fail := func(n int, e error) {
		mu.Lock()
		defer mu.Unlock()
		if int64(n) < failed.Load() {
			failed.Store(int64(n))
			err = e
		}
	}
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ai := 0
			for {
				lo := int(next.Add(chunk)) - chunk
				if lo >= total || int64(lo) > failed.Load() {
					return
				}
				for n := lo; n < min(lo+chunk, total) && int64(n) < failed.Load(); n++ {
					for first[ai+1] <= n || n < first[ai] {
						if n < first[ai] {
							ai--
						} else {
							ai++
						}
					}
					a := &arrays[ai]
					ii := n - first[ai]
					var it *verify.Item
					if decode {
						it = &items[ai][ii]
					}
					if e := readItem(sch, data, a.items[ii], a.table, ii, it); e != nil {
						fail(n, e)
					}
				}
			}
		}()
	}
	wg.Wait()
	return items, err
}

// readItem checks one item and, when it is not nil, decodes it into it.
func readItem(sch *schemas, data []byte, s span, table, index int, it *verify.Item) error {
	v, err := parseValueNested(data[s.start:s.end], s.start, maxNesting-itemDepth)
	if err != nil {
		return err
	}
	if err := schemaValidate(sch.item, v); err != nil {
		return fmt.Errorf("report does not follow %s: %w", sch.version, relocate(err, table, index))
	}
	if it == nil {
		return nil
	}
	where := fmt.Sprintf("tables[%d].items[%d]", table, index)
	j, err := itemFromValue(v)
	if err != nil {
		return fmt.Errorf("decoding report: %s.%w", where, err)
	}
	return j.item(it, where)
}

// relocate makes the instance locations of a validation error of item
// index of table name the item's place in the document.
func relocate(err error, table, index int) error {
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	prefix := []string{"tables", strconv.Itoa(table), "items", strconv.Itoa(index)}
	seen := map[*jsonschema.ValidationError]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if seen[e] {
			return
		}
		seen[e] = true
		if e != ve { // the top names the schema, not a place
			e.InstanceLocation = append(prefix[:len(prefix):len(prefix)], e.InstanceLocation...)
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	return ve
}

// itemFromValue gives the jsonItem encoding/json would decode from the
// same bytes as v, an item that follows the schema.
func itemFromValue(v any) (jsonItem, error) {
	var j jsonItem
	m, ok := v.(map[string]any)
	if !ok {
		return j, errors.New("item is not an object")
	}
	for k, x := range m {
		var err error
		switch k {
		case "name":
			j.Name, err = stringOf(x)
		case "name_b64":
			j.NameB64, err = stringOf(x)
		case "line":
			var n int64
			n, err = intOf(x, strconv.IntSize)
			j.Line = int(n)
		case "status":
			var s string
			s, err = stringOf(x)
			j.Status = verify.Status(s)
		case "failure":
			j.Failure, err = boolOf(x)
		case "size":
			j.Size, err = intOf(x, 64)
		case "actual_size":
			var n int64
			if n, err = intOf(x, 64); err == nil {
				j.ActualSize = &n
			}
		case "expected":
			j.Expected, err = digestsOf(x)
		case "actual":
			j.Actual, err = digestsOf(x)
		case "differs":
			j.Differs, err = stringsOf(x)
		case "other":
			j.Other, err = stringOf(x)
		case "other_b64":
			j.OtherB64, err = stringOf(x)
		case "mode":
			j.Mode, err = stringOf(x)
		case "actual_mode":
			j.ActualMode, err = stringOf(x)
		case "allowed":
			j.Allowed, err = stringOf(x)
		case "value":
			j.Value, err = stringOf(x)
		case "value_b64":
			j.ValueB64, err = stringOf(x)
		case "has_value":
			j.HasValue, err = boolOf(x)
		case "note":
			j.Note, err = stringOf(x)
		case "detail":
			j.Detail, err = stringOf(x)
		case "detail_b64":
			j.DetailB64, err = stringOf(x)
		case "detail_code":
			j.DetailCode, err = stringOf(x)
		case "detail_args":
			j.DetailArgs, err = stringMapOf(x)
		case "detail_args_b64":
			j.DetailArgsB64, err = stringMapOf(x)
		case "hint":
			j.Hint, err = stringOf(x)
		case "hint_code":
			j.HintCode, err = stringOf(x)
		case "hint_args":
			j.HintArgs, err = stringMapOf(x)
		}
		if err != nil {
			return j, fmt.Errorf("%s: %w", k, err)
		}
	}
	// Most computed digests equal the expected ones: one copy of each
	// string is enough, and a large report holds far less.
	for i := range min(len(j.Actual), len(j.Expected)) {
		if j.Actual[i] == j.Expected[i] {
			j.Actual[i] = j.Expected[i]
		}
	}
	return j, nil
}

func stringOf(x any) (string, error) {
	s, ok := x.(string)
	if !ok {
		return "", fmt.Errorf("%v is not a string", x)
	}
	return s, nil
}

func boolOf(x any) (bool, error) {
	b, ok := x.(bool)
	if !ok {
		return false, fmt.Errorf("%v is not a boolean", x)
	}
	return b, nil
}

// intOf reads an integer as encoding/json does: written without fraction
// or exponent, and within bits.
func intOf(x any, bits int) (int64, error) {
	n, ok := x.(json.Number)
	if !ok {
		return 0, fmt.Errorf("%v is not a number", x)
	}
	i, err := strconv.ParseInt(string(n), 10, bits)
	if err != nil {
		return 0, fmt.Errorf("%s is not an integer of %d bits", n, bits)
	}
	return i, nil
}

func stringsOf(x any) ([]string, error) {
	a, ok := x.([]any)
	if !ok {
		return nil, fmt.Errorf("%v is not an array", x)
	}
	out := make([]string, len(a))
	for i, e := range a {
		var err error
		if out[i], err = stringOf(e); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func stringMapOf(x any) (map[string]string, error) {
	m, ok := x.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%v is not an object", x)
	}
	out := make(map[string]string, len(m))
	for k, e := range m {
		var err error
		if out[k], err = stringOf(e); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func digestsOf(x any) ([]verify.Digest, error) {
	a, ok := x.([]any)
	if !ok {
		return nil, fmt.Errorf("%v is not an array", x)
	}
	out := make([]verify.Digest, len(a))
	for i, e := range a {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%v is not an object", e)
		}
		var err error
		if alg, ok := m["alg"]; ok {
			if out[i].Alg, err = stringOf(alg); err != nil {
				return nil, err
			}
		}
		if hex, ok := m["hex"]; ok {
			if out[i].Hex, err = stringOf(hex); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// scanLayout finds the items arrays of a report: the "items" of every
// object in the top-level "tables" array. It checks only as much syntax as
// it needs to find them; the rest is the decoders' to check. It fails on a
// layout the split reading cannot follow.
func scanLayout(data []byte) ([]itemsArray, bool) {
	s := layoutScanner{cursor{data: data}}
	var arrays []itemsArray
	s.space()
	if !s.at('{') {
		return nil, false
	}
	seenTables := false
	ok := s.members(func(key string) bool {
		if key != "tables" {
			return s.skip()
		}
		if seenTables {
			return false // the last one counts: let the whole decoder say which
		}
		seenTables = true
		if !s.at('[') {
			return s.skip()
		}
		return s.elements(func(table int) bool {
			if !s.at('{') {
				return s.skip()
			}
			seenItems := false
			return s.members(func(key string) bool {
				if key != "items" {
					return s.skip()
				}
				if seenItems {
					return false
				}
				seenItems = true
				if !s.at('[') {
					return s.skip()
				}
				a := itemsArray{table: table, open: s.pos}
				ok := s.elements(func(int) bool {
					start := s.pos
					if !s.skip() {
						return false
					}
					a.items = append(a.items, span{start, s.pos})
					return true
				})
				a.close = s.pos - 1
				arrays = append(arrays, a)
				return ok
			})
		})
	})
	s.space()
	return arrays, ok && s.pos == len(data)
}

type layoutScanner struct{ cursor }

// members walks the object at s.pos, calling f with s.pos at each member's
// value; f must move past the value.
func (s *layoutScanner) members(f func(key string) bool) bool {
	s.pos++ // {
	s.space()
	if s.at('}') {
		s.pos++
		return true
	}
	for {
		start := s.pos
		if !s.at('"') || !s.skipString() {
			return false
		}
		raw := s.data[start:s.pos]
		key := string(raw[1 : len(raw)-1])
		if bytes.IndexByte(raw, '\\') >= 0 {
			if json.Unmarshal(raw, &key) != nil {
				return false
			}
		}
		s.space()
		if !s.at(':') {
			return false
		}
		s.pos++
		s.space()
		if !f(key) {
			return false
		}
		if done, ok := s.next('}'); !ok || done {
			return ok
		}
	}
}

// elements walks the array at s.pos as members walks an object.
func (s *layoutScanner) elements(f func(index int) bool) bool {
	s.pos++ // [
	s.space()
	if s.at(']') {
		s.pos++
		return true
	}
	for n := 0; ; n++ {
		if !f(n) {
			return false
		}
		if done, ok := s.next(']'); !ok || done {
			return ok
		}
	}
}

// skipString moves past the string at s.pos.
func (s *layoutScanner) skipString() bool {
	i := s.pos + 1
	for {
		q := bytes.IndexByte(s.data[i:], '"')
		if q < 0 {
			return false
		}
		i += q
		// The quote ends the string unless an odd number of backslashes
		// escapes it.
		bs := 0
		for k := i - 1; k > s.pos && s.data[k] == '\\'; k-- {
			bs++
		}
		i++
		if bs%2 == 0 {
			s.pos = i
			return true
		}
	}
}

// skip moves past the value at s.pos, matching brackets and strings but
// not checking what lies between them.
func (s *layoutScanner) skip() bool {
	if s.pos >= len(s.data) {
		return false
	}
	switch s.data[s.pos] {
	case '"':
		return s.skipString()
	case '{', '[':
		depth := 0
		for s.pos < len(s.data) {
			switch s.data[s.pos] {
			case '"':
				if !s.skipString() {
					return false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.pos++
					return true
				}
			}
			s.pos++
		}
		return false
	}
	start := s.pos
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return s.pos > start
		}
		s.pos++
	}
	return s.pos > start
}
