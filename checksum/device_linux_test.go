package checksum

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeSysfs lays out the parts of /sys that lookupDevice reads: disks
// with their queue/rotational, partitions, and /sys/dev/block links.
func fakeSysfs(t *testing.T) string {
	t.Helper()
	sys := t.TempDir()
	disks := []struct{ dev, path, rotational string }{
		{"254:0", "devices/pci0000:00/0000:00:02.0/virtio1/block/vda", "1"},
		{"8:0", "devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda", "1\n"},
		{"259:0", "devices/pci0000:00/0000:00:1d.0/nvme/nvme0/nvme0n1", "0\n"},
		{"253:0", "devices/virtual/block/dm-0", "0\n"},
		{"7:0", "devices/virtual/block/loop0", "yes\n"},
	}
	link := func(dev, target string) {
		if err := os.Symlink(filepath.Join("..", "..", target), filepath.Join(sys, "dev", "block", dev)); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(sys, "dev", "block"), 0o755)
	for _, d := range disks {
		q := filepath.Join(sys, d.path, "queue")
		if err := os.MkdirAll(q, 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(q, "rotational"), []byte(d.rotational), 0o644)
		link(d.dev, d.path)
	}
	for _, p := range []struct{ dev, path string }{
		{"254:1", "devices/pci0000:00/0000:00:02.0/virtio1/block/vda/vda1"},
		{"8:2", "devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0/0:0:0:0/block/sda/sda2"},
	} {
		os.MkdirAll(filepath.Join(sys, p.path), 0o755)
		os.WriteFile(filepath.Join(sys, p.path, "partition"), []byte("1\n"), 0o644)
		link(p.dev, p.path)
	}
	// A block device whose disk has no queue (as sysfs never has it, but
	// a broken tree may).
	os.MkdirAll(filepath.Join(sys, "devices/virtual/block/odd"), 0o755)
	link("1:1", "devices/virtual/block/odd")
	return sys
}

func TestLookupDevice(t *testing.T) {
	sys := fakeSysfs(t)
	for _, c := range []struct {
		maj, mnr  uint32
		want      device
		oneStream bool
		err       string
	}{
		{254, 0, device{Name: "vda", Rotational: true, Virtual: true, Dev: "254:0"}, false, ""},
		{254, 1, device{Name: "vda", Rotational: true, Virtual: true, Dev: "254:1"}, false, ""},
		{8, 0, device{Name: "sda", Rotational: true, Dev: "8:0"}, true, ""},
		{8, 2, device{Name: "sda", Rotational: true, Dev: "8:2"}, true, ""},
		{259, 0, device{Name: "nvme0n1", Dev: "259:0"}, false, ""},
		{253, 0, device{Name: "dm-0", Dev: "253:0"}, false, ""},
		{7, 0, device{}, false, `rotational: "yes" is neither 0 nor 1`},
		{1, 1, device{}, false, "rotational: no such file"},
		{0, 45, device{}, false, "block device 0:45"},
	} {
		got, err := lookupDevice(sys, c.maj, c.mnr)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%d:%d: error %v, want one saying %q", c.maj, c.mnr, err, c.err)
			}
			continue
		}
		if err != nil || got != c.want || got.oneStream() != c.oneStream {
			t.Errorf("%d:%d: %+v (one stream %v), %v; want %+v (%v)", c.maj, c.mnr, got, got.oneStream(), err, c.want, c.oneStream)
		}
	}
}

// The words under -v say what was chosen and why.
func TestDeviceExplain(t *testing.T) {
	for _, c := range []struct {
		d    device
		want string
	}{
		{device{Name: "sda", Rotational: true}, "sda, a rotational disk: one stream, in inode order"},
		{device{Name: "vda", Rotational: true, Virtual: true}, "vda, a virtio disk (flagged rotational=1, which virtio says of any backing): many reads in flight"},
		{device{Name: "nvme0n1"}, "nvme0n1, not rotational: many reads in flight"},
		{device{Dev: "0:45"}, "device 0:45, no block device of its own: many reads in flight"},
	} {
		if got := c.d.explain(); !strings.Contains(got, c.want) {
			t.Errorf("%+v: %q, want it to say %q", c.d, got, c.want)
		}
	}
}

// The device under a real file is found, whatever it is.
func TestDeviceUnder(t *testing.T) {
	if d := deviceUnder(nil); d != (device{}) {
		t.Errorf("no jobs: %+v", d)
	}
	if d := deviceUnder([]Job{Named(filepath.Join(t.TempDir(), "missing"), false)}); d != (device{}) {
		t.Errorf("a missing file: %+v", d)
	}
	d := deviceUnder([]Job{Named("device_linux_test.go", false)})
	if d.Dev == "" {
		t.Errorf("no device number for a file that is there: %+v", d)
	}
	t.Log(d.explain())
}
