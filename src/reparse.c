/* Portable reparse buffer builder and parser (see reparse.h for the
 * layout). This file is fed untrusted bytes by the fuzzer and, on Windows,
 * by whatever filter driver produced a reparse point, so every read is
 * checked against the caller's size first. */
#include <string.h>

#include "reparse.h"
#include "sd_errno.h"

#define SD__BACKSLASH 0x5C
#define SD__SLASH 0x2F

static uint16_t sd__le16(const unsigned char* p) {
  return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t sd__le32(const unsigned char* p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
         ((uint32_t)p[3] << 24);
}

static void sd__put16(unsigned char* p, uint16_t v) {
  p[0] = (unsigned char)(v & 0xFF);
  p[1] = (unsigned char)(v >> 8);
}

static void sd__put32(unsigned char* p, uint32_t v) {
  p[0] = (unsigned char)(v & 0xFF);
  p[1] = (unsigned char)((v >> 8) & 0xFF);
  p[2] = (unsigned char)((v >> 16) & 0xFF);
  p[3] = (unsigned char)(v >> 24);
}

/* Checks one name (offset and length in bytes, relative to the path
 * buffer of path_size bytes) and converts it to absolute offset/units. */
static int sd__check_name(size_t path_start, size_t path_size,
                          uint16_t offset, uint16_t length,
                          size_t* abs_offset, size_t* units) {
  /* Names are UTF-16: an odd offset or length means a corrupt buffer.
   * Both values are at most 65535, so the sum cannot overflow size_t. */
  if ((offset & 1) != 0 || (length & 1) != 0) return SD_EINVAL;
  if ((size_t)offset + (size_t)length > path_size) return SD_EINVAL;
  *abs_offset = path_start + offset;
  *units = length / 2;
  return 0;
}

int sd_reparse_parse(const unsigned char* buf, size_t size,
                     sd_reparse_data* out) {
  uint32_t tag;
  size_t data_len;
  size_t end;
  size_t path_start;
  uint16_t so, sl, po, pl;
  int err;

  memset(out, 0, sizeof(*out));
  if (buf == NULL || size < SD_REPARSE_HEADER_SIZE) return SD_EINVAL;

  tag = sd__le32(buf);
  data_len = sd__le16(buf + 4);
  /* ReparseDataLength is the only length the kernel promises; the caller's
   * size may be larger (a 16 KiB output buffer), never smaller. */
  end = SD_REPARSE_HEADER_SIZE + data_len;
  if (end > size) return SD_EINVAL;
  out->tag = tag;

  if (tag == SD_REPARSE_TAG_SYMLINK) {
    out->kind = SD_REPARSE_SYMLINK;
    path_start = SD_REPARSE_SYMLINK_PATH;
  } else if (tag == SD_REPARSE_TAG_MOUNT_POINT) {
    out->kind = SD_REPARSE_MOUNT_POINT;
    path_start = SD_REPARSE_MOUNT_POINT_PATH;
  } else if (tag == SD_REPARSE_TAG_LX_SYMLINK) {
    /* WSL: a version, then the UTF-8 target up to ReparseDataLength. */
    if (data_len < 4) goto invalid;
    if (sd__le32(buf + SD_REPARSE_HEADER_SIZE) !=
        SD_REPARSE_LX_SYMLINK_VERSION) {
      out->kind = SD_REPARSE_OTHER;
      return 0;
    }
    out->kind = SD_REPARSE_LX_SYMLINK;
    out->target_offset = SD_REPARSE_HEADER_SIZE + 4;
    out->target_bytes = data_len - 4;
    return 0;
  } else {
    /* Some other filter's data (cloud files, dedup, app exec links...):
     * the tag is all we report, and all we need to read. */
    out->kind = SD_REPARSE_OTHER;
    return 0;
  }

  if (end < path_start) goto invalid;
  so = sd__le16(buf + 8);
  sl = sd__le16(buf + 10);
  po = sd__le16(buf + 12);
  pl = sd__le16(buf + 14);
  if (out->kind == SD_REPARSE_SYMLINK) out->flags = sd__le32(buf + 16);

  err = sd__check_name(path_start, end - path_start, so, sl,
                       &out->subst_offset, &out->subst_len);
  if (err != 0) goto invalid;
  err = sd__check_name(path_start, end - path_start, po, pl,
                       &out->print_offset, &out->print_len);
  if (err != 0) goto invalid;
  return 0;

invalid:
  /* Leave nothing half-filled that a caller might trust. */
  memset(out, 0, sizeof(*out));
  return SD_EINVAL;
}

void sd_reparse_read_name(const unsigned char* buf, size_t offset, size_t len,
                          uint16_t* out) {
  size_t i;
  for (i = 0; i < len; i++) out[i] = sd__le16(buf + offset + 2 * i);
  out[len] = 0;
}

static int sd__is_sep(uint16_t c) {
  return c == SD__BACKSLASH || c == SD__SLASH;
}

static int sd__is_drive_letter(uint16_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* True when target[0..len) has a component that is exactly "." or "..". */
static int sd__has_dot_component(const uint16_t* p, size_t len) {
  size_t start = 0;
  size_t i;
  size_t n;
  for (i = 0; i <= len; i++) {
    if (i < len && !sd__is_sep(p[i])) continue;
    n = i - start;
    if ((n == 1 && p[start] == '.') ||
        (n == 2 && p[start] == '.' && p[start + 1] == '.')) {
      return 1;
    }
    start = i + 1;
  }
  return 0;
}

int sd_reparse_build_mount_point(const uint16_t* target, size_t len,
                                 unsigned char* buf, size_t size,
                                 size_t* used) {
  static const uint16_t nt_prefix[4] = {'\\', '?', '?', '\\'};
  size_t subst_units;
  size_t path_bytes;
  size_t total;
  size_t i;
  unsigned char* p;

  *used = 0;
  /* "\\?\C:\x" names the same file as "C:\x"; the NT prefix is added
   * below, so drop the Win32 one rather than doubling it. */
  if (len >= 4 && sd__is_sep(target[0]) && sd__is_sep(target[1]) &&
      target[2] == '?' && sd__is_sep(target[3])) {
    target += 4;
    len -= 4;
  }
  /* Junctions only work for local drive paths: UNC shares, volume GUID
   * names and relative paths are refused here, not by the kernel later. */
  if (len < 3 || !sd__is_drive_letter(target[0]) || target[1] != ':' ||
      !sd__is_sep(target[2])) {
    return SD_EINVAL;
  }
  /* The caller's len is a size_t; bound it before scanning the name or
   * doing any arithmetic, so the products below cannot wrap. */
  if (len > SD_REPARSE_MAX_SIZE) return SD_ENAMETOOLONG;
  if (sd__has_dot_component(target, len)) return SD_EINVAL;
  subst_units = 4 + len;
  /* Both names plus their NULs. */
  path_bytes = 2 * (subst_units + 1) + 2 * (len + 1);
  total = SD_REPARSE_MOUNT_POINT_PATH + path_bytes;
  if (total > SD_REPARSE_MAX_SIZE || total > size) return SD_ENAMETOOLONG;

  memset(buf, 0, total);
  sd__put32(buf, SD_REPARSE_TAG_MOUNT_POINT);
  /* The 8 bytes of name offsets/lengths count as reparse data. */
  sd__put16(buf + 4, (uint16_t)(path_bytes + 8));
  sd__put16(buf + 6, 0);
  sd__put16(buf + 8, 0);
  sd__put16(buf + 10, (uint16_t)(2 * subst_units));
  sd__put16(buf + 12, (uint16_t)(2 * (subst_units + 1)));
  sd__put16(buf + 14, (uint16_t)(2 * len));

  p = buf + SD_REPARSE_MOUNT_POINT_PATH;
  for (i = 0; i < 4; i++, p += 2) sd__put16(p, nt_prefix[i]);
  for (i = 0; i < len; i++, p += 2) {
    sd__put16(p, sd__is_sep(target[i]) ? SD__BACKSLASH : target[i]);
  }
  p += 2;  /* NUL, already zero */
  for (i = 0; i < len; i++, p += 2) {
    sd__put16(p, sd__is_sep(target[i]) ? SD__BACKSLASH : target[i]);
  }

  *used = total;
  return 0;
}

size_t sd_reparse_nt_to_win32(uint16_t* name, size_t len) {
  size_t skip;
  size_t i;

  if (len < 4 || name[0] != '\\' || name[1] != '?' || name[2] != '?' ||
      name[3] != '\\') {
    name[len] = 0;
    return len;
  }
  if (len >= 6 && sd__is_drive_letter(name[4]) && name[5] == ':') {
    /* \??\C:\x -> C:\x */
    skip = 4;
  } else if (len >= 8 && (name[4] == 'U' || name[4] == 'u') &&
             (name[5] == 'N' || name[5] == 'n') &&
             (name[6] == 'C' || name[6] == 'c') && name[7] == '\\') {
    /* \??\UNC\srv\share -> \\srv\share: keep one backslash of the prefix
     * and replace "UNC" by the second. */
    skip = 6;
    name[6] = '\\';
  } else {
    /* \??\Volume{...}\ and other NT names: \\?\ is their Win32 spelling,
     * same length. */
    name[1] = '\\';
    name[len] = 0;
    return len;
  }
  for (i = skip; i < len; i++) name[i - skip] = name[i];
  len -= skip;
  name[len] = 0;
  return len;
}

int sd_subst_resolve(const uint16_t* path, size_t len, const uint16_t* device,
                     size_t dev_len, uint16_t* out, size_t out_size,
                     size_t* out_len) {
  size_t rest;
  size_t base;
  size_t n;

  *out_len = 0;
  if (len >= 4 && sd__is_sep(path[0]) && sd__is_sep(path[1]) &&
      path[2] == '?' && sd__is_sep(path[3])) {
    path += 4;
    len -= 4;
  }
  if (len < 2 || !sd__is_drive_letter(path[0]) || path[1] != ':') {
    return SD_EINVAL;
  }
  /* "\??\C:" and longer: a drive path. "\??\UNC\..." and device names
   * are not. */
  if (dev_len < 6 || device[0] != '\\' || device[1] != '?' ||
      device[2] != '?' || device[3] != '\\' ||
      !sd__is_drive_letter(device[4]) || device[5] != ':') {
    return 1;
  }
  base = dev_len - 4;
  rest = len - 2;
  /* "\??\C:\" (SUBST of a root) and a rest starting with '\': one
   * separator between them, not two. */
  if (base > 2 && sd__is_sep(device[4 + base - 1]) && rest > 0 &&
      sd__is_sep(path[2])) {
    base--;
  }
  n = base + rest;
  /* "\??\C:" alone and a rest of "" or "x": the root of C:. */
  if (base == 2 && (rest == 0 || !sd__is_sep(path[2]))) n++;
  if (n + 1 > out_size) return SD_ENAMETOOLONG;
  memcpy(out, device + 4, sizeof(uint16_t) * base);
  if (base == 2 && (rest == 0 || !sd__is_sep(path[2]))) {
    out[base++] = SD__BACKSLASH;
  }
  memcpy(out + base, path + 2, sizeof(uint16_t) * rest);
  out[n] = 0;
  *out_len = n;
  return 0;
}
