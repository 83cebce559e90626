// Package formular owns the formular document: the signed, canonical text
// file that lists what a certified kit must contain. It holds the model
// (header fields and tables of images, media files, installed modules and
// safe parameters), the strict parser, the canonical writer, the evaluation
// of one parameter constraint against an observed value, and the trusted
// comment a formular is signed with (package sign makes and checks the
// signatures).
//
// The file format is specified in docs/formular.md.
package formular
