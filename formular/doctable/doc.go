// Package doctable reads checksum tables out of the documents users are
// given: free text (the output of `pdftotext -layout` of a vendor's
// formular, or a table copied out of a document) and Word documents (.docx,
// read directly with archive/zip and encoding/xml).
//
// It pairs each file name with the digests on its row, detects each digest
// column's algorithm from the column header and the digest length, and
// accounts for every line it could not use. It never guesses between
// algorithms of the same length: the caller says which with Options.Algs.
package doctable
