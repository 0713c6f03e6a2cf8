'use strict'
// What a refusal means, in words, from its code, the raw Windows error and
// the filesystem it happened on.

const WINERROR = {
  1: 'ERROR_INVALID_FUNCTION: this volume cannot hold links (FAT32, exFAT, some network drives)',
  5: 'ERROR_ACCESS_DENIED: no write access to this directory',
  50: 'ERROR_NOT_SUPPORTED: this volume or system does not support it',
  87: 'ERROR_INVALID_PARAMETER',
  1314: 'ERROR_PRIVILEGE_NOT_HELD: Developer Mode is off and this account does not hold SeCreateSymbolicLinkPrivilege in this process',
  17: 'ERROR_NOT_SAME_DEVICE: a hard link must stay on one volume',
  1142: 'ERROR_TOO_MANY_LINKS: the file has the maximum number of hard links',
  1332: 'ERROR_NONE_MAPPED: no account by that name',
  4390: 'ERROR_NOT_A_REPARSE_POINT'
}

// Filesystems that cannot hold symlinks at all, whatever the process may do.
const NO_LINK_FS = /^(vfat|msdos|exfat|fuse\.fusefat|fuse\.exfat|fuseblk|vboxsf|iso9660|udf)$/

// Codes that mean this process cannot create anything in a directory at
// all: the probe cannot even make its own scratch file there. diagnose()
// reports them as refusals of every kind, and canSymlink() answers false.
const CANNOT_WRITE = new Set(['EROFS', 'EACCES', 'EPERM', 'ENOSPC', 'EDQUOT'])

// The probe's own scratch file or directory could not be made: nothing
// link-specific was tried (syscall open or mkdir, never symlink or link).
function isSetupFailure (a) {
  return Boolean(a) && !a.ok && CANNOT_WRITE.has(a.code) && (a.syscall === 'open' || a.syscall === 'mkdir')
}

// A symlink call that reported success and made nothing (Wine 8's
// CreateSymbolicLinkW): the native layer and the fallback both report it as
// ENOTSUP from the "symlink-verify" step.
function isSilentNoop (a) {
  return Boolean(a) && a.syscall === 'symlink-verify'
}

// libuv's words for a code, from a table read once (lib/errors.js).
let errors = null
function codeText (code) {
  return (errors || (errors = require('./errors'))).codeText(code)
}

// One line: "EPERM (WinError 1314: ...)" or "ENOSYS: function not implemented".
function describeRefusal (a) {
  if (isSilentNoop(a)) return 'the call reported success but created nothing (a stub CreateSymbolicLinkW, as in Wine)'
  if (a.winerror && WINERROR[a.winerror]) return `${a.code} (WinError ${a.winerror}, ${WINERROR[a.winerror]})`
  if (a.winerror) return `${a.code} (WinError ${a.winerror})`
  return `${a.code}: ${codeText(a.code)}`
}

// Why a link kind was refused on this volume: the cause a person can act on.
function meaning (kind, a, volume, platform) {
  const fs = (volume && (volume.mountType || volume.fsName)) || ''
  if (isSilentNoop(a)) {
    return 'The Windows API reported success but no link exists: the API is a stub here (Wine). Links must fall back.'
  }
  if (platform === 'win32') {
    if (a.winerror === 1314) {
      return 'Windows refused the privilege: turn on Developer Mode, or grant "Create symbolic links" to this account.'
    }
    if ((a.winerror === 1 || a.winerror === 50) && volume && volume.supportsReparsePoints === false &&
        /^(NTFS|ReFS)$/i.test(volume.fsName || '')) {
      // Real NTFS always has reparse points: this is an emulation (Wine)
      // or a driver in the way, and moving the project would not help.
      return `The volume says ${volume.fsName} but reports no reparse point support (an emulation such as Wine, or a filter driver): links must fall back here.`
    }
    if (a.winerror === 1 || (a.winerror === 50 && volume && volume.supportsReparsePoints === false)) {
      return `This volume (${volume && volume.fsName ? volume.fsName : 'its filesystem'}) cannot hold links; no setting changes that.`
    }
    if (a.winerror === 50) return 'This system does not support this kind of link here.'
    if (a.winerror === 5) return 'Access denied: this process cannot write to this directory.'
    if (a.winerror === 17) return 'A hard link cannot cross volumes.'
  }
  if (/^(cifs|smb2?|smb3)$/.test(fs) && kind !== 'hardlink') {
    return 'This SMB/CIFS mount has no symlinks; mount it with the mfsymlinks option.'
  }
  if (/^vboxsf$/.test(fs)) {
    return 'VirtualBox shared folders refuse symlinks unless the VM has SharedFoldersEnableSymlinksCreate set for the share.'
  }
  if (NO_LINK_FS.test(fs)) {
    return `This filesystem (${fs}) cannot hold ${kind === 'hardlink' ? 'hard links' : 'symlinks'}; no setting changes that.`
  }
  if (/^(9p|drvfs)$/.test(fs)) {
    return 'This is a Windows drive seen from WSL: Windows decides (Developer Mode on the Windows host).'
  }
  if (isSetupFailure(a)) {
    if (a.code === 'EROFS') return 'The filesystem is mounted read-only: nothing can be created in this directory.'
    if (a.code === 'ENOSPC') return 'The filesystem is full: nothing can be created in this directory until space is freed.'
    if (a.code === 'EDQUOT') return 'Your disk quota on this filesystem is used up: nothing can be created in this directory.'
    if (a.code === 'EACCES' || a.winerror === 5) return 'No write access to this directory: nothing can be created in it.'
    return 'This process may not create entries in this directory (an immutable or append-only directory, or a security policy).'
  }
  if (a.code === 'EPERM' && platform !== 'win32') {
    return 'The filesystem supports links, so the kernel or a sandbox (seccomp, container or security policy) refused the call.'
  }
  if (a.code === 'EACCES') return 'No write access to this directory.'
  // The probe made its own file here first, so the volume is writable.
  if (a.code === 'EROFS') return 'The filesystem refused the link with EROFS although this directory is writable (older VirtualBox shared folders do this).'
  if (a.code === 'ENOSPC') return 'The filesystem is full.'
  if (a.code === 'EDQUOT') return 'Your disk quota on this filesystem is used up.'
  if (a.code === 'ENOSYS' || a.code === 'ENOTSUP' || a.code === 'EOPNOTSUPP') {
    return 'The filesystem does not implement this kind of link.'
  }
  return `The system refused: ${describeRefusal(a)}.`
}

module.exports = { isSilentNoop, isSetupFailure, describeRefusal, meaning, NO_LINK_FS, WINERROR, CANNOT_WRITE }
