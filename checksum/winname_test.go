package checksum

import (
	"errors"
	"testing"
)

func TestWindowsName(t *testing.T) {
	for _, c := range []struct {
		path string
		want error
	}{
		{`kit\a.dll`, nil},
		{`C:\Program Files\Demo\agent.exe`, nil},
		{`..\kit\.\a.dll`, nil},
		{`\\?\C:\kit\a.dll`, nil},
		{"kit/NUL", ErrReservedName},
		{`kit\nul`, ErrReservedName},
		{`kit\NUL.txt`, ErrReservedName},
		{`kit\Con.tar.gz`, ErrReservedName},
		{`kit\AUX .txt`, ErrReservedName},
		{`kit\COM1`, ErrReservedName},
		{`kit\com9.log`, ErrReservedName},
		{`kit\LPT3`, ErrReservedName},
		{`kit\COM²`, ErrReservedName},
		{`kit\CONIN$`, ErrReservedName},
		{`kit\prn\a.dll`, ErrReservedName},
		{`kit\COM0`, nil},
		{`kit\COM10`, nil},
		{`kit\console.exe`, nil},
		{`kit\nullsoft.dll`, nil},
		{`kit\CONFIG.SYS`, nil},
		{`kit\a.dll.`, ErrDotSpaceName},
		{`kit\a.dll `, ErrDotSpaceName},
		{`kit\dir.\a.dll`, ErrDotSpaceName},
		{`kit/.hidden`, nil},
	} {
		err := WindowsName(c.path)
		if !errors.Is(err, c.want) || (c.want == nil) != (err == nil) {
			t.Errorf("WindowsName(%q) = %v, want %v", c.path, err, c.want)
		}
	}
}
