package iso

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sverka/sverka/internal/checksumtest"
)

// FuzzRead feeds damaged images to the descriptor and directory parser: it
// must return an image or an error, never panic or hang, and a returned
// image must be consistent. The input is the image after its system area
// (zeros here), which the parser never reads: small inputs fuzz faster.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"plain", "rrjoliet", "joliet", "hybrid"} {
		b, err := os.ReadFile(filepath.Join(fixtures, name+".iso"))
		if err != nil {
			f.Fatal(err)
		}
		im, err := Open(filepath.Join(fixtures, name+".iso"))
		if err != nil {
			f.Fatal(err)
		}
		// The descriptors and directories lie before the first file.
		end := im.Size
		for _, m := range im.Members {
			for _, e := range m.Extents {
				end = min(end, e.Offset)
			}
		}
		im.Close()
		f.Add(b[systemArea:end])
	}
	f.Fuzz(func(t *testing.T, tail []byte) {
		// A hang is a failure: the worker dies, and the fuzzer saves the input.
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(10 * time.Second):
				panic(fmt.Sprintf("read or scan of a %d-byte image still running after 10s", len(tail)+systemArea))
			}
		}()
		data := append(make([]byte, systemArea, systemArea+len(tail)), tail...)
		im, err := read(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for _, m := range im.Members {
			var n int64
			for _, e := range m.Extents {
				if e.Offset < 0 || e.Length <= 0 || e.Offset+e.Length > im.VolumeSize {
					t.Fatalf("%q: extent %+v outside the volume (%d bytes)", m.Name, e, im.VolumeSize)
				}
				n += e.Length
			}
			if n != m.Size || m.Name == "" {
				t.Fatalf("member %+v", m)
			}
		}
		for _, c := range im.Conflicts {
			if len(c.Records) == 0 || c.Name == "" || c.String() == "" {
				t.Fatalf("conflict %+v", c)
			}
		}
		res, err := scan(context.Background(), im, bytes.NewReader(data), ScanOptions{
			ImageAlgs: checksumtest.Algs(t, "sha256"), MemberAlgs: checksumtest.Algs(t, "sha256"), BufSize: 4096, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		for i, ms := range res.Members {
			if (ms.Err == nil) == (ms.Sums == nil) {
				t.Fatalf("%q: sums %x and error %v", im.Members[i].Name, ms.Sums, ms.Err)
			}
		}
	})
}

// FuzzParseImplant: any application use area parses or is rejected.
func FuzzParseImplant(f *testing.F) {
	f.Add([]byte("ISO MD5SUM = 0123456789abcdef0123456789abcdef;SKIPSECTORS = 15;RHLISOSTATUS=0;FRAGMENT SUMS = 77dac97b21ef5c1db18c2b9919e8681abcd8a96df87e6a6a2d4b75e4777b;FRAGMENT COUNT = 20;THIS IS NOT THE SAME AS RUNNING MD5SUM ON THIS ISO!!"))
	f.Add([]byte("SKIPSECTORS = ;ISO MD5SUM = "))
	f.Fuzz(func(t *testing.T, area []byte) {
		imp := parseImplant(area)
		if imp == nil {
			return
		}
		if len(imp.MD5) != 32 {
			t.Fatalf("sum %q", imp.MD5)
		}
		// Any parsed implant can be checked without panicking.
		m := newMD5Feeder(*imp, 40, systemArea)
		m.write(make([]byte, 40*sectorSize))
		m.result()
	})
}
