package formular

import (
	"errors"
	"strings"
	"testing"
)

func TestParseBootTarget(t *testing.T) {
	tests := []struct {
		in   string
		want BootTarget
		err  string
	}{
		{in: "system-area", want: BootTarget{What: BootSystemArea}},
		{in: "boot-catalog", want: BootTarget{What: BootCatalog}},
		{in: "el-torito/1 bios no-emulation", want: BootTarget{What: BootElTorito, N: 1, Platform: "bios", Emulation: "no-emulation"}},
		{in: "el-torito/2 efi no-emulation boot/efi boot.img", want: BootTarget{What: BootElTorito, N: 2, Platform: "efi", Emulation: "no-emulation", File: "boot/efi boot.img"}},
		{in: "el-torito/64 0x42 hard-disk", want: BootTarget{What: BootElTorito, N: 64, Platform: "0x42", Emulation: "hard-disk"}},
		{in: "el-torito/3 ppc floppy-1.44m  lead", want: BootTarget{What: BootElTorito, N: 3, Platform: "ppc", Emulation: "floppy-1.44m", File: " lead"}},
		{in: "mbr", err: "expected system-area, boot-catalog or el-torito/N"},
		{in: "el-torito/0 bios no-emulation", err: "not 1 to 64"},
		{in: "el-torito/01 bios no-emulation", err: "leading zeros"},
		{in: "el-torito/65 bios no-emulation", err: "not 1 to 64"},
		{in: "el-torito/+1 bios no-emulation", err: "not 1 to 64"},
		{in: "el-torito/1 bios", err: "needs its platform and emulation"},
		{in: "el-torito/1 BIOS no-emulation", err: `unknown platform "BIOS"`},
		{in: "el-torito/1 0xef no-emulation", err: `unknown platform "0xef"`},
		{in: "el-torito/1 bios none", err: `unknown emulation "none"`},
		{in: "el-torito/1 bios no-emulation ../x", err: `".." component`},
		{in: "el-torito/1 bios no-emulation /x", err: "absolute path"},
		{in: "system-area x", err: "expected system-area"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseBootTarget(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want || got.String() != tt.in {
				t.Errorf("%+v (%q), want %+v", got, got.String(), tt.want)
			}
		})
	}
}

// TestBootTable: a [boot] table reads, is written in its own order (the
// system area, the catalog, the entries by number), and refuses what the
// specification refuses, naming the line.
func TestBootTable(t *testing.T) {
	v := "sverka-formular 1\n"
	in := v + "\n[boot sha256]\n" +
		h64 + " 2048 el-torito/10 bios no-emulation\n" +
		h64 + " 2048 el-torito/2 efi no-emulation efi.img\n" +
		"\\" + h64 + " 4096 el-torito/1 bios no-emulation odd\\\\name\n" +
		h64 + " 32768 system-area\n" +
		h64 + " 2048 boot-catalog\n"
	f := mustParse(t, in)
	want := v + "\n[boot sha256]\n" +
		h64 + " 32768 system-area\n" +
		h64 + " 2048 boot-catalog\n" +
		"\\" + h64 + " 4096 el-torito/1 bios no-emulation odd\\\\name\n" +
		h64 + " 2048 el-torito/2 efi no-emulation efi.img\n" +
		h64 + " 2048 el-torito/10 bios no-emulation\n"
	if got := string(mustMarshal(t, f)); got != want {
		t.Errorf("canonical form:\n%s\nwant:\n%s", got, want)
	}
	if p := f.Tables[0].Entries[2].Path; p != `el-torito/1 bios no-emulation odd\name` {
		t.Errorf("escaped row path %q", p)
	}

	boot := v + "[boot sha256]\n"
	cases := []struct {
		name, in string
		line     int
		want     string
	}{
		{"closed", v + "[boot closed sha256]\n", 2, `"closed"`},
		{"second", boot + "[boot sha256]\n", 3, "a second [boot] table (first on line 2)"},
		{"unknown size", boot + h64 + " - system-area\n", 3, "needs its size"},
		{"unknown row", boot + h64 + " 1 mbr\n", 3, `boot row "mbr"`},
		{"slot twice", boot + h64 + " 1 el-torito/1 bios no-emulation\n" + h64 + " 1 system-area\n" + h64 + " 1 el-torito/1 efi no-emulation\n", 5, "a second row for el-torito/1 (first on line 3)"},
		{"same row twice", boot + h64 + " 1 boot-catalog\n" + h64 + " 1 boot-catalog\n", 4, "duplicate path"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.in), "f.txt")
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != c.line || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v: want line %d saying %q", err, c.line, c.want)
			}
		})
	}
}
