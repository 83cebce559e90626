// Package docs embeds the specifications that sverka validates its own
// output against.
package docs

import _ "embed"

// ReportSchema is the JSON Schema of the report document (report.md
// specifies it in words). Treat it as read-only; ReportSchemaCopy gives a
// private copy.
//
//go:embed report.schema.json
var ReportSchema []byte

// ReportSchemaCopy returns a copy of ReportSchema that the caller may modify.
func ReportSchemaCopy() []byte {
	return append([]byte(nil), ReportSchema...)
}
