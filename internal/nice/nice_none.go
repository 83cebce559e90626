//go:build !unix && !windows

package nice

import "errors"

// Lower fails where the system offers no way of lowering a priority that
// sverka knows.
func Lower() (Lowered, error) {
	return Lowered{}, errors.New("lowering the priority is not supported on this system")
}
