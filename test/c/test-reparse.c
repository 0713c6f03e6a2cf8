/* Unit tests for src/reparse.c, run on Linux.
 *
 * The byte vectors below are written by hand from the published layouts
 * (MS-FSCC 2.1.2.4 Symbolic Link Reparse Data Buffer, 2.1.2.5 Mount Point
 * Reparse Data Buffer), not produced by the builder under test, so a bug
 * shared by builder and parser cannot hide. Each vector is copied into a
 * heap block of exactly its size before parsing, so ASan and valgrind
 * catch any read past the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reparse.h"
#include "sd_errno.h"
#include "check.h"


/* A junction to C:\a (MS-FSCC 2.1.2.5). SubstituteName "\??\C:\a" at 0,
 * 16 bytes; its NUL; PrintName "C:\a" at 18, 8 bytes; its NUL. PathBuffer
 * is 28 bytes, so ReparseDataLength = 28 + 8 = 36 = 0x24. */
static const unsigned char junction_c_a[] = {
  0x03, 0x00, 0x00, 0xA0,  /* ReparseTag IO_REPARSE_TAG_MOUNT_POINT */
  0x24, 0x00,              /* ReparseDataLength 36 */
  0x00, 0x00,              /* Reserved */
  0x00, 0x00,              /* SubstituteNameOffset 0 */
  0x10, 0x00,              /* SubstituteNameLength 16 */
  0x12, 0x00,              /* PrintNameOffset 18 */
  0x08, 0x00,              /* PrintNameLength 8 */
  0x5C, 0x00, 0x3F, 0x00, 0x3F, 0x00, 0x5C, 0x00,  /* \??\ */
  0x43, 0x00, 0x3A, 0x00, 0x5C, 0x00, 0x61, 0x00,  /* C:\a */
  0x00, 0x00,                                      /* NUL */
  0x43, 0x00, 0x3A, 0x00, 0x5C, 0x00, 0x61, 0x00,  /* C:\a */
  0x00, 0x00                                       /* NUL */
};

/* An absolute symlink to C:\t (MS-FSCC 2.1.2.4), laid out the way
 * CreateSymbolicLinkW does: PrintName first, no NULs. PathBuffer 24 bytes,
 * ReparseDataLength = 24 + 12 = 36. */
static const unsigned char symlink_abs[] = {
  0x0C, 0x00, 0x00, 0xA0,  /* IO_REPARSE_TAG_SYMLINK */
  0x24, 0x00, 0x00, 0x00,  /* ReparseDataLength 36, Reserved */
  0x08, 0x00,              /* SubstituteNameOffset 8 */
  0x10, 0x00,              /* SubstituteNameLength 16 */
  0x00, 0x00,              /* PrintNameOffset 0 */
  0x08, 0x00,              /* PrintNameLength 8 */
  0x00, 0x00, 0x00, 0x00,  /* Flags 0: absolute */
  0x43, 0x00, 0x3A, 0x00, 0x5C, 0x00, 0x74, 0x00,  /* C:\t */
  0x5C, 0x00, 0x3F, 0x00, 0x3F, 0x00, 0x5C, 0x00,  /* \??\ */
  0x43, 0x00, 0x3A, 0x00, 0x5C, 0x00, 0x74, 0x00   /* C:\t */
};

/* A relative symlink to ..\t: SYMLINK_FLAG_RELATIVE, both names "..\t".
 * PathBuffer 16 bytes, ReparseDataLength 28 = 0x1C. */
static const unsigned char symlink_rel[] = {
  0x0C, 0x00, 0x00, 0xA0, 0x1C, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x08, 0x00,  /* SubstituteName at 0, 8 bytes */
  0x08, 0x00, 0x08, 0x00,  /* PrintName at 8, 8 bytes */
  0x01, 0x00, 0x00, 0x00,  /* Flags: SYMLINK_FLAG_RELATIVE */
  0x2E, 0x00, 0x2E, 0x00, 0x5C, 0x00, 0x74, 0x00,  /* ..\t */
  0x2E, 0x00, 0x2E, 0x00, 0x5C, 0x00, 0x74, 0x00   /* ..\t */
};

/* A junction to a UNC-style NT name, as a foreign tool might store it:
 * SubstituteName "\??\UNC\s\x" (22 bytes), empty PrintName at 22. */
static const unsigned char junction_unc[] = {
  0x03, 0x00, 0x00, 0xA0, 0x1E, 0x00, 0x00, 0x00,  /* RDL 22 + 8 = 30 */
  0x00, 0x00, 0x16, 0x00, 0x16, 0x00, 0x00, 0x00,
  0x5C, 0x00, 0x3F, 0x00, 0x3F, 0x00, 0x5C, 0x00,  /* \??\ */
  0x55, 0x00, 0x4E, 0x00, 0x43, 0x00, 0x5C, 0x00,  /* UNC\ */
  0x73, 0x00, 0x5C, 0x00, 0x78, 0x00               /* s\x */
};

/* Some other filter's reparse point (IO_REPARSE_TAG_APPEXECLINK) with
 * opaque data: only the tag is reported. */
static const unsigned char other_tag[] = {
  0x1B, 0x00, 0x00, 0x80, 0x04, 0x00, 0x00, 0x00, 0xDE, 0xAD, 0xBE, 0xEF
};

/* WSL symlinks (IO_REPARSE_TAG_LX_SYMLINK) exactly as ntfs-3g 2022.10.3
 * wrote them on a volume mounted with -o special_files=wsl, for
 * `ln -s target wl` and `ln -s /abs/x wl2`, read back with
 * `getfattr -h -e hex -n system.ntfs_reparse_data`:
 *   0x1d0000a00a00000002000000746172676574
 *   0x1d0000a00a000000020000002f6162732f78
 * Tag, ReparseDataLength 10, Reserved, version 2 (le32), then the target
 * as UTF-8 without a NUL. test/ntfs.test.js makes them again on a real
 * mount and checks that they still parse. */
static const unsigned char lx_relative[] = {
  0x1d, 0x00, 0x00, 0xa0, 0x0a, 0x00, 0x00, 0x00,
  0x02, 0x00, 0x00, 0x00,
  0x74, 0x61, 0x72, 0x67, 0x65, 0x74               /* target */
};
static const unsigned char lx_absolute[] = {
  0x1d, 0x00, 0x00, 0xa0, 0x0a, 0x00, 0x00, 0x00,
  0x02, 0x00, 0x00, 0x00,
  0x2f, 0x61, 0x62, 0x73, 0x2f, 0x78               /* /abs/x */
};

/* A junction to C:\Users as published by another NTFS implementation's
 * tests: libyal/libfsntfs, tests/fsntfs_test_reparse_point_values.c,
 * fsntfs_test_reparse_point_values_data1, bytes 24 to 83 (the $REPARSE_POINT
 * attribute's data after its 24-byte MFT attribute header; the library
 * reads 60 bytes there). Bytes are facts: the builder must make exactly
 * these for "C:\Users". */
static const unsigned char libfsntfs_junction_users[] = {
  0x03, 0x00, 0x00, 0xa0, 0x34, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x18, 0x00, 0x1a, 0x00, 0x10, 0x00,
  0x5c, 0x00, 0x3f, 0x00, 0x3f, 0x00, 0x5c, 0x00,
  0x43, 0x00, 0x3a, 0x00, 0x5c, 0x00, 0x55, 0x00,
  0x73, 0x00, 0x65, 0x00, 0x72, 0x00, 0x73, 0x00,
  0x00, 0x00, 0x43, 0x00, 0x3a, 0x00, 0x5c, 0x00,
  0x55, 0x00, 0x73, 0x00, 0x65, 0x00, 0x72, 0x00,
  0x73, 0x00, 0x00, 0x00
};

/* Copies a vector to a block of exactly n bytes and parses it there. */
static int parse_exact(const unsigned char* bytes, size_t n,
                       sd_reparse_data* d) {
  unsigned char* copy = malloc(n == 0 ? 1 : n);
  int err;
  if (copy == NULL) abort();
  if (n > 0) memcpy(copy, bytes, n);
  err = sd_reparse_parse(copy, n, d);
  free(copy);
  return err;
}

/* Parses with a modified copy: byte at index i replaced by v. */
static int parse_patched(const unsigned char* bytes, size_t n, size_t i,
                         unsigned char v) {
  unsigned char copy[64];
  sd_reparse_data d;
  memcpy(copy, bytes, n);
  copy[i] = v;
  return parse_exact(copy, n, &d);
}

static int name_is(const unsigned char* buf, size_t off, size_t len,
                   const char* ascii) {
  uint16_t name[64];
  size_t i;
  if (len != strlen(ascii) || len >= 64) return 0;
  sd_reparse_read_name(buf, off, len, name);
  for (i = 0; i < len; i++) {
    if (name[i] != (uint16_t)(unsigned char)ascii[i]) return 0;
  }
  return name[len] == 0;
}

static size_t to_u16(const char* ascii, uint16_t* out) {
  size_t i;
  for (i = 0; ascii[i] != '\0'; i++) out[i] = (uint16_t)(unsigned char)ascii[i];
  out[i] = 0;
  return i;
}

static int u16_is(const uint16_t* s, size_t len, const char* ascii) {
  size_t i;
  if (len != strlen(ascii)) return 0;
  for (i = 0; i < len; i++) {
    if (s[i] != (uint16_t)(unsigned char)ascii[i]) return 0;
  }
  return s[len] == 0;
}

static void test_parse_valid(void) {
  sd_reparse_data d;
  unsigned char big[128];

  CHECK(parse_exact(junction_c_a, sizeof(junction_c_a), &d) == 0);
  CHECK(d.tag == SD_REPARSE_TAG_MOUNT_POINT);
  CHECK(d.kind == SD_REPARSE_MOUNT_POINT);
  CHECK(d.flags == 0);
  CHECK(d.subst_offset == 16 && d.subst_len == 8);
  CHECK(d.print_offset == 34 && d.print_len == 4);
  CHECK(name_is(junction_c_a, d.subst_offset, d.subst_len, "\\??\\C:\\a"));
  CHECK(name_is(junction_c_a, d.print_offset, d.print_len, "C:\\a"));

  CHECK(parse_exact(symlink_abs, sizeof(symlink_abs), &d) == 0);
  CHECK(d.kind == SD_REPARSE_SYMLINK);
  CHECK(d.tag == SD_REPARSE_TAG_SYMLINK);
  CHECK((d.flags & SD_SYMLINK_FLAG_RELATIVE) == 0);
  CHECK(name_is(symlink_abs, d.subst_offset, d.subst_len, "\\??\\C:\\t"));
  CHECK(name_is(symlink_abs, d.print_offset, d.print_len, "C:\\t"));

  CHECK(parse_exact(symlink_rel, sizeof(symlink_rel), &d) == 0);
  CHECK(d.kind == SD_REPARSE_SYMLINK);
  CHECK(d.flags == SD_SYMLINK_FLAG_RELATIVE);
  CHECK(name_is(symlink_rel, d.subst_offset, d.subst_len, "..\\t"));

  CHECK(parse_exact(junction_unc, sizeof(junction_unc), &d) == 0);
  CHECK(d.subst_len == 11 && d.print_len == 0);
  CHECK(name_is(junction_unc, d.subst_offset, d.subst_len,
                "\\??\\UNC\\s\\x"));

  CHECK(parse_exact(other_tag, sizeof(other_tag), &d) == 0);
  CHECK(d.kind == SD_REPARSE_OTHER);
  CHECK(d.tag == 0x8000001Bu);
  CHECK(d.subst_len == 0 && d.print_len == 0);

  /* FSCTL_GET_REPARSE_POINT fills a 16 KiB buffer: trailing bytes past
   * ReparseDataLength are ignored. */
  memset(big, 0xAA, sizeof(big));
  memcpy(big, junction_c_a, sizeof(junction_c_a));
  CHECK(parse_exact(big, sizeof(big), &d) == 0);
  CHECK(d.subst_len == 8 && d.print_len == 4);
}

static void test_parse_invalid(void) {
  sd_reparse_data d;
  size_t n;
  int all_rejected;
  static const unsigned char short_mp[] = {
    /* A mount point whose data (4 bytes) cannot hold the name fields. */
    0x03, 0x00, 0x00, 0xA0, 0x04, 0x00, 0x00, 0x00, 0, 0, 0, 0
  };
  static const unsigned char short_sl[] = {
    /* A symlink with the four name fields but no Flags. */
    0x0C, 0x00, 0x00, 0xA0, 0x08, 0x00, 0x00, 0x00, 0, 0, 0, 0, 0, 0, 0, 0
  };

  CHECK(sd_reparse_parse(NULL, 8, &d) == SD_EINVAL);
  CHECK(parse_exact(junction_c_a, 0, &d) == SD_EINVAL);
  CHECK(parse_exact(junction_c_a, 7, &d) == SD_EINVAL);

  /* Every truncation of a named vector is refused: its
   * ReparseDataLength then runs past the end. */
  all_rejected = 1;
  for (n = 0; n < sizeof(junction_c_a); n++) {
    if (parse_exact(junction_c_a, n, &d) != SD_EINVAL) all_rejected = 0;
  }
  CHECK(all_rejected);
  all_rejected = 1;
  for (n = 0; n < sizeof(symlink_abs); n++) {
    if (parse_exact(symlink_abs, n, &d) != SD_EINVAL) all_rejected = 0;
  }
  CHECK(all_rejected);
  /* Truncated "other" data too (the header promises 4 data bytes). */
  CHECK(parse_exact(other_tag, sizeof(other_tag) - 1, &d) == SD_EINVAL);

  CHECK(parse_exact(short_mp, sizeof(short_mp), &d) == SD_EINVAL);
  CHECK(parse_exact(short_sl, sizeof(short_sl), &d) == SD_EINVAL);

  /* Overlong ReparseDataLength: 37 instead of 36, and 0xFFFF. */
  CHECK(parse_patched(junction_c_a, sizeof(junction_c_a), 4, 0x25) ==
        SD_EINVAL);
  CHECK(parse_patched(junction_c_a, sizeof(junction_c_a), 5, 0xFF) ==
        SD_EINVAL);

  /* SubstituteNameLength 28 still ends inside the 28-byte path buffer
   * (overlapping the PrintName is odd but in bounds); 30 and 48 run past
   * it. */
  CHECK(parse_patched(junction_c_a, sizeof(junction_c_a), 10, 0x1C) == 0);
  CHECK(parse_patched(junction_c_a, sizeof(junction_c_a), 10, 0x1E) ==
        SD_EINVAL);
  CHECK(parse_patched(junction_c_a, sizeof(junction_c_a), 10, 0x30) ==
        SD_EINVAL);
  /* PrintNameOffset 20 + length 8 = 28: ends exactly at the buffer end. */
  CHECK(parse_patched(junction_c_a, sizeof(junction_c_a), 12, 0x14) == 0);
  /* 22 + 8 = 30 > 28. */
  CHECK(parse_patched(junction_c_a, sizeof(junction_c_a), 12, 0x16) ==
        SD_EINVAL);
  /* Offsets beyond any buffer: 0xFF12 and 0xFFFF. */
  CHECK(parse_patched(junction_c_a, sizeof(junction_c_a), 13, 0xFF) ==
        SD_EINVAL);
  CHECK(parse_patched(symlink_abs, sizeof(symlink_abs), 9, 0xFF) ==
        SD_EINVAL);
  /* Odd offset and odd length: not UTF-16. */
  CHECK(parse_patched(junction_c_a, sizeof(junction_c_a), 12, 0x11) ==
        SD_EINVAL);
  CHECK(parse_patched(symlink_abs, sizeof(symlink_abs), 14, 0x07) ==
        SD_EINVAL);
  /* A symlink's names are relative to byte 20, not 16: the mount point
   * vector relabelled as a symlink loses 4 bytes of path buffer and its
   * PrintName (18 + 8 = 26 > 24) no longer fits. */
  CHECK(parse_patched(junction_c_a, sizeof(junction_c_a), 0, 0x0C) ==
        SD_EINVAL);
  /* On failure nothing is left for a caller to trust. */
  d.tag = 1234;
  CHECK(parse_patched(junction_c_a, sizeof(junction_c_a), 10, 0x30) ==
            SD_EINVAL &&
        sd_reparse_parse(junction_c_a, 20, &d) == SD_EINVAL && d.tag == 0 &&
        d.subst_len == 0);
}

static int build(const char* ascii, unsigned char* buf, size_t size,
                 size_t* used) {
  uint16_t t[64];
  size_t n = to_u16(ascii, t);
  return sd_reparse_build_mount_point(t, n, buf, size, used);
}

static void test_build(void) {
  unsigned char buf[SD_REPARSE_MAX_SIZE + 64];
  uint16_t* big;
  sd_reparse_data d;
  size_t used;
  size_t i;

  /* Byte-for-byte the hand-written MS-FSCC vector. */
  CHECK(build("C:\\a", buf, sizeof(buf), &used) == 0);
  CHECK(used == sizeof(junction_c_a));
  CHECK(memcmp(buf, junction_c_a, sizeof(junction_c_a)) == 0);

  /* Byte-for-byte the junction of libfsntfs's tests. */
  CHECK(build("C:\\Users", buf, sizeof(buf), &used) == 0);
  CHECK(used == sizeof(libfsntfs_junction_users));
  CHECK(memcmp(buf, libfsntfs_junction_users,
               sizeof(libfsntfs_junction_users)) == 0);
  CHECK(parse_exact(libfsntfs_junction_users,
                    sizeof(libfsntfs_junction_users), &d) == 0);
  CHECK(d.kind == SD_REPARSE_MOUNT_POINT &&
        name_is(libfsntfs_junction_users, d.print_offset, d.print_len,
                "C:\\Users"));

  /* The \\?\ prefix is stripped and '/' becomes '\'. */
  CHECK(build("\\\\?\\C:\\a", buf, sizeof(buf), &used) == 0);
  CHECK(used == sizeof(junction_c_a) &&
        memcmp(buf, junction_c_a, used) == 0);
  CHECK(build("C:/a", buf, sizeof(buf), &used) == 0);
  CHECK(used == sizeof(junction_c_a) &&
        memcmp(buf, junction_c_a, used) == 0);

  /* Round trip through the parser. */
  CHECK(build("D:\\some dir\\x y", buf, sizeof(buf), &used) == 0);
  CHECK(sd_reparse_parse(buf, used, &d) == 0);
  CHECK(d.kind == SD_REPARSE_MOUNT_POINT);
  CHECK(name_is(buf, d.subst_offset, d.subst_len, "\\??\\D:\\some dir\\x y"));
  CHECK(name_is(buf, d.print_offset, d.print_len, "D:\\some dir\\x y"));

  /* Not a local drive path. */
  CHECK(build("\\\\server\\share\\x", buf, sizeof(buf), &used) ==
        SD_EINVAL);
  CHECK(build("\\\\?\\UNC\\server\\share", buf, sizeof(buf), &used) ==
        SD_EINVAL);
  CHECK(build("\\\\?\\Volume{1234}\\", buf, sizeof(buf), &used) ==
        SD_EINVAL);
  CHECK(build("rel\\dir", buf, sizeof(buf), &used) == SD_EINVAL);
  CHECK(build("C:rel", buf, sizeof(buf), &used) == SD_EINVAL);
  CHECK(build("\\root", buf, sizeof(buf), &used) == SD_EINVAL);
  CHECK(build("", buf, sizeof(buf), &used) == SD_EINVAL);
  CHECK(used == 0);
  /* Mount points may not contain "." or ".." components. */
  CHECK(build("C:\\a\\..\\b", buf, sizeof(buf), &used) == SD_EINVAL);
  CHECK(build("C:\\a\\.", buf, sizeof(buf), &used) == SD_EINVAL);
  CHECK(build("C:\\a..b\\.c", buf, sizeof(buf), &used) == 0);

  /* Too small a caller buffer. */
  CHECK(build("C:\\a", buf, sizeof(junction_c_a) - 1, &used) ==
        SD_ENAMETOOLONG);
  CHECK(used == 0);

  /* The 16 KiB limit: 16 + 2 * (4 + n + 1) + 2 * (n + 1) <= 16384 gives
   * n <= 4089 units. */
  big = malloc(sizeof(uint16_t) * 5000);
  if (big == NULL) abort();
  big[0] = 'C';
  big[1] = ':';
  big[2] = '\\';
  for (i = 3; i < 5000; i++) big[i] = 'x';
  CHECK(sd_reparse_build_mount_point(big, 4089, buf, sizeof(buf), &used) ==
        0);
  CHECK(used == SD_REPARSE_MAX_SIZE);
  CHECK(sd_reparse_parse(buf, used, &d) == 0 && d.print_len == 4089);
  CHECK(sd_reparse_build_mount_point(big, 4090, buf, sizeof(buf), &used) ==
        SD_ENAMETOOLONG);
  CHECK(sd_reparse_build_mount_point(big, (size_t)-1, buf, sizeof(buf),
                                     &used) == SD_ENAMETOOLONG);
  free(big);
}

static void test_nt_to_win32(void) {
  uint16_t s[64];
  size_t n;

  n = to_u16("\\??\\C:\\x\\y", s);
  n = sd_reparse_nt_to_win32(s, n);
  CHECK(u16_is(s, n, "C:\\x\\y"));

  n = to_u16("\\??\\UNC\\server\\share\\d", s);
  n = sd_reparse_nt_to_win32(s, n);
  CHECK(u16_is(s, n, "\\\\server\\share\\d"));

  n = to_u16("\\??\\Volume{0c1d}\\", s);
  n = sd_reparse_nt_to_win32(s, n);
  CHECK(u16_is(s, n, "\\\\?\\Volume{0c1d}\\"));

  n = to_u16("..\\t", s);
  n = sd_reparse_nt_to_win32(s, n);
  CHECK(u16_is(s, n, "..\\t"));

  n = to_u16("C:\\already", s);
  n = sd_reparse_nt_to_win32(s, n);
  CHECK(u16_is(s, n, "C:\\already"));

  n = to_u16("\\??", s);
  n = sd_reparse_nt_to_win32(s, n);
  CHECK(u16_is(s, n, "\\??"));

  n = to_u16("", s);
  n = sd_reparse_nt_to_win32(s, n);
  CHECK(n == 0 && s[0] == 0);

  /* From a parsed buffer, as link.c does it. */
  {
    sd_reparse_data d;
    uint16_t name[32];
    CHECK(parse_exact(junction_unc, sizeof(junction_unc), &d) == 0);
    sd_reparse_read_name(junction_unc, d.subst_offset, d.subst_len, name);
    n = sd_reparse_nt_to_win32(name, d.subst_len);
    CHECK(u16_is(name, n, "\\\\s\\x"));
  }
}

/* Issue 10 item 5: a WSL symlink is a symlink with a UTF-8 target, not
 * "some other filter's data". Before the fix these parsed as
 * SD_REPARSE_OTHER. */
static void test_lx_symlink(void) {
  sd_reparse_data d;
  unsigned char v[32];

  CHECK(parse_exact(lx_relative, sizeof(lx_relative), &d) == 0);
  CHECK(d.tag == SD_REPARSE_TAG_LX_SYMLINK);
  CHECK(d.kind == SD_REPARSE_LX_SYMLINK);
  CHECK(d.target_offset == 12 && d.target_bytes == 6);
  CHECK(memcmp(lx_relative + d.target_offset, "target", 6) == 0);
  /* No UTF-16 names: readers of subst/print see empty ones. */
  CHECK(d.subst_len == 0 && d.print_len == 0);

  CHECK(parse_exact(lx_absolute, sizeof(lx_absolute), &d) == 0);
  CHECK(d.kind == SD_REPARSE_LX_SYMLINK);
  CHECK(d.target_bytes == 6 &&
        memcmp(lx_absolute + d.target_offset, "/abs/x", 6) == 0);

  /* Every truncation is refused (ReparseDataLength runs past the end). */
  {
    size_t n;
    int all = 1;
    for (n = 0; n < sizeof(lx_relative); n++) {
      if (parse_exact(lx_relative, n, &d) != SD_EINVAL) all = 0;
    }
    CHECK(all);
  }
  /* Data shorter than the version: invalid. Exactly the version: an
   * empty target. */
  memcpy(v, lx_relative, sizeof(lx_relative));
  v[4] = 3;
  CHECK(parse_exact(v, sizeof(lx_relative), &d) == SD_EINVAL);
  v[4] = 4;
  CHECK(parse_exact(v, sizeof(lx_relative), &d) == 0 &&
        d.kind == SD_REPARSE_LX_SYMLINK && d.target_bytes == 0);
  /* Another version: a layout we do not know, only the tag is told. */
  memcpy(v, lx_relative, sizeof(lx_relative));
  v[8] = 1;
  CHECK(parse_exact(v, sizeof(lx_relative), &d) == 0 &&
        d.kind == SD_REPARSE_OTHER && d.tag == SD_REPARSE_TAG_LX_SYMLINK &&
        d.target_bytes == 0);
}

static int subst_is(const char* path, const char* device,
                    const char* expected) {
  uint16_t p[128], dev[128], out[128];
  size_t pn = to_u16(path, p);
  size_t dn = to_u16(device, dev);
  size_t n;
  int err = sd_subst_resolve(p, pn, dev, dn, out, 128, &n);
  if (expected == NULL) return err == 1;
  return err == 0 && u16_is(out, n, expected);
}

/* Issue 10 item 4: a junction to a SUBST letter is stored with the real
 * path (what QueryDosDeviceW says the letter stands for). */
static void test_subst(void) {
  uint16_t p[16], dev[16], out[16];
  size_t n;

  CHECK(subst_is("S:\\pkg\\x", "\\??\\C:\\real", "C:\\real\\pkg\\x"));
  CHECK(subst_is("S:\\pkg", "\\??\\C:\\real\\", "C:\\real\\pkg"));
  CHECK(subst_is("\\\\?\\S:\\pkg", "\\??\\D:\\a b", "D:\\a b\\pkg"));
  CHECK(subst_is("S:\\", "\\??\\C:\\real", "C:\\real\\"));
  CHECK(subst_is("S:\\x", "\\??\\C:\\", "C:\\x"));
  CHECK(subst_is("S:\\x", "\\??\\C:", "C:\\x"));
  CHECK(subst_is("S:", "\\??\\C:", "C:\\"));
  /* Not a SUBST of a drive path: left alone. */
  CHECK(subst_is("C:\\x", "\\Device\\HarddiskVolume3", NULL));
  CHECK(subst_is("Z:\\x", "\\Device\\LanmanRedirector\\;Z:0000\\srv\\s", NULL));
  CHECK(subst_is("S:\\x", "\\??\\UNC\\srv\\share", NULL));
  CHECK(subst_is("S:\\x", "\\??\\", NULL));
  CHECK(subst_is("S:\\x", "", NULL));
  /* Not a drive path: refused. */
  n = to_u16("\\\\srv\\share", p);
  to_u16("\\??\\C:\\real", dev);
  CHECK(sd_subst_resolve(p, n, dev, 11, out, 16, &n) == SD_EINVAL);
  /* Too small an output: refused, never overrun ("C:\\real\\pkg" is 11
   * units, 12 with the NUL). */
  n = to_u16("S:\\pkg", p);
  CHECK(sd_subst_resolve(p, n, dev, 11, out, 11, &n) == SD_ENAMETOOLONG);
  n = to_u16("S:\\pkg", p);
  CHECK(sd_subst_resolve(p, n, dev, 11, out, 12, &n) == 0 && n == 11);
}

/* ---- Helper modes for test/ntfs.test.js ---------------------------------
 *   --build TARGET OUT   the mount point buffer for TARGET (UTF-8 argument,
 *                        converted to UTF-16 here) written to OUT; exit 3
 *                        and the error name on stderr when refused.
 *   --parse FILE         one line of JSON: tag, kind, and the names (UTF-16
 *                        units as \\u escapes) or, for a WSL symlink, the
 *                        target's bytes in hex. Exit 3 when invalid. */

static size_t utf8_to_u16(const char* s, uint16_t* out) {
  const unsigned char* p = (const unsigned char*)s;
  size_t n = 0;
  unsigned long c;
  while (*p != 0) {
    if (*p < 0x80) {
      c = *p++;
    } else if ((*p & 0xE0) == 0xC0) {
      c = ((unsigned long)(p[0] & 0x1F) << 6) | (p[1] & 0x3F);
      p += 2;
    } else if ((*p & 0xF0) == 0xE0) {
      c = ((unsigned long)(p[0] & 0x0F) << 12) |
          ((unsigned long)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
      p += 3;
    } else {
      c = ((unsigned long)(p[0] & 0x07) << 18) |
          ((unsigned long)(p[1] & 0x3F) << 12) |
          ((unsigned long)(p[2] & 0x3F) << 6) | (p[3] & 0x3F);
      p += 4;
    }
    if (c >= 0x10000) {
      c -= 0x10000;
      out[n++] = (uint16_t)(0xD800 + (c >> 10));
      out[n++] = (uint16_t)(0xDC00 + (c & 0x3FF));
    } else {
      out[n++] = (uint16_t)c;
    }
  }
  out[n] = 0;
  return n;
}

static void print_u16_json(const unsigned char* buf, size_t off, size_t len) {
  uint16_t* name = malloc(sizeof(uint16_t) * (len + 1));
  size_t i;
  if (name == NULL) abort();
  sd_reparse_read_name(buf, off, len, name);
  putchar('"');
  for (i = 0; i < len; i++) printf("\\u%04x", name[i]);
  putchar('"');
  free(name);
}

static int tool_build(const char* target, const char* out_path) {
  static unsigned char buf[SD_REPARSE_MAX_SIZE];
  uint16_t* t = malloc(sizeof(uint16_t) * (strlen(target) + 1));
  size_t n;
  size_t used;
  int err;
  FILE* f;
  if (t == NULL) abort();
  n = utf8_to_u16(target, t);
  err = sd_reparse_build_mount_point(t, n, buf, sizeof(buf), &used);
  free(t);
  if (err != 0) {
    fprintf(stderr, "%s\n", err == SD_ENAMETOOLONG ? "ENAMETOOLONG"
                          : err == SD_EINVAL      ? "EINVAL"
                                                  : "error");
    return 3;
  }
  f = fopen(out_path, "wb");
  if (f == NULL || fwrite(buf, 1, used, f) != used) return 1;
  return fclose(f) == 0 ? 0 : 1;
}

static int tool_parse(const char* path) {
  static unsigned char buf[SD_REPARSE_MAX_SIZE * 2];
  static const char* kinds[] = {"other", "symlink", "mountPoint",
                                "lxSymlink"};
  sd_reparse_data d;
  size_t size;
  size_t i;
  FILE* f = fopen(path, "rb");
  if (f == NULL) return 1;
  size = fread(buf, 1, sizeof(buf), f);
  fclose(f);
  if (sd_reparse_parse(buf, size, &d) != 0) {
    fprintf(stderr, "EINVAL\n");
    return 3;
  }
  printf("{\"tag\":%lu,\"kind\":\"%s\",\"flags\":%lu,\"subst\":",
         (unsigned long)d.tag, kinds[d.kind], (unsigned long)d.flags);
  print_u16_json(buf, d.subst_offset, d.subst_len);
  printf(",\"print\":");
  print_u16_json(buf, d.print_offset, d.print_len);
  printf(",\"targetHex\":\"");
  for (i = 0; i < d.target_bytes; i++) {
    printf("%02x", buf[d.target_offset + i]);
  }
  printf("\"}\n");
  return 0;
}

/* Writes the hand-made vectors as a seed corpus for fuzz-reparse. */
static int write_corpus(const char* dir) {
  static const struct {
    const char* name;
    const unsigned char* bytes;
    size_t size;
  } seeds[] = {
    {"junction_c_a", junction_c_a, sizeof(junction_c_a)},
    {"symlink_abs", symlink_abs, sizeof(symlink_abs)},
    {"symlink_rel", symlink_rel, sizeof(symlink_rel)},
    {"junction_unc", junction_unc, sizeof(junction_unc)},
    {"other_tag", other_tag, sizeof(other_tag)},
    {"lx_relative", lx_relative, sizeof(lx_relative)},
    {"lx_absolute", lx_absolute, sizeof(lx_absolute)},
    {"libfsntfs_junction_users", libfsntfs_junction_users,
     sizeof(libfsntfs_junction_users)}
  };
  char path[4096];
  size_t i;
  FILE* f;

  for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
    snprintf(path, sizeof(path), "%s/%s", dir, seeds[i].name);
    f = fopen(path, "wb");
    if (f == NULL) return 1;
    if (fwrite(seeds[i].bytes, 1, seeds[i].size, f) != seeds[i].size) {
      fclose(f);
      return 1;
    }
    if (fclose(f) != 0) return 1;
  }
  return 0;
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "--write-corpus") == 0) {
    return write_corpus(argv[2]);
  }
  if (argc == 4 && strcmp(argv[1], "--build") == 0) {
    return tool_build(argv[2], argv[3]);
  }
  if (argc == 3 && strcmp(argv[1], "--parse") == 0) {
    return tool_parse(argv[2]);
  }
  test_parse_valid();
  test_parse_invalid();
  test_build();
  test_nt_to_win32();
  test_lx_symlink();
  test_subst();
  return check_summary();
}
