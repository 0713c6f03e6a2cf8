/* The POSIX layer through the portable interface, without Node: run under
 * ASan/UBSan and valgrind by scripts/test-c-posix.sh. On Linux it is linked
 * with -Wl,--wrap=lstat,--wrap=fstatat,--wrap=renameat2 (the races of
 * removeLink, see test_remove_link_put_back). */
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
  sd_kept kept;
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
  CHECK(sd_remove_link(in_dir("h"), &kept, &st) == 0);
  /* One name left: the user's file, never removed. */
  CHECK(sd_remove_link(in_dir("a.txt"), &kept, &st) == SD_EINVAL);
  CHECK(kept.path == NULL);
  mkdir(in_dir("d"), 0700);
  CHECK(sd_remove_link(in_dir("d"), &kept, &st) == SD_EISDIR);
  CHECK(sd_remove_link(in_dir("l"), &kept, &st) == 0);
  CHECK(access(in_dir("a.txt"), F_OK) == 0);
  /* A bare name is relative to the working directory. */
  CHECK(symlink("a.txt", in_dir("rel")) == 0);
  CHECK(chdir(dir) == 0);
  CHECK(sd_remove_link("rel", &kept, &st) == 0);
  CHECK(sd_remove_link("a.txt", &kept, &st) == SD_EINVAL);
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

static char* read_text(const char* path, char* buf, size_t size) {
  FILE* f = fopen(path, "r");
  size_t n;
  if (f == NULL) return NULL;
  n = fread(buf, 1, size - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static void test_rename(void) {
  sd_status st = {0, 0, NULL};
  struct stat sb;
  char buf[64];
  int r;
  write_file(in_dir("a"), "A");
  write_file(in_dir("b"), "B");
  /* NOREPLACE refuses and leaves both as they were. */
  CHECK(sd_rename(in_dir("a"), in_dir("b"), SD_RENAME_NOREPLACE, &st) ==
        SD_EEXIST);
  CHECK(st.syscall != NULL && strcmp(st.syscall, "rename") == 0);
  CHECK(read_text(in_dir("a"), buf, sizeof(buf)) && strcmp(buf, "A") == 0);
  CHECK(read_text(in_dir("b"), buf, sizeof(buf)) && strcmp(buf, "B") == 0);
  /* Both flags, or an unknown bit: EINVAL, nothing moves. */
  CHECK(sd_rename(in_dir("a"), in_dir("b"), 3, &st) == SD_EINVAL);
  CHECK(sd_rename(in_dir("a"), in_dir("c"), 4, &st) == SD_EINVAL);
  CHECK(access(in_dir("c"), F_OK) != 0);
  /* NOREPLACE to a free name moves. */
  CHECK(sd_rename(in_dir("a"), in_dir("c"), SD_RENAME_NOREPLACE, &st) == 0);
  CHECK(access(in_dir("a"), F_OK) != 0);
  /* A missing source. */
  CHECK(sd_rename(in_dir("a"), in_dir("d"), SD_RENAME_NOREPLACE, &st) ==
        SD_ENOENT);
  CHECK(sd_rename(in_dir("a"), in_dir("d"), 0, &st) == SD_ENOENT);
  /* EXCHANGE: a symlink and a directory swap names. */
  CHECK(symlink("c", in_dir("l")) == 0);
  CHECK(mkdir(in_dir("d"), 0700) == 0);
  r = sd_rename(in_dir("l"), in_dir("d"), SD_RENAME_EXCHANGE, &st);
#if defined(__linux__)
  CHECK(r == 0);
  CHECK(lstat(in_dir("l"), &sb) == 0 && S_ISDIR(sb.st_mode));
  CHECK(lstat(in_dir("d"), &sb) == 0 && S_ISLNK(sb.st_mode));
  /* Exchange needs both names. */
  CHECK(sd_rename(in_dir("l"), in_dir("none"), SD_RENAME_EXCHANGE, &st) ==
        SD_ENOENT);
  CHECK(rename(in_dir("d"), in_dir("l2")) == 0 && rmdir(in_dir("l")) == 0 &&
        rename(in_dir("l2"), in_dir("l")) == 0);
  CHECK(mkdir(in_dir("d"), 0700) == 0);
#else
  CHECK(r == SD_ENOSYS);
  (void)sb;
#endif
  /* 0: a plain rename, which replaces. */
  CHECK(sd_rename(in_dir("c"), in_dir("b"), 0, &st) == 0);
  CHECK(read_text(in_dir("b"), buf, sizeof(buf)) && strcmp(buf, "A") == 0);
  unlink(in_dir("b"));
  unlink(in_dir("l"));
  rmdir(in_dir("d"));
  CHECK(entries() == 0);
}

#if defined(__linux__)
/* The races of sd_remove_link, made to happen every time: the script
 * links this test with -Wl,--wrap=lstat,--wrap=fstatat,--wrap=renameat2,
 * so that a "writer" acts at the exact moment a racing process could:
 * after removeLink's lstat found a link, after it moved the name aside,
 * and in its put-back. */
int __real_lstat(const char* path, struct stat* sb);
int __real_fstatat(int dirfd, const char* path, struct stat* sb, int flags);
int __real_renameat2(int olddirfd, const char* oldpath, int newdirfd,
                     const char* newpath, unsigned int flags);
int __wrap_lstat(const char* path, struct stat* sb);
int __wrap_fstatat(int dirfd, const char* path, struct stat* sb, int flags);
int __wrap_renameat2(int olddirfd, const char* oldpath, int newdirfd,
                     const char* newpath, unsigned int flags);

/* What the writer puts at L: 'f' a real file, 'l' a symlink, 'd' a
 * directory, 0 nothing. */
static char race_after_lstat, race_after_aside;
static const char* race_lstat_path; /* NULL: in_dir("L") */
static int race_exchange_einval, race_exchange_enoent;

/* Paths of their own: in_dir()'s few buffers are in use by the caller of
 * the hooked call. */
static char race_l[512], race_tmp[512];

static void plant(char what, const char* text) {
  snprintf(race_l, sizeof(race_l), "%s/L", dir);
  snprintf(race_tmp, sizeof(race_tmp), "%s/tmp", dir);
  if (what == 'f') {
    write_file(race_tmp, text);
    CHECK(rename(race_tmp, race_l) == 0);
  } else if (what == 'l') {
    CHECK(symlink(text, race_tmp) == 0);
    CHECK(rename(race_tmp, race_l) == 0);
  } else if (what == 'd') {
    CHECK(mkdir(race_l, 0700) == 0);
  }
}

int __wrap_lstat(const char* path, struct stat* sb) {
  int r = __real_lstat(path, sb);
  snprintf(race_l, sizeof(race_l), "%s/L", dir);
  if (race_after_lstat &&
      strcmp(path, race_lstat_path ? race_lstat_path : race_l) == 0) {
    plant(race_after_lstat, "found");
    race_after_lstat = 0;
  }
  return r;
}

int __wrap_fstatat(int dirfd, const char* path, struct stat* sb, int flags) {
  if (race_after_aside && strncmp(path, ".sd-probe-", 10) == 0) {
    plant(race_after_aside, "appeared");
    race_after_aside = 0;
  }
  return __real_fstatat(dirfd, path, sb, flags);
}

int __wrap_renameat2(int olddirfd, const char* oldpath, int newdirfd,
                     const char* newpath, unsigned int flags) {
  if (flags == RENAME_EXCHANGE && race_exchange_einval) {
    race_exchange_einval = 0;
    errno = EINVAL;
    return -1;
  }
  if (flags == RENAME_EXCHANGE && race_exchange_enoent) {
    /* The writer takes its file away again just before the swap. */
    race_exchange_enoent = 0;
    snprintf(race_l, sizeof(race_l), "%s/L", dir);
    CHECK(unlink(race_l) == 0);
  }
  return __real_renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
}

/* The one entry named .sd-probe-*, or NULL. */
static char* aside_entry(void) {
  static char name[512];
  DIR* d = opendir(dir);
  struct dirent* e;
  int n = 0;
  while ((e = readdir(d)) != NULL) {
    if (strncmp(e->d_name, ".sd-probe-", 10) == 0) {
      snprintf(name, sizeof(name), "%s/%s", dir, e->d_name);
      n++;
    }
  }
  closedir(d);
  return n == 1 ? name : NULL;
}

static void test_remove_link_put_back(void) {
  sd_status st = {0, 0, NULL};
  sd_kept kept;
  struct stat sb;
  char buf[64];
  char* aside;

  /* A real file came between lstat and the rename aside; a symlink took
   * the name while it was aside: the file is swapped back in, and the
   * symlink (a link: removeLink's to remove) is what gets unlinked. */
  CHECK(symlink("x", in_dir("L")) == 0);
  race_after_lstat = 'f';
  race_after_aside = 'l';
  CHECK(sd_remove_link(in_dir("L"), &kept, &st) == SD_EINVAL);
  CHECK(strcmp(st.syscall, "unlink") == 0);
  CHECK(kept.path == NULL);
  CHECK(read_text(in_dir("L"), buf, sizeof(buf)) &&
        strcmp(buf, "found") == 0);
  CHECK(aside_entry() == NULL);
  CHECK(entries() == 1);
  CHECK(unlink(in_dir("L")) == 0);

  /* The same with a real file taking the name: the found one is back at
   * L, the one that appeared stays aside, and kept says where. */
  CHECK(symlink("x", in_dir("L")) == 0);
  race_after_lstat = 'f';
  race_after_aside = 'f';
  CHECK(sd_remove_link(in_dir("L"), &kept, &st) == SD_EINVAL);
  CHECK(kept.path != NULL && kept.appeared == 1 &&
        kept.kind == SD_KIND_FILE);
  aside = aside_entry();
  CHECK(aside != NULL && kept.path != NULL && strcmp(aside, kept.path) == 0);
  CHECK(read_text(in_dir("L"), buf, sizeof(buf)) &&
        strcmp(buf, "found") == 0);
  CHECK(kept.path && read_text(kept.path, buf, sizeof(buf)) &&
        strcmp(buf, "appeared") == 0);
  if (kept.path) unlink(kept.path);
  sd_kept_free(&kept);
  CHECK(unlink(in_dir("L")) == 0);

  /* A directory appearing is kept the same way, never removed. */
  CHECK(symlink("x", in_dir("L")) == 0);
  race_after_lstat = 'f';
  race_after_aside = 'd';
  CHECK(sd_remove_link(in_dir("L"), &kept, &st) == SD_EINVAL);
  CHECK(kept.path != NULL && kept.appeared == 1 &&
        kept.kind == SD_KIND_DIRECTORY);
  CHECK(kept.path && lstat(kept.path, &sb) == 0 && S_ISDIR(sb.st_mode));
  if (kept.path) rmdir(kept.path);
  sd_kept_free(&kept);
  CHECK(unlink(in_dir("L")) == 0);

  /* No exchange on this filesystem (EINVAL): what was found stays aside,
   * named (appeared 0); what appeared keeps the name. */
  CHECK(symlink("x", in_dir("L")) == 0);
  race_after_lstat = 'f';
  race_after_aside = 'f';
  race_exchange_einval = 1;
  CHECK(sd_remove_link(in_dir("L"), &kept, &st) == SD_EINVAL);
  CHECK(kept.path != NULL && kept.appeared == 0 &&
        kept.kind == SD_KIND_FILE);
  CHECK(kept.path && read_text(kept.path, buf, sizeof(buf)) &&
        strcmp(buf, "found") == 0);
  CHECK(read_text(in_dir("L"), buf, sizeof(buf)) &&
        strcmp(buf, "appeared") == 0);
  if (kept.path) unlink(kept.path);
  sd_kept_free(&kept);
  CHECK(unlink(in_dir("L")) == 0);

  /* The name comes free again before the swap (ENOENT): the plain
   * put-back once more, and all is in place. */
  CHECK(symlink("x", in_dir("L")) == 0);
  race_after_lstat = 'f';
  race_after_aside = 'f';
  race_exchange_enoent = 1;
  CHECK(sd_remove_link(in_dir("L"), &kept, &st) == SD_EINVAL);
  CHECK(kept.path == NULL);
  CHECK(read_text(in_dir("L"), buf, sizeof(buf)) &&
        strcmp(buf, "found") == 0);
  CHECK(unlink(in_dir("L")) == 0);

  /* A symlink found in place and nothing racing: removed, as always. */
  CHECK(symlink("x", in_dir("L")) == 0);
  CHECK(sd_remove_link(in_dir("L"), &kept, &st) == 0 && kept.path == NULL);
  /* A bare name: kept is named as the link was, relative to the working
   * directory. */
  CHECK(chdir(dir) == 0);
  CHECK(symlink("x", "L") == 0);
  race_lstat_path = "L";
  race_after_lstat = 'f';
  race_after_aside = 'f';
  CHECK(sd_remove_link("L", &kept, &st) == SD_EINVAL);
  CHECK(kept.path != NULL && strncmp(kept.path, ".sd-probe-", 10) == 0 &&
        strchr(kept.path, '/') == NULL);
  CHECK(kept.path && read_text(kept.path, buf, sizeof(buf)) &&
        strcmp(buf, "appeared") == 0);
  if (kept.path) unlink(kept.path);
  sd_kept_free(&kept);
  race_lstat_path = NULL;
  race_after_lstat = race_after_aside = 0;
  race_exchange_einval = race_exchange_enoent = 0;
  CHECK(chdir("/") == 0);
  CHECK(unlink(in_dir("L")) == 0);
  CHECK(entries() == 0);
}
#endif

#if defined(__linux__)
/* removeLink against a writer that keeps renaming its own symlinks and
 * real files over the name (plain rename: the name is never missing on its
 * side, while removeLink's aside leaves it free for a moment). A real file
 * that removeLink could not put back must be named (kept.path); nothing
 * may stay under an aside name unnamed, and no real file is unlinked. */
static void test_remove_link_writer(void) {
  sd_status st = {0, 0, NULL};
  sd_kept kept;
  struct timespec t0, t;
  pid_t child;
  int rounds = 0, named = 0, unnamed = 0;
  DIR* d;
  struct dirent* e;
  write_file(in_dir("L"), "first");
  child = fork();
  if (child == 0) {
    for (;;) {
      write_file(in_dir("tf"), "real");
      rename(in_dir("tf"), in_dir("L"));
      symlink("x", in_dir("tl"));
      rename(in_dir("tl"), in_dir("L"));
    }
  }
  clock_gettime(CLOCK_MONOTONIC, &t0);
  do {
    int r = sd_remove_link(in_dir("L"), &kept, &st);
    if (kept.path != NULL) {
      struct stat sb;
      CHECK(r != 0);
      /* What is named is there, and it is what the writer wrote. */
      CHECK(lstat(kept.path, &sb) == 0);
      CHECK(strstr(kept.path, "/.sd-probe-") != NULL);
      named++;
      unlink(kept.path);
      sd_kept_free(&kept);
    }
    rounds++;
    clock_gettime(CLOCK_MONOTONIC, &t);
  } while ((t.tv_sec - t0.tv_sec) * 1000 +
               (t.tv_nsec - t0.tv_nsec) / 1000000 < 700);
  kill(child, SIGKILL);
  waitpid(child, NULL, 0);
  d = opendir(dir);
  while ((e = readdir(d)) != NULL) {
    if (strncmp(e->d_name, ".sd-probe-", 10) == 0) unnamed++;
  }
  closedir(d);
  printf("remove vs writer: %d removeLink calls, %d named kept, %d unnamed\n",
         rounds, named, unnamed);
  CHECK(unnamed == 0);
  unlink(in_dir("L"));
  unlink(in_dir("tf"));
  unlink(in_dir("tl"));
  CHECK(entries() == 0);
}
#endif

#if defined(__linux__) && defined(RENAME_EXCHANGE)
/* removeLink against a name that another process keeps swapping between a
 * symlink and a real single-name file (RENAME_EXCHANGE: both names always
 * exist). Whatever it removes, the real file must survive. */
static void test_remove_link_race(void) {
  sd_status st = {0, 0, NULL};
  sd_kept kept;
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
    r = sd_remove_link(in_dir("victim"), &kept, &st);
    CHECK(kept.path == NULL);
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
  test_rename();
#if defined(__linux__)
  test_remove_link_put_back();
  test_remove_link_writer();
#endif
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
