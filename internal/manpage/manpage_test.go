package manpage

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"plain words", "plain words"},
		{"--media PATH", `\-\-media PATH`},
		{`C:\ProgramData\sverka`, `C:\eProgramData\esverka`},
		{".SH pwned", `\&.SH pwned`},
		{"'br", `\&'br`},
		{"a.b 'c'", "a.b 'c'"},
		{"«сверка»", `\[u00AB]\[u0441]\[u0432]\[u0435]\[u0440]\[u043A]\[u0430]\[u00BB]`},
		{"tab\tand\x1b[31mred", "tab and[31mred"},
		{"two\nlines", "two lines"},
		{"text|json", `text|\:json`},
		{"bad\xffbyte", `bad\[uFFFD]byte`},
	} {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

var page = Page{
	Name: "sverka-demo", Section: 1, Summary: "show a page", Date: "2026-12-01", Source: `sverka "1.0"`, Manual: "sverka manual",
	Synopsis:    []string{"sverka demo [-j N] FILE...", "            [--to DIR]"},
	Description: []string{"First paragraph,\n  filled. 'quoted' and .dotted at a line's start\n.SH NOT A SECTION", "Second: «сверка» C:\\x"},
	Options: []Option{
		{Forms: []string{"-j", "--jobs"}, Arg: "N", Text: "workers (default 4)"},
		{Forms: []string{"--quiet"}, Text: "say less"},
	},
	Examples: []string{"  sverka demo a.txt", "", "  sverka demo -j 2 b.txt   # two"},
	Sections: []Section{
		{Title: "Exit status", Items: []Item{{"0", "fine"}, {"2", "not fine"}}},
		{Title: "See also", Paragraphs: []string{"sverka(1)"}},
	},
}

func TestWrite(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, page); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	for _, want := range []string{
		".TH \"SVERKA\\-DEMO\" 1 \"2026\\-12\\-01\" \"sverka \"\"1.0\"\"\" \"sverka manual\"\n",
		".SH NAME\nsverka\\-demo \\- show a page\n",
		".TP\n\\fB\\-j\\fR, \\fB\\-\\-jobs\\fR \\fIN\\fR\nworkers (default 4)\n",
		"First paragraph, filled. 'quoted' and .dotted at a line's start .SH NOT A SECTION\n",
		".SH \"EXIT STATUS\"\n.TP\n\\fB0\\fR\nfine\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("page lacks %q:\n%s", want, got)
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if strings.HasPrefix(l, ".SH NOT") {
			t.Errorf("text became a request: %q", l)
		}
	}
	if err := Write(&b, Page{Name: "x"}); err == nil {
		t.Error("a page without a section was written")
	}
}

// TestGroff renders a page with groff, every warning on: it must give
// none, and show the text as written.
func TestGroff(t *testing.T) {
	if _, err := exec.LookPath("groff"); err != nil {
		t.Skip("groff is not installed")
	}
	var b bytes.Buffer
	if err := Write(&b, page); err != nil {
		t.Fatal(err)
	}
	out, errs := render(t, b.Bytes())
	if errs != "" {
		t.Errorf("groff warns:\n%s\npage:\n%s", errs, b.String())
	}
	for _, want := range []string{"sverka-demo - show a page", "-j, --jobs N", "«сверка» C:\\x", "sverka demo -j 2 b.txt   # two", ".SH NOT"} {
		if !strings.Contains(out, want) {
			t.Errorf("rendered page lacks %q:\n%s", want, out)
		}
	}
}
