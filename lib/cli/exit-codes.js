'use strict'
// Exit codes of every command, in one place so the docs (doc/cli.md) and
// the code agree. 64, 66, 74 and 70 follow sysexits.h, which shells and CI
// systems already know.

module.exports = {
  OK: 0,
  // doctor: a check failed (a read-only or unwritable directory included);
  // link/scan/fix: the work failed or is left undone.
  FAIL: 1,
  // check: no link kind at all can be made in the directory (a read-only or
  // unwritable directory included).
  NOTHING: 2,
  // fix: the step needs elevation, or this build cannot do it (manual steps printed).
  NEEDS_ADMIN: 3,
  // Usage error: unknown command or option, a missing or extra argument,
  // '-' where a directory is expected.
  USAGE: 64,
  // A path the user named does not exist or is not a directory (ENOENT,
  // ENOTDIR, ELOOP, ENAMETOOLONG), e.g. `doctor nosuchdir`.
  NOINPUT: 66,
  // The system refused an operation on a path: permission denied (EACCES,
  // EPERM), read-only filesystem (EROFS), no space left (ENOSPC), disk quota
  // exceeded (EDQUOT), and other I/O errors (EIO, EBUSY, EMFILE, ...).
  IOERR: 74,
  // A bug in symlink-doctor: nothing else. SYMLINK_DOCTOR_DEBUG=1 prints the stack.
  SOFTWARE: 70
}
