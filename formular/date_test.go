package formular

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want string // YYYY-MM-DD; "" for an error
	}{
		{"2027-06-01", "2027-06-01"},
		{"01.06.2027", "2027-06-01"},
		{"1.6.2027", "2027-06-01"},
		{"31.12.2099", "2099-12-31"},
		{"29.02.2028", "2028-02-29"},
		{"29.02.2027", ""}, // not a leap year
		{"31.02.2026", ""},
		{"2026-02-31", ""},
		{"2026-6-1", ""},
		{"06/01/2026", ""},
		{"01.06.27", ""},
		{"01.13.2027", ""},
		{"2027.06.01", ""},
		{"01-06-2027", ""},
		{" 01.06.2027", ""},
		{"01.06.2027 ", ""},
		{"", ""},
	} {
		got, err := ParseDate(tc.in, time.UTC)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("ParseDate(%q) = %v, want an error", tc.in, got)
		case tc.want != "" && err != nil:
			t.Errorf("ParseDate(%q): %v", tc.in, err)
		case tc.want != "" && got.Format(DateLayout) != tc.want:
			t.Errorf("ParseDate(%q) = %s, want %s", tc.in, got.Format(DateLayout), tc.want)
		}
	}
}

// FuzzParseDate holds that a date read in either form is the same date
// when written in the other, and that nothing panics.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2027-06-01", "01.06.2027", "1.6.2027", "31.02.2026", "..", "-", "2027-06-01.", "+1.+1.2027"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s, time.UTC)
		if err != nil {
			return
		}
		for _, again := range []string{d.Format(DateLayout), d.Format("02.01.2006")} {
			e, err := ParseDate(again, time.UTC)
			if err != nil || !e.Equal(d) {
				t.Fatalf("ParseDate(%q) = %v, but %q reads back as %v, %v", s, d, again, e, err)
			}
		}
	})
}
