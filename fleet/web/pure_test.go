package web

import (
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/sverka/sverka/fleet"
)

func TestAcceptLanguage(t *testing.T) {
	for _, c := range []struct{ h, want string }{
		{"", ""},
		{"ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"},
		{"en-GB,en;q=0.9,ru;q=0.8", "en"},
		{"de-DE,de;q=0.9,ru;q=0.5,en;q=0.4", "ru"},
		{"de, fr", ""},
		{"en;q=0.2, ru;q=0.9", "ru"},
		{"ru;q=0, en;q=0.1", "en"},
		{"ru;q=abc, en", "en"},
		{"RU", "ru"},
		{"ru;q=2, en;q=0.5", "en"},
		{"*", ""},
	} {
		if got := AcceptLanguage(c.h); got != c.want {
			t.Errorf("AcceptLanguage(%q) = %q, want %q", c.h, got, c.want)
		}
	}
}

func TestNegotiate(t *testing.T) {
	for _, c := range []struct{ q, h, def, want string }{
		{"", "", "ru", "ru"},
		{"", "en", "ru", "en"},
		{"ru", "en", "en", "ru"},
		{"en", "ru", "ru", "en"},
		{"de", "", "ru", ""},
	} {
		got, err := Negotiate(c.q, c.h, c.def)
		if got != c.want || (err != nil) != (c.want == "") {
			t.Errorf("Negotiate(%q, %q, %q) = %q, %v; want %q", c.q, c.h, c.def, got, err, c.want)
		}
	}
}

func TestParseFilter(t *testing.T) {
	sha := strings.Repeat("0a", 32)
	for _, c := range []struct {
		q    string
		want fleet.Filter
		err  string
	}{
		{"", fleet.Filter{}, ""},
		{"lang=ru", fleet.Filter{}, ""},
		{"state=nothold&group=dc&group=web&product=KESL", fleet.Filter{State: fleet.NotHold, Groups: []string{"dc", "web"}, Product: "KESL"}, ""},
		{"state=overdue", fleet.Filter{State: fleet.Overdue}, ""},
		{"state=&group=&product=&formular=", fleet.Filter{}, ""},
		{"formular=" + strings.ToUpper(sha), fleet.Filter{FormularSHA256: sha}, ""},
		{"state=broken", fleet.Filter{}, `state must be holds, nothold, cannot or overdue, not "broken"`},
		{"formular=abc", fleet.Filter{}, "formular must be a SHA-256"},
		{"host=x", fleet.Filter{}, `unknown parameter "host"`},
		{"state=holds&state=cannot", fleet.Filter{}, "state given 2 times"},
		{"product=" + strings.Repeat("a", 2000), fleet.Filter{}, "longer than"},
	} {
		q, err := url.ParseQuery(c.q)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ParseFilter(q)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("ParseFilter(%q): %v, want an error with %q", c.q, err, c.err)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("ParseFilter(%q) = %+v, %v; want %+v", c.q, got, err, c.want)
		}
	}
}

func FuzzParseFilter(f *testing.F) {
	f.Add("state=nothold&group=dc&group=web&product=KESL&lang=ru")
	f.Add("formular=" + strings.Repeat("ab", 32))
	f.Add("state=%00&group=%ff")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		fl, err := ParseFilter(q)
		if err != nil {
			return
		}
		// What a page links to gives the same filter back.
		back, err := ParseFilter(filterQuery(fl, "en"))
		if err != nil || !reflect.DeepEqual(back, fl) {
			t.Fatalf("%q: %+v does not read back: %+v, %v", raw, fl, back, err)
		}
	})
}

func FuzzAcceptLanguage(f *testing.F) {
	f.Add("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7")
	f.Add("en;q=0.2, ru;q=0.9")
	f.Add(";;q=,=")
	f.Fuzz(func(t *testing.T, h string) {
		if l := AcceptLanguage(h); l != "" && l != "ru" && l != "en" {
			t.Fatalf("AcceptLanguage(%q) = %q", h, l)
		}
	})
}

func TestProtocolPolicy(t *testing.T) {
	doc := []byte(`<html><head><style>body { color: red; }</style></head><body><col style="width:5%"><col style="width:5%"><p>x</p></body></html>`)
	p := ProtocolPolicy(doc)
	// sha256 of "body { color: red; }" and of "width:5%", once.
	for _, want := range []string{"default-src 'none'", "'unsafe-hashes'", "'sha256-", "form-action 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(p, want) {
			t.Errorf("policy %q lacks %q", p, want)
		}
	}
	if n := strings.Count(p, "'sha256-"); n != 2 {
		t.Errorf("policy %q: %d hashes, want 2 (the style element, one attribute value)", p, n)
	}
	if strings.Contains(p, "unsafe-inline") || strings.Contains(p, "script-src") {
		t.Errorf("policy %q allows more than the document's own styles", p)
	}
	if p := ProtocolPolicy([]byte("<p>plain</p>")); !strings.Contains(p, "style-src 'none'") {
		t.Errorf("a document without styles: %q", p)
	}
}

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"web-1": "web-1", "=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1": "'+1", "-2": "'-2", "@SUM": "'@SUM", "": "",
		"\tx": "'\tx", "a=b": "a=b",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEndings(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	host := func(id string, valid, support time.Time) fleet.HostState {
		return fleet.HostState{HostID: id, Last: fleet.Check{ValidUntil: valid, SupportUntil: support}}
	}
	far := now.AddDate(5, 0, 0)
	hosts := []fleet.HostState{
		host("far", far, far),
		host("soon", now.AddDate(0, 0, 30), far),
		host("support", far, now.AddDate(0, 0, 10)),
		host("ended", now.AddDate(0, 0, -3), now.AddDate(0, 0, -3)),
		host("none", time.Time{}, time.Time{}),
	}
	got := Endings(hosts, now, 90*24*time.Hour)
	var ids []string
	for _, e := range got {
		ids = append(ids, e.Host.HostID+"/"+e.Key)
	}
	want := []string{"ended/cert-valid", "ended/cert-support", "support/cert-support", "soon/cert-valid"}
	if !reflect.DeepEqual(ids, want) {
		t.Errorf("Endings = %v, want %v", ids, want)
	}
	if d := daysLeft(now, now.AddDate(0, 0, 30)); d != 30 {
		t.Errorf("daysLeft 30 days ahead = %d", d)
	}
}

func TestTrendOf(t *testing.T) {
	days := []fleet.Day{
		{Date: time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC), Holds: 3, NotHold: 1},
		{Date: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC), Holds: 1, NotHold: 0, CannotCheck: 1, Overdue: 2},
	}
	tr := trendOf("en", days)
	if len(tr.Bars) != 2 {
		t.Fatalf("%d bars", len(tr.Bars))
	}
	// The tallest day fills the chart; the other is as tall as its count.
	height := func(b bar) int {
		h := 0
		for _, p := range b.Parts {
			h += p.H
		}
		return h
	}
	if height(tr.Bars[0]) != 160 || height(tr.Bars[1]) != 160 {
		t.Errorf("bar heights %d, %d; want 160 each (4 hosts each)", height(tr.Bars[0]), height(tr.Bars[1]))
	}
	if len(tr.Bars[1].Parts) != 3 || tr.Bars[1].Parts[2].Class != "overdue" {
		t.Errorf("second bar %+v", tr.Bars[1].Parts)
	}
	if !strings.Contains(tr.Bars[0].Title, "holds 3, not hold 1") {
		t.Errorf("title %q", tr.Bars[0].Title)
	}
	if tr.Bars[1].Label != "30.11" {
		t.Errorf("the last day is labelled %q", tr.Bars[1].Label)
	}
}
