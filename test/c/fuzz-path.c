/* libFuzzer harness for the Windows path layer, src/win/path.c (with
 * src/win/error.c), built on Linux against the <windows.h> stand-in in
 * test/c/winshim/ (MultiByteToWideChar, WideCharToMultiByte and a model of
 * GetFullPathNameW; see there):
 *
 *   clang -g -fsanitize=fuzzer,address,undefined -fshort-wchar \
 *     -Itest/c/winshim -Isrc test/c/fuzz-path.c src/common.c src/reparse.c
 *
 * path.c and error.c are #included, so this unit sees their static helpers
 * and shares the stand-in's GetLastError() state. -fshort-wchar makes WCHAR
 * 16 bits, as on Windows.
 *
 * Input: byte 0 picks the mode (bit 0) and the link directory of the
 * junction case; byte 1 sets the model's current directory and whether it
 * grows between two GetFullPathNameW calls (a chdir() race); the rest is
 *   mode 0: UTF-8 "target\0link": sd__utf8_to_utf16 against an independent
 *           validator, round-tripped through sd__utf16_to_utf8 (both length
 *           forms); then sd__path_for_open, sd__symlink_target and
 *           sd__junction_target (whose result goes through the junction
 *           builder of src/reparse.c, as link.c does).
 *   mode 1: UTF-16LE units: sd__utf16_to_utf8 with an explicit length
 *           (embedded NULs included) and with -1, round-tripped back;
 *           sd__add_long_prefix, sd__parent_dir_w, sd__full_path_w and
 *           sd__fact_wstr.
 * Every buffer handed in is allocated to its exact size, so ASan catches a
 * read past the input; the stand-in writes only within the sizes the code
 * states, so ASan catches a stated size larger than the allocation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/win/path.c"
#include "../../src/win/error.c"
#include "reparse.h"

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

/* common.c's sd__probe_name wants it; nothing here calls it. */
int sd_random_bytes(unsigned char* buf, size_t n) {
  memset(buf, 0x5a, n);
  return 0;
}

#define REQUIRE(c) \
  do {             \
    if (!(c)) abort(); \
  } while (0)

static sd_facts sd__fuzz_facts;

/* --- references, written apart from the stand-in ---------------------- */

/* Well-formed UTF-8 per Unicode Table 3-7; *units gets the UTF-16 length. */
static int ref_utf8_valid(const unsigned char* s, size_t n, size_t* units) {
  size_t i = 0;
  *units = 0;
  while (i < n) {
    unsigned char b = s[i];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t k, len;
    if (b <= 0x7F) {
      i++;
      (*units)++;
      continue;
    }
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return 0;
    }
    if (n - i < len) return 0;
    if (s[i + 1] < lo || s[i + 1] > hi) return 0;
    for (k = 2; k < len; k++) {
      if (s[i + k] < 0x80 || s[i + k] > 0xBF) return 0;
    }
    *units += len == 4 ? 2 : 1;
    i += len;
  }
  return 1;
}

/* Well-formed UTF-16; *bytes gets the UTF-8 length. */
static int ref_utf16_valid(const WCHAR* s, size_t n, size_t* bytes) {
  size_t i;
  *bytes = 0;
  for (i = 0; i < n; i++) {
    unsigned c = (unsigned)s[i] & 0xFFFFu;
    if (c >= 0xD800 && c <= 0xDBFF) {
      if (i + 1 >= n || ((unsigned)s[i + 1] & 0xFC00u) != 0xDC00u) return 0;
      *bytes += 4;
      i++;
    } else if (c >= 0xDC00 && c <= 0xDFFF) {
      return 0;
    } else {
      *bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
  }
  return 1;
}

static int is_sep(WCHAR c) { return c == L'\\' || c == L'/'; }
static int is_alpha(WCHAR c) {
  return (c >= L'A' && c <= L'Z') || (c >= L'a' && c <= L'z');
}
static int has_prefix(const WCHAR* s, const char* p) {
  size_t i;
  for (i = 0; p[i] != '\0'; i++) {
    if (s[i] != (WCHAR)(unsigned char)p[i]) return 0;
  }
  return 1;
}
static int has_slash(const WCHAR* s) {
  for (; *s != 0; s++) {
    if (*s == L'/') return 1;
  }
  return 0;
}
/* "X:\" */
static int is_drive_abs(const WCHAR* s) {
  return is_alpha(s[0]) && s[1] == L':' && s[2] == L'\\';
}
/* What path_for_open and the absolute symlink targets give: \\?\ or
 * \\.\ (a device path is left as it is). */
static int is_prefixed(const WCHAR* s) {
  return has_prefix(s, "\\\\?\\") || has_prefix(s, "\\\\.\\");
}

/* --- the model's current directory -------------------------------------- */

static void set_cwd(unsigned cfg) {
  static const char* const cwds[4] = {"C:\\", "C:\\Users\\me\\project",
                                      "z:\\a b\\c", NULL};
  static const unsigned grow[4] = {0, 1, 40, 700};
  const char* c = cwds[cfg & 3];
  size_t i = 0;
  if (c != NULL) {
    for (; c[i] != '\0'; i++) sd_shim_cwd[i] = (WCHAR)c[i];
  } else {
    /* Longer than MAX_PATH. */
    sd_shim_cwd[i++] = L'C';
    sd_shim_cwd[i++] = L':';
    for (; i < 300; i++) sd_shim_cwd[i] = (i % 10 == 2) ? L'\\' : L'L';
  }
  sd_shim_cwd[i] = 0;
  sd_shim_cwd_grow = grow[(cfg >> 2) & 3];
  SetLastError(0);
}

/* --- mode 0: UTF-8 paths --------------------------------------------------- */

static void check_utf8(const char* s, size_t len) {
  WCHAR* w = NULL;
  char* u = NULL;
  DWORD we = 0;
  size_t units;
  int valid = ref_utf8_valid((const unsigned char*)s, len, &units);
  int r = sd__utf8_to_utf16(s, &w, &we);

  if (!valid) {
    REQUIRE(r == SD_EILSEQ && w == NULL && we == ERROR_NO_UNICODE_TRANSLATION);
    return;
  }
  REQUIRE(r == 0 && w != NULL && we == 0);
  REQUIRE(wcslen(w) == units);
  /* Lossless: back to the same bytes, both ways of giving the length. */
  r = sd__utf16_to_utf8(w, -1, &u, &we);
  REQUIRE(r == 0 && u != NULL && strcmp(u, s) == 0);
  free(u);
  u = NULL;
  r = sd__utf16_to_utf8(w, (int)units, &u, &we);
  REQUIRE(r == 0 && u != NULL && memcmp(u, s, len + 1) == 0);
  free(u);
  free(w);
}

static void check_path_for_open(const char* s) {
  WCHAR* o = NULL;
  DWORD we = 0;
  int r = sd__path_for_open(s, &o, &we);
  if (r != 0) {
    REQUIRE(o == NULL && r < 0);
    return;
  }
  REQUIRE(o != NULL && is_prefixed(o));
  /* Only a verbatim \\?\ input keeps its '/'. */
  if (strncmp(s, "\\\\?\\", 4) != 0) REQUIRE(!has_slash(o));
  free(o);
}

static void check_symlink_target(const char* s) {
  WCHAR* o = NULL;
  WCHAR* w = NULL;
  DWORD we = 0;
  size_t i;
  int r = sd__symlink_target(s, &o, &we);
  if (r != 0) {
    REQUIRE(o == NULL && r < 0);
    return;
  }
  REQUIRE(o != NULL);
  REQUIRE(sd__utf8_to_utf16(s, &w, &we) == 0);
  for (i = 0; w[i] != 0; i++) {
    if (w[i] == L'/') w[i] = L'\\';
  }
  if ((is_alpha(w[0]) && w[1] == L':' && w[2] == L'\\') ||
      (w[0] == L'\\' && w[1] == L'\\')) {
    REQUIRE(is_prefixed(o) && !has_slash(o));
  } else {
    /* Relative targets are stored exactly as given, '/' -> '\'. */
    REQUIRE(wcslen(o) == wcslen(w) &&
            memcmp(o, w, sizeof(WCHAR) * wcslen(w)) == 0);
  }
  free(w);
  free(o);
}

static void check_junction_target(const char* s, const char* link) {
  WCHAR* wlink = NULL;
  WCHAR* link_full = NULL;
  WCHAR* w = NULL;
  WCHAR* o = NULL;
  DWORD we = 0;
  size_t i, n;
  int r;

  /* The link path as link.c makes it: converted, then made absolute. */
  if (sd__utf8_to_utf16(link, &wlink, &we) != 0) return;
  r = sd__full_path_w(wlink, &link_full, &we);
  free(wlink);
  if (r != 0) return;

  r = sd__junction_target(s, link_full, &o, &we);
  if (sd__utf8_to_utf16(s, &w, &we) != 0) {
    REQUIRE(r == SD_EILSEQ && o == NULL);
    free(link_full);
    return;
  }
  for (i = 0; w[i] != 0; i++) {
    if (w[i] == L'/') w[i] = L'\\';
  }
  if (w[0] == L'\\' && w[1] == L'\\' &&
      !(has_prefix(w, "\\\\?\\") && is_drive_abs(w + 4))) {
    /* UNC, \\?\UNC\, volume GUID and device paths: refused. */
    REQUIRE(r == SD_EINVAL);
  }
  if (w[0] == L'\\' && w[1] != L'\\' && !is_drive_abs(link_full)) {
    REQUIRE(r == SD_EINVAL);
  }
  if (r == 0) {
    int local;
    REQUIRE(o != NULL);
    /* No '/' left, unless a verbatim \\?\ link path brought one. */
    if (!has_slash(link_full)) REQUIRE(!has_slash(o));
    /* A local drive path, plain or \\?\. The one exception: a relative
     * target next to a link that is not on a drive (a link on a UNC share)
     * resolves against the share; the builder below refuses it. */
    local = is_drive_abs(o) ||
            (has_prefix(o, "\\\\?\\") && is_drive_abs(o + 4));
    if (!local) REQUIRE(w[0] != L'\\' && !is_drive_abs(link_full));
    /* What link.c does next: the reparse buffer. */
    {
      static unsigned char buf[SD_REPARSE_MAX_SIZE];
      uint16_t* t;
      size_t used = 0;
      sd_reparse_data d;
      n = wcslen(o);
      t = malloc(sizeof(uint16_t) * (n + 1));
      REQUIRE(t != NULL);
      for (i = 0; i <= n; i++) t[i] = (uint16_t)o[i];
      r = sd_reparse_build_mount_point(t, n, buf, sizeof(buf), &used);
      if (!local) REQUIRE(r == SD_EINVAL);
      if (r == 0) {
        REQUIRE(used <= sizeof(buf));
        REQUIRE(sd_reparse_parse(buf, used, &d) == 0);
        REQUIRE(d.kind == SD_REPARSE_MOUNT_POINT);
      }
      free(t);
    }
    free(o);
  } else {
    REQUIRE(o == NULL && r < 0);
  }
  free(w);
  free(link_full);
}

static void mode_utf8(unsigned flags, const uint8_t* p, size_t n) {
  static const char* const links[4] = {"C:\\a\\link", "link", "\\\\srv\\share\\l",
                                       NULL};
  const uint8_t* nul = memchr(p, 0, n);
  size_t tlen = nul != NULL ? (size_t)(nul - p) : n;
  char* s = malloc(tlen + 1);
  char* link = NULL;
  REQUIRE(s != NULL);
  memcpy(s, p, tlen);
  s[tlen] = '\0';

  if (links[(flags >> 1) & 3] != NULL) {
    size_t ln = strlen(links[(flags >> 1) & 3]);
    link = malloc(ln + 1);
    if (link != NULL) memcpy(link, links[(flags >> 1) & 3], ln + 1);
  } else {
    /* The link path from the input, after the target's NUL. */
    const uint8_t* rest = nul != NULL ? nul + 1 : p + n;
    size_t rlen = (size_t)(p + n - rest);
    const uint8_t* end = memchr(rest, 0, rlen);
    if (end != NULL) rlen = (size_t)(end - rest);
    link = malloc(rlen + 1);
    if (link != NULL) {
      memcpy(link, rest, rlen);
      link[rlen] = '\0';
    }
  }
  REQUIRE(link != NULL);

  check_utf8(s, tlen);
  check_path_for_open(s);
  check_symlink_target(s);
  check_junction_target(s, link);
  free(link);
  free(s);
}

/* --- mode 1: UTF-16 -------------------------------------------------------- */

static void check_utf16(const WCHAR* w, size_t n) {
  char* u = NULL;
  WCHAR* back = NULL;
  DWORD we = 0;
  size_t bytes;
  int valid = ref_utf16_valid(w, n, &bytes);
  int r = sd__utf16_to_utf8(w, (int)n, &u, &we);
  size_t i;
  int has_nul = 0;

  for (i = 0; i < n; i++) {
    if (w[i] == 0) has_nul = 1;
  }
  if (!valid) {
    REQUIRE(r == SD_EILSEQ && u == NULL && we == ERROR_NO_UNICODE_TRANSLATION);
    return;
  }
  REQUIRE(r == 0 && u != NULL);
  /* The whole length converted, and a NUL after it. */
  REQUIRE(u[bytes] == '\0');
  if (!has_nul) {
    REQUIRE(strlen(u) == bytes);
    REQUIRE(sd__utf8_to_utf16(u, &back, &we) == 0);
    REQUIRE(wcslen(back) == n && memcmp(back, w, sizeof(WCHAR) * n) == 0);
    free(back);
  }
  free(u);
}

static void check_add_long_prefix(const WCHAR* z) {
  WCHAR* o = NULL;
  size_t n = wcslen(z);
  size_t on;
  REQUIRE(sd__add_long_prefix(z, &o) == 0 && o != NULL);
  on = wcslen(o);
  if (is_sep(z[0]) && is_sep(z[1]) && (z[2] == L'?' || z[2] == L'.') &&
      is_sep(z[3])) {
    REQUIRE(on == n && memcmp(o, z, sizeof(WCHAR) * n) == 0);
  } else if (is_sep(z[0]) && is_sep(z[1])) {
    REQUIRE(on == n + 6 && has_prefix(o, "\\\\?\\UNC\\") &&
            memcmp(o + 8, z + 2, sizeof(WCHAR) * (n - 2)) == 0);
  } else if (is_alpha(z[0]) && z[1] == L':' && is_sep(z[2])) {
    REQUIRE(on == n + 4 && has_prefix(o, "\\\\?\\") &&
            memcmp(o + 4, z, sizeof(WCHAR) * n) == 0);
  } else {
    REQUIRE(on == n && memcmp(o, z, sizeof(WCHAR) * n) == 0);
  }
  free(o);
}

static void check_parent_dir(const WCHAR* z) {
  WCHAR* o = NULL;
  size_t n = wcslen(z);
  size_t on;
  int r = sd__parent_dir_w(z, &o);
  size_t i;
  int any_sep = 0;
  for (i = 0; i < n; i++) {
    if (is_sep(z[i])) any_sep = 1;
  }
  if (r != 0) {
    REQUIRE(r == SD_EINVAL && o == NULL);
    /* Refused only when there is no separator to cut at (trailing
     * separators of a longer path aside). */
    for (i = n; i > 3 && is_sep(z[i - 1]); i--) {
    }
    while (i > 0 && !is_sep(z[i - 1])) i--;
    REQUIRE(i == 0);
    return;
  }
  REQUIRE(o != NULL && any_sep);
  on = wcslen(o);
  /* A proper prefix of the path, cut at a separator or a drive root. */
  REQUIRE(on < n || (on == n && n == 3));
  REQUIRE(memcmp(o, z, sizeof(WCHAR) * on) == 0);
  REQUIRE(is_sep(z[on]) ||
          (on == 3 && is_alpha(z[0]) && z[1] == L':' && is_sep(z[2])));
  free(o);
}

static void check_full_path(const WCHAR* z) {
  WCHAR* o = NULL;
  DWORD we = 0;
  int r = sd__full_path_w(z, &o, &we);
  if (r != 0) {
    REQUIRE(o == NULL && r < 0 && we != 0);
    return;
  }
  REQUIRE(o != NULL && wcslen(o) > 0);
  if (!has_prefix(z, "\\\\?\\")) {
    REQUIRE(!has_slash(o));
    REQUIRE(is_drive_abs(o) || has_prefix(o, "\\\\"));
  }
  free(o);
}

static void check_fact_wstr(const WCHAR* z) {
  size_t bytes;
  int valid = ref_utf16_valid(z, wcslen(z), &bytes);
  sd__fuzz_facts.count = 0;
  sd__fact_wstr(&sd__fuzz_facts, "value", z);
  if (valid && bytes < SD_FACT_STR_MAX) {
    REQUIRE(sd__fuzz_facts.count == 1);
    REQUIRE(strlen(sd__fuzz_facts.items[0].str) == bytes);
  } else {
    /* Not UTF-16, or too long for a fact: left out, never cut. */
    REQUIRE(sd__fuzz_facts.count == 0);
  }
}

static void mode_utf16(const uint8_t* p, size_t size) {
  size_t n = size / 2;
  size_t zn = 0;
  size_t i;
  /* Exactly n units, no terminator: an explicit length must be enough. */
  WCHAR* w = malloc(sizeof(WCHAR) * (n > 0 ? n : 1));
  WCHAR* z;
  REQUIRE(w != NULL);
  for (i = 0; i < n; i++) {
    w[i] = (WCHAR)(p[2 * i] | (p[2 * i + 1] << 8));
  }
  while (zn < n && w[zn] != 0) zn++;
  z = malloc(sizeof(WCHAR) * (zn + 1));
  REQUIRE(z != NULL);
  memcpy(z, w, sizeof(WCHAR) * zn);
  z[zn] = 0;

  check_utf16(w, n);
  check_utf16(z, zn);
  {
    /* The -1 form. */
    char* u = NULL;
    DWORD we;
    size_t bytes;
    int r = sd__utf16_to_utf8(z, -1, &u, &we);
    if (ref_utf16_valid(z, zn, &bytes)) {
      REQUIRE(r == 0 && u != NULL && strlen(u) == bytes);
    } else {
      REQUIRE(r == SD_EILSEQ && u == NULL);
    }
    free(u);
  }
  check_add_long_prefix(z);
  check_parent_dir(z);
  check_full_path(z);
  check_fact_wstr(z);
  free(z);
  free(w);
}

int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  unsigned flags;
  if (size < 2) return 0;
  flags = data[0];
  set_cwd(data[1]);
  if ((flags & 1) == 0) {
    mode_utf8(flags, data + 2, size - 2);
  } else {
    mode_utf16(data + 2, size - 2);
  }
  return 0;
}
