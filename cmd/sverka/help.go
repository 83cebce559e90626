package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/internal/near"
	"github.com/sverka/sverka/internal/safetext"
)

// spec is a command as dispatch, help, suggestions and completion see it.
type spec struct {
	name     string // "verify", "formular make"
	synopsis string // usage lines, then what it does
	examples string // two or three command lines, indented, ending the help
	// flags declares the command's flags on fs; nil for a command without.
	flags func(fs *pflag.FlagSet)
	// run parses args and runs the command.
	run func(ctx context.Context, c *cli, args []string) error
	// operands says what the operands are, for completion: "file", or
	// the words a shell may offer.
	operands []string
}

// commandSpec makes the spec of a command with an options struct.
func commandSpec[O any, P interface {
	*O
	options
}](name, synopsis, examples string, run func(context.Context, *cli, P, []string) error, operands ...string) spec {
	return spec{
		name: name, synopsis: synopsis, examples: examples,
		flags: func(fs *pflag.FlagSet) { P(new(O)).flags(fs) },
		run: func(ctx context.Context, c *cli, args []string) error {
			return command(ctx, c, name, synopsis, examples, args, run)
		},
		operands: operands,
	}
}

// commands lists every command, subcommands by their full name; dispatch,
// help, "did you mean" and completion all read this one list.
func commands() []spec {
	return []spec{
		commandSpec("hash", hashSynopsis, hashExamples, runHash, "file"),
		commandSpec("keygen", keygenSynopsis, keygenExamples, runKeygen),
		commandSpec("sign", signSynopsis, signExamples, runSign, "file"),
		commandSpec("formular make", formularMakeSynopsis, formularMakeExamples, runFormularMake),
		commandSpec("formular import", formularImportSynopsis, formularImportExamples, runFormularImport, "file"),
		commandSpec("verify", verifySynopsis, verifyExamples, runVerify),
		commandSpec("report render", reportSynopsis, reportExamples, runReportRender, "file"),
		commandSpec("report diff", reportDiffSynopsis, reportDiffExamples, runReportDiff, "file"),
		commandSpec("fleet ingest", fleetIngestSynopsis, fleetIngestExamples, runFleetIngest, "file"),
		commandSpec("fleet status", fleetStatusSynopsis, fleetStatusExamples, runFleetStatus),
		commandSpec("fleet history", fleetHistorySynopsis, fleetHistoryExamples, runFleetHistory),
		commandSpec("fleet since", fleetSinceSynopsis, fleetSinceExamples, runFleetSince),
		commandSpec("fleet findings", fleetFindingsSynopsis, fleetFindingsExamples, runFleetFindings),
		commandSpec("fleet prune", fleetPruneSynopsis, fleetPruneExamples, runFleetPrune),
		commandSpec("fleet serve", fleetServeSynopsis, fleetServeExamples, runFleetServe),
		commandSpec("fleet report", fleetReportSynopsis, fleetReportExamples, runFleetReport),
		commandSpec("fleet token", fleetTokenSynopsis, fleetTokenExamples, runFleetToken, "add", "list", "revoke"),
		{name: "completion", synopsis: completionSynopsis, examples: completionExamples, operands: shellNames(),
			run: func(_ context.Context, c *cli, args []string) error { return runCompletion(c, args) }},
		{name: "version", synopsis: versionSynopsis, examples: versionExamples,
			run: func(_ context.Context, c *cli, args []string) error { return runVersion(c) }},
	}
}

// groupSynopsis is the help of a command that has subcommands.
func groupSynopsis(group string) string {
	switch group {
	case "formular":
		return formularSynopsis
	case "fleet":
		return fleetSynopsis
	case "report":
		return reportGroupSynopsis
	}
	return ""
}

// topNames are the names a command line may begin with, in usage order.
func topNames(specs []spec) []string {
	var names []string
	seen := map[string]bool{}
	for _, s := range specs {
		top, _, _ := strings.Cut(s.name, " ")
		if !seen[top] {
			seen[top] = true
			names = append(names, top)
		}
	}
	return append(names, "help")
}

// subNames are the subcommands of group; none for a plain command.
func subNames(specs []spec, group string) []string {
	var names []string
	for _, s := range specs {
		if g, sub, ok := strings.Cut(s.name, " "); ok && g == group {
			names = append(names, sub)
		}
	}
	return names
}

// find is the spec named by the words of name.
func find(specs []spec, name string) (spec, bool) {
	for _, s := range specs {
		if s.name == name {
			return s, true
		}
	}
	return spec{}, false
}

// isHelp says whether an argument asks for help.
func isHelp(a string) bool { return a == "-h" || a == "--help" || a == "help" }

// dispatch runs the command args name: a command, a subcommand of a
// group, or help. A name it does not know is one line naming the mistake
// and, when one is near, the name meant.
func dispatch(ctx context.Context, args []string, c *cli) error {
	if len(args) == 0 {
		return usageText(usage)
	}
	specs := commands()
	switch args[0] {
	case "version", "--version":
		return runVersion(c)
	case "help", "-h", "--help":
		return help(c, specs, args[1:])
	}
	s, rest, err := lookup(specs, args)
	if err != nil {
		return err
	}
	if s.name == "" { // a group asked for help, or given no subcommand
		if len(rest) > 0 {
			fmt.Fprintf(c.stdout, "Usage: %s\n", groupSynopsis(args[0]))
			return nil
		}
		return usageText("Usage: " + groupSynopsis(args[0]) + "\n")
	}
	return s.run(ctx, c, rest)
}

// lookup finds the command args begin with and the arguments left. A
// group without a subcommand is the zero spec, with rest holding the
// help asked for, if any.
func lookup(specs []spec, args []string) (spec, []string, error) {
	top := args[0]
	if s, ok := find(specs, top); ok {
		return s, args[1:], nil
	}
	subs := subNames(specs, top)
	if len(subs) == 0 {
		return spec{}, nil, unknownCommand("command", top, topNames(specs))
	}
	if len(args) == 1 {
		return spec{}, nil, nil
	}
	if isHelp(args[1]) {
		return spec{}, args[1:2], nil
	}
	if s, ok := find(specs, top+" "+args[1]); ok {
		return s, args[2:], nil
	}
	return spec{}, nil, unknownCommand(top+" command", args[1], subs)
}

// unknownCommand says a name is not a command of what, with the near one.
func unknownCommand(what, name string, names []string) error {
	if n := near.Name(name, names); n != "" {
		return fmt.Errorf("unknown %s %q; did you mean %q?", what, name, n)
	}
	if what == "command" {
		return fmt.Errorf("unknown %s %q (see 'sverka help')", what, name)
	}
	return fmt.Errorf("unknown %s %q: %s", what, name, strings.Join(names, " or "))
}

// help prints the help of the command the words name, or the general
// usage without one.
func help(c *cli, specs []spec, words []string) error {
	if len(words) == 0 {
		fmt.Fprint(c.stdout, usage)
		return nil
	}
	if words[0] == "--man" {
		if len(words) != 2 || words[1] == "" {
			return errors.New("help --man needs a directory: sverka help --man DIR")
		}
		return writeManPages(c, words[1])
	}
	s, _, err := lookup(specs, words)
	if err != nil {
		return err
	}
	if s.name == "" {
		fmt.Fprintf(c.stdout, "Usage: %s\n", groupSynopsis(words[0]))
		return nil
	}
	writeHelp(c.stdout, s)
	return nil
}

// writeHelp writes a command's help: usage, flags, examples.
func writeHelp(w io.Writer, s spec) {
	fs := pflag.NewFlagSet(s.name, pflag.ContinueOnError)
	fs.SortFlags = false
	if s.flags != nil {
		s.flags(fs)
	}
	fmt.Fprint(w, helpText(fs, s.synopsis, s.examples))
}

// helpText is a command's help: its synopsis, its flags as sha256sum and
// minisign list theirs, and its examples last.
func helpText(fs *pflag.FlagSet, synopsis, examples string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Usage: %s\n", synopsis)
	if f := flagUsages(fs); f != "" {
		fmt.Fprintf(&b, "\nFlags:\n%s", f)
	}
	if examples != "" {
		fmt.Fprintf(&b, "\nExamples:\n%s\n", strings.TrimRight(examples, "\n"))
	}
	return b.String()
}

// helpWidth is the width help is wrapped to.
const helpWidth = 79

// flagUsages lists the flags that are not hidden, one a line: the flag,
// its value's name (none for a switch: no "[=true|false]"), what it does
// and its default, wrapped under a column.
func flagUsages(fs *pflag.FlagSet) string {
	type row struct{ left, usage string }
	var rows []row
	col := 0
	fs.VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		left := "      --" + f.Name
		if f.Shorthand != "" {
			left = "  -" + f.Shorthand + ", --" + f.Name
		}
		mv, usage := metavar(f)
		if mv != "" {
			left += " " + mv
		}
		if d := defaultText(f); d != "" {
			usage += " (default " + d + ")"
		}
		rows = append(rows, row{left, usage})
		if len(left) <= 30 {
			col = max(col, len(left))
		}
	})
	col += 3
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(r.left)
		pad := col - len(r.left)
		if pad < 2 {
			b.WriteString("\n")
			pad = col
		}
		for i, line := range wrap(r.usage, helpWidth-col) {
			if i > 0 {
				pad = col
			}
			b.WriteString(strings.Repeat(" ", pad) + line + "\n")
		}
	}
	return b.String()
}

// metavar is the name of a flag's value and its usage: the back-quoted
// word of its usage (pflag's convention), else a name for what it takes.
// A switch takes none.
func metavar(f *pflag.Flag) (name, usage string) {
	name, usage = pflag.UnquoteUsage(f)
	if strings.Contains(f.Usage, "`") || name == "" {
		return name, usage
	}
	switch f.Name {
	case "output", "formular", "public-key-file", "secret", "public", "tables", "settings":
		return "FILE", usage
	case "algorithm":
		return "ALG[,ALG]", usage
	case "public-key":
		return "BASE64", usage
	case "format", "from":
		return "FORMAT", usage
	case "progress", "color":
		return "WHEN", usage
	case "set":
		return "KEY=VALUE", usage
	case "var":
		return "NAME=PATH", usage
	case "media":
		return "PATH", usage
	case "installed":
		return "ROOT", usage
	case "modules":
		return "DIR", usage
	case "at":
		return "DATE", usage
	case "period", "keep":
		return "PERIOD", usage
	case "require":
		return "KIND[,KIND]", usage
	case "exclude":
		return "GLOB", usage
	case "root-var":
		return "NAME", usage
	case "default":
		return "PATH", usage
	case "table":
		return "KIND", usage
	case "strip-prefix":
		return "PREFIX", usage
	case "trusted-comment":
		return "COMMENT", usage
	}
	if f.Value.Type() == "int" {
		return "N", usage
	}
	return strings.ToUpper(f.Name), usage
}

// defaultText is a flag's default as help shows it; "" when there is
// nothing worth saying (off, empty, or already said by the usage).
func defaultText(f *pflag.Flag) string {
	switch f.DefValue {
	case "", "false", "0", "[]":
		return ""
	}
	if strings.Contains(f.Usage, "default") {
		return ""
	}
	return f.DefValue
}

// wrap breaks s into lines of at most width bytes at spaces; a word
// longer than width has a line of its own.
func wrap(s string, width int) []string {
	width = max(width, 20)
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		switch {
		case line == "":
			line = w
		case len(line)+1+len(w) > width:
			lines = append(lines, line)
			line = w
		default:
			line += " " + w
		}
	}
	return append(lines, line)
}

// flagError says a flag parse error in one line, suggesting the flag
// meant when one is near.
func flagError(fs *pflag.FlagSet, err error) error {
	var ne *pflag.NotExistError
	if errors.As(err, &ne) && strings.HasPrefix(err.Error(), "unknown flag: --") {
		name := ne.GetSpecifiedName()
		shown := safetext.Display(name) // the command line may carry terminal escapes
		var names []string
		fs.VisitAll(func(f *pflag.Flag) {
			if !f.Hidden {
				names = append(names, f.Name)
			}
		})
		if n := near.Name(name, names); n != "" {
			return fmt.Errorf("%s: unknown flag: --%s; did you mean --%s? (see 'sverka %s --help')", fs.Name(), shown, n, fs.Name())
		}
		return fmt.Errorf("%s: unknown flag: --%s (see 'sverka %s --help')", fs.Name(), shown, fs.Name())
	}
	return fmt.Errorf("%s: %s (see 'sverka %s --help')", fs.Name(), safetext.Display(err.Error()), fs.Name())
}
