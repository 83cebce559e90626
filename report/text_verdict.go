package report

import (
	"bufio"
	"fmt"
	"io"

	"github.com/sverka/sverka/internal/safetext"
	"github.com/sverka/sverka/verify"
)

// WriteVerdictText writes the verdict and what breaks it, nothing else:
// the verdict line, then, when it does not hold, its reasons and one line
// per item that is a failure. It is the terminal's answer to a quiet
// check, for a script that wants a line and an operator who wants the
// failures without the header, the counts and the warnings; the full
// report stays what WriteText writes.
func WriteVerdictText(w io.Writer, r *Report, opt TextOptions) error {
	l := langOf(opt.Lang)
	st := newTextStyles(w, opt.Color)
	bw := bufio.NewWriter(w)
	verdict := st.bad
	if r.Result.Verdict == verify.Holds {
		verdict = st.good
	}
	fmt.Fprintf(bw, "%s  %s\n", verdict.Render(safetext.Display(l.verdict(r.Result.Verdict))), safetext.Display(l.verdictText(r)))
	if r.Result.Verdict == verify.Holds {
		return bw.Flush()
	}
	if s := l.required(r); s != "" {
		fmt.Fprintf(bw, "  %s\n", safetext.Display(s))
	}
	for i := range r.Result.Reasons {
		fmt.Fprintf(bw, "  - %s\n", safetext.Display(l.message(&r.Result.Reasons[i], l.status)))
	}
	kinds := make([]string, len(r.Result.Tables))
	for ti, t := range r.Result.Tables {
		kinds[ti] = l.kind(safetext.Display(string(t.Kind)))
	}
	kind := column(st.plain, kinds)
	status := st.statusColumn(l)
	for ti := range r.Result.Tables {
		t := &r.Result.Tables[ti]
		for it := range t.Findings() {
			if !it.Failure {
				continue
			}
			fmt.Fprintf(bw, "%s %s %s", status.cell(&it), kind.Render(kinds[ti]), safetext.Display(it.Name))
			if d := describe(l, t, &it); d != "" {
				fmt.Fprintf(bw, " — %s", safetext.Display(d))
			}
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}
