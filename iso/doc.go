// Package iso reads ISO 9660 media: an image file or an optical drive's
// block device, always read-only.
//
// It owns three things:
//
//   - Open: the volume descriptors and every directory tree a reader can
//     see (the primary tree by its Rock Ridge and by its plain names, the
//     Joliet tree, and their path tables), giving every regular file (a
//     member) with its name (Rock Ridge, else Joliet, else ISO 9660
//     without the ";1" version) and its extents on the image, including
//     files of several extents and members sharing extents; and every
//     place where the trees disagree, or hold one name twice (Conflicts).
//     Structures that readers are known to read differently are refused.
//   - Scan: one ordered pass over the image, start to end, in large
//     sequential reads, feeding the whole-image digests and every member's
//     digests as the read passes its extents; the hashing runs on all cores
//     while the reader never seeks backwards (an optical drive would thrash).
//   - ImplantedMD5: the isomd5sum scheme of install media (implantisomd5 /
//     checkisomd5), checked exactly as checkisomd5 checks it.
//
// The directory structures are parsed here rather than through
// github.com/diskfs/go-diskfs: that library hides the extent of a file,
// joins no multi-extent files and follows no Rock Ridge relocations, all of
// which a verdict on real images depends on. The tests use go-diskfs as an
// independent reader of the same fixtures.
package iso
