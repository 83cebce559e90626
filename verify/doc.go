// Package verify compares what a formular expects with what was observed on
// the media, the installed product and its settings, and turns the
// differences into findings and one verdict. It fails closed: whatever could
// not be checked never counts as OK.
package verify
