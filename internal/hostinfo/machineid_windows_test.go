package hostinfo

import "testing"

// Windows setup writes a MachineGuid; the id taken is it, in lower case.
func TestMachineIDWindows(t *testing.T) {
	id, err := machineID()
	if err != nil {
		t.Fatal(err)
	}
	if id == "" {
		t.Skip("no MachineGuid on this system")
	}
	if got, err := ParseUUID(id); err != nil || got != id {
		t.Errorf("machine id %q is not a lower-case UUID: %v", id, err)
	}
}
