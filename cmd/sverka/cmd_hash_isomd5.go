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
// none or the image cannot be read; the worst of the images.
func hashISOMD5(ctx context.Context, c *cli, o *hashOpts, images []string) error {
	code := exitOK
	for _, path := range images {
		code = max(code, exitStatus(c, checkISOMD5(ctx, c, o, path)))
	}
	return exitErr(code)
}

// checkISOMD5 checks one image's implanted MD5.
func checkISOMD5(ctx context.Context, c *cli, o *hashOpts, path string) error {
	var prog *console.Progress
	if progressOn(c, &o.common) {
		var size int64
		if fi, err := os.Stat(path); err == nil {
			size = fi.Size()
		}
		prog = console.NewProgress(c.stderr, size, 1, progressOptions(&o.common))
	}
	res, err := iso.ImplantedMD5(ctx, path, prog.Add, o.spare)
	prog.Finish()
	switch {
	case err != nil:
		return fmt.Errorf("%s: %w", display(path), err)
	case !res.Present:
		return fmt.Errorf("%s: no implanted MD5 (the image was not made with implantisomd5)", display(path))
	case res.OK:
		if !o.status {
			fmt.Fprintf(c.stdout, "%s: OK (implanted MD5 %s)\n", path, res.Implant.MD5)
		}
		return nil
	}
	if !o.status {
		if res.NotRead {
			fmt.Fprintf(c.stdout, "%s: FAILED (implanted MD5 %s, not checked: it covers %d bytes, more than four times the %d bytes the file holds on its disk)\n",
				path, res.Implant.MD5, res.Length, res.Stored)
		} else {
			fmt.Fprintf(c.stdout, "%s: FAILED (implanted MD5 %s, computed %s)\n", path, res.Implant.MD5, res.Computed)
		}
	}
	return errNotHold
}
