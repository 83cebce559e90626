package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/sverka/sverka/internal/near"
)

const completionSynopsis = `sverka completion bash|zsh|fish|powershell

Print a script that completes sverka's commands, subcommands, flags, the
values of flags that take one of a few words, and file names. Load it
from the shell's start-up file: 'source <(sverka completion bash)' in
~/.bashrc, 'source <(sverka completion zsh)' in ~/.zshrc.`

const completionExamples = `  sverka completion bash > ~/.local/share/bash-completion/completions/sverka
  sverka completion fish > ~/.config/fish/completions/sverka.fish
  sverka completion powershell | Out-String | Invoke-Expression   # in $PROFILE`

// shellNames are the shells a completion script is written for.
func shellNames() []string { return []string{"bash", "zsh", "fish", "powershell"} }

// runCompletion prints the completion script of the shell args names.
func runCompletion(c *cli, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("completion needs a shell: bash, zsh, fish or powershell")
	}
	words := completionWords(commands())
	switch args[0] {
	case "bash":
		return writeBash(c.stdout, words, false)
	case "zsh":
		return writeBash(c.stdout, words, true)
	case "fish":
		return writeFish(c.stdout, words)
	case "powershell":
		return writePowerShell(c.stdout, words)
	}
	if n := near.Name(args[0], shellNames()); n != "" {
		return fmt.Errorf("completion: unknown shell %q; did you mean %q?", args[0], n)
	}
	return fmt.Errorf("completion: unknown shell %q: bash, zsh, fish or powershell", args[0])
}

// cmdWords is what a shell may offer after a command.
type cmdWords struct {
	name     string   // "verify", "formular make"
	flags    []string // --long and -s forms
	valued   []string // the flags that take a value, both forms
	values   map[string][]string
	operands []string // "file", or words
}

// completionWords reads what completion offers from the commands' flag
// sets: the same list help and dispatch read, so it cannot fall behind.
func completionWords(specs []spec) []cmdWords {
	var out []cmdWords
	for _, s := range specs {
		w := cmdWords{name: s.name, operands: s.operands, values: map[string][]string{}}
		fs := pflag.NewFlagSet(s.name, pflag.ContinueOnError)
		if s.flags != nil {
			s.flags(fs)
		}
		fs.VisitAll(func(f *pflag.Flag) {
			if f.Hidden {
				return
			}
			forms := []string{"--" + f.Name}
			if f.Shorthand != "" {
				forms = append(forms, "-"+f.Shorthand)
			}
			w.flags = append(w.flags, forms...)
			if f.Value.Type() != "bool" {
				w.valued = append(w.valued, forms...)
				if v := flagValues(s.name, f.Name); v != nil {
					for _, form := range forms {
						w.values[form] = v
					}
				}
			}
		})
		w.flags = append(w.flags, "--help")
		out = append(out, w)
	}
	return out
}

// flagValues are the words a flag of command cmd takes; nil for a file
// or anything else.
func flagValues(cmd, name string) []string {
	if cmd == "fleet report" {
		switch name {
		case "format":
			return []string{"html", "json"}
		case "from", "to":
			return nil // dates
		}
	}
	switch name {
	case "format":
		switch cmd {
		case "report diff":
			return []string{"text", "json", "csv"}
		case "report render":
			return []string{"text", "json", "cef", "html"}
		}
		return []string{"text", "json", "ndjson", "cef", "html"}
	case "lang":
		return []string{"ru", "en"}
	case "progress", "color":
		return []string{"auto", "always", "never"}
	case "require":
		return []string{"image", "boot", "media", "modules", "parameters", "all"}
	case "table":
		return []string{"media", "modules"}
	case "os":
		return []string{"linux", "windows"}
	case "from":
		return []string{"auto", "gnu", "bsd", "hashdeep", "rhash", "rhash-bsd", "dpkg", "gostsum", "gost12sum", "text", "docx"}
	}
	return nil
}

// tops and subs are the first words, and each group's second words.
func topsAndSubs(words []cmdWords) (tops []string, subs map[string][]string) {
	subs = map[string][]string{}
	for _, w := range words {
		top, sub, ok := strings.Cut(w.name, " ")
		if !slices.Contains(tops, top) {
			tops = append(tops, top)
		}
		if ok {
			subs[top] = append(subs[top], sub)
		}
	}
	return append(tops, "help"), subs
}

// writeBash writes the bash script; zsh loads the same through its
// bashcompinit.
func writeBash(w io.Writer, words []cmdWords, zsh bool) error {
	tops, subs := topsAndSubs(words)
	var b strings.Builder
	if zsh {
		b.WriteString("#compdef sverka\n# zsh completion for sverka: the bash completion, through bashcompinit.\nautoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n\n")
	} else {
		b.WriteString("# bash completion for sverka\n\n")
	}
	b.WriteString("_sverka() {\n")
	b.WriteString("    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n")
	b.WriteString("    local cmd=\"${COMP_WORDS[1]}\" first=2\n")
	b.WriteString("    COMPREPLY=()\n")
	fmt.Fprintf(&b, "    if [[ $COMP_CWORD -eq 1 ]]; then\n        COMPREPLY=($(compgen -W %s -- \"$cur\"))\n        return\n    fi\n", shq(strings.Join(tops, " ")))
	b.WriteString("    case \"$cmd\" in\n")
	b.WriteString("    help)\n        [[ $COMP_CWORD -eq 2 ]] && COMPREPLY=($(compgen -W " + shq(strings.Join(tops[:len(tops)-1], " ")) + " -- \"$cur\"))\n        return ;;\n")
	for _, top := range tops {
		if len(subs[top]) == 0 {
			continue
		}
		fmt.Fprintf(&b, "    %s)\n        if [[ $COMP_CWORD -eq 2 ]]; then\n            COMPREPLY=($(compgen -W %s -- \"$cur\"))\n            return\n        fi\n        cmd=\"%s ${COMP_WORDS[2]}\" first=3 ;;\n", top, shq(strings.Join(subs[top], " ")), top)
	}
	b.WriteString("    esac\n")
	b.WriteString("    local flags=\"\" valued=\"\" operands=\"file\"\n")
	b.WriteString("    case \"$cmd\" in\n")
	for _, w := range words {
		ops := strings.Join(w.operands, " ")
		fmt.Fprintf(&b, "    %s)\n        flags=%s\n        valued=%s\n        operands=%s\n", shq(w.name), shq(strings.Join(w.flags, " ")), shq(strings.Join(w.valued, " ")), shq(ops))
		if len(w.values) > 0 {
			b.WriteString("        case \"$prev\" in\n")
			for _, f := range sortedKeys(w.values) {
				fmt.Fprintf(&b, "        %s) COMPREPLY=($(compgen -W %s -- \"$cur\")); return ;;\n", f, shq(strings.Join(w.values[f], " ")))
			}
			b.WriteString("        esac\n")
		}
		b.WriteString("        ;;\n")
	}
	b.WriteString("    *) return ;;\n    esac\n")
	b.WriteString("    if [[ $COMP_CWORD -ge $first && \" $valued \" == *\" $prev \"* ]]; then\n        compopt -o filenames 2>/dev/null\n        COMPREPLY=($(compgen -f -- \"$cur\"))\n        return\n    fi\n")
	b.WriteString("    if [[ $cur == -* ]]; then\n        COMPREPLY=($(compgen -W \"$flags\" -- \"$cur\"))\n        return\n    fi\n")
	b.WriteString("    case \"$operands\" in\n    file)\n        compopt -o filenames 2>/dev/null\n        COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n    \"\") ;;\n    *) COMPREPLY=($(compgen -W \"$operands\" -- \"$cur\")) ;;\n    esac\n")
	b.WriteString("}\n")
	b.WriteString("complete -o bashdefault -F _sverka sverka\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// writeFish writes the fish script.
func writeFish(w io.Writer, words []cmdWords) error {
	tops, subs := topsAndSubs(words)
	var b strings.Builder
	b.WriteString("# fish completion for sverka\ncomplete -c sverka -f\n")
	for _, t := range tops {
		fmt.Fprintf(&b, "complete -c sverka -n '__fish_use_subcommand' -a '%s'\n", t)
	}
	for _, top := range tops {
		for _, s := range subs[top] {
			fmt.Fprintf(&b, "complete -c sverka -n '__fish_seen_subcommand_from %s; and not __fish_seen_subcommand_from %s' -a '%s'\n", top, strings.Join(subs[top], " "), s)
		}
	}
	for _, cw := range words {
		last := cw.name
		if _, sub, ok := strings.Cut(cw.name, " "); ok {
			last = sub
		}
		cond := "__fish_seen_subcommand_from " + last
		switch {
		case slices.Equal(cw.operands, []string{"file"}):
			fmt.Fprintf(&b, "complete -c sverka -n '%s' -F\n", cond)
		case len(cw.operands) > 0:
			fmt.Fprintf(&b, "complete -c sverka -n '%s' -a '%s'\n", cond, strings.Join(cw.operands, " "))
		}
		for i := 0; i < len(cw.flags); i++ {
			f := cw.flags[i]
			if !strings.HasPrefix(f, "--") {
				continue
			}
			line := fmt.Sprintf("complete -c sverka -n '%s' -l %s", cond, f[2:])
			if i+1 < len(cw.flags) && !strings.HasPrefix(cw.flags[i+1], "--") {
				line += " -s " + cw.flags[i+1][1:]
			}
			if slices.Contains(cw.valued, f) {
				if v := cw.values[f]; v != nil {
					line += fmt.Sprintf(" -x -a '%s'", strings.Join(v, " "))
				} else {
					line += " -r -F"
				}
			}
			b.WriteString(line + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writePowerShell writes the PowerShell script.
func writePowerShell(w io.Writer, words []cmdWords) error {
	tops, subs := topsAndSubs(words)
	var b strings.Builder
	b.WriteString("# PowerShell completion for sverka\n")
	b.WriteString("Register-ArgumentCompleter -Native -CommandName sverka -ScriptBlock {\n")
	b.WriteString("    param($wordToComplete, $commandAst, $cursorPosition)\n")
	fmt.Fprintf(&b, "    $tops = @(%s)\n", psList(tops))
	b.WriteString("    $subs = @{\n")
	for _, top := range tops {
		if len(subs[top]) > 0 {
			fmt.Fprintf(&b, "        '%s' = @(%s)\n", top, psList(subs[top]))
		}
	}
	b.WriteString("    }\n    $flags = @{\n")
	for _, cw := range words {
		fmt.Fprintf(&b, "        '%s' = @(%s)\n", cw.name, psList(cw.flags))
	}
	b.WriteString("    }\n    $values = @{\n")
	for _, cw := range words {
		for _, f := range sortedKeys(cw.values) {
			fmt.Fprintf(&b, "        '%s %s' = @(%s)\n", cw.name, f, psList(cw.values[f]))
		}
	}
	b.WriteString("    }\n")
	b.WriteString(`    $words = @($commandAst.CommandElements | Where-Object { $_.Extent.EndOffset -le $cursorPosition } | ForEach-Object { $_.ToString() })
    if ($wordToComplete -ne '' -and $words.Count -gt 0) { $words = $words[0..($words.Count - 2)] }
    $n = $words.Count
    $offer = @()
    if ($n -le 1) {
        $offer = $tops
    } elseif ($n -eq 2 -and ($words[1] -eq 'help')) {
        $offer = $tops
    } elseif ($n -eq 2 -and $subs.ContainsKey($words[1])) {
        $offer = $subs[$words[1]]
    } else {
        $cmd = $words[1]
        if ($subs.ContainsKey($cmd) -and $n -ge 3) { $cmd = "$cmd $($words[2])" }
        $prev = $words[$n - 1]
        if ($values.ContainsKey("$cmd $prev")) {
            $offer = $values["$cmd $prev"]
        } elseif ($wordToComplete.StartsWith('-') -and $flags.ContainsKey($cmd)) {
            $offer = $flags[$cmd]
        } else {
            Get-ChildItem -Path "$wordToComplete*" -ErrorAction SilentlyContinue | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_.Name, $_.Name, 'ProviderItem', $_.Name)
            }
            return
        }
    }
    $offer | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
        [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
    }
}
`)
	_, err := io.WriteString(w, b.String())
	return err
}

// shq quotes s for a POSIX shell.
func shq(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// psList is a PowerShell array's items, quoted.
func psList(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = "'" + strings.ReplaceAll(s, "'", "''") + "'"
	}
	return strings.Join(q, ", ")
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
