/* The floor for bench/run.js: the system calls alone, in C, timed here.
 *
 *   floor symlink  DIR N   N x symlink("../t", DIR/lI)
 *   floor link     DIR N   N x link(DIR/../a.txt, DIR/lI)
 *   floor fallback DIR N   N x what createLinkSync's hard-link fallback must
 *                          do for one link: the symlink (refused), realpath
 *                          of the link's directory and of the target, stat
 *                          of the target, its first 512 bytes (is it a
 *                          command?), link(2), and the record of what was
 *                          made (open O_EXCL, write, close, rename) in
 *                          DIR/../state
 *   floor record   DIR N   N x the record alone (open O_EXCL, write, close,
 *                          rename) in DIR/../state
 *
 *   floor exec CMD [ARGS...]
 *                          runs CMD and waits for it (wait4)
 *
 * Prints one line: wall-clock nanoseconds and CPU nanoseconds (user +
 * system, from getrusage) per link, or for exec the command's whole run.
 * One batch; the caller interleaves batches with its own.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double cpu_ns(const struct rusage* ru) {
  return (double)(ru->ru_utime.tv_sec + ru->ru_stime.tv_sec) * 1e9 +
         (double)(ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) * 1e3;
}

static int run(char** argv) {
  struct rusage ru;
  int status;
  double t0 = now_ns();
  pid_t pid = fork();
  if (pid < 0) return perror("fork"), 1;
  if (pid == 0) {
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, 1);
      dup2(null, 2);
    }
    execvp(argv[0], argv);
    _exit(127);
  }
  if (wait4(pid, &status, 0, &ru) < 0) return perror("wait4"), 1;
  printf("%.0f %.0f %d\n", now_ns() - t0, cpu_ns(&ru),
         WIFEXITED(status) ? WEXITSTATUS(status) : 128);
  return 0;
}

int main(int argc, char** argv) {
  char path[PATH_MAX + 32], file[PATH_MAX + 16], raw[PATH_MAX + 16], state[PATH_MAX + 16];
  char rec[PATH_MAX + 64], tmp[PATH_MAX + 96], real[PATH_MAX], head[512], text[256];
  const char* mode;
  const char* dir;
  long n, i;
  double t0, t1, c0;
  struct rusage ru;
  if (argc >= 3 && strcmp(argv[1], "exec") == 0) return run(argv + 2);
  if (argc != 4) {
    fprintf(stderr, "usage: floor symlink|link|fallback DIR N\n");
    return 2;
  }
  mode = argv[1];
  dir = argv[2];
  n = atol(argv[3]);
  snprintf(file, sizeof file, "%s/../a.txt", dir);
  snprintf(state, sizeof state, "%s/../state", dir);
  memset(text, 'x', sizeof text);
  if (strcmp(mode, "fallback") == 0 || strcmp(mode, "record") == 0) mkdir(state, 0700);
  getrusage(RUSAGE_SELF, &ru);
  c0 = cpu_ns(&ru);
  t0 = now_ns();
  for (i = 0; i < n; i++) {
    snprintf(path, sizeof path, "%s/l%ld", dir, i);
    if (strcmp(mode, "symlink") == 0) {
      if (symlink("../t", path) != 0) return perror("symlink"), 1;
    } else if (strcmp(mode, "link") == 0) {
      if (link(file, path) != 0) return perror("link"), 1;
    } else if (strcmp(mode, "record") == 0) {
      int fd;
      snprintf(rec, sizeof rec, "%s/r%ld.json", state, i);
      snprintf(tmp, sizeof tmp, "%s.%ld", rec, (long)getpid());
      if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) return perror("open"), 1;
      if (write(fd, text, sizeof text) != (ssize_t)sizeof text) return perror("write"), 1;
      close(fd);
      if (rename(tmp, rec) != 0) return perror("rename"), 1;
    } else {
      struct stat sb;
      int fd;
      if (symlink("../a.txt", path) == 0) return fprintf(stderr, "symlink was not refused\n"), 1;
      if (realpath(dir, real) == NULL) return perror("realpath"), 1;
      snprintf(raw, sizeof raw, "%s/../a.txt", real);
      if (realpath(raw, real) == NULL) return perror("realpath"), 1;
      if (stat(real, &sb) != 0) return perror("stat"), 1;
      if ((fd = open(real, O_RDONLY | O_CLOEXEC)) < 0) return perror("open"), 1;
      if (pread(fd, head, sizeof head, 0) < 0) return perror("pread"), 1;
      close(fd);
      if (link(real, path) != 0) return perror("link"), 1;
      snprintf(rec, sizeof rec, "%s/r%ld.json", state, i);
      snprintf(tmp, sizeof tmp, "%s.%ld", rec, (long)getpid());
      if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) return perror("open"), 1;
      if (write(fd, text, sizeof text) != (ssize_t)sizeof text) return perror("write"), 1;
      close(fd);
      if (rename(tmp, rec) != 0) return perror("rename"), 1;
    }
  }
  t1 = now_ns();
  getrusage(RUSAGE_SELF, &ru);
  printf("%.1f %.1f\n", (t1 - t0) / (double)n, (cpu_ns(&ru) - c0) / (double)n);
  return 0;
}
