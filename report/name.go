package report

import (
	"encoding/base64"
	"fmt"

	"github.com/sverka/sverka/internal/safetext"
)

// File names, parameter values and command-line arguments come from the
// checked system, not from sverka: they may hold bytes that are not UTF-8
// or characters that would garble a terminal or a printed page. Every
// rendering shows such a string in its display form (Display); JSON keeps
// the display form and, only when it differs from the raw string, the raw
// bytes in base64 beside it (docs/report.md, "Names").

// encodeText splits s into the JSON display form and, when s is not
// clean, the base64 of its raw bytes.
func encodeText(s string) (display, raw string) {
	if safetext.Clean(s) {
		return s, ""
	}
	return safetext.Display(s), base64.StdEncoding.EncodeToString([]byte(s))
}

// decodeText is the inverse of encodeText: the raw bytes win when present.
func decodeText(field, display, raw string) (string, error) {
	if raw == "" {
		return display, nil
	}
	b, err := base64.StdEncoding.Strict().DecodeString(raw)
	if err != nil {
		return "", fmt.Errorf("%s_b64: %w", field, err)
	}
	// A display form that does not match its raw bytes would show one
	// name and mean another.
	if safetext.Display(string(b)) != display {
		return "", fmt.Errorf("%s %q does not match %s_b64", field, display, field)
	}
	return string(b), nil
}
