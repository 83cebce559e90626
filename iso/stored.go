package iso

import "math"

// implantMost is the most of an image file worth reading for its
// implanted MD5 alone, given what the file stores on its disk: four
// times as much (a compressing file system may store a real image in
// less), and a gibibyte more. An implant that covers more is mostly
// holes: reading it would hold a check for hours.
func implantMost(stored int64) int64 {
	const slack = 1 << 30
	if stored > (math.MaxInt64-slack)/4 {
		return math.MaxInt64
	}
	return 4*max(stored, 0) + slack
}
