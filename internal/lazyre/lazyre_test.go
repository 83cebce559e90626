package lazyre

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

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

// Every expression the module hands to New compiles: one that does not
// would panic only on its first use, in whatever run first takes that
// path, where it used to stop every command at its start.
func TestModuleExpressionsCompile(t *testing.T) {
	root := filepath.Join("..", "..")
	found := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "New" {
				return true
			}
			if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "lazyre" {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				t.Errorf("%s: lazyre.New of %T, want a string literal this test can compile", path, call.Args[0])
				return true
			}
			expr, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Errorf("%s: %v", path, err)
				return true
			}
			if _, err := regexp.Compile(expr); err != nil {
				t.Errorf("%s: %v", path, err)
			}
			found++
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if found < 20 {
		t.Errorf("found %d expressions made by lazyre.New in the module, want the 20 or more it has", found)
	}
}
