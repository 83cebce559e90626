//go:build unix

package sign

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/regular"
	"github.com/sverka/sverka/internal/testkit"
)

// A formular read to be verified, a key or a signature that is a FIFO or a device is refused at
// once, naming the file and what it is; one larger than its cap is
// refused without being read.
func TestReadRefusesSpecialAndHugeFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := testkit.FIFO(t, filepath.Join(dir, "pipe"))
	huge := filepath.Join(dir, "huge")
	testkit.SparseFile(t, huge, formular.MaxSize+1)
	bigKey := filepath.Join(dir, "big.pub")
	if err := os.WriteFile(bigKey, make([]byte, MaxKeySize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		read func() error
		want string
	}{
		{"formular FIFO", func() error { _, err := ReadMessage(fifo, formular.MaxSize, "a formular"); return err }, fifo + " is a FIFO"},
		{"formular /dev/zero", func() error { _, err := ReadMessage("/dev/zero", formular.MaxSize, "a formular"); return err }, "/dev/zero is a character device"},
		{"formular too large", func() error { _, err := ReadMessage(huge, formular.MaxSize, "a formular"); return err }, "larger than 1 GiB, the most a formular may be"},
		{"key FIFO", func() error { _, err := ReadKeyFile(fifo); return err }, fifo + " is a FIFO"},
		{"key /dev/zero", func() error { _, err := ReadKeyFile("/dev/zero"); return err }, "/dev/zero is a character device"},
		{"key too large", func() error { _, err := ReadKeyFile(bigKey); return err }, "larger than 8 KiB"},
	} {
		err := testkit.Promptly(t, c.name, c.read)
		var nr *regular.NotRegularError
		var tl *regular.TooLargeError
		if !(errors.As(err, &nr) || errors.As(err, &tl)) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}
