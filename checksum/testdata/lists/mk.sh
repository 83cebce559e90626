#!/bin/sh
# Remakes the checksum lists in this directory with the real tools
# (Debian packages coreutils, b3sum, rhash, hashdeep, gostsum). The tests
# read the committed lists and never need the tools. Run from this
# directory: sh mk.sh
set -eu
cd files
set -- a,b.txt empty foo.txt 'two  spaces' 'имя файла.txt'

sha256sum "$@" > ../sha256sum.txt
sha256sum --tag "$@" > ../sha256sum-tag.txt
md5sum -b "$@" > ../md5sum-binary.txt
b3sum "$@" > ../b3sum.txt

rhash --sha256 "$@" > ../rhash-sha256.txt
rhash --sha256 --gost12-256 --gost94-cryptopro "$@" > ../rhash-multi.txt
rhash --simple --md5 --sha1 "$@" > ../rhash-simple-md5-sha1.txt
rhash --uppercase --sha256 --gost12-512 "$@" > ../rhash-upper.txt
rhash --gost-reverse --gost94-cryptopro --gost12-256 "$@" > ../rhash-gost-reverse.txt
rhash --crc32 --sha256 "$@" > ../rhash-crc32-sha256.txt
rhash --bsd --sha256 --gost12-256 "$@" > ../rhash-bsd.txt
rhash --bsd --gost-reverse --gost94 --md5 "$@" > ../rhash-bsd-reverse.txt

# hashdeep records the directory it ran in; the line is rewritten so the
# lists do not carry the directory of the machine that made them.
hd() { sed 's|^## Invoked from: .*|## Invoked from: /home/user/kit|'; }
hashdeep -l "$@" | hd > ../hashdeep.txt
hashdeep -l -c sha1,tiger "$@" | hd > ../hashdeep-sha1-tiger.txt
hashdeep -l -c tiger,whirlpool "$@" | hd > ../hashdeep-tiger-whirlpool.txt

gostsum "$@" > ../gostsum.txt
gostsum -t "$@" > ../gostsum-t.txt
gost12sum "$@" > ../gost12sum.txt
gost12sum -l "$@" > ../gost12sum-l.txt

# Names that need GNU escaping cannot live in the repository: they are
# made in a scratch directory and only their lists are kept. Contents:
# back\slash holds "a\b", new<LF>line holds "z", cr<CR>name holds "a<CR>b".
tmp=$(mktemp -d)
(
	cd "$tmp"
	printf 'a\\b' > 'back\slash'
	printf 'z' > "$(printf 'new\nline')"
	printf 'a\rb' > "$(printf 'cr\rname')"
	sha256sum 'back\slash' "$(printf 'new\nline')" "$(printf 'cr\rname')" > escaped.txt
	sha256sum --tag 'back\slash' "$(printf 'new\nline')" "$(printf 'cr\rname')" > escaped-tag.txt
)
mv "$tmp/escaped.txt" ../sha256sum-escaped.txt
mv "$tmp/escaped-tag.txt" ../sha256sum-escaped-tag.txt
rm -r "$tmp"

# A dpkg md5sums file as dpkg installs it, with one of the files it lists.
cp /var/lib/dpkg/info/gostsum.md5sums ../gostsum.md5sums
mkdir -p ../dpkg-root/usr/share/doc/gostsum
cp /usr/share/doc/gostsum/copyright ../dpkg-root/usr/share/doc/gostsum/copyright
