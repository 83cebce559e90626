package report_test

import (
	"fmt"
	"os"

	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/report"
)

// Reading a saved report: Read decodes it item by item from the file,
// refuses it unless it follows its schema and agrees with itself, and
// gives the verdict and the findings.
func ExampleRead() {
	f, err := os.Open("testdata/golden/report.json")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer f.Close()
	r, err := report.Read(f)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Result.Verdict)
	for _, t := range r.Result.Tables {
		for _, it := range t.Items {
			if it.Failure {
				fmt.Println(t.Kind, it.Status, safetext.Display(it.Name))
			}
		}
	}
	// Output:
	// NOT HOLD
	// image MODIFIED kes_12.1_cert.iso
	// media MISSING doc/README\n\xffbad.txt
	// media MODIFIED packages/kesl_12.1.0-1297_amd64.deb
	// media RENAMED packages/kesl-gui_12.1.0-1297_amd64.deb
	// media UNREADABLE packages/locked.deb
	// media MODIFIED tools/gost-list.txt
	// modules MODIFIED lib/libkesl.so
	// modules EXTRA lib/libinject.so
	// parameters VIOLATED Update.Threads
	// parameters UNSET Update.Source
}
