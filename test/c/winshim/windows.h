/* A stand-in for <windows.h>, just enough to build the pure parts of the
 * Windows layer (src/win/path.c, src/win/error.c) on Linux for the fuzzers:
 *
 *   clang -fshort-wchar -Itest/c/winshim -Isrc ...
 *
 * -fshort-wchar makes wchar_t (and so WCHAR and L"" literals) 16 bits as on
 * Windows; wcslen is then redirected to a 16-bit version, since glibc's
 * reads 32-bit units. Without -fshort-wchar (gcc -fsyntax-only in
 * scripts/test-c.sh) everything still compiles, with 32-bit units.
 *
 * The functions follow the documented contracts, including the corners the
 * callers depend on:
 *   MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, buf, n):
 *     strict UTF-8 (no overlongs, no encoded surrogates, nothing past
 *     U+10FFFF, no truncated sequence); count includes the NUL; n == 0 asks
 *     for the size; a short buffer fails with ERROR_INSUFFICIENT_BUFFER and
 *     nothing past buf[n - 1] is written.
 *   WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, s, len, ...): len
 *     -1 counts the NUL, an explicit len does not add one; len 0 is
 *     ERROR_INVALID_PARAMETER; unpaired surrogates are
 *     ERROR_NO_UNICODE_TRANSLATION; the default-char arguments must be NULL.
 *   GetFullPathNameW: a model of Win32 path normalisation (see below) with
 *     the size protocol: a too-small buffer returns the size needed,
 *     NUL included; success returns the length without the NUL. The model's
 *     current directory, and a change of it between two calls, are set by
 *     the fuzzer (sd_shim_cwd, sd_shim_cwd_grow).
 * Everything is static inline: one copy per translation unit, so the
 * fuzzers build path.c and error.c into their own unit (#include).
 */
#ifndef SD_TEST_WINSHIM_WINDOWS_H
#define SD_TEST_WINSHIM_WINDOWS_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

typedef wchar_t WCHAR;
typedef uint32_t DWORD;
typedef int32_t LONG;
typedef int BOOL;
typedef unsigned int UINT;
typedef char CHAR;
typedef const char* LPCSTR;
typedef char* LPSTR;
typedef const WCHAR* LPCWSTR;
typedef WCHAR* LPWSTR;
typedef BOOL* LPBOOL;
typedef void* HANDLE;
typedef LONG LSTATUS;

#define TRUE 1
#define FALSE 0
#define MAX_PATH 260

#define CP_UTF8 65001u
#define MB_ERR_INVALID_CHARS 0x00000008u
#define WC_ERR_INVALID_CHARS 0x00000080u

#define ERROR_SUCCESS 0
#define ERROR_INVALID_FUNCTION 1
#define ERROR_FILE_NOT_FOUND 2
#define ERROR_PATH_NOT_FOUND 3
#define ERROR_TOO_MANY_OPEN_FILES 4
#define ERROR_ACCESS_DENIED 5
#define ERROR_INVALID_HANDLE 6
#define ERROR_NOT_ENOUGH_MEMORY 8
#define ERROR_OUTOFMEMORY 14
#define ERROR_INVALID_DRIVE 15
#define ERROR_NOT_SAME_DEVICE 17
#define ERROR_WRITE_PROTECT 19
#define ERROR_CRC 23
#define ERROR_GEN_FAILURE 31
#define ERROR_SHARING_VIOLATION 32
#define ERROR_LOCK_VIOLATION 33
#define ERROR_HANDLE_DISK_FULL 39
#define ERROR_NOT_SUPPORTED 50
#define ERROR_BAD_NETPATH 53
#define ERROR_NETWORK_ACCESS_DENIED 65
#define ERROR_BAD_NET_NAME 67
#define ERROR_FILE_EXISTS 80
#define ERROR_INVALID_PARAMETER 87
#define ERROR_BUFFER_OVERFLOW 111
#define ERROR_DISK_FULL 112
#define ERROR_CALL_NOT_IMPLEMENTED 120
#define ERROR_INSUFFICIENT_BUFFER 122
#define ERROR_INVALID_NAME 123
#define ERROR_MOD_NOT_FOUND 126
#define ERROR_DIR_NOT_EMPTY 145
#define ERROR_BAD_PATHNAME 161
#define ERROR_BUSY 170
#define ERROR_ALREADY_EXISTS 183
#define ERROR_FILENAME_EXCED_RANGE 206
#define ERROR_DIRECTORY 267
#define ERROR_NO_UNICODE_TRANSLATION 1113
#define ERROR_IO_DEVICE 1117
#define ERROR_TOO_MANY_LINKS 1142
#define ERROR_PRIVILEGE_NOT_HELD 1314
#define ERROR_CANT_ACCESS_FILE 1920
#define ERROR_CANT_RESOLVE_FILENAME 1921
#define ERROR_NOT_A_REPARSE_POINT 4390
#define ERROR_INVALID_REPARSE_DATA 4392
#define ERROR_REPARSE_TAG_INVALID 4393
#define ERROR_REPARSE_TAG_MISMATCH 4394

/* wcslen on WCHAR units of whatever width wchar_t has here. */
static inline size_t sd_shim_wcslen(const WCHAR* s) {
  size_t n = 0;
  while (s[n] != 0) n++;
  return n;
}
#define wcslen sd_shim_wcslen

static DWORD sd_shim_last_error;
static inline DWORD GetLastError(void) { return sd_shim_last_error; }
static inline void SetLastError(DWORD e) { sd_shim_last_error = e; }

/* --- UTF-8 <-> UTF-16 -------------------------------------------------- */

/* Decodes one strict UTF-8 sequence at s[0..n); returns its length and
 * the code point in *cp, or 0 when it is not valid UTF-8. */
static inline size_t sd_shim_utf8_next(const unsigned char* s, size_t n,
                                       uint32_t* cp) {
  uint32_t c;
  size_t len, i;
  if (n == 0) return 0;
  if (s[0] < 0x80) {
    *cp = s[0];
    return 1;
  } else if (s[0] >= 0xC2 && s[0] <= 0xDF) {
    c = s[0] & 0x1Fu;
    len = 2;
  } else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
    c = s[0] & 0x0Fu;
    len = 3;
  } else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
    c = s[0] & 0x07u;
    len = 4;
  } else {
    return 0;
  }
  if (n < len) return 0;
  for (i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    c = (c << 6) | (s[i] & 0x3Fu);
  }
  if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
      (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) {
    return 0;
  }
  *cp = c;
  return len;
}

static inline int MultiByteToWideChar(UINT cp, DWORD flags, LPCSTR src,
                                      int srclen, LPWSTR dst, int dstlen) {
  const unsigned char* s = (const unsigned char*)src;
  size_t n;
  size_t i = 0;
  int out = 0;
  if (cp != CP_UTF8 || (flags & ~MB_ERR_INVALID_CHARS) != 0 || src == NULL ||
      srclen == 0 || srclen < -1 || dstlen < 0 ||
      (dstlen > 0 && dst == NULL)) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return 0;
  }
  /* -1: through the NUL, which is converted and counted too. */
  n = srclen == -1 ? strlen(src) + 1 : (size_t)srclen;
  while (i < n) {
    uint32_t c;
    size_t len = sd_shim_utf8_next(s + i, n - i, &c);
    int units;
    if (len == 0) {
      if (flags & MB_ERR_INVALID_CHARS) {
        SetLastError(ERROR_NO_UNICODE_TRANSLATION);
        return 0;
      }
      c = 0xFFFD;
      len = 1;
    }
    units = c >= 0x10000 ? 2 : 1;
    if (dstlen > 0) {
      if (out + units > dstlen) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
      }
      if (units == 2) {
        dst[out] = (WCHAR)(0xD800 + ((c - 0x10000) >> 10));
        dst[out + 1] = (WCHAR)(0xDC00 + ((c - 0x10000) & 0x3FF));
      } else {
        dst[out] = (WCHAR)c;
      }
    }
    out += units;
    i += len;
  }
  return out;
}

static inline int WideCharToMultiByte(UINT cp, DWORD flags, LPCWSTR src,
                                      int srclen, LPSTR dst, int dstlen,
                                      LPCSTR default_char,
                                      LPBOOL used_default) {
  size_t n;
  size_t i = 0;
  int out = 0;
  if (cp != CP_UTF8 || (flags & ~WC_ERR_INVALID_CHARS) != 0 ||
      src == NULL || srclen == 0 || srclen < -1 || dstlen < 0 ||
      (dstlen > 0 && dst == NULL) || default_char != NULL ||
      used_default != NULL) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return 0;
  }
  n = srclen == -1 ? sd_shim_wcslen(src) + 1 : (size_t)srclen;
  while (i < n) {
    uint32_t c = (uint32_t)src[i] & 0xFFFFu;
    size_t used = 1;
    unsigned char b[4];
    int len, k;
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n &&
        ((uint32_t)src[i + 1] & 0xFFFFu) >= 0xDC00 &&
        ((uint32_t)src[i + 1] & 0xFFFFu) <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) +
          (((uint32_t)src[i + 1] & 0xFFFFu) - 0xDC00);
      used = 2;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      if (flags & WC_ERR_INVALID_CHARS) {
        SetLastError(ERROR_NO_UNICODE_TRANSLATION);
        return 0;
      }
      c = 0xFFFD;
    }
    if (c < 0x80) {
      b[0] = (unsigned char)c;
      len = 1;
    } else if (c < 0x800) {
      b[0] = (unsigned char)(0xC0 | (c >> 6));
      b[1] = (unsigned char)(0x80 | (c & 0x3F));
      len = 2;
    } else if (c < 0x10000) {
      b[0] = (unsigned char)(0xE0 | (c >> 12));
      b[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
      b[2] = (unsigned char)(0x80 | (c & 0x3F));
      len = 3;
    } else {
      b[0] = (unsigned char)(0xF0 | (c >> 18));
      b[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
      b[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
      b[3] = (unsigned char)(0x80 | (c & 0x3F));
      len = 4;
    }
    if (dstlen > 0) {
      if (out + len > dstlen) {
        SetLastError(ERROR_INSUFFICIENT_BUFFER);
        return 0;
      }
      for (k = 0; k < len; k++) dst[out + k] = (char)b[k];
    }
    out += len;
    i += used;
  }
  return out;
}

/* --- GetFullPathNameW -------------------------------------------------- */

/* The model's current directory: an absolute "X:\..." path with no
 * trailing separator except for a root. Set by the fuzzer. */
static WCHAR sd_shim_cwd[1024] = {'C', ':', '\\', 0};
/* When non-zero, each GetFullPathNameW call appends this many 'd's to the
 * current directory first: another thread's chdir() between the size query
 * and the real call. */
static unsigned sd_shim_cwd_grow;

static inline int sd_shim_sep(WCHAR c) { return c == '\\' || c == '/'; }
static inline int sd_shim_alpha(WCHAR c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Appends the components of rel (separators of either kind) to out[0..*n),
 * whose first root_len units are the root that ".." cannot climb above.
 * Drops "." and empty components, resolves "..", strips one trailing '.'
 * from a component, and trailing dots and spaces from the last one unless
 * the path ends in a separator. */
static inline void sd_shim_append(WCHAR* out, size_t* n, size_t root_len,
                                  const WCHAR* rel) {
  const WCHAR* p = rel;
  while (*p != 0) {
    const WCHAR* start;
    size_t len;
    int last;
    while (sd_shim_sep(*p)) p++;
    if (*p == 0) break;
    start = p;
    while (*p != 0 && !sd_shim_sep(*p)) p++;
    len = (size_t)(p - start);
    last = *p == 0;
    if (len == 1 && start[0] == '.') continue;
    if (len == 2 && start[0] == '.' && start[1] == '.') {
      /* Back to the previous separator, never into the root. */
      while (*n > root_len && out[*n - 1] != '\\') (*n)--;
      if (*n > root_len) (*n)--;
      continue;
    }
    if (last) {
      while (len > 0 && (start[len - 1] == '.' || start[len - 1] == ' '))
        len--;
    } else if (len > 1 && start[len - 1] == '.' && start[len - 2] != '.') {
      len--;
    }
    if (len == 0) continue;
    if (*n > 0 && out[*n - 1] != '\\') out[(*n)++] = '\\';
    memcpy(out + *n, start, sizeof(WCHAR) * len);
    *n += len;
  }
  /* A trailing separator of the input stays. */
  if (p != rel && sd_shim_sep(p[-1]) && *n > 0 && out[*n - 1] != '\\')
    out[(*n)++] = '\\';
}

/* The full path of path into a malloc'd buffer (*len units, NUL after);
 * 0 or a Win32 error. */
static inline DWORD sd_shim_full_path(const WCHAR* path, WCHAR** res,
                                      size_t* len) {
  size_t plen = sd_shim_wcslen(path);
  size_t clen;
  size_t cap;
  size_t n = 0;
  size_t root_len;
  WCHAR* out;
  const WCHAR* rel;
  size_t i;

  if (plen == 0) return ERROR_INVALID_NAME;
  clen = sd_shim_wcslen(sd_shim_cwd);
  if (sd_shim_cwd_grow > 0 &&
      clen + 2 < sizeof(sd_shim_cwd) / sizeof(sd_shim_cwd[0])) {
    if (clen == 3) clen--; /* "C:\" + "ddd": no double separator */
    sd_shim_cwd[clen++] = '\\';
    for (i = 0; i < sd_shim_cwd_grow &&
                clen + 1 < sizeof(sd_shim_cwd) / sizeof(sd_shim_cwd[0]);
         i++) {
      sd_shim_cwd[clen++] = 'd';
    }
    sd_shim_cwd[clen] = 0;
  }
  clen = sd_shim_wcslen(sd_shim_cwd);
  cap = plen + clen + 8;
  out = (WCHAR*)malloc(sizeof(WCHAR) * cap);
  if (out == NULL) return ERROR_NOT_ENOUGH_MEMORY;

  if (path[0] == '\\' && path[1] == '\\' && path[2] == '?' &&
      path[3] == '\\') {
    /* \\?\: verbatim, nothing normalised. */
    memcpy(out, path, sizeof(WCHAR) * plen);
    n = plen;
    rel = NULL;
  } else if (sd_shim_sep(path[0]) && sd_shim_sep(path[1])) {
    /* UNC \\server\share or device \\.\x: the root is two components. */
    size_t k = 2;
    int parts = 0;
    out[0] = '\\';
    out[1] = '\\';
    n = 2;
    while (path[k] != 0 && parts < 2) {
      while (path[k] != 0 && !sd_shim_sep(path[k])) out[n++] = path[k++];
      parts++;
      if (parts < 2 && sd_shim_sep(path[k])) {
        out[n++] = '\\';
        k++;
      }
    }
    root_len = n;
    rel = path + k;
  } else if (sd_shim_alpha(path[0]) && path[1] == ':') {
    out[0] = path[0];
    out[1] = ':';
    out[2] = '\\';
    n = 3;
    if (!sd_shim_sep(path[2]) && (sd_shim_cwd[0] | 0x20) == (path[0] | 0x20)) {
      /* "C:x" on the current drive: against the current directory. */
      memcpy(out, sd_shim_cwd, sizeof(WCHAR) * clen);
      n = clen;
    }
    root_len = 3;
    rel = path + 2;
  } else if (sd_shim_sep(path[0])) {
    /* "\x": the root of the current drive. */
    out[0] = sd_shim_cwd[0];
    out[1] = ':';
    out[2] = '\\';
    n = 3;
    root_len = 3;
    rel = path;
  } else {
    memcpy(out, sd_shim_cwd, sizeof(WCHAR) * clen);
    n = clen;
    root_len = 3;
    rel = path;
  }
  if (rel != NULL) sd_shim_append(out, &n, root_len, rel);
  out[n] = 0;
  if (n >= 32767) {
    free(out);
    return ERROR_FILENAME_EXCED_RANGE;
  }
  *res = out;
  *len = n;
  return 0;
}

static inline DWORD GetFullPathNameW(LPCWSTR path, DWORD size, LPWSTR buf,
                                     LPWSTR* file_part) {
  WCHAR* full = NULL;
  size_t len = 0;
  DWORD err;
  if (path == NULL || (size > 0 && buf == NULL)) {
    SetLastError(ERROR_INVALID_PARAMETER);
    return 0;
  }
  err = sd_shim_full_path(path, &full, &len);
  if (err != 0) {
    SetLastError(err);
    return 0;
  }
  if (len + 1 > size) {
    free(full);
    return (DWORD)(len + 1);
  }
  memcpy(buf, full, sizeof(WCHAR) * (len + 1));
  if (file_part != NULL) {
    size_t i = len;
    while (i > 0 && buf[i - 1] != '\\') i--;
    *file_part = i < len ? buf + i : NULL;
  }
  free(full);
  return (DWORD)len;
}

#endif /* SD_TEST_WINSHIM_WINDOWS_H */
