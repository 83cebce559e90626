// Package settings reads the actual values of a product's parameters, so that
// they can be compared with the table of safe parameter values. It owns one
// reader per settings format behind the small Source interface:
//
//   - ini: Windows-style INI files, keys addressed as "Section.Key";
//   - json: JSON documents, keys addressed by JSON pointer (RFC 6901);
//   - xml: XML documents, keys addressed by element paths such as
//     "/settings/scan/threads" and attribute paths such as
//     "/settings/scan/@archives";
//   - kv: key=value files (shell-like environment files, /etc/default);
//   - reg: Windows regedit exports (UTF-16LE with BOM or UTF-8, version 5.00
//     and REGEDIT4), values addressed as `HKLM\Path\Key\Value`;
//   - registry: the live Windows registry (Windows only) or the hive files
//     of an offline Windows system (ReadRegistry), with the same
//     addressing as reg.
//
// Every reader is read-only: files are opened for reading only and never
// written, the registry is opened with KEY_READ, and hive files are read
// whole into memory. A file that cannot be parsed is an error naming the
// file and line (see ParseError); what is merely suspicious, such as a
// duplicated INI key, is reported as a Warning.
// A key given more than once has one value (Value.Text) and the others as
// Value.Others: programs disagree on which occurrence counts, so a checker
// must judge them all.
//
// The rules of each format (case sensitivity, quoting, how non-scalar values
// read) are documented on Parse.
package settings
