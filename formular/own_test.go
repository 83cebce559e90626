package formular

import (
	"reflect"
	"strings"
	"testing"
)

// A formular parsed without a copy and then owned shares nothing with the
// bytes it came from: overwritten, they change nothing of it.
func TestOwnDetachesFromTheBytes(t *testing.T) {
	h64 := strings.Repeat("ab", 32)
	in := "sverka-formular 1\n" +
		"product: Продукт\n" +
		"x-vendor-note: kept as is\n" +
		"[media closed exclude=*.log sha256]\n" +
		h64 + " 10 z/last file.txt\n" +
		"\\" + h64 + " 0 a\\\\b\\nc\\xff\n" +
		"[modules root=${INSTALLDIR} default=/opt/x default.windows=\"C:\\Program Files\\X\" mode sha256]\n" +
		h64 + " 5 0755 bin/tool\n" +
		h64 + " 6 0644 lib/a.so\n" +
		"[parameters source=/etc/x.ini format=ini closed]\n" +
		"Scan.Archives = yes  # 4.2 of the manual\n" +
		"\"Key With Spaces\" in {a, \"b c\"}\n" +
		"Threads range 1..16\n" +
		"Name matches /a+b/\n"
	want, err := Parse([]byte(in), "f")
	if err != nil {
		t.Fatal(err)
	}
	data := []byte(in)
	got, err := ParseBytes(data, "f")
	if err != nil {
		t.Fatal(err)
	}
	got.Own()
	for i := range data {
		data[i] = 'X'
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("owned formular changed with its bytes:\n%+v\nwant\n%+v", got, want)
	}
}
