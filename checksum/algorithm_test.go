package checksum

import (
	"encoding/hex"
	"strings"
	"testing"
)

// blake3Input is the input of BLAKE3's official test vectors: the repeating
// sequence 0, 1, ..., 250.
func blake3Input(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i % 251)
	}
	return b
}

func TestOfficialVectors(t *testing.T) {
	abc448 := "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
	tests := []struct {
		alg, input, want string
	}{
		// FIPS 180 examples (NIST CSRC).
		{"sha256", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"sha256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"sha256", abc448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{"sha256", strings.Repeat("a", 1000000), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
		{"sha512", "", "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
		{"sha512", "abc", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
		{"sha1", "abc", "a9993e364706816aba3e25717850c26c9cd0d89d"},
		{"sha1", abc448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1"},
		// RFC 1321 appendix A.5.
		{"md5", "", "d41d8cd98f00b204e9800998ecf8427e"},
		{"md5", "abc", "900150983cd24fb0d6963f7d28e17f72"},
		{"md5", "message digest", "f96b697d7cb7938d525a2f31aaf161d0"},
		// BLAKE3's test_vectors.json, first 32 bytes of "hash".
		{"blake3", string(blake3Input(0)), "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262"},
		{"blake3", string(blake3Input(1)), "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213"},
		{"blake3", string(blake3Input(1023)), "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11"},
		{"blake3", string(blake3Input(1024)), "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7"},
		{"blake3", string(blake3Input(1025)), "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444"},
		{"blake3", string(blake3Input(2049)), "5f4d72f40d7a5f82b15ca2b2e44b1de3c2ef86c426c95c1af0b6879522563030"},
		{"blake3", string(blake3Input(3073)), "7124b49501012f81cc7f11ca069ec9226cecb8a2c850cfe644e327d22d3e1cd3"},
		{"blake3", string(blake3Input(4097)), "9b4052b38f1c5fc8b1f9ff7ac7b27cd242487b3d890d15c96a1c25b8aa0fb995"},
		{"blake3", string(blake3Input(7169)), "a003fc7a51754a9b3c7fae0367ab3d782dccf28855a03d435f8cfe74605e7817"},
	}
	for _, tt := range tests {
		a, err := Lookup(tt.alg)
		if err != nil {
			t.Fatal(err)
		}
		for _, split := range []int{0, 1, 64, 1000} {
			h := a.New()
			in := []byte(tt.input)
			s := min(split, len(in))
			h.Write(in[:s])
			h.Write(in[s:])
			if got := hex.EncodeToString(h.Sum(nil)); got != tt.want {
				t.Errorf("%s(%d bytes, split %d) = %s, want %s", tt.alg, len(in), split, got, tt.want)
			}
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"sha256", "sha256"}, {"SHA256", "sha256"}, {"SHA-256", "sha256"}, {" Sha512 ", "sha512"},
		{"BLAKE3", "blake3"}, {"md5", "md5"}, {"SHA1", "sha1"},
	}
	for _, tt := range tests {
		a, err := Lookup(tt.in)
		if err != nil || a.Name != tt.want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", tt.in, a, err, tt.want)
		}
	}
	if _, err := Lookup("crc32"); err == nil || !strings.Contains(err.Error(), "known:") {
		t.Errorf("unknown algorithm error should list the known ones: %v", err)
	}
}

func TestLegacyFlag(t *testing.T) {
	for _, a := range Algorithms() {
		want := a.Name == "md5" || a.Name == "sha1"
		if a.Legacy != want {
			t.Errorf("%s: Legacy = %v", a.Name, a.Legacy)
		}
		if got := len(a.New().Sum(nil)); got != a.Size {
			t.Errorf("%s: Size %d but digest has %d bytes", a.Name, a.Size, got)
		}
	}
}

func TestParseNames(t *testing.T) {
	if a, err := ParseNames("sha256,blake3"); err != nil || len(a) != 2 || a[1].Name != "blake3" {
		t.Errorf("ParseNames: %v %v", a, err)
	}
	for _, bad := range []string{"", "sha256,sha256", "sha256,nope"} {
		if _, err := ParseNames(bad); err == nil {
			t.Errorf("ParseNames(%q) accepted", bad)
		}
	}
}

func TestColumn(t *testing.T) {
	c, err := ParseColumn("sha256")
	if err != nil || c.Reversed || c.String() != "sha256" {
		t.Fatalf("ParseColumn(sha256) = %v, %v", c, err)
	}
	if _, err := ParseColumn("sha256/reversed"); err == nil {
		t.Errorf("a reversed byte order is only for GOST digests")
	}
	sum := []byte{1, 2, 3}
	rev := Column{Alg: &Algorithm{Name: "g", Size: 3, GOST: true}, Reversed: true}
	if got := rev.Encode(sum); got != "030201" {
		t.Errorf("reversed Encode = %s", got)
	}
	back, err := rev.Decode("030201")
	if err != nil || hex.EncodeToString(back) != "010203" {
		t.Errorf("reversed Decode = %x, %v", back, err)
	}
	if _, err := c.Decode("abc"); err == nil {
		t.Errorf("short digest accepted")
	}
	if _, err := c.Decode(strings.Repeat("zz", 32)); err == nil {
		t.Errorf("non-hex digest accepted")
	}
	if b, err := c.Decode(strings.Repeat("aB", 32)); err != nil || hex.EncodeToString(b) != strings.Repeat("ab", 32) {
		t.Errorf("mixed-case Decode = %x, %v", b, err)
	}
	// AppendDecode appends; a digest it refuses leaves what was there.
	dst, err := rev.AppendDecode([]byte{9}, "030201")
	if err != nil || hex.EncodeToString(dst) != "09010203" {
		t.Errorf("AppendDecode = %x, %v", dst, err)
	}
	if dst, err := rev.AppendDecode([]byte{9}, "0302zz"); err == nil || len(dst) != 1 || dst[0] != 9 {
		t.Errorf("AppendDecode of non-hex = %x, %v", dst, err)
	}
}

// A GOST digest read in the other byte order is told apart, and the
// column it was written for named; other digests have one order.
func TestReadReversed(t *testing.T) {
	gost, err := ParseColumn("gost12-256")
	if err != nil {
		t.Fatal(err)
	}
	sha, err := ParseColumn("sha256")
	if err != nil {
		t.Fatal(err)
	}
	got := make([]byte, 32)
	for i := range got {
		got[i] = byte(i)
	}
	if other, ok := gost.ReadReversed(Reverse(got), got); !ok || other.String() != "gost12-256/reversed" {
		t.Errorf("reversed GOST digest: %v %v", other, ok)
	}
	rev := Column{Alg: gost.Alg, Reversed: true}
	if other, ok := rev.ReadReversed(Reverse(got), got); !ok || other.String() != "gost12-256" {
		t.Errorf("reversed column: %v %v", other, ok)
	}
	if _, ok := gost.ReadReversed(got, got); ok {
		t.Error("an equal digest called reversed")
	}
	if _, ok := sha.ReadReversed(Reverse(got), got); ok {
		t.Error("a sha256 digest called reversed")
	}
	if _, ok := gost.ReadReversed(Reverse(got)[1:], got); ok {
		t.Error("a short digest called reversed")
	}
}

// TestHexTables holds the lookup tables to the definitions they replace,
// for every byte.
func TestHexTables(t *testing.T) {
	for c := range 256 {
		b := byte(c)
		var want byte
		wantOK := true
		switch {
		case '0' <= b && b <= '9':
			want = b - '0'
		case 'a' <= b && b <= 'f':
			want = b - 'a' + 10
		case 'A' <= b && b <= 'F':
			want = b - 'A' + 10
		default:
			wantOK = false
		}
		if got, ok := unhex(b); ok != wantOK || (ok && got != want) {
			t.Errorf("unhex(%#x) = %d, %v; want %d, %v", b, got, ok, want, wantOK)
		}
		if isHexDigit(b) != wantOK {
			t.Errorf("isHexDigit(%#x) = %v", b, !wantOK)
		}
		tag := 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '-' || b == '_'
		if isTagChar(b) != tag {
			t.Errorf("isTagChar(%#x) = %v", b, !tag)
		}
	}
	for _, n := range []int{0, 8, 32, 40, 64, 128, 7} {
		if got, want := hexLenCount(n), len(ByHexLen(n)); got != want {
			t.Errorf("hexLenCount(%d) = %d, ByHexLen has %d", n, got, want)
		}
	}
}

func TestIsLowerHex(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"", true},
		{"0123456789abcdef", true},
		{"0123456789ABCDEF", false},
		{"abcdeF", false},
		{"abcg", false},
		{"ab cd", false},
		{"ab\x00", false},
		{"\xffab", false},
		{"/", false}, // the bytes beside the digits' ranges
		{":", false},
		{"`", false},
		{"g", false},
		{"@", false},
		{"G", false},
	} {
		if got := IsLowerHex(tc.in); got != tc.want {
			t.Errorf("IsLowerHex(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	// Every byte, alone and after valid digits.
	for c := range 256 {
		want := '0' <= c && c <= '9' || 'a' <= c && c <= 'f'
		if got := IsLowerHex(string([]byte{byte(c)})); got != want {
			t.Errorf("IsLowerHex(%q) = %v, want %v", []byte{byte(c)}, got, want)
		}
		if got := IsLowerHex("0af9" + string([]byte{byte(c)})); got != want {
			t.Errorf("IsLowerHex(%q) = %v, want %v", "0af9"+string([]byte{byte(c)}), got, want)
		}
	}
}
