package hostinfo

import (
	"errors"
	"fmt"

	"golang.org/x/sys/windows/registry"
)

// machineID is the MachineGuid that Windows setup writes under
// HKLM\SOFTWARE\Microsoft\Cryptography. The 64-bit view is read, the
// one that holds it, whatever this build's architecture.
func machineID() (string, error) {
	const key = `HKLM\SOFTWARE\Microsoft\Cryptography`
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `SOFTWARE\Microsoft\Cryptography`, registry.QUERY_VALUE|registry.WOW64_64KEY)
	if errors.Is(err, registry.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("machine id: %s: %w", key, err)
	}
	defer k.Close()
	v, _, err := k.GetStringValue("MachineGuid")
	if errors.Is(err, registry.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("machine id: %s\\MachineGuid: %w", key, err)
	}
	id, err := ParseUUID(v)
	if err != nil {
		return "", fmt.Errorf("machine id: %s\\MachineGuid: %w", key, err)
	}
	return id, nil
}
