/* Links on POSIX: symlink(2), link(2), lstat(2), unlink(2) (on Linux
 * behind renameat2(2), see sd_remove_link). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static int sd__fail(sd_status* st, const char* syscall) {
  int code = SD__ERR(errno);
  sd__status_set(st, code, 0, syscall);
  return code;
}

int sd_symlink(const char* target, const char* path, sd_link_type type,
               sd_status* st) {
  struct stat sb;
  /* POSIX has one kind of symlink for files and directories, and no
   * junctions at all. */
  if (type == SD_LINK_JUNCTION) {
    sd__status_set(st, SD_ENOTSUP, 0, "junction");
    return SD_ENOTSUP;
  }
  if (symlink(target, path) != 0) return sd__fail(st, "symlink");
  /* A filesystem that answers success must also have made the link; if it
   * did not (as Wine does on Windows), that is a refusal. */
  if (lstat(path, &sb) != 0) return sd__fail(st, "lstat");
  if (!S_ISLNK(sb.st_mode)) {
    sd__status_set(st, SD_ENOTSUP, 0, "symlink-verify");
    return SD_ENOTSUP;
  }
  return 0;
}

int sd_hardlink(const char* existing, const char* path, sd_status* st) {
  if (link(existing, path) != 0) return sd__fail(st, "link");
  return 0;
}

/* readlink(2) into a buffer that grows until the target fits. */
static char* sd__readlink(const char* path, size_t hint) {
  size_t size = hint > 0 && hint < (size_t)SSIZE_MAX ? hint + 1 : 256;
  for (;;) {
    char* buf = malloc(size);
    ssize_t n;
    if (buf == NULL) {
      errno = ENOMEM;
      return NULL;
    }
    n = readlink(path, buf, size);
    if (n < 0) {
      free(buf);
      return NULL;
    }
    if ((size_t)n < size) {
      buf[n] = '\0';
      return buf;
    }
    free(buf);
    size *= 2;
  }
}

int sd_inspect(const char* path, sd_link_info* info, sd_status* st) {
  struct stat sb, target;
  memset(info, 0, sizeof(*info));
  if (lstat(path, &sb) != 0) return sd__fail(st, "lstat");
  info->nlink = (uint64_t)sb.st_nlink;
  if (S_ISLNK(sb.st_mode)) {
    info->kind = SD_KIND_SYMLINK;
    info->target = sd__readlink(path, (size_t)sb.st_size);
    if (info->target == NULL) return sd__fail(st, "readlink");
    info->relative = info->target[0] != '/';
    info->target_exists = stat(path, &target) == 0;
  } else if (S_ISDIR(sb.st_mode)) {
    info->kind = SD_KIND_DIRECTORY;
    info->target_exists = 1;
  } else if (S_ISREG(sb.st_mode)) {
    info->kind = SD_KIND_FILE;
    info->target_exists = 1;
  } else {
    info->kind = SD_KIND_OTHER;
    info->target_exists = 1;
  }
  return 0;
}

void sd_link_info_free(sd_link_info* info) {
  free(info->target);
  info->target = NULL;
}

/* What removeLink may remove: a symlink, or a regular file that another
 * name keeps (a hard link). A regular file with a single name is the
 * user's data and a directory is never a link here. */
static int sd__removable(const struct stat* sb, sd_status* st) {
  if (S_ISDIR(sb->st_mode)) {
    sd__status_set(st, SD_EISDIR, 0, "unlink");
    return SD_EISDIR;
  }
  if (!S_ISLNK(sb->st_mode) && !(S_ISREG(sb->st_mode) && sb->st_nlink > 1)) {
    sd__status_set(st, SD_EINVAL, 0, "unlink");
    return SD_EINVAL;
  }
  return 0;
}

#if defined(__linux__) && defined(RENAME_NOREPLACE)
/* lstat then unlink leaves a window in which another process can rename a
 * real single-name file over the name, and unlink would then delete it.
 * There is no "unlink this inode" call, so the name is first moved aside
 * to a fresh random name (RENAME_NOREPLACE: nothing is overwritten) that no
 * one else knows, checked there, and removed or put back. Returns 1 when
 * the filesystem cannot rename that way (the caller falls back). */
static int sd__remove_aside(int dirfd, const char* name, sd_status* st,
                            int* result) {
  char aside[64];
  struct stat sb;
  int err = sd__probe_name(aside, sizeof(aside), ".", '/', "-rm");
  if (err != 0) {
    sd__status_set(st, err, 0, "getrandom");
    *result = err;
    return 0;
  }
  if (renameat2(dirfd, name, dirfd, aside, RENAME_NOREPLACE) != 0) {
    if (errno == EINVAL || errno == ENOSYS) return 1;
    *result = sd__fail(st, "unlink");
    return 0;
  }
  if (fstatat(dirfd, aside, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
    *result = sd__fail(st, "lstat");
  } else if ((*result = sd__removable(&sb, st)) == 0) {
    if (unlinkat(dirfd, aside, 0) == 0) return 0;
    *result = sd__fail(st, "unlink");
  }
  /* Not removed: what was moved aside goes back under its name. If the
   * name was taken meanwhile it stays at the aside name, never lost. */
  if (renameat2(dirfd, aside, dirfd, name, RENAME_NOREPLACE) != 0) {
    *result = sd__fail(st, "rename");
  }
  return 0;
}
#endif

int sd_remove_link(const char* path, sd_status* st) {
  struct stat sb;
  int err;
  /* The common refusals need no rename at all. */
  if (lstat(path, &sb) != 0) return sd__fail(st, "lstat");
  if ((err = sd__removable(&sb, st)) != 0) return err;
#if defined(__linux__) && defined(RENAME_NOREPLACE)
  {
    /* A name that lstat found as a link or a file has no trailing slash
     * (that would have resolved to a directory or failed ENOTDIR). */
    const char* slash = strrchr(path, '/');
    const char* name = slash != NULL ? slash + 1 : path;
    char* parent = NULL;
    int dirfd, fallback, result = 0;
    if (*name == '\0') {
      sd__status_set(st, SD_EINVAL, 0, "unlink");
      return SD_EINVAL;
    }
    if (slash != NULL) {
      size_t len = slash == path ? 1 : (size_t)(slash - path);
      parent = malloc(len + 1);
      if (parent == NULL) {
        sd__status_set(st, SD_ENOMEM, 0, "unlink");
        return SD_ENOMEM;
      }
      memcpy(parent, path, len);
      parent[len] = '\0';
    }
    dirfd = open(parent != NULL ? parent : ".",
                 O_PATH | O_DIRECTORY | O_CLOEXEC);
    free(parent);
    if (dirfd < 0) return sd__fail(st, "open");
    fallback = sd__remove_aside(dirfd, name, st, &result);
    if (fallback) {
      /* No RENAME_NOREPLACE here (NFS, some FUSE): the plain check and
       * unlink below, racy as they are, are all there is. */
      if (unlinkat(dirfd, name, 0) != 0) result = sd__fail(st, "unlink");
    }
    close(dirfd);
    return result;
  }
#else
  /* unlink(2) never follows the link and never removes a directory. */
  if (unlink(path) != 0) return sd__fail(st, "unlink");
  return 0;
#endif
}
