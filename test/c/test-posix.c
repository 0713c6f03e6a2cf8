/* The POSIX layer through the portable interface, without Node: run under
 * ASan/UBSan and valgrind by scripts/test-c-posix.sh. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../src/sd.h"
#include "../../src/unix/internal.h"
#include "check.h"


static char dir[256];

static char* in_dir(const char* name) {
  static char buf[4][512];
  static int i;
  i = (i + 1) % 4;
  snprintf(buf[i], sizeof(buf[i]), "%s/%s", dir, name);
  return buf[i];
}

static int entries(void) {
  DIR* d = opendir(dir);
  struct dirent* e;
  int n = 0;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
  }
  closedir(d);
  return n;
}

static void write_file(const char* path, const char* text) {
  FILE* f = fopen(path, "w");
  fputs(text, f);
  fclose(f);
}

static void test_probe(void) {
  sd_probe_result* r = calloc(1, sizeof(*r));
  sd_status st = {0, 0, NULL};
  int i, has_fs = 0;
  CHECK(sd_probe(dir, r, &st) == 0);
  CHECK(r->file_symlink.tried && r->file_symlink.ok);
  CHECK(r->dir_symlink.tried && r->dir_symlink.ok);
  CHECK(r->hardlink.tried && r->hardlink.ok);
  CHECK(!r->junction.tried);
  for (i = 0; i < r->facts.count; i++) {
    if (strcmp(r->facts.items[i].key, "fsName") == 0) has_fs = 1;
  }
  CHECK(has_fs);
  CHECK(entries() == 0);
  CHECK(sd_probe(in_dir("missing"), r, &st) == SD_ENOENT);
  CHECK(strcmp(st.syscall, "open") == 0);
  free(r);
}

static void test_links(void) {
  sd_status st = {0, 0, NULL};
  sd_link_info info;
  write_file(in_dir("a.txt"), "A");
  CHECK(sd_symlink("a.txt", in_dir("l"), SD_LINK_FILE, &st) == 0);
  CHECK(sd_symlink("a.txt", in_dir("l"), SD_LINK_FILE, &st) == SD_EEXIST);
  CHECK(strcmp(st.syscall, "symlink") == 0);
  CHECK(sd_symlink("a.txt", in_dir("j"), SD_LINK_JUNCTION, &st) == SD_ENOTSUP);
  CHECK(sd_inspect(in_dir("l"), &info, &st) == 0);
  CHECK(info.kind == SD_KIND_SYMLINK);
  CHECK(info.target != NULL && strcmp(info.target, "a.txt") == 0);
  CHECK(info.relative == 1 && info.target_exists == 1);
  sd_link_info_free(&info);
  CHECK(sd_hardlink(in_dir("a.txt"), in_dir("h"), &st) == 0);
  CHECK(sd_inspect(in_dir("h"), &info, &st) == 0);
  CHECK(info.kind == SD_KIND_FILE && info.nlink == 2 && info.target == NULL);
  sd_link_info_free(&info);
  CHECK(sd_remove_link(in_dir("h"), &st) == 0);
  /* One name left: the user's file, never removed. */
  CHECK(sd_remove_link(in_dir("a.txt"), &st) == SD_EINVAL);
  mkdir(in_dir("d"), 0700);
  CHECK(sd_remove_link(in_dir("d"), &st) == SD_EISDIR);
  CHECK(sd_remove_link(in_dir("l"), &st) == 0);
  CHECK(access(in_dir("a.txt"), F_OK) == 0);
  /* A bare name is relative to the working directory. */
  CHECK(symlink("a.txt", in_dir("rel")) == 0);
  CHECK(chdir(dir) == 0);
  CHECK(sd_remove_link("rel", &st) == 0);
  CHECK(sd_remove_link("a.txt", &st) == SD_EINVAL);
  CHECK(chdir("/") == 0);
  CHECK(access(in_dir("a.txt"), F_OK) == 0);
  CHECK(sd_inspect(in_dir("nope"), &info, &st) == SD_ENOENT);
  sd_link_info_free(&info);
  rmdir(in_dir("d"));
  unlink(in_dir("a.txt"));
  CHECK(entries() == 0);
}

static void test_long_target(void) {
  /* A target longer than the first readlink buffer. */
  sd_status st = {0, 0, NULL};
  sd_link_info info;
  char target[3000];
  memset(target, 'x', sizeof(target) - 1);
  target[sizeof(target) - 1] = '\0';
  CHECK(sd_symlink(target, in_dir("long"), SD_LINK_FILE, &st) == 0);
  CHECK(sd_inspect(in_dir("long"), &info, &st) == 0);
  CHECK(info.target != NULL && strlen(info.target) == sizeof(target) - 1);
  CHECK(info.target_exists == 0);
  sd_link_info_free(&info);
  unlink(in_dir("long"));
}

#if defined(__linux__) && defined(RENAME_EXCHANGE)
/* removeLink against a name that another process keeps swapping between a
 * symlink and a real single-name file (RENAME_EXCHANGE: both names always
 * exist). Whatever it removes, the real file must survive. */
static void test_remove_link_race(void) {
  sd_status st = {0, 0, NULL};
  struct timespec t0, t;
  int rounds = 0, lost = 0, removed = 0;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  do {
    pid_t child;
    struct stat a, b;
    int r, files;
    write_file(in_dir("real"), "precious");
    CHECK(symlink("real", in_dir("victim")) == 0);
    child = fork();
    if (child == 0) {
      for (;;) renameat2(AT_FDCWD, in_dir("real"), AT_FDCWD, in_dir("victim"),
                         RENAME_EXCHANGE);
    }
    usleep(rounds % 50);
    r = sd_remove_link(in_dir("victim"), &st);
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
    CHECK(r == 0 || r == SD_EINVAL);
    if (r == 0) removed++;
    files = (lstat(in_dir("real"), &a) == 0 && S_ISREG(a.st_mode)) +
            (lstat(in_dir("victim"), &b) == 0 && S_ISREG(b.st_mode));
    if (files != 1) lost++;
    unlink(in_dir("real"));
    unlink(in_dir("victim"));
    rounds++;
    clock_gettime(CLOCK_MONOTONIC, &t);
  } while (lost == 0 && (t.tv_sec - t0.tv_sec) * 1000 +
                             (t.tv_nsec - t0.tv_nsec) / 1000000 < 1000);
  if (lost != 0) fprintf(stderr, "remove race: the real file lost in round %d\n", rounds);
  CHECK(lost == 0);
  CHECK(removed > 0);
  CHECK(entries() == 0);
}
#endif

#if defined(__linux__)
static const char* fact(const sd_facts* f, const char* key) {
  int i;
  for (i = 0; i < f->count; i++) {
    if (strcmp(f->items[i].key, key) == 0) return f->items[i].str;
  }
  return NULL;
}

/* Facts of the mount `id` (or, with id -1, of device maj:min) in text. */
static sd_facts* scan(const char* text, int64_t id, unsigned maj,
                      unsigned min) {
  static sd_facts facts;
  FILE* f = fmemopen((void*)text, strlen(text), "r");
  facts.count = 0;
  sd__mountinfo_scan(f, id, maj, min, &facts);
  fclose(f);
  return &facts;
}

static void test_mountinfo(void) {
  const char* bind =
      "22 27 0:21 / /proc rw,relatime - proc proc rw\n"
      "63 43 0:39 / /mnt/src rw,relatime - tmpfs tmpfs rw\n"
      "64 43 0:39 /sub /mnt/bind ro,relatime shared:5 - tmpfs tmpfs rw\n"
      "65 43 0:40 / /mnt/a\\040b rw master:1 - cifs //srv/my\\040share "
      "rw,mfsymlinks,pass=a\\054b\n"
      "66 43 0:41 / /mnt/torn rw fuse.x x rw\n"
      "67 43 0:42 /short - ext4\n";
  char* text;
  char* big;
  sd_facts* f;
  size_t n;
  /* A bind mount shares its device: the mount ID picks the right line. */
  f = scan(bind, 64, 0, 39);
  CHECK(fact(f, "mountPoint") && strcmp(fact(f, "mountPoint"), "/mnt/bind") == 0);
  f = scan(bind, -1, 0, 39);
  CHECK(fact(f, "mountPoint") && strcmp(fact(f, "mountPoint"), "/mnt/src") == 0);
  /* Escaped spaces and commas in the point, the source and the options. */
  f = scan(bind, 65, 0, 0);
  CHECK(fact(f, "mountPoint") && strcmp(fact(f, "mountPoint"), "/mnt/a b") == 0);
  CHECK(fact(f, "mountSource") &&
        strcmp(fact(f, "mountSource"), "//srv/my share") == 0);
  CHECK(fact(f, "mountOptions") &&
        strcmp(fact(f, "mountOptions"), "rw,mfsymlinks,pass=a,b") == 0);
  CHECK(fact(f, "mountType") && strcmp(fact(f, "mountType"), "cifs") == 0);
  /* No " - " separator, or too few fields before it: nothing. */
  CHECK(scan(bind, 66, 0, 0)->count == 0);
  CHECK(scan(bind, 67, 0, 0)->count == 0);
  CHECK(scan(bind, 99, 0, 0)->count == 0);
  CHECK(scan("", -1, 0, 0)->count == 0);
  /* A mount point longer than the old 512-byte fact is kept whole; options
   * over a path's length are left out, never cut short. */
  n = 3000;
  big = malloc(n + 1);
  memset(big, 'p', n);
  big[0] = '/';
  big[n] = '\0';
  text = malloc(3 * n + 200);
  snprintf(text, 3 * n + 200, "70 1 0:50 / %s rw - overlay overlay rw,%s%s\n",
           big, big, big);
  f = scan(text, 70, 0, 0);
  CHECK(fact(f, "mountPoint") && strcmp(fact(f, "mountPoint"), big) == 0);
  CHECK(fact(f, "mountOptions") == NULL);
  CHECK(fact(f, "mountType") && strcmp(fact(f, "mountType"), "overlay") == 0);
  free(text);
  free(big);
}
#endif

static void test_errors(void) {
  CHECK(strcmp(sd_err_name(SD_EPERM), "EPERM") == 0);
  CHECK(strcmp(sd_strerror(SD_EPERM), "operation not permitted") == 0);
  CHECK(strcmp(sd_err_name(12345), "UNKNOWN") == 0);
  /* The last rows of the table, as Node names them (util.getSystemErrorMap). */
  CHECK(strcmp(sd_err_name(SD_EAGAIN), "EAGAIN") == 0);
  CHECK(SD_EOVERFLOW == -EOVERFLOW);
  CHECK(strcmp(sd_strerror(SD_ETXTBSY), "text file is busy") == 0);
}

int main(void) {
  snprintf(dir, sizeof(dir), "/tmp/sd-c-test-XXXXXX");
  if (mkdtemp(dir) == NULL) return 2;
  test_probe();
  test_links();
  test_long_target();
#if defined(__linux__) && defined(RENAME_EXCHANGE)
  test_remove_link_race();
#endif
  test_errors();
#if defined(__linux__)
  test_mountinfo();
#endif
  rmdir(dir);
  return check_summary();
}
