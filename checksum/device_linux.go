package checksum

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// deviceUnder finds the device under the first job's file, as sysfs
// describes it; a run whose files span devices is tuned for that one.
// Nothing found (no job, a file that will not stat) is device{}, tuned
// as an SSD is.
func deviceUnder(jobs []Job) device {
	if len(jobs) == 0 {
		return device{}
	}
	var st unix.Stat_t
	if err := unix.Stat(jobs[0].Path, &st); err != nil {
		return device{}
	}
	maj, mnr := unix.Major(st.Dev), unix.Minor(st.Dev)
	d, err := lookupDevice("/sys", maj, mnr)
	if err != nil {
		return device{Dev: fmt.Sprintf("%d:%d", maj, mnr)}
	}
	return d
}

// lookupDevice reads what sysfs (mounted at sys) says of the block
// device maj:mnr: /sys/dev/block/MAJ:MIN leads to the device, a partition
// to its disk, whose queue/rotational is read.
func lookupDevice(sys string, maj, mnr uint32) (device, error) {
	dev := fmt.Sprintf("%d:%d", maj, mnr)
	path, err := filepath.EvalSymlinks(filepath.Join(sys, "dev", "block", dev))
	if err != nil {
		return device{}, fmt.Errorf("block device %s: %w", dev, err)
	}
	if _, err := os.Stat(filepath.Join(path, "partition")); err == nil {
		path = filepath.Dir(path)
	}
	rot, err := readFlag(filepath.Join(path, "queue", "rotational"))
	if err != nil {
		return device{}, err
	}
	return device{
		Name:       filepath.Base(path),
		Rotational: rot,
		Virtual:    strings.Contains(filepath.ToSlash(path), "/virtio"),
		Dev:        dev,
	}, nil
}

// readFlag reads a sysfs file holding 0 or 1.
func readFlag(path string) (bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return false, err
	}
	switch strings.TrimSpace(string(b)) {
	case "0":
		return false, nil
	case "1":
		return true, nil
	}
	return false, fmt.Errorf("%s: %q is neither 0 nor 1", path, strings.TrimSpace(string(b)))
}
