// Package manpage writes manual pages in roff, the man(7) macros that man,
// groff and mandoc read, from a page described in plain text: the text is
// escaped here, so that no word of it can become a roff request.
package manpage

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Page is one manual page.
type Page struct {
	Name    string // "sverka-verify"
	Section int    // 1 for commands
	Summary string // what it does, one line, for the NAME section
	Date    string // the date of the page's source; may be ""
	Source  string // "sverka 1.2.0"
	Manual  string // "sverka manual"
	// Synopsis is shown line for line, as written.
	Synopsis []string
	// Description is paragraphs of plain text; lines of a paragraph
	// are filled.
	Description []string
	Options     []Option
	// Examples are command lines, shown as written.
	Examples []string
	// Sections follow the examples, in order (EXIT STATUS, SEE ALSO).
	Sections []Section
}

// Option is one flag in the OPTIONS section.
type Option struct {
	Forms []string // "-j", "--jobs": the first, the short one, may be absent
	Arg   string   // the value's name ("N", "FILE"); "" for a switch
	Text  string
}

// Section is a section of paragraphs, or of tagged items when Items is
// given.
type Section struct {
	Title      string
	Paragraphs []string
	Items      []Item
}

// Item is a tagged paragraph: a command and what it does, an exit code
// and what it means. Tag is shown in bold.
type Item struct{ Tag, Text string }

// Write writes p as roff.
func Write(w io.Writer, p Page) error {
	if p.Name == "" || p.Section <= 0 {
		return fmt.Errorf("manual page: a page needs a name and a section")
	}
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, ".TH %s %d %s %s %s\n", quoteArg(strings.ToUpper(p.Name)), p.Section,
		quoteArg(p.Date), quoteArg(p.Source), quoteArg(p.Manual))
	b.WriteString(".SH NAME\n")
	fmt.Fprintf(b, "%s \\- %s\n", Escape(p.Name), Escape(p.Summary))
	if len(p.Synopsis) > 0 {
		b.WriteString(".SH SYNOPSIS\n")
		verbatim(b, p.Synopsis)
	}
	if len(p.Description) > 0 {
		b.WriteString(".SH DESCRIPTION\n")
		paragraphs(b, p.Description)
	}
	if len(p.Options) > 0 {
		b.WriteString(".SH OPTIONS\n")
		for _, o := range p.Options {
			var tag []string
			for _, f := range o.Forms {
				tag = append(tag, `\fB`+Escape(f)+`\fR`)
			}
			t := strings.Join(tag, ", ")
			if o.Arg != "" {
				t += ` \fI` + Escape(o.Arg) + `\fR`
			}
			fmt.Fprintf(b, ".TP\n%s\n%s\n", t, Escape(o.Text))
		}
	}
	if len(p.Examples) > 0 {
		b.WriteString(".SH EXAMPLES\n")
		verbatim(b, p.Examples)
	}
	for _, s := range p.Sections {
		fmt.Fprintf(b, ".SH %s\n", quoteArg(strings.ToUpper(s.Title)))
		paragraphs(b, s.Paragraphs)
		for _, it := range s.Items {
			fmt.Fprintf(b, ".TP\n\\fB%s\\fR\n%s\n", Escape(it.Tag), Escape(it.Text))
		}
	}
	return b.Flush()
}

// verbatim writes lines unfilled, indented, as a shell shows them.
func verbatim(b *bufio.Writer, lines []string) {
	b.WriteString(".PP\n.RS 4\n.nf\n")
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			b.WriteString(".sp\n") // a blank line is a request of its own in roff
			continue
		}
		b.WriteString(Escape(l) + "\n")
	}
	b.WriteString(".fi\n.RE\n")
}

// paragraphs writes filled paragraphs; the lines of one are joined.
func paragraphs(b *bufio.Writer, ps []string) {
	for i, p := range ps {
		if i > 0 {
			b.WriteString(".PP\n")
		}
		b.WriteString(Escape(strings.Join(strings.Fields(p), " ")) + "\n")
	}
}

// Escape makes text a roff text line, or the rest of one: backslashes
// and hyphens are escaped (a hyphen in an option must stay a minus that
// can be copied), a leading dot or quote cannot start a request, and
// characters outside ASCII are named by their code point, so that groff
// reads them without a preprocessor. Control characters are dropped. A
// line may break after a bar, which lists of values are joined by.
func Escape(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\e`)
		case r == '-':
			b.WriteString(`\-`)
		case (r == '.' || r == '\'') && i == 0:
			b.WriteString(`\&` + string(r))
		case r == '|':
			b.WriteString(`|\:`) // a list of values may break after a bar
		case r == '\n' || r == '\t':
			b.WriteString(" ")
		case r < 0x20 || r == 0x7f:
		case r > 0x7f: // invalid UTF-8 is U+FFFD here
			fmt.Fprintf(&b, `\[u%04X]`, r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// quoteArg is a macro argument: quoted, with a quote inside doubled as
// groff reads it.
func quoteArg(s string) string {
	return `"` + strings.ReplaceAll(Escape(s), `"`, `""`) + `"`
}
