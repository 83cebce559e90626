package config

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: whatever the file holds, Parse answers without panicking;
// what it accepts are known keys with non-empty values of UTF-8 text, a
// key that is no list given once, and every error names the file.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"formular = /etc/sverka/formular.txt\nmedia = /dev/sr0\n",
		"\xef\xbb\xbf# c\r\nsettings = a\r\nsettings = b\r\n",
		"media = /a\nmedia = /b\n", "period = 1d", "=", "\x00", "medai = x",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data, "verify.conf", keys)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "verify.conf line ") {
				t.Fatalf("error does not name the file and line: %v", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, e := range c.Entries {
			rep, ok := keys[e.Key]
			switch {
			case !ok:
				t.Fatalf("unknown key %q accepted", e.Key)
			case e.Value == "" || !utf8.ValidString(e.Value) || strings.ContainsAny(e.Value, "\r\n\x00"):
				t.Fatalf("value %q of %s accepted", e.Value, e.Key)
			case seen[e.Key] && !rep:
				t.Fatalf("%s accepted twice", e.Key)
			}
			seen[e.Key] = true
			if _, err := ParsePeriod(e.Value); err != nil && !strings.Contains(err.Error(), "period") {
				t.Fatalf("ParsePeriod error without context: %v", err)
			}
		}
	})
}
