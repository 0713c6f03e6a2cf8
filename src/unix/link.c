/* Links on POSIX: symlink(2), link(2), lstat(2), unlink(2) (on Linux
 * behind renameat2(2), see sd_remove_link), and rename with flags. */
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
  if (lstat(path, &sb) != 0) {
    /* Gone already: another process removed or moved the link it saw
     * appear. symlink(2) succeeded, and that is the answer. */
    if (errno == ENOENT) return 0;
    return sd__fail(st, "lstat");
  }
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
 * user's data and a directory is never a link here. 0 or the refusal. */
static int sd__refusal(const struct stat* sb) {
  if (S_ISDIR(sb->st_mode)) return SD_EISDIR;
  if (!S_ISLNK(sb->st_mode) && !(S_ISREG(sb->st_mode) && sb->st_nlink > 1))
    return SD_EINVAL;
  return 0;
}

static int sd__removable(const struct stat* sb, sd_status* st) {
  int err = sd__refusal(sb);
  if (err != 0) sd__status_set(st, err, 0, "unlink");
  return err;
}

#if defined(__linux__)
/* renameat2(2): glibc declares it (and RENAME_*) from 2.28 on, with
 * _GNU_SOURCE; elsewhere (older glibc, other C libraries) the system call
 * is made directly, and a kernel before 3.15 answers ENOSYS. */
#if defined(__GLIBC__) && defined(RENAME_NOREPLACE) && defined(RENAME_EXCHANGE)
#define sd__renameat2 renameat2
#else
#include <sys/syscall.h>
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
static int sd__renameat2(int olddirfd, const char* oldpath, int newdirfd,
                         const char* newpath, unsigned int flags) {
#if defined(SYS_renameat2)
  return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath,
                      flags);
#else
  (void)olddirfd;
  (void)oldpath;
  (void)newdirfd;
  (void)newpath;
  (void)flags;
  errno = ENOSYS;
  return -1;
#endif
}
#endif
#endif /* __linux__ */

int sd_rename(const char* from, const char* to, int flags, sd_status* st) {
  if ((flags & ~(SD_RENAME_NOREPLACE | SD_RENAME_EXCHANGE)) != 0 ||
      flags == (SD_RENAME_NOREPLACE | SD_RENAME_EXCHANGE)) {
    sd__status_set(st, SD_EINVAL, 0, "rename");
    return SD_EINVAL;
  }
  /* No flags: rename(2), which every kernel has (renameat2 may not). */
  if (flags == 0) {
    if (rename(from, to) != 0) return sd__fail(st, "rename");
    return 0;
  }
#if defined(__linux__)
  /* ENOSYS (kernel before 3.15) and EINVAL (a filesystem without the
   * flag: FUSE daemons, NFS, FAT...) come back unchanged: the caller
   * decides what to do instead. */
  if (sd__renameat2(AT_FDCWD, from, AT_FDCWD, to,
                    flags == SD_RENAME_NOREPLACE ? RENAME_NOREPLACE
                                                 : RENAME_EXCHANGE) != 0) {
    return sd__fail(st, "rename");
  }
  return 0;
#else
  /* macOS has renamex_np(RENAME_EXCL / RENAME_SWAP) and FreeBSD 14
   * renameat2-like flags, but neither can be built or tested here: say
   * ENOSYS, and JS takes its fallback, as on an old Linux kernel. */
  (void)from;
  (void)to;
  sd__status_set(st, SD_ENOSYS, 0, "rename");
  return SD_ENOSYS;
#endif
}

#if defined(__linux__)
static sd_kind sd__kind_of(const struct stat* sb) {
  if (S_ISLNK(sb->st_mode)) return SD_KIND_SYMLINK;
  if (S_ISDIR(sb->st_mode)) return SD_KIND_DIRECTORY;
  if (S_ISREG(sb->st_mode)) return SD_KIND_FILE;
  return SD_KIND_OTHER;
}

/* How often the put-back tries again when the name keeps coming and
 * going under it (each round costs two renames). */
#define SD__PUT_BACK_TRIES 8

/* Puts what was moved aside (and not removed) back under name. While it
 * was aside the name was free, and a racing writer may have put something
 * there meanwhile. Then the two are swapped (RENAME_EXCHANGE): what
 * removeLink found is back at name, and what had appeared there is now
 * under the aside name, which no one else knows, so what is looked at
 * there is what gets unlinked: a link (removeLink's to remove anyway) is
 * unlinked, a real file or directory never is. Whatever cannot be put
 * back is named in kept: nothing stays under a name of ours unsaid. */
static void sd__put_back(int dirfd, const char* name, const char* aside,
                         sd_kind found, char** aside_path, sd_kept* kept) {
  struct stat sb;
  int tries;
  for (tries = 0; tries < SD__PUT_BACK_TRIES; tries++) {
    if (sd__renameat2(dirfd, aside, dirfd, name, RENAME_NOREPLACE) == 0)
      return;
    if (errno != EEXIST) break;
    if (sd__renameat2(dirfd, aside, dirfd, name, RENAME_EXCHANGE) != 0) {
      /* Gone again before the swap: the plain put-back, once more. Any
       * other failure (EINVAL: no exchange on this filesystem) leaves
       * what was found aside. */
      if (errno == ENOENT) continue;
      break;
    }
    if (fstatat(dirfd, aside, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
      /* Nothing is there (no one else knows the name): all is in place. */
      if (errno == ENOENT) return;
      kept->kind = SD_KIND_OTHER;
    } else {
      if (sd__refusal(&sb) == 0 && unlinkat(dirfd, aside, 0) == 0) return;
      kept->kind = sd__kind_of(&sb);
    }
    kept->appeared = 1;
    kept->path = *aside_path;
    *aside_path = NULL;
    return;
  }
  kept->appeared = 0;
  kept->kind = found;
  kept->path = *aside_path;
  *aside_path = NULL;
}

/* lstat then unlink leaves a window in which another process can rename a
 * real single-name file over the name, and unlink would then delete it.
 * There is no "unlink this inode" call, so the name is first moved aside
 * to a fresh random name (RENAME_NOREPLACE: nothing is overwritten) that no
 * one else knows, checked there, and removed or put back. Returns 1 when
 * the filesystem cannot rename that way (the caller falls back). */
static int sd__remove_aside(int dirfd, const char* name, const char* aside,
                            char** aside_path, sd_kept* kept, sd_status* st,
                            int* result) {
  struct stat sb;
  sd_kind found = SD_KIND_OTHER;
  if (sd__renameat2(dirfd, name, dirfd, aside, RENAME_NOREPLACE) != 0) {
    if (errno == EINVAL || errno == ENOSYS) return 1;
    *result = sd__fail(st, "unlink");
    return 0;
  }
  if (fstatat(dirfd, aside, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
    *result = sd__fail(st, "lstat");
  } else {
    found = sd__kind_of(&sb);
    if ((*result = sd__removable(&sb, st)) == 0) {
      if (unlinkat(dirfd, aside, 0) == 0) return 0;
      *result = sd__fail(st, "unlink");
    }
  }
  /* Not removed (a real file or directory was there by the time of the
   * rename, or unlink failed): the refusal stands, and what was found
   * goes back. */
  sd__put_back(dirfd, name, aside, found, aside_path, kept);
  return 0;
}
#endif

int sd_remove_link(const char* path, sd_kept* kept, sd_status* st) {
  struct stat sb;
  int err;
  memset(kept, 0, sizeof(*kept));
  /* The common refusals need no rename at all. */
  if (lstat(path, &sb) != 0) return sd__fail(st, "lstat");
  if ((err = sd__removable(&sb, st)) != 0) return err;
#if defined(__linux__)
  {
    /* A name that lstat found as a link or a file has no trailing slash
     * (that would have resolved to a directory or failed ENOTDIR). */
    const char* slash = strrchr(path, '/');
    const char* name = slash != NULL ? slash + 1 : path;
    size_t prefix = (size_t)(name - path);
    char* parent = NULL;
    char* aside_path = NULL;
    char aside[64];
    int dirfd, fallback, result = 0;
    if (*name == '\0') {
      sd__status_set(st, SD_EINVAL, 0, "unlink");
      return SD_EINVAL;
    }
    /* The aside name, and the path that names it for the caller (the
     * link's directory as given), made before anything moves. */
    err = sd__probe_name(aside, sizeof(aside), ".", '/', "-rm");
    if (err != 0) {
      sd__status_set(st, err, 0, "getrandom");
      return err;
    }
    aside_path = malloc(prefix + strlen(aside + 2) + 1);
    if (aside_path == NULL) {
      sd__status_set(st, SD_ENOMEM, 0, "unlink");
      return SD_ENOMEM;
    }
    memcpy(aside_path, path, prefix);
    strcpy(aside_path + prefix, aside + 2);
    if (slash != NULL) {
      size_t len = slash == path ? 1 : (size_t)(slash - path);
      parent = malloc(len + 1);
      if (parent == NULL) {
        free(aside_path);
        sd__status_set(st, SD_ENOMEM, 0, "unlink");
        return SD_ENOMEM;
      }
      memcpy(parent, path, len);
      parent[len] = '\0';
    }
    dirfd = open(parent != NULL ? parent : ".",
                 O_PATH | O_DIRECTORY | O_CLOEXEC);
    free(parent);
    if (dirfd < 0) {
      free(aside_path);
      return sd__fail(st, "open");
    }
    fallback = sd__remove_aside(dirfd, name, aside + 2, &aside_path, kept, st,
                                &result);
    if (fallback) {
      /* No RENAME_NOREPLACE here (NFS, some FUSE): the plain check and
       * unlink below, racy as they are, are all there is. */
      if (unlinkat(dirfd, name, 0) != 0) result = sd__fail(st, "unlink");
    }
    close(dirfd);
    free(aside_path);
    return result;
  }
#else
  /* unlink(2) never follows the link and never removes a directory. */
  if (unlink(path) != 0) return sd__fail(st, "unlink");
  return 0;
#endif
}
