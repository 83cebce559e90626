//go:build !windows && !darwin

package hostinfo

// machineID is the systemd or D-Bus machine id (machine-id(5)): the
// second file is where D-Bus keeps it on systems without systemd.
func machineID() (string, error) {
	return readMachineIDFiles("/etc/machine-id", "/var/lib/dbus/machine-id")
}
