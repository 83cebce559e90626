// Package checksum owns everything about digests: the registry of algorithms
// by name, hashing several algorithms from one read, the parallel scheduler
// that hashes many files on all cores, and reading and writing the checksum
// lists other tools produce (GNU coreutils, BSD tags, hashdeep, rhash, dpkg
// md5sums, the GOST tools).
package checksum
