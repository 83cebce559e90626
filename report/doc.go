// Package report is the evidence of a check and its renderings: the
// Report model and its versioned JSON document (docs/report.md, with the
// schema docs/report.schema.json), NDJSON events for log collectors, the
// terminal summary, and the printable HTML report in Russian and English.
// Where the run happened (internal/hostinfo) and how the terminal shows
// things as they go (internal/console) live elsewhere.
package report
