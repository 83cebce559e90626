package hostinfo

import (
	"fmt"

	"golang.org/x/sys/windows"
)

// osVersion returns the Windows version and build, e.g. "10.0.19045".
func osVersion() string {
	v := windows.RtlGetVersion()
	return fmt.Sprintf("%d.%d.%d", v.MajorVersion, v.MinorVersion, v.BuildNumber)
}
