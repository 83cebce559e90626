package gost

import (
	"bytes"
	"encoding/hex"
	"hash"
	"math/rand/v2"
	"strings"
	"testing"
)

// impl is one hash constructor under test. The Streebog compression
// function has an assembly and a portable version; both are tested on
// every vector.
type impl struct {
	name string // rhash's algorithm name, with /generic for the portable path
	tag  string // rhash --bsd tag
	new  func() hash.Hash
}

func impls() []impl {
	return []impl{
		{"gost12-256", "GOST12-256", New256},
		{"gost12-512", "GOST12-512", New512},
		{"gost94", "GOST94", New94},
		{"gost94-cryptopro", "GOST94-CRYPTOPRO", New94CryptoPro},
		{"gost12-256/generic", "GOST12-256", func() hash.Hash { return newStreebogWith(32, gGeneric, blocksGeneric) }},
		{"gost12-512/generic", "GOST12-512", func() hash.Hash { return newStreebogWith(64, gGeneric, blocksGeneric) }},
	}
}

func sum(h hash.Hash, p []byte) string {
	h.Reset()
	h.Write(p)
	return hex.EncodeToString(h.Sum(nil))
}

// reversed returns the bytes of a hex string in reverse order: the
// standards print digests as big-endian numbers, rhash prints the bytes.
func reversed(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return b
}

func TestRFC6986(t *testing.T) {
	// Messages and digests as RFC 6986 section 10 prints them: numbers,
	// most significant byte first, so both read reversed.
	m1 := "323130393837363534333231303938373635343332313039383736353433323130393837363534333231303938373635343332313039383736353433323130"
	m2 := "fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1"
	tests := []struct {
		msg, size, want string
	}{
		{m1, "512", "486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b"},
		{m1, "256", "00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d"},
		{m2, "512", "28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f037613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e"},
		{m2, "256", "508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d"},
	}
	for _, im := range impls() {
		if !strings.HasPrefix(im.name, "gost12-") {
			continue
		}
		for _, tc := range tests {
			if !strings.HasPrefix(im.name, "gost12-"+tc.size) {
				continue
			}
			msg := reversed(t, tc.msg)
			want := hex.EncodeToString(reversed(t, tc.want))
			if got := sum(im.new(), msg); got != want {
				t.Errorf("%s(%q) = %s, want %s", im.name, msg, got, want)
			}
		}
	}
	// The value rhash and openssl print for M1.
	if got := sum(New256(), reversed(t, m1)); got != "9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500" {
		t.Errorf("Streebog-256(M1) = %s in rhash's byte order", got)
	}
}

func TestGOST94Examples(t *testing.T) {
	// The examples of GOST R 34.11-94 (RFC 5831 section 7.3) and widely
	// published values for both parameter sets, in rhash's byte order.
	tests := []struct {
		msg, test, cryptoPro string
	}{
		{"",
			"ce85b99cc46752fffee35cab9a7b0278abb4c2d2055cff685af4912c49490f8d",
			"981e5f3ca30c841487830f84fb433e13ac1101569b9c13584ac483234cd656c0"},
		{"This is message, length=32 bytes",
			"b1c466d37519b82e8319819ff32595e047a28cb6f83eff1c6916a815a637fffa",
			"2cefc2f7b7bdc514e18ea57fa74ff357e7fa17d652c75f69cb1be7893ede48eb"},
		{"Suppose the original message has length = 50 bytes",
			"471aba57a60a770d3a76130635c1fbea4ef14de51f78b4ae57dd893b62f55208",
			"c3730c5cbccacf915ac292676f21e8bd4ef75331d9405e5f1a61dc3130a65011"},
		{"abc",
			"f3134348c44fb1b2a277729e2285ebb5cb5e0f29c975bc753b70497c06a4d51d",
			"b285056dbf18d7392d7677369524dd14747459ed8143997e163b2986f92fd42c"},
		{"The quick brown fox jumps over the lazy dog",
			"77b7fa410c9ac58a25f49bca7d0468c9296529315eaca76bd1a10f376d1f4294",
			"9004294a361a508c586fe53d1f1b02746765e71b765472786e4770d565830a76"},
	}
	for _, tc := range tests {
		if got := sum(New94(), []byte(tc.msg)); got != tc.test {
			t.Errorf("gost94(%q) = %s, want %s", tc.msg, got, tc.test)
		}
		if got := sum(New94CryptoPro(), []byte(tc.msg)); got != tc.cryptoPro {
			t.Errorf("gost94-cryptopro(%q) = %s, want %s", tc.msg, got, tc.cryptoPro)
		}
	}
}

func TestKnownFile(t *testing.T) {
	// A file holding "foo\n", as rhash prints it; gostsum prints the
	// GOST R 34.11-94 value byte-reversed (1541e09d…e072).
	want := map[string]string{
		"gost12-256":       "3d4a51ee7713e6467442facefe06f153a303e7bdefbe7f9bdf2edb4ae9c866ff",
		"gost12-512":       "47a117e9e036a7327df72fdab7ddcc821e18589041f34871264e9d0eeba5194d508afbd640ee8a2596f440aaa6c65b7cbf2f36327e47606cf52f87ea44317b0d",
		"gost94":           "eb9382405525bf1cc8403ed621caecfe8339cd7157e383fe9c36782ca0aeab5f",
		"gost94-cryptopro": "72e0992f1e7caec2f8406b53d7ed09263fb6df1bae9129731f97a50a9de04115",
	}
	for _, im := range impls() {
		name, _, _ := strings.Cut(im.name, "/")
		if got := sum(im.new(), []byte("foo\n")); got != want[name] {
			t.Errorf("%s(foo\\n) = %s, want %s", im.name, got, want[name])
		}
	}
}

func TestStreamingEverySplit(t *testing.T) {
	msg := testInput(7, 200)
	for _, im := range impls() {
		h := im.new()
		want := sum(h, msg)
		for i := 0; i <= len(msg); i++ {
			for j := i; j <= len(msg); j++ {
				h.Reset()
				h.Write(msg[:i])
				h.Write(msg[i:j])
				h.Write(msg[j:])
				if got := hex.EncodeToString(h.Sum(nil)); got != want {
					t.Fatalf("%s: writes split at %d and %d give %s, one write %s", im.name, i, j, got, want)
				}
			}
		}
	}
}

func TestSumKeepsState(t *testing.T) {
	msg := testInput(3, 150)
	for _, im := range impls() {
		h := im.new()
		h.Write(msg[:70])
		prefix := []byte("prefix")
		first := h.Sum(prefix)
		if !bytes.HasPrefix(first, prefix) || len(first) != len(prefix)+h.Size() {
			t.Errorf("%s: Sum(prefix) = %x does not append %d bytes", im.name, first, h.Size())
		}
		if again := h.Sum(nil); !bytes.Equal(again, first[len(prefix):]) {
			t.Errorf("%s: second Sum differs: %x, %x", im.name, again, first[len(prefix):])
		}
		h.Write(msg[70:])
		if got, want := hex.EncodeToString(h.Sum(nil)), sum(im.new(), msg); got != want {
			t.Errorf("%s: writing after Sum gives %s, want %s", im.name, got, want)
		}
	}
}

func TestResetSizeBlockSize(t *testing.T) {
	sizes := map[string][2]int{
		"gost12-256": {32, 64}, "gost12-512": {64, 64},
		"gost94": {32, 32}, "gost94-cryptopro": {32, 32},
	}
	for _, im := range impls() {
		name, _, _ := strings.Cut(im.name, "/")
		h := im.new()
		if h.Size() != sizes[name][0] || h.BlockSize() != sizes[name][1] {
			t.Errorf("%s: Size %d BlockSize %d, want %v", im.name, h.Size(), h.BlockSize(), sizes[name])
		}
		empty := hex.EncodeToString(h.Sum(nil))
		h.Write(testInput(1, 1000))
		h.Reset()
		if got := hex.EncodeToString(h.Sum(nil)); got != empty {
			t.Errorf("%s: after Reset Sum = %s, want the empty digest %s", im.name, got, empty)
		}
	}
}

func TestCompressMatchesGeneric(t *testing.T) {
	if !haveAsm {
		t.Skip("no assembly compression function on this platform")
	}
	lpsOnce.Do(fillLPS) // as the first Streebog hash made does
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		var h, n, m [8]uint64
		for j := range h {
			h[j], n[j], m[j] = rng.Uint64(), rng.Uint64(), rng.Uint64()
		}
		h1, h2 := h, h
		gGeneric(&h1, &n, &m)
		compressFast(&h2, &n, &m)
		if h1 != h2 {
			t.Fatalf("compression of h=%x n=%x m=%x: generic %x, assembly %x", h, n, m, h1, h2)
		}
	}
}

func TestBlocksMatchGeneric(t *testing.T) {
	lpsOnce.Do(fillLPS) // as the first Streebog hash made does
	rng := rand.New(rand.NewPCG(3, 4))
	// Counters and sums near a word boundary make the carries ripple.
	edges := []uint64{0, 1<<64 - 512, 1<<64 - 1, 1<<63 - 256}
	for i := 0; i < 200; i++ {
		var h, n, sigma [8]uint64
		for j := range h {
			h[j], n[j], sigma[j] = rng.Uint64(), rng.Uint64(), rng.Uint64()
			if i%2 == 0 {
				n[j], sigma[j] = edges[rng.IntN(len(edges))], edges[rng.IntN(len(edges))]
			}
			if i%8 == 1 {
				n[j], sigma[j] = 1<<64-1, 1<<64-1
			}
		}
		p := make([]byte, 64*rng.IntN(5))
		for j := range p {
			p[j] = byte(rng.Uint32())
			if i%4 == 0 {
				p[j] = 0xff
			}
		}
		h1, n1, s1 := h, n, sigma
		h2, n2, s2 := h, n, sigma
		blocksGeneric(&h1, &n1, &s1, p)
		blocksFast(&h2, &n2, &s2, p)
		if h1 != h2 || n1 != n2 || s1 != s2 {
			t.Fatalf("%d blocks from h=%x n=%x sigma=%x: generic %x %x %x, fast %x %x %x",
				len(p)/64, h, n, sigma, h1, n1, s1, h2, n2, s2)
		}
	}
}

func FuzzChunking(f *testing.F) {
	f.Add([]byte("hello"), []byte{1, 2, 3})
	f.Add(testInput(5, 300), []byte{63, 1, 64, 32, 31, 33})
	f.Fuzz(func(t *testing.T, msg, cuts []byte) {
		for _, im := range impls() {
			h := im.new()
			want := sum(h, msg)
			h.Reset()
			rest := msg
			for _, c := range cuts {
				n := min(int(c), len(rest))
				h.Write(rest[:n])
				rest = rest[n:]
			}
			h.Write(rest)
			if got := hex.EncodeToString(h.Sum(nil)); got != want {
				t.Fatalf("%s: chunks %v of %d bytes give %s, one write %s", im.name, cuts, len(msg), got, want)
			}
		}
	})
}
