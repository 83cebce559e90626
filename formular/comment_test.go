package formular

import "testing"

func TestTrustedComment(t *testing.T) {
	f := mustParse(t, "sverka-formular 1\nversion: 2\nproduct: P\nformular-id: F 1\n\n[media sha256]\n")
	if got, want := TrustedComment(f), "sverka formular; formular-id: F 1; product: P; version: 2"; got != want {
		t.Errorf("got %q want %q", got, want)
	}
	if got := TrustedComment(&Formular{}); got != "sverka formular" {
		t.Errorf("empty header: %q", got)
	}
}
