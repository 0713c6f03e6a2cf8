/* Links on POSIX: symlink(2), link(2), lstat(2), unlink(2). */
#include <errno.h>
#include <limits.h>
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

int sd_remove_link(const char* path, sd_status* st) {
  struct stat sb;
  if (lstat(path, &sb) != 0) return sd__fail(st, "lstat");
  if (S_ISDIR(sb.st_mode)) {
    sd__status_set(st, SD_EISDIR, 0, "unlink");
    return SD_EISDIR;
  }
  /* A regular file is a link only when another name keeps its data: a hard
   * link. With a single name it is the user's data, never removed here. */
  if (!S_ISLNK(sb.st_mode) && !(S_ISREG(sb.st_mode) && sb.st_nlink > 1)) {
    sd__status_set(st, SD_EINVAL, 0, "unlink");
    return SD_EINVAL;
  }
  /* unlink(2) never follows the link and never removes a directory. */
  if (unlink(path) != 0) return sd__fail(st, "unlink");
  return 0;
}
