/* refuse-links: runs a command in which the kernel refuses to make links.
 *
 *   refuse-links [--hardlinks] [--errno N] -- COMMAND [ARGS...]
 *
 * Installs a seccomp filter that makes symlink(2) and symlinkat(2) fail with
 * EPERM (or errno N), and with --hardlinks link(2) and linkat(2) too, then
 * execs COMMAND. The filter is inherited by every child, so a whole npm run
 * sees the refusal: the Linux stand-in for WinError 1314.
 *
 * io_uring_setup(2) fails with ENOSYS too: a ring's IORING_OP_SYMLINKAT and
 * IORING_OP_LINKAT never pass through seccomp, and libuv makes links that
 * way when UV_USE_IO_URING=1. Without a ring it uses the thread pool, whose
 * symlinkat(2) the filter sees.
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

/* Appends "if nr == NR, fail with err" to the program. */
static void refuse(struct sock_filter* prog, unsigned short* n, unsigned nr,
                   unsigned err) {
  struct sock_filter jump = BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr, 0, 1);
  struct sock_filter ret =
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (err & SECCOMP_RET_DATA));
  prog[(*n)++] = jump;
  prog[(*n)++] = ret;
}

static int install(int hardlinks, unsigned err) {
  struct sock_filter prog[16];
  struct sock_fprog fprog;
  unsigned short n = 0;
  struct sock_filter load_arch =
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  struct sock_filter check_arch =
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SD_AUDIT_ARCH, 1, 0);
  struct sock_filter kill = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
  struct sock_filter load_nr =
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
  struct sock_filter allow = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);

  /* A process of another architecture would use other syscall numbers. */
  prog[n++] = load_arch;
  prog[n++] = check_arch;
  prog[n++] = kill;
  prog[n++] = load_nr;
#ifdef __NR_symlink
  refuse(prog, &n, __NR_symlink, err);
#endif
  refuse(prog, &n, __NR_symlinkat, err);
  refuse(prog, &n, __NR_io_uring_setup, ENOSYS);
  if (hardlinks) {
#ifdef __NR_link
    refuse(prog, &n, __NR_link, err);
#endif
    refuse(prog, &n, __NR_linkat, err);
  }
  prog[n++] = allow;
  fprog.len = n;
  fprog.filter = prog;
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    perror("refuse-links: PR_SET_NO_NEW_PRIVS");
    return -1;
  }
  if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) != 0) {
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
