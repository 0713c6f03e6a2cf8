'use strict'
// symlink-doctor: make links where the OS refuses symlinks, and say why.

const binding = require('./lib/binding')
const { createLink, createLinkSync } = require('./lib/link')
const { diagnose, diagnoseSync, canSymlink, canSymlinkSync } = require('./lib/diagnose')
const { removeLink, removeLinkSync, inspect, inspectSync } = require('./lib/remove')

module.exports = {
  createLink,
  createLinkSync,
  removeLink,
  removeLinkSync,
  inspect,
  inspectSync,
  canSymlink,
  canSymlinkSync,
  diagnose,
  diagnoseSync,
  native: binding.native
}
