package verify_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/verify"
)

// Check a kit directory against a formular: one file changed since the
// formular was made, and the verdict names it. (The formular's signature
// is checked before, by its reader: Check trusts what it is given.)
func ExampleCheck() {
	kit, err := os.MkdirTemp("", "kit")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(kit)
	for _, f := range []struct{ name, body string }{{"a.txt", "alpha\n"}, {"b.txt", "beta, changed\n"}} {
		if err := os.WriteFile(filepath.Join(kit, f.name), []byte(f.body), 0o644); err != nil {
			fmt.Println(err)
			return
		}
	}
	f, err := formular.Parse([]byte(`sverka-formular 1
product: Example agent
version: 1.0
formular-id: EX-1
valid-until: 2099-12-31

[media closed sha256]
b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060 6 a.txt
f2c82decdd7181cf98945929a62598db7e6b477e11f6e0eb0ae97020eff151ad 5 b.txt
`), "formular.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := verify.Check(context.Background(), f, verify.Sources{Media: kit, At: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Verdict)
	for _, t := range res.Tables {
		for _, it := range t.All() {
			if it.Failure {
				fmt.Printf("%s %s: %v differ\n", it.Status, it.Name, it.Differs)
			}
		}
	}
	for _, r := range res.Reasons {
		fmt.Println(r.Text)
	}
	// Output:
	// NOT HOLD
	// MODIFIED b.txt: [size sha256] differ
	// [media] table (line 7): 1 MODIFIED
}
