package report

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/sverka/sverka/formular"
	"github.com/sverka/sverka/sign"
	"github.com/sverka/sverka/verify"
)

// A check that could not be made reports CANNOT CHECK with what was learnt
// of the formular, and no sources; the check date keeps its day only.
func TestBuildCannotCheck(t *testing.T) {
	at := time.Date(2026, 3, 4, 15, 16, 17, 0, time.UTC)
	f := &formular.Formular{Header: []formular.Field{{Key: "product", Value: "P"}}}
	rep := Build(BuildInput{
		Tool: Tool{Name: "sverka"}, Run: Run{Start: at}, At: at,
		Formular: &verify.Signed{Path: "f.txt", SHA256: "ab", Formular: f, Signature: &sign.Detached{KeyID: "K"}},
		Targets:  Targets{Media: "kit"}, Err: errors.New("media: gone"),
		Result: &verify.Result{Verdict: verify.Holds},
	})
	if rep.Schema != Schema || rep.Result.Verdict != verify.CannotCheck || rep.Sources.Media != nil {
		t.Errorf("report: %+v", rep)
	}
	if len(rep.Result.Reasons) != 1 || rep.Result.Reasons[0].Code != verify.CodeCannotCheck {
		t.Errorf("reasons: %+v", rep.Result.Reasons)
	}
	if rep.Formular.Path != "f.txt" || rep.Formular.SHA256 != "ab" || rep.Formular.Get("product") != "P" ||
		rep.Formular.Signature == nil || rep.Formular.Signature.KeyID != "K" || !rep.Formular.Signature.Verified {
		t.Errorf("formular: %+v", rep.Formular)
	}
	if want := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC); !rep.Run.CheckDate.Equal(want) {
		t.Errorf("check date %v", rep.Run.CheckDate)
	}
}

// The sources name the media as read, each modules table's root as the
// formular writes it, the variables no table names, and the settings.
func TestSourcesOf(t *testing.T) {
	f := &formular.Formular{Tables: []*formular.Table{
		{Kind: formular.KindMedia, Line: 3},
		{Kind: formular.KindModules, Line: 9, Root: "${APP}"},
		{Kind: formular.KindParameters, Line: 20},
	}}
	res := &verify.Result{Tables: []verify.Table{
		{Kind: formular.KindMedia, Line: 3, Items: []verify.Item{{ActualSize: size(10)}, {}, {ActualSize: size(5)}}},
		{Kind: formular.KindModules, Line: 9, Root: "/opt/app"},
		{Kind: formular.KindParameters, Line: 20, Source: "app.ini"},
	}}
	s := SourcesOf(Targets{Media: "kit", Vars: map[string]string{"APP": "/opt/app", "LIB": "/lib"}}, f, res)
	want := Sources{
		Media:     &Media{Path: "kit", Kind: MediaDirectory, Size: 15},
		Installed: &Installed{Vars: []Var{{Name: "${APP}", Path: "/opt/app"}, {Name: "LIB", Path: "/lib"}}},
		Settings:  []string{"app.ini"},
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("sources\n got %+v %+v\nwant %+v %+v", s.Media, s.Installed, want.Media, want.Installed)
	}

	img := &verify.Result{Image: &verify.ImageInfo{Kind: MediaImage, Size: 2048, Digests: []verify.Digest{{Alg: "sha256", Hex: "00"}}}}
	s = SourcesOf(Targets{Media: "kit.iso"}, nil, img)
	if m := s.Media; m == nil || m.Kind != MediaImage || m.Size != 2048 || len(m.Digests) != 1 || m.ImplantedMD5 == nil || m.ImplantedMD5.Present {
		t.Errorf("image without an implanted MD5: %+v", m)
	}
	if s.Installed != nil {
		t.Errorf("installed without --installed or --var: %+v", s.Installed)
	}
	img.Image.ImplantedMD5 = &verify.ImplantedMD5{OK: true, Expected: "e", Computed: "e"}
	if m := SourcesOf(Targets{Media: "kit.iso"}, nil, img).Media; !m.ImplantedMD5.Present || !m.ImplantedMD5.OK {
		t.Errorf("image with an implanted MD5: %+v", m.ImplantedMD5)
	}
}
