'use strict'
// Environment variables as the user set them. process.env falls back to
// Object.prototype for a name it does not hold, so a polluted prototype
// (a vulnerable dependency setting Object.prototype.SYMLINK_DOCTOR_FALLBACK)
// would read as configuration nobody gave; only own properties count here.

// name: the variable's name. Returns its string value, or undefined.
function envVar (name, env = process.env) {
  return Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined
}

module.exports = { envVar }
