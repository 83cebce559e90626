// Package gost implements the Russian national hash functions that
// certified software formulars list: Streebog (GOST R 34.11-2012, RFC 6986)
// with 256- and 512-bit digests, and GOST R 34.11-94 (RFC 5831) with the
// test and the CryptoPro (RFC 4357) parameter sets.
//
// Digests are returned in the byte order that rhash and `openssl dgst`
// print: the little-endian encoding of the standard's integers. The
// standards and RFCs write the same values as big-endian numbers, so their
// printed examples read reversed; gostsum prints GOST R 34.11-94 reversed
// too.
//
// The implementations are table driven: Streebog's LPS transformation is
// eight 256-entry tables, and each pair of GOST 28147-89 S-boxes is merged
// with the cipher's 11-bit rotation into one 256-entry table.
package gost
