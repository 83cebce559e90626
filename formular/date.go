package formular

import (
	"errors"
	"time"
)

// DateLayoutDotted is the date as Russian documents and people write it,
// day first: 01.06.2027 (one-digit day and month are accepted too).
const DateLayoutDotted = "2.1.2006"

// errDate names both forms a date may take on the command line.
var errDate = errors.New("expected a date YYYY-MM-DD or DD.MM.YYYY (2027-06-01 or 01.06.2027)")

// ParseDate reads a date a person typed, at midnight in loc: the
// formular's own YYYY-MM-DD, or DD.MM.YYYY. The two cannot be confused
// (one has dashes, the other dots), so no date is read as another. It is
// for the command line only: a formular's header dates stay YYYY-MM-DD,
// the one form the signed format allows.
func ParseDate(s string, loc *time.Location) (time.Time, error) {
	layout := DateLayout
	for i := 0; i < len(s); i++ {
		if s[i] == '.' {
			layout = DateLayoutDotted
			break
		}
	}
	t, err := time.ParseInLocation(layout, s, loc)
	if err != nil {
		return time.Time{}, errDate
	}
	return t, nil
}
