// Package docs embeds the report schemas: the tests hold every report
// sverka writes, and every golden file, to them, and prove that the
// reader refuses what they refuse.
package docs

import _ "embed"

// ReportSchema is the JSON Schema of the report document, version
// sverka-report/2 (report.md specifies it in words). Treat it as
// read-only.
//
//go:embed report.schema.json
var ReportSchema []byte

// ReportSchemaV1 is the JSON Schema of version sverka-report/1, kept so
// that reports written before version 2 are still read. Treat it as
// read-only.
//
//go:embed report.v1.schema.json
var ReportSchemaV1 []byte
