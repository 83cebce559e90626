package wintest

import "golang.org/x/sys/windows"

// Wine reports whether the program runs under Wine: its ntdll exports
// wine_get_version, which Windows' does not.
func Wine() bool {
	ntdll := windows.NewLazySystemDLL("ntdll.dll")
	return ntdll.NewProc("wine_get_version").Find() == nil
}
