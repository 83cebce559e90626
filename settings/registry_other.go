//go:build !windows

package settings

import "fmt"

// OpenRegistry reads the live Windows registry; on other systems there is
// none. A regedit export of the key can be read with Open and format reg.
func OpenRegistry(root string) (Source, error) {
	return nil, fmt.Errorf("settings registry %s: the live registry is only available on Windows (read a regedit export with format reg)", root)
}
