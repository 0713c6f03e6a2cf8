/* probe(dir) on Windows: try each link kind on fresh names inside dir, and
 * report what the volume says it supports.
 *
 * Names are random (sd__probe_name) and every creating call fails on an
 * existing name (CREATE_NEW, CreateDirectoryW, CreateSymbolicLinkW,
 * CreateHardLinkW), so whatever is found under those names afterwards was
 * made here and is removed here, whichever step failed. Removal is never
 * recursive: DeleteFileW for files and file symlinks, RemoveDirectoryW for
 * the directory and for directory links (which it removes without touching
 * their target).
 *
 * Volume facts (keys): volumeRoot (string, e.g. "C:\"), fsName ("NTFS",
 * "FAT32", "exFAT", "ReFS"...), fsFlags (raw GetVolumeInformationW flags),
 * supportsReparsePoints (FILE_SUPPORTS_REPARSE_POINTS 0x80),
 * supportsHardLinks (FILE_SUPPORTS_HARD_LINKS 0x00400000), driveType
 * ("fixed", "removable", "remote", "cdrom", "ramdisk", "unknown",
 * "noRootDir") and driveTypeValue (raw GetDriveTypeW). A fact the OS
 * refuses is left out, and volumeInfoError / volumePathError carry the
 * raw Win32 code instead.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "internal.h"
/* After windows.h, which it needs. */
#include <bcrypt.h>

#define SD__PROBE_NAME_MAX 32768

typedef struct {
  char* name;      /* UTF-8, as passed to sd_* */
  WCHAR* wname;    /* prefixed, for cleanup */
} sd__scratch;

int sd_random_bytes(unsigned char* buf, size_t n) {
  NTSTATUS status;
  /* The system RNG needs no algorithm handle and is there from Vista on
   * (and in Wine). */
  if (n > 0xFFFFFFFFu) return SD_EINVAL;
  status = BCryptGenRandom(NULL, buf, (ULONG)n,
                           BCRYPT_USE_SYSTEM_PREFERRED_RNG);
  return BCRYPT_SUCCESS(status) ? 0 : SD_EIO;
}

static const char* sd__drive_type_name(UINT type) {
  switch (type) {
    case DRIVE_FIXED: return "fixed";
    case DRIVE_REMOVABLE: return "removable";
    case DRIVE_REMOTE: return "remote";
    case DRIVE_CDROM: return "cdrom";
    case DRIVE_RAMDISK: return "ramdisk";
    case DRIVE_NO_ROOT_DIR: return "noRootDir";
    default: return "unknown";
  }
}

/* "\\?\C:\" -> "C:\" and "\\?\UNC\srv\share\" -> "\\srv\share\", in
 * place (what GetVolumePathNameW gives for a prefixed path); anything else,
 * "\\?\Volume{...}\" included, is left alone. */
static void sd__strip_long_prefix(WCHAR* p) {
  size_t n = wcslen(p);
  if (n >= 6 && wcsncmp(p, L"\\\\?\\", 4) == 0 &&
      ((p[4] >= L'A' && p[4] <= L'Z') || (p[4] >= L'a' && p[4] <= L'z')) &&
      p[5] == L':') {
    memmove(p, p + 4, sizeof(WCHAR) * (n - 4 + 1));
  } else if (n >= 8 && wcsncmp(p, L"\\\\?\\UNC\\", 8) == 0) {
    /* Keep the leading "\\", drop "?\UNC\". */
    memmove(p + 2, p + 8, sizeof(WCHAR) * (n - 8 + 1));
  }
}

/* Facts about the volume that holds full (absolute, unprefixed; full_open
 * is the same with the \\?\ prefix). */
static void sd__volume_facts(const WCHAR* full, const WCHAR* full_open,
                             sd_facts* f) {
  WCHAR* root;
  WCHAR fs_name[MAX_PATH + 1];
  DWORD fs_flags = 0;
  DWORD max_component = 0;
  DWORD serial = 0;
  /* A path too long for the unprefixed form is only usable prefixed. */
  const WCHAR* query = wcslen(full) < MAX_PATH ? full : full_open;
  size_t size = wcslen(query) + 2;
  UINT type;

  /* The root ("C:\", "\\server\share\", or a mounted folder) is never
   * longer than the path plus a trailing separator; MAX_PATH + 1 at least,
   * as CPython allows, for the odd redirector that answers longer. */
  if (size < MAX_PATH + 1) size = MAX_PATH + 1;
  root = malloc(sizeof(WCHAR) * size);
  if (root == NULL) return;
  if (!GetVolumePathNameW(query, root, (DWORD)size)) {
    sd_fact_int(f, "volumePathError", (int64_t)GetLastError());
    goto cleanup;
  }
  sd__strip_long_prefix(root);
  sd__fact_wstr(f, "volumeRoot", root);

  type = GetDriveTypeW(root);
  sd_fact_str(f, "driveType", sd__drive_type_name(type));
  sd_fact_int(f, "driveTypeValue", (int64_t)type);

  if (!GetVolumeInformationW(root, NULL, 0, &serial, &max_component,
                             &fs_flags, fs_name, MAX_PATH + 1)) {
    sd_fact_int(f, "volumeInfoError", (int64_t)GetLastError());
    goto cleanup;
  }
  sd__fact_wstr(f, "fsName", fs_name);
  sd_fact_int(f, "fsFlags", (int64_t)fs_flags);
  sd_fact_bool(f, "supportsReparsePoints",
               (fs_flags & FILE_SUPPORTS_REPARSE_POINTS) != 0);
  sd_fact_bool(f, "supportsHardLinks",
               (fs_flags & FILE_SUPPORTS_HARD_LINKS) != 0);

cleanup:
  free(root);
}

/* dir without trailing separators, so names read "C:\x\.sd-probe-..."
 * (a root keeps its own: "C:\"). */
static char* sd__trim_dir(const char* dir) {
  size_t n = strlen(dir);
  char* out;
  while (n > 0 && (dir[n - 1] == '\\' || dir[n - 1] == '/')) n--;
  out = malloc(n + 1);
  if (out == NULL) return NULL;
  memcpy(out, dir, n);
  out[n] = '\0';
  return out;
}

static int sd__scratch_init(sd__scratch* s, const char* dir,
                            const char* suffix) {
  DWORD werr;
  int err;

  s->wname = NULL;
  s->name = malloc(SD__PROBE_NAME_MAX);
  if (s->name == NULL) return SD_ENOMEM;
  err = sd__probe_name(s->name, SD__PROBE_NAME_MAX, dir, '\\', suffix);
  if (err != 0) return err;
  return sd__path_for_open(s->name, &s->wname, &werr);
}

/* Removes whatever now exists under a scratch name. */
static void sd__scratch_remove(sd__scratch* s) {
  DWORD attrs;
  if (s->wname == NULL) return;
  attrs = GetFileAttributesW(s->wname);
  if (attrs == INVALID_FILE_ATTRIBUTES) return;
  if ((attrs & FILE_ATTRIBUTE_DIRECTORY) != 0) {
    RemoveDirectoryW(s->wname);
  } else {
    if ((attrs & FILE_ATTRIBUTE_READONLY) != 0) {
      SetFileAttributesW(s->wname, attrs & ~FILE_ATTRIBUTE_READONLY);
    }
    DeleteFileW(s->wname);
  }
}

static void sd__scratch_free(sd__scratch* s) {
  free(s->name);
  free(s->wname);
  s->name = NULL;
  s->wname = NULL;
}

/* The last component of a probe name: the relative target of a link in
 * the same directory. */
static const char* sd__base_name(const char* name) {
  const char* slash = strrchr(name, '\\');
  return slash != NULL ? slash + 1 : name;
}

static void sd__attempt(sd_attempt* a, int err, const sd_status* st) {
  a->tried = 1;
  a->ok = err == 0;
  if (err != 0) a->status = *st;
}

int sd_probe(const char* dir, sd_probe_result* out, sd_status* st) {
  sd__scratch file, directory, file_link, dir_link, junction, hard;
  sd__scratch* all[6];
  sd_status step;
  WCHAR* wdir = NULL;
  WCHAR* full = NULL;
  WCHAR* full_open = NULL;
  char* full_utf8 = NULL;
  char* trimmed = NULL;
  DWORD werr = 0;
  DWORD attrs;
  HANDLE h;
  int err;
  int i;

  memset(out, 0, sizeof(*out));
  memset(&step, 0, sizeof(step));
  sd__status_set(st, 0, 0, NULL);
  all[0] = &file_link;
  all[1] = &dir_link;
  all[2] = &junction;
  all[3] = &hard;
  all[4] = &file;
  all[5] = &directory;
  for (i = 0; i < 6; i++) memset(all[i], 0, sizeof(*all[i]));

  /* dir is resolved once: the scratch names below are built from the
   * absolute path, so a drive-relative "C:" or a chdir() on another thread
   * cannot put them anywhere but where the facts were read. */
  err = sd__utf8_to_utf16(dir, &wdir, &werr);
  if (err == 0) err = sd__full_path_w(wdir, &full, &werr);
  if (err == 0) err = sd__add_long_prefix(full, &full_open);
  if (err == 0) err = sd__utf16_to_utf8(full, -1, &full_utf8, &werr);
  if (err != 0) {
    sd__status_set(st, err, (uint32_t)werr, "open");
    goto cleanup;
  }
  attrs = GetFileAttributesW(full_open);
  if (attrs == INVALID_FILE_ATTRIBUTES) {
    err = sd__win_fail(st, GetLastError(), "open");
    goto cleanup;
  }
  if ((attrs & FILE_ATTRIBUTE_DIRECTORY) == 0) {
    err = SD_ENOTDIR;
    sd__status_set(st, err, ERROR_DIRECTORY, "open");
    goto cleanup;
  }
  /* The facts come first so they are there even if no link can be made. */
  sd__volume_facts(full, full_open, &out->facts);

  trimmed = sd__trim_dir(full_utf8);
  if (trimmed == NULL) {
    err = SD_ENOMEM;
    sd__status_set(st, err, 0, "open");
    goto cleanup;
  }
  {
    static const char* suffixes[6] = {"-fl", "-dl", "-jn", "-hl", "-f", "-d"};
    for (i = 0; i < 6; i++) {
      err = sd__scratch_init(all[i], trimmed, suffixes[i]);
      if (err != 0) {
        sd__status_set(st, err, 0, "open");
        goto cleanup;
      }
    }
  }

  /* The link targets: a file and a directory of our own. If they cannot
   * be made, the directory is not writable, and that is the answer. */
  h = CreateFileW(file.wname, GENERIC_WRITE, 0, NULL, CREATE_NEW,
                  FILE_ATTRIBUTE_NORMAL, NULL);
  if (h == INVALID_HANDLE_VALUE) {
    err = sd__win_fail(st, GetLastError(), "open");
    goto cleanup;
  }
  CloseHandle(h);
  if (!CreateDirectoryW(directory.wname, NULL)) {
    err = sd__win_fail(st, GetLastError(), "mkdir");
    goto cleanup;
  }

  /* Relative targets, as package managers make them. Each call verifies
   * that the link really exists (see link.c). */
  err = sd_symlink(sd__base_name(file.name), file_link.name, SD_LINK_FILE,
                   &step);
  sd__attempt(&out->file_symlink, err, &step);
  err = sd_symlink(sd__base_name(directory.name), dir_link.name, SD_LINK_DIR,
                   &step);
  sd__attempt(&out->dir_symlink, err, &step);
  /* A junction stores an absolute path; link.c resolves this one against
   * the junction's own directory, as Node does. */
  err = sd_symlink(sd__base_name(directory.name), junction.name,
                   SD_LINK_JUNCTION, &step);
  sd__attempt(&out->junction, err, &step);
  err = sd_hardlink(file.name, hard.name, &step);
  sd__attempt(&out->hardlink, err, &step);
  err = 0;

cleanup:
  /* Links first, then the file and directory they point to. */
  for (i = 0; i < 6; i++) {
    sd__scratch_remove(all[i]);
    sd__scratch_free(all[i]);
  }
  free(trimmed);
  free(full_utf8);
  free(full_open);
  free(full);
  free(wdir);
  return err;
}
