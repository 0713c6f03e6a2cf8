'use strict'
// Exit codes of every command, in one place so the docs and the code agree.
// 64 and 70 follow sysexits.h, which shells and CI systems already know.

module.exports = {
  OK: 0,
  // doctor: a check failed; link/scan/fix: the work failed or is left undone.
  FAIL: 1,
  // check: no link kind at all can be made in the directory.
  NOTHING: 2,
  // fix: the step needs elevation, or this build cannot do it (manual steps printed).
  NEEDS_ADMIN: 3,
  USAGE: 64,
  SOFTWARE: 70
}
