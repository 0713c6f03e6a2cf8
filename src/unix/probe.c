/* probe(dir) on POSIX: try each link kind on fresh names inside dir.
 *
 * Every name is random and created exclusively (O_EXCL, mkdirat, symlinkat
 * and linkat all fail on an existing name), so the probe never touches or
 * follows anything that was already there. Everything it made is removed
 * before it returns, whichever step failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define SD__NAME_MAX 64

typedef struct {
  char name[SD__NAME_MAX];
  int made;
  int is_dir;
} sd__scratch;

static int sd__scratch_name(sd__scratch* s, const char* suffix) {
  s->made = 0;
  s->is_dir = 0;
  /* Names are relative to the directory fd: "." as dir gives "./.sd-…". */
  return sd__probe_name(s->name, sizeof(s->name), ".", '/', suffix);
}

static void sd__attempt_fail(sd_attempt* a, int err, const char* syscall) {
  a->ok = 0;
  sd__status_set(&a->status, SD__ERR(err), 0, syscall);
}

/* symlinkat, then check that a link really is there. */
static void sd__try_symlink(int dirfd, const char* target, sd__scratch* link,
                            sd_attempt* a) {
  struct stat sb;
  a->tried = 1;
  if (symlinkat(target, dirfd, link->name) != 0) {
    sd__attempt_fail(a, errno, "symlink");
    return;
  }
  link->made = 1;
  if (fstatat(dirfd, link->name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
    sd__attempt_fail(a, errno, "lstat");
    return;
  }
  if (!S_ISLNK(sb.st_mode)) {
    sd__attempt_fail(a, ENOTSUP, "symlink-verify");
    return;
  }
  a->ok = 1;
}

int sd_probe(const char* dir, sd_probe_result* out, sd_status* st) {
  sd__scratch file, dirent, file_link, dir_link, hard;
  sd__scratch* all[5];
  int dirfd, fd, err, i;

  memset(out, 0, sizeof(*out));
  dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirfd < 0) {
    err = SD__ERR(errno);
    sd__status_set(st, err, 0, "open");
    return err;
  }
  sd__volume_facts(dirfd, &out->facts);

  all[0] = &file_link;
  all[1] = &dir_link;
  all[2] = &hard;
  all[3] = &file;
  all[4] = &dirent;
  for (i = 0; i < 5; i++) {
    static const char* suffixes[5] = {"-fl", "-dl", "-hl", "-f", "-d"};
    err = sd__scratch_name(all[i], suffixes[i]);
    if (err != 0) {
      sd__status_set(st, err, 0, "getrandom");
      close(dirfd);
      return err;
    }
  }

  /* The link targets: a file and a directory of our own. Without them the
   * directory is not writable at all, and that is the answer. */
  fd = openat(dirfd, file.name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
                                    O_CLOEXEC, 0600);
  if (fd < 0) {
    err = SD__ERR(errno);
    sd__status_set(st, err, 0, "open");
    goto done;
  }
  file.made = 1;
  close(fd);
  if (mkdirat(dirfd, dirent.name, 0700) != 0) {
    err = SD__ERR(errno);
    sd__status_set(st, err, 0, "mkdir");
    goto done;
  }
  dirent.made = 1;
  dirent.is_dir = 1;

  /* Targets are relative, as package managers make them; "./" is dropped
   * so the stored target is the bare name. */
  sd__try_symlink(dirfd, file.name + 2, &file_link, &out->file_symlink);
  sd__try_symlink(dirfd, dirent.name + 2, &dir_link, &out->dir_symlink);

  out->hardlink.tried = 1;
  if (linkat(dirfd, file.name, dirfd, hard.name, 0) == 0) {
    hard.made = 1;
    out->hardlink.ok = 1;
  } else {
    sd__attempt_fail(&out->hardlink, errno, "link");
  }
  /* POSIX has no junctions: tried stays 0. */
  err = 0;

done:
  for (i = 0; i < 5; i++) {
    if (all[i]->made) {
      unlinkat(dirfd, all[i]->name, all[i]->is_dir ? AT_REMOVEDIR : 0);
    }
  }
  close(dirfd);
  return err;
}
