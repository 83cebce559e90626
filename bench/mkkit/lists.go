package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
)

// A list is one reference checksum list and the tool that makes it.
type list struct {
	name string // file name in the lists directory
	tool string // the program that must be on PATH
	cmd  string // bash pipeline run in the tree's root
	post func([]byte) []byte
}

func listsFor(kind string) []list {
	gnu := func(tool string) string {
		return "find . -type f -print0 | LC_ALL=C sort -z | xargs -0 " + tool
	}
	ls := []list{{name: "SHA256SUMS", tool: "sha256sum", cmd: gnu("sha256sum")}}
	if kind == "kit" {
		ls = append(ls,
			list{name: "B3SUMS", tool: "b3sum", cmd: gnu("b3sum")},
			list{name: "HASHDEEP", tool: "hashdeep", cmd: "hashdeep -c sha256 -l -r .", post: sortHashdeep},
		)
	}
	return ls
}

// sortHashdeep keeps hashdeep's header and sorts its entries by name:
// hashdeep hashes in parallel and writes them in the order they finish.
func sortHashdeep(out []byte) []byte {
	lines := strings.SplitAfter(string(out), "\n")
	var head, body []string
	for _, ln := range lines {
		switch {
		case ln == "":
		case strings.HasPrefix(ln, "%") || strings.HasPrefix(ln, "#"):
			head = append(head, ln)
		default:
			body = append(body, ln)
		}
	}
	// An entry is size,sha256,name; the name may hold commas.
	name := func(ln string) string {
		_, rest, _ := strings.Cut(ln, ",")
		_, rest, _ = strings.Cut(rest, ",")
		return rest
	}
	slices.SortStableFunc(body, func(a, b string) int { return strings.Compare(name(a), name(b)) })
	return []byte(strings.Join(head, "") + strings.Join(body, ""))
}

// A listResult tells how making one list went.
type listResult struct {
	list
	took time.Duration
	err  error
}

// makeLists runs the tools concurrently (each is CPU-bound on a warm cache)
// and writes their output into dir, through a temporary name so that a
// list is never half written.
func makeLists(ctx context.Context, root, dir string, ls []list) []listResult {
	res := make([]listResult, len(ls))
	var wg sync.WaitGroup
	for i, l := range ls {
		res[i].list = l
		if _, err := exec.LookPath(l.tool); err != nil {
			res[i].err = fmt.Errorf("%s not found (install it, e.g. apt-get install %s): %s not written", l.tool, l.tool, l.name)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			start := time.Now()
			res[i].err = runList(ctx, root, filepath.Join(dir, l.name), l)
			res[i].took = time.Since(start)
		}()
	}
	wg.Wait()
	return res
}

func runList(ctx context.Context, root, dst string, l list) error {
	cmd := exec.CommandContext(ctx, "bash", "-o", "pipefail", "-c", l.cmd)
	cmd.Dir = root
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", l.cmd, err, strings.TrimSpace(stderr.String()))
	}
	if l.post != nil {
		out = l.post(out)
	}
	tmp := dst + ".tmp"
	if err := os.WriteFile(tmp, out, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}
