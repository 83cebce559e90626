// Package survey reads a kit, an installed tree or an image and writes
// the formular tables that describe it: what `formular make` records,
// read from the media as verify later reads them. The formular model
// itself (package formular) reads no media.
package survey
