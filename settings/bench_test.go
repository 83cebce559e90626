package settings

import (
	"fmt"
	"strings"
	"testing"
)

// ini10k is an INI file of 10,000 keys in 100 sections, and the keys.
func ini10k() ([]byte, []string) {
	var b strings.Builder
	keys := make([]string, 0, 10000)
	for s := range 100 {
		fmt.Fprintf(&b, "[Section%03d]\r\n", s)
		for k := range 100 {
			fmt.Fprintf(&b, "Parameter%03d = value %d\r\n", k, s*100+k)
			keys = append(keys, fmt.Sprintf("Section%03d.Parameter%03d", s, k))
		}
	}
	return []byte(b.String()), keys
}

// BenchmarkINI10k reads a 10,000-key INI file and looks every key up: the
// settings side of checking a 10,000-row parameters table.
func BenchmarkINI10k(b *testing.B) {
	data, keys := ini10k()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		src, _, err := Parse(data, "bench.ini", "ini")
		if err != nil {
			b.Fatal(err)
		}
		for _, k := range keys {
			if _, ok := src.Lookup(k); !ok {
				b.Fatalf("%s not found", k)
			}
		}
	}
}
