package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/internal/atomicfile"
	"github.com/sverka/sverka/internal/manpage"
)

// writeManPages writes sverka(1) and a page per command into dir, made
// from the same list of commands, synopses, flags and examples that help
// shows: they cannot say otherwise than 'sverka help'.
func writeManPages(c *cli, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--man: %w", err)
	}
	pages := manPages(commands())
	for _, p := range pages {
		path := filepath.Join(dir, p.Name+".1")
		f, err := atomicfile.Create(path, 0o644)
		if err != nil {
			return fmt.Errorf("--man: %w", err)
		}
		if err := manpage.Write(f, p); err != nil {
			f.Abort()
			return fmt.Errorf("writing %s: %w", path, err)
		}
		if err := f.Commit(); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.stderr, "sverka: %d manual pages written to %s\n", len(pages), dir)
	return nil
}

// manPageName is the page of a command: "formular make" is
// sverka-formular-make.
func manPageName(command string) string {
	return "sverka-" + strings.ReplaceAll(command, " ", "-")
}

// manPages are sverka(1), then a page per command in the order of specs.
func manPages(specs []spec) []manpage.Page {
	b := describeBuild(buildStamp{version, commit, date}, nil)
	day := ""
	if len(b.date) >= len("2006-01-02") {
		day = b.date[:len("2006-01-02")]
	}
	source := "sverka " + toolVersion()
	exit := manpage.Section{Title: "Exit status", Items: []manpage.Item{
		{Tag: "0", Text: "the certified configuration holds; for hash -c, every file is OK"},
		{Tag: "1", Text: "it does not hold: a mismatch; for hash -c, a file failed"},
		{Tag: "2", Text: "it could not be checked: a usage error, an unreadable or unsigned formular, a bad signature, unreadable media, an interruption"},
	}}

	lines := strings.Split(usage, "\n")
	top := manpage.Page{Name: "sverka", Section: 1, Date: day, Source: source, Manual: "sverka manual",
		Summary:     "check a certified distribution against its signed formular",
		Description: []string{lines[0] + " It hashes the installation kit and the installed modules, checks the settings against the table of safe parameter values, compares everything with a signed formular, and gives one verdict with the list of what broke."},
	}
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "  sverka ") || strings.HasPrefix(l, "      ") && len(top.Synopsis) > 0 {
			top.Synopsis = append(top.Synopsis, strings.TrimPrefix(l, "  "))
		}
	}
	cmds := manpage.Section{Title: "Commands"}
	var seeAlso []string
	for _, s := range specs {
		name := manPageName(s.name)
		summary, _ := synopsisParts(s.synopsis)
		cmds.Items = append(cmds.Items, manpage.Item{Tag: s.name, Text: summary + "; see " + name + "(1)."})
		seeAlso = append(seeAlso, name+"(1)")
	}
	cmds.Paragraphs = []string{"Run 'sverka help COMMAND' or 'sverka COMMAND --help' for a command's flags and examples, or read its page:"}
	top.Sections = []manpage.Section{cmds, exit, {Title: "See also", Paragraphs: []string{strings.Join(seeAlso, ", ") + ", minisign(1)"}}}

	pages := []manpage.Page{top}
	for _, s := range specs {
		summary, desc := synopsisParts(s.synopsis)
		usageLines, _, _ := strings.Cut(s.synopsis, "\n\n")
		p := manpage.Page{Name: manPageName(s.name), Section: 1, Date: day, Source: source, Manual: "sverka manual",
			Summary: summary, Synopsis: strings.Split(usageLines, "\n"), Description: desc,
			Options: manOptions(s), Examples: strings.Split(strings.TrimRight(s.examples, "\n"), "\n"),
			Sections: []manpage.Section{exit, {Title: "See also", Paragraphs: []string{"sverka(1)"}}},
		}
		for i, l := range p.Examples {
			p.Examples[i] = strings.TrimPrefix(l, "  ")
		}
		pages = append(pages, p)
	}
	return pages
}

// synopsisParts splits a command's synopsis into what it does in a few
// words (its first sentence, for the NAME line) and its paragraphs.
func synopsisParts(synopsis string) (summary string, paragraphs []string) {
	_, text, _ := strings.Cut(synopsis, "\n\n")
	paragraphs = strings.Split(strings.TrimSpace(text), "\n\n")
	first := strings.Join(strings.Fields(paragraphs[0]), " ")
	if i := strings.Index(first, ". "); i >= 0 {
		first = first[:i]
	}
	first = strings.TrimSuffix(first, ".")
	if i := strings.IndexAny(first, ":;"); i > 0 {
		first = strings.TrimSpace(first[:i])
	}
	// "Print the version" is "print the version" after the page's name.
	if r, n := utf8.DecodeRuneInString(first); n > 0 {
		if r2, _ := utf8.DecodeRuneInString(first[n:]); unicode.IsLower(r2) {
			first = string(unicode.ToLower(r)) + first[n:]
		}
	}
	return first, paragraphs
}

// manOptions lists a command's flags as help does: the hidden ones left
// out, each with its value's name and default.
func manOptions(s spec) []manpage.Option {
	fs := pflag.NewFlagSet(s.name, pflag.ContinueOnError)
	fs.SortFlags = false
	if s.flags != nil {
		s.flags(fs)
	}
	var opts []manpage.Option
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		o := manpage.Option{Forms: []string{"--" + f.Name}}
		if f.Shorthand != "" {
			o.Forms = []string{"-" + f.Shorthand, "--" + f.Name}
		}
		o.Arg, o.Text = metavar(f)
		if d := defaultText(f); d != "" {
			o.Text += " (default " + d + ")"
		}
		opts = append(opts, o)
	})
	return opts
}
