//go:build !unix && !windows

package iso

// Stored would be the number of bytes the image file takes on its disk;
// this system's file information does not say, so false.
func (im *Image) Stored() (int64, bool) { return 0, false }
