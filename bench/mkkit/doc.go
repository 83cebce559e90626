// Command mkkit writes the deterministic trees that bench/run measures
// sverka against its peers on, and their reference checksum lists.
//
//	go run ./bench/mkkit -o DIR            an installation kit of about 1.1 GB
//	go run ./bench/mkkit --many -o DIR     an installed tree of 100,000 files
//
// The kit holds a 400 MB and a 300 MB file, a 20 MB file with a Cyrillic
// name and 2,000 smaller files with log-normal sizes (380 MB in all) in
// nested directories with Cyrillic and ASCII names. The installed tree holds
// 100,000 files with log-normal sizes (600 MB in all) in 200 directories.
// --scale F multiplies every size (and, with --many, the number of files)
// for quick tries. --files N, with --many, writes N files instead (their
// bytes still 600 MB times F): with a small F, a table of a million rows
// whose cost is the bookkeeping, not the hashing. --big F makes the kit's
// largest file the share F of its bytes, the other files shrunk to fit
// (--big 0.8: the 400 MB file and 100 MB of others), for the case a kit
// finishes when its largest file does.
//
// Every name, size and byte follows from a fixed seed through integer
// arithmetic only (splitmix64, a fixed-point log-normal), so two machines of
// any architecture write the same bytes; modification times are fixed too,
// so an ISO image made from the kit is reproducible.
//
// The reference lists go to a sibling directory, DIR.lists unless --lists
// says otherwise, so that they are not part of the tree they describe:
// SHA256SUMS (made by sha256sum), and for the kit B3SUMS (b3sum) and HASHDEEP
// (a hashdeep audit file, sha256). They are made by the real tools, the way
// a vendor makes them:
//
//	cd DIR && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
//
// DIR.lists/KIT describes what was written; bench/run reads it.
package main
