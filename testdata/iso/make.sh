#!/bin/sh
# Regenerates the ISO fixtures of this directory from src/ and plain/.
#
# Needs: xorriso, implantisomd5 and checkisomd5 (isomd5sum), sha256sum, and
# for the hybrid image isolinux's isohdpfx.bin (Debian package isolinux;
# override its location with ISOHDPFX=...).
#
# Every image NAME.iso comes with NAME.sha256: GNU sha256sum lines for every
# regular file of the tree the image was made from, computed on that tree, so
# the tests compare what the iso package reads from the image against digests
# made without it.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

ISOHDPFX=${ISOHDPFX:-/usr/lib/ISOLINUX/isohdpfx.bin}
# Fixed dates keep regenerated images byte-identical.
export SOURCE_DATE_EPOCH=1700000000

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM

# stage DIR NAME: copies DIR into the work area.
stage() {
	rm -rf "$work/$2"
	cp -a "$1" "$work/$2"
}

# freeze NAME: fixed dates on every file of a staged tree, once complete.
freeze() {
	find "$work/$1" -exec touch -h -d @"$SOURCE_DATE_EPOCH" {} +
}

# manifest TREE NAME: sha256sum lines for every regular file of TREE.
manifest() {
	(cd "$1" && find . -type f ! -name '.keep' | sed 's|^\./||' | LC_ALL=C sort |
		while IFS= read -r f; do sha256sum -- "$f"; done) >"$2.sha256"
}

mk() {
	xorriso -report_about WARNING -as mkisofs -no-pad "$@"
}

# Rock Ridge + Joliet: Cyrillic names, nested and deep directories, an empty
# file, a name long enough to need a continuation area, a symbolic link and
# a hard link (both names keep the same data extent).
stage src rrjoliet
ln -s readme.txt "$work/rrjoliet/link-to-readme"
ln "$work/rrjoliet/bin/kesl" "$work/rrjoliet/bin/kesl-hardlink"
freeze rrjoliet
mk -R -J -joliet-long -V RRJOLIET -o rrjoliet.iso "$work/rrjoliet"
manifest "$work/rrjoliet" rrjoliet

# Joliet only: no Rock Ridge, names come from the Joliet tree.
stage src joliet
freeze joliet
mk --norock -J -joliet-long -V JOLIET -o joliet.iso "$work/joliet"
manifest "$work/joliet" joliet

# Plain ISO 9660, no extension: names as recorded, version ";1" dropped.
stage plain plain
freeze plain
mk --norock -iso-level 1 -V PLAIN -o plain.iso "$work/plain"
manifest "$work/plain" plain

# Hybrid like distribution install images: isohybrid MBR with a GPT, El
# Torito BIOS and EFI boot images. The boot catalogue boot/boot.cat is made
# by xorriso and is a member without a source file.
stage plain hybrid
mkdir -p "$work/hybrid/boot"
head -c 2048 /dev/zero | tr '\0' 'B' >"$work/hybrid/boot/boot.img"
head -c 8192 /dev/zero | tr '\0' 'E' >"$work/hybrid/boot/efi.img"
freeze hybrid
mk -R -J -V HYBRID \
	-isohybrid-mbr "$ISOHDPFX" \
	-b boot/boot.img -c boot/boot.cat -no-emul-boot -boot-load-size 4 \
	-eltorito-alt-boot -e boot/efi.img -no-emul-boot -isohybrid-gpt-basdat \
	-partition_cyl_align off -o hybrid.iso "$work/hybrid"
manifest "$work/hybrid" hybrid

# Implanted MD5 (isomd5sum), with checkisomd5's verdict recorded.
# checkisomd5 checks a fragment sum after each 32 KiB read, so fragments
# (a twenty-first of the image) must span more than one read: the image has
# to be larger than about 700 KiB. The filler compresses to nothing.
stage plain md5
head -c 720896 /dev/zero | tr '\0' 'M' >"$work/md5/FILLER.BIN"
freeze md5
mk -R -J -V MD5 -o md5.iso "$work/md5"
implantisomd5 --force md5.iso >/dev/null
manifest "$work/md5" md5
checkisomd5 --verbose md5.iso >md5.checkisomd5.txt 2>&1 || true
checkisomd5 --md5sumonly md5.iso >>md5.checkisomd5.txt 2>&1 || true
