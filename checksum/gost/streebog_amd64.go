//go:build amd64 && !purego

package gost

//go:generate go run gen_amd64.go

const haveAsm = true

// gAsm is gGeneric unrolled in assembly (streebog_amd64.s); h, n and m
// must not overlap.
//
//go:noescape
func gAsm(h, n, m *[8]uint64)

func compressFast(h, n, m *[8]uint64) { gAsm(h, n, m) }
