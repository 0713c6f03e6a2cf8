/* refuse-links: runs a command in which the kernel refuses to make links.
 *
 *   refuse-links [--hardlinks] [--errno N] -- COMMAND [ARGS...]
 *
 * Installs a seccomp filter that makes symlink(2) and symlinkat(2) fail with
 * EPERM (or errno N), and with --hardlinks link(2) and linkat(2) too, then
 * execs COMMAND. The filter is inherited by every child, so a whole npm run
 * sees the refusal: the Linux stand-in for WinError 1314.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define SD_AUDIT_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SD_AUDIT_ARCH AUDIT_ARCH_AARCH64
#else
#error "refuse-links: add this architecture's AUDIT_ARCH value"
#endif

#define REFUSE(nr) \
  BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1), \
  BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA))

static int install(int hardlinks, unsigned err) {
  struct sock_filter symlinks_only[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SD_AUDIT_ARCH, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#ifdef __NR_symlink
    REFUSE(__NR_symlink),
#endif
    REFUSE(__NR_symlinkat),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_filter all_links[] = {
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SD_AUDIT_ARCH, 1, 0),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
#ifdef __NR_symlink
    REFUSE(__NR_symlink),
#endif
    REFUSE(__NR_symlinkat),
#ifdef __NR_link
    REFUSE(__NR_link),
#endif
    REFUSE(__NR_linkat),
    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog;
  if (hardlinks) {
    prog.len = sizeof(all_links) / sizeof(all_links[0]);
    prog.filter = all_links;
  } else {
    prog.len = sizeof(symlinks_only) / sizeof(symlinks_only[0]);
    prog.filter = symlinks_only;
  }
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    perror("refuse-links: PR_SET_NO_NEW_PRIVS");
    return -1;
  }
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
    perror("refuse-links: PR_SET_SECCOMP");
    return -1;
  }
  return 0;
}

static void usage(void) {
  fprintf(stderr,
          "usage: refuse-links [--hardlinks] [--errno N] -- COMMAND [ARGS...]\n");
}

int main(int argc, char** argv) {
  int hardlinks = 0;
  unsigned err = EPERM;
  int i;
  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--hardlinks") == 0) {
      hardlinks = 1;
    } else if (strcmp(argv[i], "--errno") == 0 && i + 1 < argc) {
      err = (unsigned)strtoul(argv[++i], NULL, 10);
    } else if (strcmp(argv[i], "--") == 0) {
      i++;
      break;
    } else {
      usage();
      return 64;
    }
  }
  if (i >= argc) {
    usage();
    return 64;
  }
  if (install(hardlinks, err) != 0) return 70;
  execvp(argv[i], argv + i);
  fprintf(stderr, "refuse-links: %s: %s\n", argv[i], strerror(errno));
  return 127;
}
