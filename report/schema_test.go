package report

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sverka/sverka/docs"
)

// The report schema is the specification consumers validate against;
// sverka reads reports with Go checks (readCheck) instead. These helpers
// apply the schema itself, so that tests can hold the two to the same
// documents.

const (
	schemaURL   = "urn:sverka:report.schema.json"
	schemaV1URL = "urn:sverka:report.v1.schema.json"
)

// schemas holds one version's document schema and its item definition.
type schemas struct {
	version   string
	doc, item *jsonschema.Schema
}

func testSchemas(t testing.TB) map[string]*schemas {
	t.Helper()
	all := map[string]*schemas{}
	for _, v := range []struct {
		version, url string
		data         []byte
	}{{Schema, schemaURL, docs.ReportSchema}, {SchemaV1, schemaV1URL, docs.ReportSchemaV1}} {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(v.data))
		if err != nil {
			t.Fatal(err)
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(v.url, doc); err != nil {
			t.Fatal(err)
		}
		s := &schemas{version: v.version}
		if s.doc, err = c.Compile(v.url); err != nil {
			t.Fatal(err)
		}
		if s.item, err = c.Compile(v.url + "#/$defs/item"); err != nil {
			t.Fatal(err)
		}
		all[v.version] = s
	}
	return all
}

// schemaValidate applies the schema of data's version to data, as a
// consumer would; a panic of the validator is an error.
func schemaValidate(t testing.TB, data []byte) (err error) {
	all := testSchemas(t)
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	sch := all[Schema]
	if m, ok := doc.(map[string]any); ok && m["schema"] == SchemaV1 {
		sch = all[SchemaV1]
	}
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("validator failed: %v", p)
		}
	}()
	return sch.doc.Validate(doc)
}
