/* Error codes of the native core: one table, mapped once.
 *
 * The numbers are the ones Node reports as err.errno on each platform:
 * -errno on POSIX, libuv's fixed values on Windows (where errno.h does not
 * have them all). The messages are libuv's, so our errors read exactly like
 * the ones fs throws.
 */
#ifndef SD_ERRNO_H
#define SD_ERRNO_H

#ifndef _WIN32
#include <errno.h>
#endif

/* XX(name, posix errno, windows value, message) */
#define SD_ERRNO_MAP(XX)                                                     \
  XX(EPERM, EPERM, -4048, "operation not permitted")                         \
  XX(EACCES, EACCES, -4092, "permission denied")                             \
  XX(EEXIST, EEXIST, -4075, "file already exists")                           \
  XX(ENOENT, ENOENT, -4058, "no such file or directory")                     \
  XX(EINVAL, EINVAL, -4071, "invalid argument")                              \
  XX(EISDIR, EISDIR, -4068, "illegal operation on a directory")              \
  XX(ENOTDIR, ENOTDIR, -4052, "not a directory")                             \
  XX(ENOTEMPTY, ENOTEMPTY, -4051, "directory not empty")                     \
  XX(ELOOP, ELOOP, -4067, "too many symbolic links encountered")             \
  XX(ENAMETOOLONG, ENAMETOOLONG, -4064, "name too long")                     \
  XX(ENOSYS, ENOSYS, -4054, "function not implemented")                      \
  XX(ENOTSUP, ENOTSUP, -4049, "operation not supported on socket")           \
  XX(EXDEV, EXDEV, -4037, "cross-device link not permitted")                 \
  XX(EMLINK, EMLINK, -4032, "too many links")                                \
  XX(EROFS, EROFS, -4043, "read-only file system")                           \
  XX(EIO, EIO, -4070, "i/o error")                                           \
  XX(ENOMEM, ENOMEM, -4057, "not enough memory")                             \
  XX(ENOSPC, ENOSPC, -4055, "no space left on device")                       \
  XX(EBUSY, EBUSY, -4082, "resource busy or locked")                         \
  XX(EMFILE, EMFILE, -4066, "too many open files")                           \
  XX(EPROTO, EPROTO, -4046, "protocol error")                                \
  XX(EILSEQ, EILSEQ, -4027, "illegal byte sequence")                         \
  XX(EBADF, EBADF, -4083, "bad file descriptor")                             \
  XX(EAGAIN, EAGAIN, -4088, "resource temporarily unavailable")              \
  XX(EFBIG, EFBIG, -4036, "file too large")                                  \
  XX(EOVERFLOW, EOVERFLOW, -4026, "value too large for defined data type")   \
  XX(ETXTBSY, ETXTBSY, -4038, "text file is busy")

#ifdef _WIN32
#define SD__ERRNO_VALUE(posix, win) (win)
#else
#define SD__ERRNO_VALUE(posix, win) (-(posix))
#endif

enum {
#define XX(name, posix, win, msg) SD_##name = SD__ERRNO_VALUE(posix, win),
  SD_ERRNO_MAP(XX)
#undef XX
  /* Not an errno anywhere: libuv's UNKNOWN. */
  SD_UNKNOWN = -4094
};

/* The name ("EPERM") and message of a code; "UNKNOWN" for anything else. */
const char* sd_err_name(int code);
const char* sd_strerror(int code);

#endif /* SD_ERRNO_H */
