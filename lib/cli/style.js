'use strict'
// The painter for one output stream of a command (colors and marks follow
// the stream: stdout may be a TTY while stderr is a file).

const { colorEnabled, painter } = require('./color')

function styleFor (stream, env) {
  const on = colorEnabled(stream, env)
  return { paint: painter(on), unicode: on }
}

module.exports = { styleFor }
