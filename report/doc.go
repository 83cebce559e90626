// Package report renders the result of a check: the versioned JSON
// document that is the evidence (docs/report.md, validated against
// docs/report.schema.json), NDJSON events for log collectors, the terminal
// summary, the printable HTML report in Russian and English, and the
// progress display on stderr during long checks.
package report
