//go:build amd64 && !purego

package gost

//go:generate go run gen_amd64.go

const haveAsm = true

// gAsm is gGeneric unrolled in assembly (streebog_amd64.s); h, n and m
// must not overlap.
//
//go:noescape
func gAsm(h, n, m *[8]uint64)

// blocksAsm is blocksGeneric in assembly; len(p) must be a multiple of 64
// and h, n and sigma must not overlap.
//
//go:noescape
func blocksAsm(h, n, sigma *[8]uint64, p []byte)

func compressFast(h, n, m *[8]uint64) { gAsm(h, n, m) }

func blocksFast(h, n, sigma *[8]uint64, p []byte) {
	blocksAsm(h, n, sigma, p[:len(p)&^(streebogBlock-1)])
}
