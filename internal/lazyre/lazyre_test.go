package lazyre

import "testing"

func TestNewCompilesOnce(t *testing.T) {
	re := New(`^[0-9a-f]{4}$`)
	first, second := re(), re()
	if first != second {
		t.Fatal("two calls gave two expressions; want the one compiled on the first")
	}
	for _, c := range []struct {
		s    string
		want bool
	}{{"00ff", true}, {"00FF", false}, {"0ff", false}, {"00ff0", false}} {
		if got := Match(re)(c.s); got != c.want {
			t.Errorf("Match(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

func TestNewBadExpressionPanicsOnFirstUse(t *testing.T) {
	re := New(`(`) // not compiled yet: making it must not panic
	defer func() {
		if recover() == nil {
			t.Error("an expression that does not compile did not panic on its first use")
		}
	}()
	re()
}
