'use strict'
// symlink-doctor/register: load it before anything that makes links,
//   node -r symlink-doctor/register app.js
//   NODE_OPTIONS="--require symlink-doctor/register" npm install
//   import 'symlink-doctor/register'   (ESM; first import of the entry)
// and a symlink the OS refuses is made another way, with the fix printed
// once. It must load before the package manager's code does: npm's
// arborist takes `symlink` from fs/promises when reify.js loads, so a
// wrapper installed later is never called.

require('./lib/hook-note').ensureSession()
require('./lib/hook').install()
