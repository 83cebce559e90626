package formular

import "strings"

// Own copies every string of f out of the bytes ParseBytes cut them from,
// so that those bytes can go: of a million-row formular's 100 MB, the
// names are 30 and the rest is hex already decoded. The names go into one
// block; the few other strings are copied one by one.
func (f *Formular) Own() {
	for i := range f.Header {
		h := &f.Header[i]
		h.Key, h.Value = strings.Clone(h.Key), strings.Clone(h.Value)
	}
	for _, t := range f.Tables {
		t.own()
	}
}

func (t *Table) own() {
	t.Kind = Kind(strings.Clone(string(t.Kind)))
	t.Root, t.OS = strings.Clone(t.Root), strings.Clone(t.OS)
	t.Source, t.Format = strings.Clone(t.Source), strings.Clone(t.Format)
	for i := range t.Exclude {
		t.Exclude[i] = strings.Clone(t.Exclude[i])
	}
	if t.Defaults != nil {
		d := make(map[string]string, len(t.Defaults))
		for k, v := range t.Defaults {
			d[strings.Clone(k)] = strings.Clone(v)
		}
		t.Defaults = d
	}
	n := 0
	for i := range t.Entries {
		n += len(t.Entries[i].Path)
	}
	var b strings.Builder
	b.Grow(n)
	for i := range t.Entries {
		b.WriteString(t.Entries[i].Path)
	}
	names := b.String()
	at := 0
	for i := range t.Entries {
		e := &t.Entries[i]
		e.Path = names[at : at+len(e.Path)]
		at += len(e.Path)
	}
	for i := range t.Params {
		p := &t.Params[i]
		p.Key, p.Op = strings.Clone(p.Key), strings.Clone(p.Op)
		p.Lo, p.Hi = strings.Clone(p.Lo), strings.Clone(p.Hi)
		p.Pattern, p.Note = strings.Clone(p.Pattern), strings.Clone(p.Note)
		for j := range p.Values {
			p.Values[j] = strings.Clone(p.Values[j])
		}
	}
}
