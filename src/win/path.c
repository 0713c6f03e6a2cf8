/* Paths on Windows: UTF-8 in, UTF-16 out, and the \\?\ prefix that lifts
 * the MAX_PATH limit.
 *
 * Every path is converted once, here, and only W functions are called with
 * the result. The \\?\ prefix also switches off Win32 normalisation ('/',
 * ".", ".." are no longer interpreted), so paths are normalised with
 * GetFullPathNameW first and prefixed afterwards. Relative symlink targets
 * are the exception: they are stored, not opened, and a prefix would make
 * them absolute.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "internal.h"

static int sd__is_sep_w(WCHAR c) { return c == L'\\' || c == L'/'; }

static int sd__is_drive_w(const WCHAR* p) {
  return ((p[0] >= L'A' && p[0] <= L'Z') || (p[0] >= L'a' && p[0] <= L'z')) &&
         p[1] == L':';
}

static void sd__slashes_to_backslashes(WCHAR* p) {
  for (; *p != L'\0'; p++) {
    if (*p == L'/') *p = L'\\';
  }
}

static WCHAR* sd__wdup_cat(const WCHAR* a, size_t alen, const WCHAR* b) {
  size_t blen = b != NULL ? wcslen(b) : 0;
  WCHAR* out = malloc(sizeof(WCHAR) * (alen + blen + 1));
  if (out == NULL) return NULL;
  memcpy(out, a, sizeof(WCHAR) * alen);
  if (blen > 0) memcpy(out + alen, b, sizeof(WCHAR) * blen);
  out[alen + blen] = L'\0';
  return out;
}

int sd__utf8_to_utf16(const char* s, WCHAR** out, DWORD* winerror) {
  int n;
  int err;
  WCHAR* w;

  *out = NULL;
  *winerror = 0;
  /* MB_ERR_INVALID_CHARS: a name with invalid UTF-8 is refused rather
   * than turned into U+FFFD, which would create a different file. */
  n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, NULL, 0);
  if (n <= 0) goto fail;
  w = malloc(sizeof(WCHAR) * (size_t)n);
  if (w == NULL) {
    *winerror = ERROR_NOT_ENOUGH_MEMORY;
    return SD_ENOMEM;
  }
  if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, s, -1, w, n) != n) {
    free(w);
    goto fail;
  }
  *out = w;
  return 0;

fail:
  /* ERROR_NO_UNICODE_TRANSLATION (1113) maps to EILSEQ; anything else
   * the conversion reports is still a name we cannot use. */
  *winerror = GetLastError();
  err = sd__translate_error(*winerror);
  return err != 0 && err != SD_UNKNOWN ? err : SD_EILSEQ;
}

int sd__utf16_to_utf8(const WCHAR* s, int len, char** out, DWORD* winerror) {
  int n;
  char* u;

  *out = NULL;
  *winerror = 0;
  if (len == 0 || (len < 0 && s[0] == L'\0')) {
    /* WideCharToMultiByte refuses empty input; an empty name is valid. */
    u = malloc(1);
    if (u == NULL) return SD_ENOMEM;
    u[0] = '\0';
    *out = u;
    return 0;
  }
  n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, s, len, NULL, 0,
                          NULL, NULL);
  if (n <= 0) goto fail;
  /* With an explicit length the result has no NUL: add room for one. */
  u = malloc((size_t)n + 1);
  if (u == NULL) {
    *winerror = ERROR_NOT_ENOUGH_MEMORY;
    return SD_ENOMEM;
  }
  if (WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, s, len, u, n, NULL,
                          NULL) != n) {
    free(u);
    goto fail;
  }
  u[n] = '\0';
  *out = u;
  return 0;

fail:
  *winerror = GetLastError();
  return SD_EILSEQ;
}

int sd__full_path_w(const WCHAR* path, WCHAR** out, DWORD* winerror) {
  DWORD size;
  DWORD n;
  WCHAR* buf;

  *out = NULL;
  *winerror = 0;
  size = GetFullPathNameW(path, 0, NULL, NULL);
  for (;;) {
    if (size == 0) {
      *winerror = GetLastError();
      return sd__translate_error(*winerror) != 0
                 ? sd__translate_error(*winerror)
                 : SD_EINVAL;
    }
    buf = malloc(sizeof(WCHAR) * size);
    if (buf == NULL) {
      *winerror = ERROR_NOT_ENOUGH_MEMORY;
      return SD_ENOMEM;
    }
    n = GetFullPathNameW(path, size, buf, NULL);
    if (n > 0 && n < size) break;
    free(buf);
    /* The current directory changed between the calls: ask again. */
    size = n;
  }
  *out = buf;
  return 0;
}

int sd__add_long_prefix(const WCHAR* full, WCHAR** out) {
  WCHAR* w;

  if (sd__is_sep_w(full[0]) && sd__is_sep_w(full[1]) &&
      (full[2] == L'?' || full[2] == L'.') && sd__is_sep_w(full[3])) {
    /* Already a \\?\ or \\.\ (device) path. */
    w = sd__wdup_cat(full, wcslen(full), NULL);
  } else if (sd__is_sep_w(full[0]) && sd__is_sep_w(full[1])) {
    /* \\server\share\x -> \\?\UNC\server\share\x */
    w = sd__wdup_cat(L"\\\\?\\UNC\\", 8, full + 2);
  } else if (sd__is_drive_w(full) && sd__is_sep_w(full[2])) {
    w = sd__wdup_cat(L"\\\\?\\", 4, full);
  } else {
    /* Not absolute: nothing to prefix. */
    w = sd__wdup_cat(full, wcslen(full), NULL);
  }
  if (w == NULL) return SD_ENOMEM;
  *out = w;
  return 0;
}

int sd__path_for_open(const char* utf8, WCHAR** out, DWORD* winerror) {
  WCHAR* w = NULL;
  WCHAR* full = NULL;
  int err;

  *out = NULL;
  err = sd__utf8_to_utf16(utf8, &w, winerror);
  if (err != 0) goto cleanup;
  err = sd__full_path_w(w, &full, winerror);
  if (err != 0) goto cleanup;
  err = sd__add_long_prefix(full, out);

cleanup:
  free(w);
  free(full);
  return err;
}

static int sd__is_absolute_w(const WCHAR* p) {
  return (sd__is_drive_w(p) && sd__is_sep_w(p[2])) ||
         (sd__is_sep_w(p[0]) && sd__is_sep_w(p[1]));
}

int sd__symlink_target(const char* utf8, WCHAR** out, DWORD* winerror) {
  WCHAR* w = NULL;
  WCHAR* full = NULL;
  int err;

  *out = NULL;
  err = sd__utf8_to_utf16(utf8, &w, winerror);
  if (err != 0) return err;
  /* Windows symlinks do not tolerate forward slashes: the target is
   * stored verbatim and '/' is not a separator when it is followed. */
  sd__slashes_to_backslashes(w);
  if (!sd__is_absolute_w(w)) {
    /* "..\x", "x", "\x" and "C:x" are stored as given: the kernel resolves
     * them against the link's directory (or drive) when followed. */
    *out = w;
    return 0;
  }
  err = sd__full_path_w(w, &full, winerror);
  if (err == 0) err = sd__add_long_prefix(full, out);
  free(w);
  free(full);
  return err;
}

int sd__parent_dir_w(const WCHAR* full, WCHAR** out) {
  size_t n = wcslen(full);
  size_t i;

  *out = NULL;
  /* Ignore trailing separators: the parent of "C:\a\" is "C:\". */
  while (n > 3 && sd__is_sep_w(full[n - 1])) n--;
  i = n;
  while (i > 0 && !sd__is_sep_w(full[i - 1])) i--;
  if (i == 0) return SD_EINVAL;
  /* i - 1 is the last separator. Keep it only for a drive root. */
  n = i - 1;
  if (n == 2 && sd__is_drive_w(full)) n = 3;
  *out = sd__wdup_cat(full, n, NULL);
  return *out != NULL ? 0 : SD_ENOMEM;
}

int sd__junction_target(const char* utf8, const WCHAR* link_full,
                        WCHAR** out, DWORD* winerror) {
  WCHAR* w = NULL;
  WCHAR* base = NULL;
  WCHAR* joined = NULL;
  size_t blen;
  int err;

  *out = NULL;
  *winerror = 0;
  err = sd__utf8_to_utf16(utf8, &w, winerror);
  if (err != 0) goto cleanup;
  sd__slashes_to_backslashes(w);

  if (w[0] == L'\\' && w[1] == L'\\') {
    /* Only \\?\X:\ names a local drive. UNC shares, \\?\UNC\, volume GUID
     * and device paths cannot hold a junction's target. */
    if (!(w[2] == L'?' && w[3] == L'\\' && sd__is_drive_w(w + 4) &&
          w[6] == L'\\')) {
      err = SD_EINVAL;
      goto cleanup;
    }
    /* GetFullPathNameW leaves \\?\ paths alone; the builder strips the
     * prefix and rejects any "." or ".." left in them. */
    *out = w;
    w = NULL;
    goto cleanup;
  }

  if (sd__is_drive_w(w)) {
    /* "C:\x" is absolute; "C:x" is relative to that drive's current
     * directory, which only GetFullPathNameW knows. */
    err = sd__full_path_w(w, out, winerror);
    goto cleanup;
  }

  if (w[0] == L'\\') {
    /* "\x": the root of the link's drive, not of the current one. */
    if (!sd__is_drive_w(link_full)) {
      err = SD_EINVAL;
      goto cleanup;
    }
    joined = sd__wdup_cat(link_full, 2, w);
  } else {
    /* Relative: against the link's directory, as Node resolves
     * fs.symlink(target, path, 'junction'). */
    err = sd__parent_dir_w(link_full, &base);
    if (err != 0) goto cleanup;
    blen = wcslen(base);
    joined = malloc(sizeof(WCHAR) * (blen + 1 + wcslen(w) + 1));
    if (joined != NULL) {
      memcpy(joined, base, sizeof(WCHAR) * blen);
      /* A drive root already ends in '\'. */
      if (blen == 0 || base[blen - 1] != L'\\') joined[blen++] = L'\\';
      memcpy(joined + blen, w, sizeof(WCHAR) * (wcslen(w) + 1));
    }
  }
  if (joined == NULL) {
    err = SD_ENOMEM;
    goto cleanup;
  }
  err = sd__full_path_w(joined, out, winerror);

cleanup:
  free(w);
  free(base);
  free(joined);
  return err;
}

void sd__fact_wstr(sd_facts* f, const char* key, const WCHAR* value) {
  char* utf8;
  DWORD werr;
  /* A value that is not valid UTF-16 is left out rather than mangled. */
  if (sd__utf16_to_utf8(value, -1, &utf8, &werr) != 0) return;
  sd_fact_str(f, key, utf8);
  free(utf8);
}
