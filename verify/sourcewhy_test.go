package verify

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"

	"github.com/sverka/sverka/internal/regular"
	"github.com/sverka/sverka/settings"
)

// sourceWhy says why without the file: the message names it in front.
func TestSourceWhy(t *testing.T) {
	const path = "/host/etc/demo.ini"
	for _, tt := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("settings %s: %w", path, &fs.PathError{Op: "open", Path: path, Err: syscall.ENOENT}), syscall.ENOENT.Error()},
		{fmt.Errorf("settings %w", &regular.NotRegularError{Path: path, Mode: fs.ModeNamedPipe}), "is a FIFO, not a regular file"},
		{&regular.TooLargeError{Path: path, Limit: 64 << 20, What: "a settings file"}, "is larger than 64 MiB, the most a settings file may be"},
		{&settings.ParseError{File: path, Line: 3, Msg: "bad line"}, "line 3: bad line"},
		{&settings.ParseError{File: path, Msg: "not JSON"}, "not JSON"},
		{errors.New("something else"), "something else"},
	} {
		if got := sourceWhy(tt.err); got != tt.want {
			t.Errorf("sourceWhy(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
