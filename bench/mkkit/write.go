package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// fixedTime is every file's and directory's modification time, so that
// archives and images made from a tree are reproducible too.
var fixedTime = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

const bufSize = 1 << 20 // a multiple of 8: a stream's words never straddle buffers

// fill writes words first, first+1, … of the stream seeded by seed into p,
// little-endian whatever the machine; len(p) need not be a multiple of 8.
func fill(p []byte, seed, first uint64) {
	x := seed + first*golden
	i := 0
	for ; i+8 <= len(p); i += 8 {
		x += golden
		binary.LittleEndian.PutUint64(p[i:], mix64(x))
	}
	if i < len(p) {
		var w [8]byte
		x += golden
		binary.LittleEndian.PutUint64(w[:], mix64(x))
		copy(p[i:], w[:])
	}
}

// writeFile creates name with size bytes of the stream seeded by seed.
func writeFile(name string, size int64, seed uint64, buf []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	var word uint64
	for left := size; left > 0; {
		n := int64(len(buf))
		if left < n {
			n = left
		}
		fill(buf[:n], seed, word)
		if _, err := f.Write(buf[:n]); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", name, err)
		}
		left -= n
		word += uint64(n) / 8 // n is a multiple of 8 except at the very end
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return os.Chtimes(name, fixedTime, fixedTime)
}

// writeTree writes l under root with workers goroutines, largest files
// first so that the big ones do not finish last alone.
func writeTree(ctx context.Context, root string, l layout, workers int) error {
	for _, d := range l.dirs {
		if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
			return err
		}
	}
	order := make([]int, len(l.files))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch sa, sb := l.files[a].size, l.files[b].size; {
		case sa > sb:
			return -1
		case sa < sb:
			return 1
		}
		return 0
	})

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, bufSize)
			for i := range jobs {
				f := l.files[i]
				if err := writeFile(filepath.Join(root, filepath.FromSlash(f.path)), f.size, f.seed, buf); err != nil {
					errs <- err
					cancel()
					return
				}
			}
		}()
	}
feed:
	for _, i := range order {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// Directories last, deepest first: writing into a directory moves its
	// modification time.
	for i := len(l.dirs) - 1; i >= 0; i-- {
		if err := os.Chtimes(filepath.Join(root, filepath.FromSlash(l.dirs[i])), fixedTime, fixedTime); err != nil {
			return err
		}
	}
	return os.Chtimes(root, fixedTime, fixedTime)
}
