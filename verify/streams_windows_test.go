package verify

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/internal/wintest"
)

// TestAlternateStreamFails: on NTFS a module of a closed modules table
// carrying a stream no row lists (agent.exe:payload) is MODIFIED, naming
// the stream; an open table does not look.
func TestAlternateStreamFails(t *testing.T) {
	if wintest.Wine() {
		t.Skip("Wine keeps no streams: FindFirstStreamW answers ERROR_HANDLE_EOF for every file, and agent.exe:payload is a file of that name")
	}
	root := kit(t, map[string]string{"agent.exe": "MZ"})
	tab := tableOf(t, formular.KindModules, root, "sha256")
	tab.Closed = true
	if err := os.WriteFile(filepath.Join(root, "agent.exe:payload"), []byte("code"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := CheckTree(context.Background(), tab, root, TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	it := all(&out)[0]
	if it.Status != Modified || !it.Failure || it.DetailCode != DetailAlternateStream || it.DetailArgs["streams"] != "payload" {
		t.Errorf("agent.exe with a stream: %+v; want MODIFIED, alternate-stream payload", it)
	}
	tab.Closed = false
	out, err = CheckTree(context.Background(), tab, root, TreeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if it := all(&out)[0]; it.Status != OK {
		t.Errorf("open table: %+v; want OK", it)
	}
}
