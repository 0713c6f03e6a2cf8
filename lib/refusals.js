'use strict'
// Which errors mean "this kind of link cannot be made here", so the next
// kind may work, rather than "not this path" (ENOENT, EEXIST, EACCES...),
// which the caller must see unchanged. One list for createLink and the hook.
//
// EPROTO: VirtualBox shared folders answer symlink(2) with it; older ones
// answer EROFS on a writable share (a volume that is really read-only then
// refuses the hard link too, and that EROFS reaches the caller). On Windows
// libuv turns ERROR_INVALID_FUNCTION (a FAT/exFAT volume) into EISDIR, which
// a link call never means there otherwise; on POSIX EISDIR is left alone.

const BASE = ['EPERM', 'ENOSYS', 'ENOTSUP', 'EOPNOTSUPP', ...(process.platform === 'win32' ? ['EISDIR'] : [])]

const REFUSED = {
  symlink: new Set([...BASE, 'EPROTO', 'EROFS']),
  // EINVAL: a target a junction cannot hold (a network path).
  junction: new Set([...BASE, 'EINVAL', 'EXDEV']),
  hardlink: new Set([...BASE, 'EXDEV', 'EMLINK']),
  copy: new Set()
}

function isRefusal (kind, err) {
  return Boolean(err) && REFUSED[kind].has(err.code)
}

module.exports = { isRefusal }
