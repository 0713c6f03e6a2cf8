/* Links on Windows: CreateSymbolicLinkW, junctions through
 * FSCTL_SET_REPARSE_POINT, CreateHardLinkW, and reading and removing them
 * without following them.
 *
 * Syscall names in sd_status: "symlink", "symlink-verify", "junction",
 * "junction-verify", "link", "lstat", "readlink", "unlink", "rename".
 *
 * "symlink-verify" is the refusal nobody reports: Wine 8's
 * CreateSymbolicLinkW is a stub that returns TRUE and creates nothing. After
 * every reported success we look for the symlink reparse point, and when it
 * is not there the result is code SD_ENOTSUP, winerror ERROR_NOT_SUPPORTED
 * (50), syscall "symlink-verify". JS tells it apart from a real
 * ERROR_NOT_SUPPORTED (which has syscall "symlink") by the syscall alone.
 */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "internal.h"
#include "../reparse.h"

/* reparse.c works on uint16_t units; WCHAR must be the same size. */
typedef char sd__wchar_is_16_bits[sizeof(WCHAR) == 2 ? 1 : -1];

/* IsReparseTagNameSurrogate(): the tag names another file or directory
 * (symlinks, mount points, WSL symlinks), as opposed to a filter's data on
 * the file itself. */
#define SD__TAG_NAME_SURROGATE 0x20000000u

/* FILE_DISPOSITION_INFO_EX and its class (FileDispositionInfoEx, 21),
 * Windows 10 1809 and later; spelled out since older SDKs and mingw
 * headers lack them. */
typedef struct {
  DWORD Flags;
} sd__disposition_ex;
#define SD__FILE_DISPOSITION_INFO_EX ((FILE_INFO_BY_HANDLE_CLASS)21)
#define SD__DISPOSITION_DELETE 0x1u
#define SD__DISPOSITION_IGNORE_READONLY 0x10u

/* Set once CreateSymbolicLinkW has shown that it does not know
 * SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE (Windows before 10 1703).
 * Process-wide and never cleared, like the OS version it stands for. */
static volatile LONG sd__unprivileged_flag_unsupported;

/* A reparse point read back from disk. name is the target as a Win32 path
 * (NT prefix mapped away), NUL-terminated; NULL for other tags. */
typedef struct {
  DWORD tag;
  sd_reparse_kind kind;
  uint32_t flags;
  uint16_t* name;
  size_t len;
} sd__reparse;

static HANDLE sd__open_no_follow(const WCHAR* path, DWORD access) {
  /* FILE_FLAG_OPEN_REPARSE_POINT opens the link itself, never its target;
   * FILE_FLAG_BACKUP_SEMANTICS is what allows opening a directory. */
  return CreateFileW(path, access,
                     FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                     NULL, OPEN_EXISTING,
                     FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS,
                     NULL);
}

/* The reparse tag of h (opened with FILE_FLAG_OPEN_REPARSE_POINT on
 * something with FILE_ATTRIBUTE_REPARSE_POINT) through FileAttributeTagInfo,
 * which any handle with FILE_READ_ATTRIBUTES may ask for, without reading
 * a filter's private reparse data (FSCTL_GET_REPARSE_POINT) that we have
 * no use for. 0 when it cannot be had: the caller then reads the data. */
static DWORD sd__handle_tag(HANDLE h) {
  FILE_ATTRIBUTE_TAG_INFO ti;
  memset(&ti, 0, sizeof(ti));
  if (!GetFileInformationByHandleEx(h, FileAttributeTagInfo, &ti,
                                    sizeof(ti))) {
    return 0;
  }
  return ti.ReparseTag;
}

/* A tag that is not a name surrogate is a filter's data on a real file or
 * directory, never a link: no need to read it. */
static int sd__is_filter_tag(DWORD tag) {
  return tag != 0 && (tag & SD__TAG_NAME_SURROGATE) == 0;
}

static void sd__reparse_free(sd__reparse* r) {
  free(r->name);
  r->name = NULL;
}

/* FSCTL_GET_REPARSE_POINT on h, parsed by the portable parser. */
static int sd__read_reparse(HANDLE h, sd__reparse* r, DWORD* winerror) {
  unsigned char* buf;
  sd_reparse_data d;
  DWORD got = 0;
  size_t off;
  size_t len;
  int err = 0;

  memset(r, 0, sizeof(*r));
  *winerror = 0;
  buf = malloc(SD_REPARSE_MAX_SIZE);
  if (buf == NULL) {
    *winerror = ERROR_NOT_ENOUGH_MEMORY;
    return SD_ENOMEM;
  }
  if (!DeviceIoControl(h, FSCTL_GET_REPARSE_POINT, NULL, 0, buf,
                       SD_REPARSE_MAX_SIZE, &got, NULL)) {
    *winerror = GetLastError();
    err = sd__translate_error(*winerror);
    goto cleanup;
  }
  if (sd_reparse_parse(buf, got, &d) != 0) {
    /* A filter driver handed back something that is not a valid buffer. */
    *winerror = ERROR_INVALID_REPARSE_DATA;
    err = SD_EINVAL;
    goto cleanup;
  }
  r->tag = d.tag;
  r->kind = d.kind;
  r->flags = d.flags;
  if (d.kind == SD_REPARSE_OTHER) goto cleanup;

  /* The substitute name is what the kernel follows; the print name is for
   * display and may be empty. Fall back on it only if the other is. */
  off = d.subst_len > 0 ? d.subst_offset : d.print_offset;
  len = d.subst_len > 0 ? d.subst_len : d.print_len;
  r->name = malloc(sizeof(uint16_t) * (len + 1));
  if (r->name == NULL) {
    *winerror = ERROR_NOT_ENOUGH_MEMORY;
    err = SD_ENOMEM;
    goto cleanup;
  }
  sd_reparse_read_name(buf, off, len, r->name);
  r->len = sd_reparse_nt_to_win32(r->name, len);

cleanup:
  free(buf);
  return err;
}

/* True for a mount point that mounts a volume ("\\?\Volume{...}\") rather
 * than linking to a directory: that is a drive, not a junction. */
static int sd__is_volume_mount(const sd__reparse* r) {
  static const char prefix[] = "\\\\?\\volume{";
  size_t n = sizeof(prefix) - 1;
  size_t i;
  uint16_t c;

  if (r->kind != SD_REPARSE_MOUNT_POINT || r->len < n) return 0;
  for (i = 0; i < n; i++) {
    c = r->name[i];
    /* "Volume" is matched whatever its case. */
    if (c >= 'A' && c <= 'Z') c = (uint16_t)(c + ('a' - 'A'));
    if (c != (uint16_t)prefix[i]) return 0;
  }
  return 1;
}

/* The reparse tag now at path, 0 when there is none or it cannot be read. */
static DWORD sd__reparse_tag_at(const WCHAR* path) {
  DWORD attrs = GetFileAttributesW(path);
  sd__reparse r;
  DWORD werr;
  HANDLE h;
  DWORD tag;

  if (attrs == INVALID_FILE_ATTRIBUTES ||
      (attrs & FILE_ATTRIBUTE_REPARSE_POINT) == 0) {
    return 0;
  }
  h = sd__open_no_follow(path, FILE_READ_ATTRIBUTES);
  /* The attribute alone says a reparse point is there; without a handle
   * its tag stays unknown. */
  if (h == INVALID_HANDLE_VALUE) return (DWORD)-1;
  tag = sd__read_reparse(h, &r, &werr) == 0 ? r.tag : (DWORD)-1;
  sd__reparse_free(&r);
  CloseHandle(h);
  return tag;
}

int sd__symlink_exists(const WCHAR* path) {
  DWORD tag = sd__reparse_tag_at(path);
  return tag == SD_REPARSE_TAG_SYMLINK || tag == (DWORD)-1;
}

/* CreateSymbolicLinkW with the unprivileged flag, retried without it on
 * ERROR_INVALID_PARAMETER. The flag is given up for good only when the
 * retry succeeds or fails differently: a second ERROR_INVALID_PARAMETER
 * means the first was about the arguments, not the flag. Two threads may
 * both retry before one records the answer; that costs a call, nothing
 * more. */
static int sd__create_symlink(const WCHAR* link, const WCHAR* target,
                              DWORD flags, DWORD* winerror) {
  int with_flag = sd__unprivileged_flag_unsupported == 0;

  *winerror = 0;
  if (with_flag) {
    if (CreateSymbolicLinkW(link, target,
                            flags |
                                SYMBOLIC_LINK_FLAG_ALLOW_UNPRIVILEGED_CREATE)) {
      return 1;
    }
    *winerror = GetLastError();
    if (*winerror != ERROR_INVALID_PARAMETER) return 0;
  }
  if (CreateSymbolicLinkW(link, target, flags)) {
    if (with_flag) InterlockedExchange(&sd__unprivileged_flag_unsupported, 1);
    return 1;
  }
  *winerror = GetLastError();
  if (with_flag && *winerror != ERROR_INVALID_PARAMETER) {
    InterlockedExchange(&sd__unprivileged_flag_unsupported, 1);
  }
  return 0;
}

static int sd__junction(const char* target, const char* path,
                        sd_status* st) {
  BY_HANDLE_FILE_INFORMATION bhfi;
  WCHAR* wide = NULL;
  WCHAR* link_full = NULL;
  WCHAR* link = NULL;
  WCHAR* wtarget = NULL;
  WCHAR* target_open = NULL;
  unsigned char* buf = NULL;
  HANDLE h = INVALID_HANDLE_VALUE;
  size_t used;
  DWORD bytes;
  DWORD attrs;
  DWORD werr = 0;
  int made_dir = 0;
  int err;

  err = sd__utf8_to_utf16(path, &wide, &werr);
  if (err == 0) err = sd__full_path_w(wide, &link_full, &werr);
  if (err == 0) err = sd__add_long_prefix(link_full, &link);
  if (err != 0) goto fail;

  err = sd__junction_target(target, link_full, &wtarget, &werr);
  if (err != 0) goto fail;

  /* A junction to a file is accepted by the kernel and useless: opening
   * it fails. Refuse an existing non-directory target; a missing one is
   * allowed, as for symlinks. */
  err = sd__add_long_prefix(wtarget, &target_open);
  if (err != 0) goto fail;
  attrs = GetFileAttributesW(target_open);
  if (attrs != INVALID_FILE_ATTRIBUTES &&
      (attrs & FILE_ATTRIBUTE_DIRECTORY) == 0) {
    werr = ERROR_DIRECTORY;
    err = SD_ENOTDIR;
    goto fail;
  }

  buf = malloc(SD_REPARSE_MAX_SIZE);
  if (buf == NULL) {
    err = SD_ENOMEM;
    goto fail;
  }
  err = sd_reparse_build_mount_point((const uint16_t*)wtarget,
                                     wcslen(wtarget), buf,
                                     SD_REPARSE_MAX_SIZE, &used);
  if (err != 0) goto fail;

  if (!CreateDirectoryW(link, NULL)) {
    werr = GetLastError();
    err = sd__translate_error(werr);
    goto fail;
  }
  made_dir = 1;

  h = CreateFileW(link, GENERIC_WRITE, 0, NULL, OPEN_EXISTING,
                  FILE_FLAG_OPEN_REPARSE_POINT | FILE_FLAG_BACKUP_SEMANTICS,
                  NULL);
  if (h == INVALID_HANDLE_VALUE) {
    werr = GetLastError();
    err = sd__translate_error(werr);
    /* Another process removed the directory in between: whatever is at the
     * name now is not ours to remove. */
    if (werr == ERROR_FILE_NOT_FOUND || werr == ERROR_PATH_NOT_FOUND) {
      made_dir = 0;
    }
    goto fail;
  }
  /* The handle must be the plain directory made above. If another process
   * replaced it in between (with its own link, say), neither set a reparse
   * point on it nor remove it by name below. */
  if (!GetFileInformationByHandle(h, &bhfi)) {
    werr = GetLastError();
    err = sd__translate_error(werr);
    goto fail;
  }
  if ((bhfi.dwFileAttributes &
       (FILE_ATTRIBUTE_DIRECTORY | FILE_ATTRIBUTE_REPARSE_POINT)) !=
      FILE_ATTRIBUTE_DIRECTORY) {
    made_dir = 0;
    werr = ERROR_ALREADY_EXISTS;
    err = SD_EEXIST;
    goto fail;
  }
  if (!DeviceIoControl(h, FSCTL_SET_REPARSE_POINT, buf, (DWORD)used, NULL, 0,
                       &bytes, NULL)) {
    /* Wine 8 answers ERROR_NOT_SUPPORTED (50) here; FAT answers
     * ERROR_INVALID_FUNCTION (1). */
    werr = GetLastError();
    err = sd__translate_error(werr);
    goto fail;
  }
  CloseHandle(h);
  h = INVALID_HANDLE_VALUE;

  /* Same distrust as for symlinks: a success that left no mount point is
   * a refusal. */
  if (sd__reparse_tag_at(link) == 0) {
    werr = ERROR_NOT_SUPPORTED;
    err = SD_ENOTSUP;
    sd__status_set(st, err, werr, "junction-verify");
    goto cleanup;
  }
  err = 0;
  goto cleanup;

fail:
  /* A Win32 code with no SD_E* equivalent is still a failure. */
  if (err == 0) err = SD_UNKNOWN;
  sd__status_set(st, err, (uint32_t)werr, "junction");

cleanup:
  if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
  /* Leave nothing behind: the directory is ours (CreateDirectoryW fails on
   * an existing name) and RemoveDirectoryW removes a junction, never the
   * directory it points to. */
  if (err != 0 && made_dir) RemoveDirectoryW(link);
  free(buf);
  free(target_open);
  free(wtarget);
  free(link);
  free(link_full);
  free(wide);
  return err;
}

int sd_symlink(const char* target, const char* path, sd_link_type type,
               sd_status* st) {
  WCHAR* link = NULL;
  WCHAR* wtarget = NULL;
  DWORD werr = 0;
  DWORD flags;
  int err;

  sd__status_set(st, 0, 0, NULL);
  if (type == SD_LINK_JUNCTION) return sd__junction(target, path, st);

  err = sd__path_for_open(path, &link, &werr);
  if (err == 0) err = sd__symlink_target(target, &wtarget, &werr);
  if (err != 0) {
    sd__status_set(st, err, (uint32_t)werr, "symlink");
    goto cleanup;
  }

  /* CreateSymbolicLinkW never replaces, and says so with
   * ERROR_ALREADY_EXISTS. Checking first keeps that promise under Wine's
   * stub too, and guarantees that whatever the verification below finds
   * was made by this call. */
  if (GetFileAttributesW(link) != INVALID_FILE_ATTRIBUTES) {
    err = sd__win_fail(st, ERROR_ALREADY_EXISTS, "symlink");
    goto cleanup;
  }
  /* A missing parent directory is the same ENOENT CreateSymbolicLinkW
   * gives; answering it here keeps "symlink-verify" for the one case it
   * names (the OS said yes and nothing appeared), even under Wine. */
  werr = GetLastError();
  if (werr == ERROR_PATH_NOT_FOUND) {
    err = sd__win_fail(st, werr, "symlink");
    goto cleanup;
  }

  flags = type == SD_LINK_DIR ? SYMBOLIC_LINK_FLAG_DIRECTORY : 0;
  if (!sd__create_symlink(link, wtarget, flags, &werr)) {
    err = sd__win_fail(st, werr, "symlink");
    goto cleanup;
  }
  if (!sd__symlink_exists(link)) {
    /* See the top of this file: the silent no-op of Wine 8. */
    err = SD_ENOTSUP;
    sd__status_set(st, err, ERROR_NOT_SUPPORTED, "symlink-verify");
    goto cleanup;
  }
  err = 0;

cleanup:
  free(link);
  free(wtarget);
  return err;
}

int sd_hardlink(const char* existing, const char* path, sd_status* st) {
  WCHAR* link = NULL;
  WCHAR* wexisting = NULL;
  DWORD werr = 0;
  int err;

  sd__status_set(st, 0, 0, NULL);
  err = sd__path_for_open(path, &link, &werr);
  if (err == 0) err = sd__path_for_open(existing, &wexisting, &werr);
  if (err != 0) {
    sd__status_set(st, err, (uint32_t)werr, "link");
    goto cleanup;
  }
  if (!CreateHardLinkW(link, wexisting, NULL)) {
    err = sd__win_fail(st, GetLastError(), "link");
    goto cleanup;
  }
  err = 0;

cleanup:
  free(link);
  free(wexisting);
  return err;
}

int sd_inspect(const char* path, sd_link_info* info, sd_status* st) {
  BY_HANDLE_FILE_INFORMATION bhfi;
  WCHAR* wpath = NULL;
  HANDLE h = INVALID_HANDLE_VALUE;
  HANDLE followed;
  sd__reparse r;
  DWORD werr = 0;
  DWORD tag;
  int err;

  memset(info, 0, sizeof(*info));
  memset(&r, 0, sizeof(r));
  sd__status_set(st, 0, 0, NULL);
  err = sd__path_for_open(path, &wpath, &werr);
  if (err != 0) {
    sd__status_set(st, err, (uint32_t)werr, "lstat");
    goto cleanup;
  }

  h = sd__open_no_follow(wpath, FILE_READ_ATTRIBUTES);
  if (h == INVALID_HANDLE_VALUE) {
    err = sd__win_fail(st, GetLastError(), "lstat");
    goto cleanup;
  }
  if (!GetFileInformationByHandle(h, &bhfi)) {
    err = sd__win_fail(st, GetLastError(), "lstat");
    goto cleanup;
  }
  info->nlink = bhfi.nNumberOfLinks;
  info->target_exists = 1;

  if ((bhfi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) == 0) {
    info->kind = (bhfi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0
                     ? SD_KIND_DIRECTORY
                     : SD_KIND_FILE;
    err = 0;
    goto cleanup;
  }

  tag = sd__handle_tag(h);
  if (sd__is_filter_tag(tag)) {
    /* Cloud files placeholders, dedup, app execution aliases...: a real
     * file or directory, which is what lstat (and sd_remove_link) make of
     * it. reparse_tag says which filter. Nothing to follow either (opening
     * an app execution alias without FILE_FLAG_OPEN_REPARSE_POINT fails,
     * yet it is there). */
    info->reparse_tag = tag;
    info->kind = (bhfi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0
                     ? SD_KIND_DIRECTORY
                     : SD_KIND_FILE;
    err = 0;
    goto cleanup;
  }
  err = sd__read_reparse(h, &r, &werr);
  if (err != 0) {
    sd__status_set(st, err, (uint32_t)werr, "readlink");
    goto cleanup;
  }
  info->reparse_tag = r.tag;
  if (r.kind == SD_REPARSE_SYMLINK) {
    info->kind = SD_KIND_SYMLINK;
    info->relative = (r.flags & SD_SYMLINK_FLAG_RELATIVE) != 0;
  } else if (r.kind == SD_REPARSE_MOUNT_POINT && !sd__is_volume_mount(&r)) {
    info->kind = SD_KIND_JUNCTION;
  } else if (sd__is_filter_tag(r.tag)) {
    /* As above, when the tag could only be had from the data. */
    info->kind = (bhfi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0
                     ? SD_KIND_DIRECTORY
                     : SD_KIND_FILE;
    err = 0;
    goto cleanup;
  } else {
    /* Name surrogates that are neither (volume mount points, WSL symlinks,
     * ...): the tag tells JS which. A volume mount point keeps its
     * "\\?\Volume{...}\" target. */
    info->kind = SD_KIND_OTHER;
  }
  if (r.name != NULL) {
    err = sd__utf16_to_utf8((const WCHAR*)r.name, (int)r.len, &info->target,
                            &werr);
    if (err != 0) {
      sd__status_set(st, err, (uint32_t)werr, "readlink");
      goto cleanup;
    }
  }

  /* Following the link: does it lead anywhere? */
  followed = CreateFileW(wpath, FILE_READ_ATTRIBUTES,
                         FILE_SHARE_READ | FILE_SHARE_WRITE |
                             FILE_SHARE_DELETE,
                         NULL, OPEN_EXISTING, FILE_FLAG_BACKUP_SEMANTICS,
                         NULL);
  if (followed != INVALID_HANDLE_VALUE) {
    CloseHandle(followed);
  } else {
    info->target_exists = 0;
  }
  err = 0;

cleanup:
  if (err != 0) sd_link_info_free(info);
  if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
  sd__reparse_free(&r);
  free(wpath);
  return err;
}

void sd_link_info_free(sd_link_info* info) {
  free(info->target);
  info->target = NULL;
}

int sd_remove_link(const char* path, sd_kept* kept, sd_status* st) {
  BY_HANDLE_FILE_INFORMATION bhfi;
  /* By position: the member is DeleteFile, which windows.h also defines
   * as a macro (DeleteFileW); the name would only work while both headers
   * agree. */
  FILE_DISPOSITION_INFO disposition = {TRUE};
  sd__disposition_ex disposition_ex;
  WCHAR* wpath = NULL;
  HANDLE h = INVALID_HANDLE_VALUE;
  sd__reparse r;
  DWORD werr = 0;
  int is_link;
  int err;

  memset(&r, 0, sizeof(r));
  /* Checked and deleted through one handle: nothing is ever moved aside. */
  memset(kept, 0, sizeof(*kept));
  sd__status_set(st, 0, 0, NULL);
  err = sd__path_for_open(path, &wpath, &werr);
  if (err != 0) {
    sd__status_set(st, err, (uint32_t)werr, "unlink");
    goto cleanup;
  }

  /* One handle, opened on the link itself, is both checked and deleted:
   * nothing can be swapped in between the check and the removal. */
  h = sd__open_no_follow(wpath, DELETE | FILE_READ_ATTRIBUTES);
  if (h == INVALID_HANDLE_VALUE) {
    err = sd__win_fail(st, GetLastError(), "unlink");
    goto cleanup;
  }
  if (!GetFileInformationByHandle(h, &bhfi)) {
    err = sd__win_fail(st, GetLastError(), "unlink");
    goto cleanup;
  }

  is_link = 0;
  if ((bhfi.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT) != 0 &&
      !sd__is_filter_tag(sd__handle_tag(h))) {
    err = sd__read_reparse(h, &r, &werr);
    if (err != 0) {
      sd__status_set(st, err, (uint32_t)werr, "readlink");
      goto cleanup;
    }
    /* A volume mount point is a drive, and other tags are real files or
     * directories with a filter on top: neither is a link. */
    is_link = r.kind == SD_REPARSE_SYMLINK ||
              (r.kind == SD_REPARSE_MOUNT_POINT && !sd__is_volume_mount(&r));
  }
  if (!is_link) {
    if ((bhfi.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) != 0) {
      err = SD_EISDIR;
      sd__status_set(st, err, 0, "unlink");
      goto cleanup;
    }
    /* A file with other names is a hard link: removing one name loses no
     * data. The last name of a file is never ours to remove. */
    if (bhfi.nNumberOfLinks < 2) {
      err = SD_EINVAL;
      sd__status_set(st, err, 0, "unlink");
      goto cleanup;
    }
  }

  /* Deleting the handle's own entry: for a directory symlink or junction
   * this removes the link (an empty directory entry to the file system,
   * since it was opened with FILE_FLAG_OPEN_REPARSE_POINT) and never
   * touches the target. */
  if (!SetFileInformationByHandle(h, FileDispositionInfo, &disposition,
                                  sizeof(disposition))) {
    werr = GetLastError();
    /* A read-only link (attrib +R) cannot be marked for deletion:
     * ERROR_ACCESS_DENIED. Windows 10 1809 and later delete it through the
     * same handle if asked to ignore the attribute; older systems reject
     * the class (ERROR_INVALID_PARAMETER) and the first error stands. */
    if (werr == ERROR_ACCESS_DENIED &&
        (bhfi.dwFileAttributes & FILE_ATTRIBUTE_READONLY) != 0) {
      disposition_ex.Flags =
          SD__DISPOSITION_DELETE | SD__DISPOSITION_IGNORE_READONLY;
      if (SetFileInformationByHandle(h, SD__FILE_DISPOSITION_INFO_EX,
                                     &disposition_ex,
                                     sizeof(disposition_ex))) {
        err = 0;
        goto cleanup;
      }
    }
    err = sd__win_fail(st, werr, "unlink");
    goto cleanup;
  }
  err = 0;

cleanup:
  /* The entry goes away when the last handle to it closes. */
  if (h != INVALID_HANDLE_VALUE) CloseHandle(h);
  sd__reparse_free(&r);
  free(wpath);
  return err;
}

/* MoveFileExW: a plain rename replaces (MOVEFILE_REPLACE_EXISTING, as
 * libuv's fs.rename does); SD_RENAME_NOREPLACE is the same call without it
 * (ERROR_ALREADY_EXISTS: EEXIST). Windows has no atomic exchange of two
 * names: SD_RENAME_EXCHANGE is SD_ENOSYS. No MOVEFILE_COPY_ALLOWED: across
 * volumes it fails (EXDEV) rather than copy. */
int sd_rename(const char* from, const char* to, int flags, sd_status* st) {
  WCHAR* wfrom = NULL;
  WCHAR* wto = NULL;
  DWORD werr = 0;
  int err;

  sd__status_set(st, 0, 0, NULL);
  if ((flags & ~(SD_RENAME_NOREPLACE | SD_RENAME_EXCHANGE)) != 0 ||
      flags == (SD_RENAME_NOREPLACE | SD_RENAME_EXCHANGE)) {
    sd__status_set(st, SD_EINVAL, 0, "rename");
    return SD_EINVAL;
  }
  if (flags == SD_RENAME_EXCHANGE) {
    sd__status_set(st, SD_ENOSYS, 0, "rename");
    return SD_ENOSYS;
  }
  err = sd__path_for_open(from, &wfrom, &werr);
  if (err == 0) err = sd__path_for_open(to, &wto, &werr);
  if (err != 0) {
    sd__status_set(st, err, (uint32_t)werr, "rename");
    goto cleanup;
  }
  if (!MoveFileExW(wfrom, wto,
                   flags == SD_RENAME_NOREPLACE ? 0
                                                : MOVEFILE_REPLACE_EXISTING)) {
    err = sd__win_fail(st, GetLastError(), "rename");
    goto cleanup;
  }
  err = 0;

cleanup:
  free(wfrom);
  free(wto);
  return err;
}
