//go:build !amd64 || purego

package gost

const haveAsm = false

func compressFast(h, n, m *[8]uint64) { gGeneric(h, n, m) }

func blocksFast(h, n, sigma *[8]uint64, p []byte) { blocksGeneric(h, n, sigma, p) }
