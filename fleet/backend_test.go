package fleet

import "testing"

func backends(t *testing.T) []backend { return []backend{sqliteBackend()} }
