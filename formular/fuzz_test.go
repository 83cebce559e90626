package formular

import (
	"bytes"
	"testing"
)

// FuzzParse: Parse never panics; whatever it accepts is written, read back
// as the same model, and written again as the same bytes.
func FuzzParse(f *testing.F) {
	canonical, drafts := specExamples(f)
	for _, ex := range append(canonical, drafts...) {
		f.Add([]byte(ex))
	}
	f.Add([]byte("sverka-formular 1\n[media sha256]\n\\" + h64 + " 1 a\\\\b\\x80\n"))
	f.Add([]byte("sverka-formular 1\n[parameters format=ini]\nA matches /a\\/b/  # n\n\"k\\\\\" in {\"\", x}\n"))
	f.Add([]byte("sverka-formular 1\n[modules root=%SystemRoot% os=windows md5]\n" + h64[:32] + " 1 A\\b\n"))
	f.Add([]byte("sverka-formular 1\n[boot sha256]\n" + h64 + " 2048 el-torito/2 efi no-emulation e\n\\" + h64 + " 1 el-torito/10 0x42 hard-disk a\\b\n" + h64 + " 32768 system-area\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data, "fuzz")
		if err != nil {
			return
		}
		out, err := Marshal(m)
		if err != nil {
			t.Fatalf("parsed but cannot be written: %v\ninput:\n%q", err, data)
		}
		m2, err := Parse(out, "fuzz")
		if err != nil {
			t.Fatalf("written form does not parse: %v\n%q", err, out)
		}
		if d := diff(m, m2); d != "" {
			t.Fatalf("model changed by a round trip: %s\ninput %q\nwritten %q", d, data, out)
		}
		out2, err := Marshal(m2)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("Marshal is not stable: %v\n%q\n%q", err, out, out2)
		}
	})
}
