'use strict'
// Command-line parsing for one command: its flags are declared, anything
// else is a usage error (exit 64), never silently ignored.

class UsageError extends Error {}

// spec: { name: { type: 'boolean' | 'string', short: 'x', values: [...] } }
// Returns { opts, positionals }. "--" ends the options.
// opts has no prototype and only declared names are looked up (own
// properties), so neither `--constructor` nor a polluted Object.prototype
// turns into an option the user did not give.
function parseOptions (args, spec, { maxPositionals = Infinity } = {}) {
  const opts = Object.create(null)
  const positionals = []
  const byShort = new Map()
  for (const [name, def] of Object.entries(spec)) if (def.short) byShort.set(def.short, name)
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--') {
      positionals.push(...args.slice(i + 1))
      break
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=')
      const name = arg.slice(2, eq === -1 ? undefined : eq)
      const def = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined
      if (!def) throw new UsageError(`unknown option '--${name}'`)
      if (def.type === 'boolean') {
        if (eq !== -1) throw new UsageError(`option '--${name}' takes no value`)
        opts[name] = true
      } else {
        let value
        if (eq !== -1) value = arg.slice(eq + 1)
        else if (i + 1 < args.length) value = args[++i]
        else throw new UsageError(`option '--${name}' needs a value`)
        if (def.values && !def.values.includes(value)) {
          throw new UsageError(`option '--${name}' must be one of ${def.values.join(', ')} (got '${value}')`)
        }
        opts[name] = value
      }
    } else if (arg.startsWith('-') && arg.length > 1) {
      // Short flags may be grouped (-vq); short flags with values are not needed.
      for (const ch of arg.slice(1)) {
        const name = byShort.get(ch)
        if (!name || spec[name].type !== 'boolean') throw new UsageError(`unknown option '-${ch}'`)
        opts[name] = true
      }
    } else {
      positionals.push(arg)
    }
  }
  if (positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument '${positionals[maxPositionals]}'`)
  }
  return { opts, positionals }
}

module.exports = { parseOptions, UsageError }
