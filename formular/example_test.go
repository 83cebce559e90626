package formular_test

import (
	"fmt"

	"github.com/sverka/sverka/formular"
)

// Parse a formular and list its tables; a file it refuses is named with
// the line at fault.
func ExampleParse() {
	text := `sverka-formular 1
product: Example agent
version: 1.0
formular-id: EX-1
valid-until: 2099-12-31

[media closed sha256]
b6a98d9ce9a2d9149288fa3df42d377c3e42737afdcdaf714e33c0a100b51060 6 a.txt
f2c82decdd7181cf98945929a62598db7e6b477e11f6e0eb0ae97020eff151ad 5 docs/b.txt
`
	f, err := formular.Parse([]byte(text), "formular.txt")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Product())
	for _, t := range f.Tables {
		fmt.Printf("[%s] line %d, closed %v, columns %v\n", t.Kind, t.Line, t.Closed, t.Columns)
		for _, e := range t.Entries {
			fmt.Printf("  %s (%d bytes) %x\n", e.Path, e.Size, e.Sums[:4])
		}
	}
	_, err = formular.Parse([]byte("sverka-formular 1\n[media sha256]\nnot-a-digest 1 a.txt\n"), "bad.txt")
	fmt.Println(err)
	// Output:
	// Example agent
	// [media] line 7, closed true, columns [sha256]
	//   a.txt (6 bytes) b6a98d9c
	//   docs/b.txt (5 bytes) f2c82dec
	// formular bad.txt line 3: column sha256: sha256 digest must have 64 hex digits, got 12
}
