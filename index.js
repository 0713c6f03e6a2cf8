'use strict'
// symlink-doctor: make links where the OS refuses symlinks, and say why.
//
// Each part loads on its first call, so require('symlink-doctor') costs
// next to nothing (a process that makes no link, or only symlinks, never
// loads the fallback, the probe or the native core).

let link, remove, diagnosis, binding
const L = () => link || (link = require('./lib/link'))
const R = () => remove || (remove = require('./lib/remove'))
const D = () => diagnosis || (diagnosis = require('./lib/diagnose'))

module.exports = {
  createLink (target, path, options) { return L().createLink(target, path, options) },
  createLinkSync (target, path, options) { return L().createLinkSync(target, path, options) },
  removeLink (path) { return R().removeLink(path) },
  removeLinkSync (path) { return R().removeLinkSync(path) },
  inspect (path, options) { return R().inspect(path, options) },
  inspectSync (path, options) { return R().inspectSync(path, options) },
  canSymlink (dir) { return D().canSymlink(dir) },
  canSymlinkSync (dir) { return D().canSymlinkSync(dir) },
  diagnose (dir) { return D().diagnose(dir) },
  diagnoseSync (dir) { return D().diagnoseSync(dir) },
  // Whether the native core loaded (it loads when this is first read).
  get native () { return (binding || (binding = require('./lib/binding'))).native }
}
