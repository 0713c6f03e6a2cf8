/* symlink-doctor: Windows reparse buffers, built and parsed portably.
 *
 * The layouts are the ones published in MS-FSCC 2.1.2.4 (symbolic link)
 * and 2.1.2.5 (mount point, i.e. junction). Nothing here includes
 * windows.h: bytes are read and written explicitly as little-endian and
 * UTF-16 code units are uint16_t, so the same code is unit-tested and
 * fuzzed on Linux and used by src/win/link.c on Windows.
 *
 * Layout, all integers little-endian, offsets in bytes:
 *    0  uint32  ReparseTag
 *    4  uint16  ReparseDataLength   (bytes after this 8-byte header)
 *    6  uint16  Reserved
 *    8  uint16  SubstituteNameOffset \ relative to PathBuffer,
 *   10  uint16  SubstituteNameLength  | lengths exclude any NUL
 *   12  uint16  PrintNameOffset       |
 *   14  uint16  PrintNameLength      /
 *   16  uint32  Flags               (symbolic link only)
 *   16 or 20    PathBuffer          (mount point / symbolic link)
 */
#ifndef SD_REPARSE_H
#define SD_REPARSE_H

#include <stddef.h>
#include <stdint.h>

#define SD_REPARSE_TAG_MOUNT_POINT 0xA0000003u
#define SD_REPARSE_TAG_SYMLINK 0xA000000Cu
/* IO_REPARSE_TAG_LX_SYMLINK: a symlink made by WSL (or by ntfs-3g with
 * special_files=wsl). Its data is a 4-byte version (2) followed by the
 * target as UTF-8 bytes, no NUL: the Linux target, '/' separators. */
#define SD_REPARSE_TAG_LX_SYMLINK 0xA000001Du
#define SD_REPARSE_LX_SYMLINK_VERSION 2u
#define SD_SYMLINK_FLAG_RELATIVE 0x1u

/* MAXIMUM_REPARSE_DATA_BUFFER_SIZE: whole buffer, header included. */
#define SD_REPARSE_MAX_SIZE 16384u

#define SD_REPARSE_HEADER_SIZE 8u
#define SD_REPARSE_MOUNT_POINT_PATH 16u  /* where PathBuffer starts */
#define SD_REPARSE_SYMLINK_PATH 20u

typedef enum {
  SD_REPARSE_OTHER = 0,      /* any other tag: only tag is meaningful */
  SD_REPARSE_SYMLINK,
  SD_REPARSE_MOUNT_POINT,
  SD_REPARSE_LX_SYMLINK      /* target_offset/target_bytes, UTF-8 */
} sd_reparse_kind;

/* What sd_reparse_parse() found. The names are not copied: they are given
 * as byte offsets into the parsed buffer (already bounds-checked, possibly
 * unaligned) and lengths in UTF-16 units; read them with
 * sd_reparse_read_name(). */
typedef struct {
  uint32_t tag;
  sd_reparse_kind kind;
  uint32_t flags;            /* symlink Flags, else 0 */
  size_t subst_offset;       /* from the start of the buffer */
  size_t subst_len;          /* UTF-16 units, no NUL */
  size_t print_offset;
  size_t print_len;
  /* SD_REPARSE_LX_SYMLINK only (the names above are then empty): the
   * target's UTF-8 bytes, from the start of the buffer. */
  size_t target_offset;
  size_t target_bytes;
} sd_reparse_data;

/* Parses size bytes at buf. Returns 0, or SD_EINVAL when the buffer is
 * truncated, ReparseDataLength runs past size, or a name lies outside the
 * path buffer or has an odd byte length/offset. Never reads outside
 * [buf, buf + size). A WSL symlink (SD_REPARSE_TAG_LX_SYMLINK) of version
 * 2 is SD_REPARSE_LX_SYMLINK; with less than the 4 version bytes it is
 * SD_EINVAL, and of another version SD_REPARSE_OTHER (a layout we do not
 * know). */
int sd_reparse_parse(const unsigned char* buf, size_t size,
                     sd_reparse_data* out);

/* Copies len UTF-16 units from buf + offset into out (which must hold
 * len + 1 units) and NUL-terminates. Offsets come from sd_reparse_parse(). */
void sd_reparse_read_name(const unsigned char* buf, size_t offset, size_t len,
                          uint16_t* out);

/* Builds a mount point buffer for the absolute drive path target (len
 * units, no NUL needed; a leading \\?\ is stripped, '/' becomes '\').
 * Writes SubstituteName "\??\" + path and PrintName path, both
 * NUL-terminated. On success stores the byte count to pass to
 * FSCTL_SET_REPARSE_POINT in *used and returns 0. Returns SD_EINVAL when
 * the target is not "X:\..." (UNC, volume GUID, relative, or containing
 * "." / ".." components, which mount points may not hold), and
 * SD_ENAMETOOLONG when the result would not fit in size bytes or in
 * SD_REPARSE_MAX_SIZE. */
int sd_reparse_build_mount_point(const uint16_t* target, size_t len,
                                 unsigned char* buf, size_t size,
                                 size_t* used);

/* Turns an NT name as stored in a reparse buffer into a Win32 path, in
 * place: "\??\C:\x" -> "C:\x", "\??\UNC\srv\share" -> "\\srv\share",
 * any other "\??\" name (e.g. a volume GUID) -> "\\?\" + rest. Other names
 * (relative targets) are left alone. Never lengthens the name. name must
 * have room for len + 1 units (as sd_reparse_read_name() gives); returns
 * the new length in units and NUL-terminates at it. */
size_t sd_reparse_nt_to_win32(uint16_t* name, size_t len);

/* A junction's target on a SUBST drive letter, put on the real path.
 * path (len units, "X:\..." or "\\?\X:\...") is on drive X:, and
 * device (dev_len units) is what QueryDosDeviceW says X: stands for. A
 * SUBST letter's device is "\??\" + a Win32 path: for "\??\C:\real"
 * (trailing separator or not) the result is "C:\real" + the rest of path
 * after "X:". Returns 0 and the result in out (out_size units, NUL
 * included) with its length in *out_len; 1 when device is not a drive
 * path ("\Device\HarddiskVolume3", a network redirector, "\??\UNC\..."):
 * nothing to map, out untouched; SD_EINVAL when path is not on a drive;
 * SD_ENAMETOOLONG when out is too small. */
int sd_subst_resolve(const uint16_t* path, size_t len, const uint16_t* device,
                     size_t dev_len, uint16_t* out, size_t out_size,
                     size_t* out_len);

#endif /* SD_REPARSE_H */
