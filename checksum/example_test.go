package checksum_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/sverka/sverka/checksum"
)

// Hash two files with two algorithms, each file read once; the results
// come back in the order of the jobs.
func ExampleHashFiles() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	var jobs []checksum.Job
	for _, f := range []struct{ name, body string }{{"a.txt", "alpha\n"}, {"b.txt", "beta\n"}} {
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, []byte(f.body), 0o644); err != nil {
			fmt.Println(err)
			return
		}
		jobs = append(jobs, checksum.Named(p, false))
	}
	algs, err := checksum.ParseNames("sha256,md5")
	if err != nil {
		fmt.Println(err)
		return
	}
	err = checksum.HashFiles(context.Background(), jobs, algs, checksum.Options{}, func(r checksum.Result) error {
		if r.Err != nil {
			return r.Err
		}
		fmt.Printf("%s %d bytes\n  sha256 %x\n  md5    %x\n", filepath.Base(r.Path), r.Size, r.Sums[0], r.Sums[1])
		return nil
	})
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// a.txt 6 bytes
	//   sha256 b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060
	//   md5    9f9f90dbe3e5ee1218c86b8839db1995
	// b.txt 5 bytes
	//   sha256 f2c82decdd7181cf98945929a62598db7e6b477e11f6e0eb0ae97020eff151ad
	//   md5    f0cf2a92516045024a0c99147b28f05b
}
