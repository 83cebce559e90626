package formular

import (
	"strings"
	"testing"
)

func TestCheckSourceVar(t *testing.T) {
	modules := &Table{Kind: KindModules, Root: "${INSTALLDIR}", Defaults: map[string]string{"": "/opt/x"}}
	tests := []struct {
		name   string
		tables []*Table
		source string
		want   string // a part of the error; "" for none
	}{
		{"declared", []*Table{modules}, "${INSTALLDIR}/etc/x.ini", ""},
		{"a path", nil, "/etc/x.ini", ""},
		{"no source", nil, "", ""},
		{"Windows variable", nil, `%ProgramData%\Vendor\x.reg`, ""},
		{"Windows variable, other case", nil, `%programdata%\Vendor\x.reg`, ""},
		{"misspelt", []*Table{modules}, "${INSTALDIR}/etc/x.ini", "no modules table declares the root variable INSTALDIR, so verify cannot find the file without --var INSTALDIR=PATH; the formular declares INSTALLDIR"},
		{"none declared", nil, "${INSTALLDIR}/etc/x.ini", "the formular declares no root variable"},
		{"not a Windows variable", nil, `%VendorDir%\x.reg`, "--var VendorDir=PATH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &Table{Kind: KindParameters, Source: tt.source, Format: "ini"}
			f := &Formular{Tables: append(append([]*Table(nil), tt.tables...), p)}
			err := f.CheckSourceVar(p)
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("unexpected error %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}
