/* Process and OS facts on POSIX, and random bytes for probe names. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#if defined(__linux__)
#include <sys/random.h>
#endif
#if defined(__APPLE__)
#include <stdlib.h>
#endif

#include "internal.h"

void sd_system_facts(sd_facts* out) {
  struct utsname u;
  out->count = 0;
  sd_fact_int(out, "uid", (int64_t)getuid());
  sd_fact_int(out, "euid", (int64_t)geteuid());
  sd_fact_int(out, "gid", (int64_t)getgid());
  if (uname(&u) == 0) {
    sd_fact_str(out, "kernel", u.sysname);
    sd_fact_str(out, "kernelRelease", u.release);
    /* WSL kernels say so in their release string; /mnt/c there is the
     * Windows drive, where Windows' own rules apply. */
    sd_fact_bool(out, "wsl", strstr(u.release, "microsoft") != NULL ||
                                 strstr(u.release, "Microsoft") != NULL);
  }
}

int sd_random_bytes(unsigned char* buf, size_t n) {
#if defined(__linux__)
  size_t got = 0;
  while (got < n) {
    ssize_t r = getrandom(buf + got, n - got, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      return SD__ERR(errno);
    }
    got += (size_t)r;
  }
  return 0;
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__OpenBSD__)
  arc4random_buf(buf, n);
  return 0;
#else
  size_t got = 0;
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return SD__ERR(errno);
  while (got < n) {
    ssize_t r = read(fd, buf + got, n - got);
    if (r <= 0) {
      if (r < 0 && errno == EINTR) continue;
      close(fd);
      return SD_EIO;
    }
    got += (size_t)r;
  }
  close(fd);
  return 0;
#endif
}

/* POSIX has no such user right: links are the filesystem's business. */
int sd_grant_symlink_right(const char* account, sd_status* st) {
  (void)account;
  sd__status_set(st, SD_ENOSYS, 0, "grant");
  return SD_ENOSYS;
}
