package hostinfo

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"time"
)

// machineID is the IOPlatformUUID of the Mac, as ioreg prints it. ioreg
// missing (a stripped system) means there is none to take; ioreg failing
// or printing no usable UUID is an error.
func machineID() (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "ioreg", "-rd1", "-c", "IOPlatformExpertDevice").Output()
	if errors.Is(err, exec.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("machine id: ioreg -rd1 -c IOPlatformExpertDevice: %w", err)
	}
	id, err := ParseIOReg(out)
	if err != nil {
		return "", fmt.Errorf("machine id: %w", err)
	}
	return id, nil
}
