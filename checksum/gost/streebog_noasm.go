//go:build !amd64 || purego

package gost

const haveAsm = false

func compressFast(h, n, m *[8]uint64) { gGeneric(h, n, m) }
