/* GetLastError() -> SD_E*: the one place Win32 codes are translated.
 *
 * Modelled on libuv's table, so our errors read like fs's, with deliberate
 * differences where libuv's choice hides the cause of a refused link:
 *   - ERROR_ACCESS_DENIED is EACCES, not EPERM: EPERM is reserved for a
 *     missing privilege (1314), so an unwritable directory is not reported
 *     as "enable Developer Mode".
 *   - ERROR_INVALID_FUNCTION is ENOTSUP, not EISDIR: it is what FAT32,
 *     exFAT and some network file systems answer to reparse points and hard
 *     links, and EISDIR sends users looking for a directory.
 * The raw code always travels alongside in sd_status.winerror.
 */
#include "internal.h"

int sd__translate_error(DWORD winerror) {
  switch (winerror) {
    case ERROR_SUCCESS:
      return 0;

    case ERROR_PRIVILEGE_NOT_HELD:        /* 1314: no symlink privilege */
      return SD_EPERM;

    case ERROR_ACCESS_DENIED:             /* 5 */
    case ERROR_CANT_ACCESS_FILE:          /* 1920 */
    case ERROR_ELEVATION_REQUIRED:        /* 740 */
    case ERROR_NETWORK_ACCESS_DENIED:     /* 65 */
      return SD_EACCES;

    case ERROR_INVALID_FUNCTION:          /* 1: FS without reparse points */
    case ERROR_NOT_SUPPORTED:             /* 50 */
    case ERROR_SYMLINK_NOT_SUPPORTED:     /* 1464 */
    /* 1463: remote symlink evaluation is disabled (fsutil behavior
     * SymlinkEvaluation); the link exists but this machine will not follow
     * it, so "not supported" rather than a privilege problem. */
    case ERROR_SYMLINK_CLASS_DISABLED:
      return SD_ENOTSUP;

    case ERROR_ALREADY_EXISTS:            /* 183 */
    case ERROR_FILE_EXISTS:               /* 80 */
      return SD_EEXIST;

    case ERROR_FILE_NOT_FOUND:            /* 2 */
    case ERROR_PATH_NOT_FOUND:            /* 3 */
    case ERROR_INVALID_DRIVE:             /* 15 */
    case ERROR_BAD_NETPATH:               /* 53 */
    case ERROR_BAD_NET_NAME:              /* 67 */
    case ERROR_BAD_PATHNAME:              /* 161 */
    case ERROR_INVALID_NAME:              /* 123: bad characters in a name */
    case ERROR_MOD_NOT_FOUND:             /* 126 */
      return SD_ENOENT;

    case ERROR_DIRECTORY:                 /* 267: not a directory */
      return SD_ENOTDIR;

    case ERROR_DIR_NOT_EMPTY:             /* 145 */
      return SD_ENOTEMPTY;

    case ERROR_NOT_SAME_DEVICE:           /* 17: hard link across volumes */
      return SD_EXDEV;

    case ERROR_TOO_MANY_LINKS:            /* 1142: 1023 hard links max */
      return SD_EMLINK;

    case ERROR_FILENAME_EXCED_RANGE:      /* 206 */
    case ERROR_BUFFER_OVERFLOW:           /* 111 */
      return SD_ENAMETOOLONG;

    case ERROR_CANT_RESOLVE_FILENAME:     /* 1921: too many reparse points */
      return SD_ELOOP;

    case ERROR_WRITE_PROTECT:             /* 19 */
      return SD_EROFS;

    case ERROR_NOT_ENOUGH_MEMORY:         /* 8 */
    case ERROR_OUTOFMEMORY:               /* 14 */
      return SD_ENOMEM;

    case ERROR_DISK_FULL:                 /* 112 */
    case ERROR_HANDLE_DISK_FULL:          /* 39 */
      return SD_ENOSPC;

    case ERROR_SHARING_VIOLATION:         /* 32: another process has it */
    case ERROR_LOCK_VIOLATION:            /* 33 */
    case ERROR_BUSY:                      /* 170 */
      return SD_EBUSY;

    case ERROR_TOO_MANY_OPEN_FILES:       /* 4 */
      return SD_EMFILE;

    case ERROR_INVALID_HANDLE:            /* 6 */
      return SD_EBADF;

    case ERROR_INVALID_PARAMETER:         /* 87 */
    case ERROR_NOT_A_REPARSE_POINT:       /* 4390 */
    case ERROR_INVALID_REPARSE_DATA:      /* 4392 */
    case ERROR_REPARSE_TAG_INVALID:       /* 4393 */
    case ERROR_REPARSE_TAG_MISMATCH:      /* 4394 */
      return SD_EINVAL;

    case ERROR_NO_UNICODE_TRANSLATION:    /* 1113 */
      return SD_EILSEQ;

    case ERROR_CALL_NOT_IMPLEMENTED:      /* 120 */
      return SD_ENOSYS;

    case ERROR_CRC:                       /* 23 */
    case ERROR_GEN_FAILURE:               /* 31 */
    case ERROR_IO_DEVICE:                 /* 1117 */
      return SD_EIO;

    default:
      return SD_UNKNOWN;
  }
}

int sd__win_fail(sd_status* st, DWORD winerror, const char* syscall) {
  int code = sd__translate_error(winerror);
  /* A failed call that left no error code is still a failure. */
  if (code == 0) code = SD_UNKNOWN;
  sd__status_set(st, code, (uint32_t)winerror, syscall);
  return code;
}
