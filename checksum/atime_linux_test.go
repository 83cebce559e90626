package checksum

import (
	"os"
	"syscall"
	"testing"
	"time"
)

// agedAtime readies p for a test that some access leaves its access time
// as it was: it sets p's times three days back, shows that touch (a plain
// read or listing) moves the access time, skipping the test where the
// file system keeps none (noatime), and sets them back again. It returns
// the time p was aged to and a function reading p's access time.
func agedAtime(t *testing.T, p string, touch func() error) (old time.Time, atime func() time.Time) {
	t.Helper()
	old = time.Now().Add(-72 * time.Hour).Truncate(time.Second)
	atime = func() time.Time {
		t.Helper()
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		return time.Unix(st.Atim.Sec, st.Atim.Nsec)
	}
	age := func() {
		t.Helper()
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	age()
	if err := touch(); err != nil {
		t.Fatal(err)
	}
	if atime().Equal(old) {
		t.Skip("this file system does not update access times (noatime)")
	}
	age()
	return old, atime
}
