package main

import (
	"context"
	"fmt"
	"os"

	"github.com/sverka/sverka/internal/console"
	"github.com/sverka/sverka/iso"
)

// hashISOMD5 checks the MD5 implanted in install images (isomd5sum), as
// checkisomd5 does: 0 when it matches, 1 when it does not, 2 when there is
// none or the image cannot be read.
func hashISOMD5(ctx context.Context, c *cli, o *hashOpts, images []string) int {
	code := exitOK
	for _, path := range images {
		var prog *console.Progress
		if progressOn(c, &o.common) {
			var size int64
			if fi, err := os.Stat(path); err == nil {
				size = fi.Size()
			}
			prog = console.NewProgress(c.stderr, size, 1, progressOptions(&o.common))
		}
		res, err := iso.ImplantedMD5(ctx, path, prog.Add)
		prog.Finish()
		switch {
		case err != nil:
			c.errorf("%s: %v", display(path), err)
			code = max(code, exitError)
		case !res.Present:
			c.errorf("%s: no implanted MD5 (the image was not made with implantisomd5)", display(path))
			code = max(code, exitError)
		case res.OK:
			if !o.status {
				fmt.Fprintf(c.stdout, "%s: OK (implanted MD5 %s)\n", path, res.Implant.MD5)
			}
		default:
			if !o.status {
				fmt.Fprintf(c.stdout, "%s: FAILED (implanted MD5 %s, computed %s)\n", path, res.Implant.MD5, res.Computed)
			}
			code = max(code, exitFail)
		}
	}
	return code
}
