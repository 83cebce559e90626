package report

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/sverka/sverka/checksum"
	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/iso"
	"github.com/sverka/sverka/survey"
	"github.com/sverka/sverka/verify"
)

// TestBootMessagesInBothLanguages: the findings of real boot checks (an
// entry pointed at a hidden image, an entry pointed at another file, boot
// code a formular does not cover) are said in English as verify says
// them, and in Russian otherwise.
func TestBootMessagesInBothLanguages(t *testing.T) {
	src := filepath.Join("..", "testdata", "iso", "hybrid.iso")
	col, _ := checksum.ParseColumn("sha256")
	image, boot, media, _, err := survey.Image(context.Background(), src, []checksum.Column{col}, survey.Options{})
	if err != nil {
		t.Fatal(err)
	}
	orig, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	im, err := iso.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	rec := im.ElTorito.Entries[1].Record
	other := im.ElTorito.Entries[0].Start
	im.Close()
	point := func(sector uint32) string {
		b := append([]byte(nil), orig...)
		binary.LittleEndian.PutUint32(b[rec+8:], sector)
		binary.LittleEndian.PutUint16(b[rec+6:], 4)
		p := filepath.Join(t.TempDir(), "hybrid.iso")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	seen := map[verify.Code]bool{}
	for _, p := range []string{point(uint32(len(orig)/2048 - 1)), point(uint32(other / 2048))} {
		f := &formular.Formular{Version: 1, Tables: []*formular.Table{image, boot, media}}
		res, err := verify.Check(context.Background(), f, verify.Sources{Media: p, At: at})
		if err != nil {
			t.Fatal(err)
		}
		for _, tb := range res.Tables {
			for i := range tb.Items {
				it := &tb.Items[i]
				if it.DetailCode == "" || it.DetailCode == verify.DetailError {
					continue
				}
				seen[it.DetailCode] = true
				if got := en.detail(it); got != it.Detail {
					t.Errorf("%s in English: %q, verify says %q", it.DetailCode, got, it.Detail)
				}
				if ru := ru.detail(it); ru == it.Detail || strings.Contains(ru, "%!") {
					t.Errorf("%s in Russian: %q", it.DetailCode, ru)
				}
			}
		}
	}
	for _, c := range []verify.Code{verify.DetailBootImageUnlisted, verify.DetailBootEntryChanged} {
		if !seen[c] {
			t.Errorf("the checks gave no %s", c)
		}
	}

	f := &formular.Formular{Version: 1, Tables: []*formular.Table{media}}
	res, err := verify.Check(context.Background(), f, verify.Sources{Media: src, At: at})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Scope.Uncovered) != 1 {
		t.Fatalf("uncovered %v", res.Scope.Uncovered)
	}
	m := &res.Scope.Uncovered[0]
	if got := en.message(m, en.status); got != m.Text {
		t.Errorf("in English %q, verify says %q", got, m.Text)
	}
	if got := ru.message(m, ru.status); got != "загрузочный код формуляром не охвачен" {
		t.Errorf("in Russian %q", got)
	}
}
