package wintest

import (
	"os"
	"testing"
)

// TestWine holds Wine to what .ci/wine says: it sets SVERKA_WINE=1 for
// the tests it runs under Wine.
func TestWine(t *testing.T) {
	want := os.Getenv("SVERKA_WINE") == "1"
	if got := Wine(); got != want {
		t.Errorf("Wine() = %v, SVERKA_WINE=%q", got, os.Getenv("SVERKA_WINE"))
	}
}
