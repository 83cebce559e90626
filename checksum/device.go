package checksum

import "fmt"

// device is what the engine knows of the block device under a run's
// files, to choose how many reads it keeps in flight: a rotational disk
// (or a DVD) reads one stream fastest, its head moving forward; an SSD,
// NVMe or virtual disk serves many reads at once, and a cold tree is read
// faster the more are in flight.
type device struct {
	// Name is the disk's name in sysfs ("sda", "vda"); empty when the
	// files are on no block device sysfs knows (tmpfs, a network file
	// system, btrfs's anonymous devices), or the system has no sysfs.
	Name       string
	Rotational bool // queue/rotational says 1
	// Virtual is a virtio disk: its rotational flag is set whatever
	// backs it (a file on an SSD, more often than not), so it says
	// nothing, and many reads in flight are what such a disk serves best.
	Virtual bool
	// Dev is the device number as major:minor, for the words.
	Dev string
}

// oneStream says whether the files are best read one at a time, in the
// order they lie on the disk.
func (d device) oneStream() bool { return d.Rotational && !d.Virtual }

// explain says what was chosen and why, for -v.
func (d device) explain() string {
	switch {
	case d.Name == "":
		return fmt.Sprintf("files on device %s, no block device of its own: many reads in flight", d.Dev)
	case d.oneStream():
		return fmt.Sprintf("files on %s, a rotational disk: one stream, in inode order (the order on the disk, near enough without a FIEMAP call per file)", d.Name)
	case d.Virtual:
		return fmt.Sprintf("files on %s, a virtio disk (flagged rotational=%d, which virtio says of any backing): many reads in flight", d.Name, b2i(d.Rotational))
	}
	return fmt.Sprintf("files on %s, not rotational: many reads in flight", d.Name)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
