'use strict'
// What the CLI's --json is checked against: the report schema
// (lib/cli/report-schema.json) through a small validator for the subset of
// JSON Schema it uses (type, incl. unions; const, enum, required,
// properties, items, $ref). Shared by the CLI test files.

const assert = require('assert')
const SCHEMA = require('../lib/cli/report-schema.json')

function json (r) {
  try {
    return JSON.parse(r.stdout)
  } catch (err) {
    throw new Error(`not JSON (exit ${r.status}): ${r.stdout}\n${r.stderr}`)
  }
}

function validate (value, schema, at = '$', root = schema) {
  if (schema.$ref) return validate(value, schema.$ref.split('/').slice(1).reduce((o, k) => o[k], root), at, root)
  const errors = []
  const typeOf = (v) => v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v
  if (schema.type) {
    const types = [].concat(schema.type)
    const t = typeOf(value)
    if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) errors.push(`${at}: ${t}, expected ${types.join('|')}`)
  }
  if ('const' in schema && value !== schema.const) errors.push(`${at}: ${JSON.stringify(value)}, expected ${JSON.stringify(schema.const)}`)
  if (schema.enum && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in ${schema.enum.join(', ')}`)
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const k of schema.required || []) if (!(k in value)) errors.push(`${at}.${k}: missing`)
    for (const [k, s] of Object.entries(schema.properties || {})) {
      if (k in value && value[k] !== undefined) errors.push(...validate(value[k], s, `${at}.${k}`, root))
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => errors.push(...validate(v, schema.items, `${at}[${i}]`, root)))
  return errors
}

function assertValid (report) {
  const errors = validate(report, SCHEMA)
  assert.deepStrictEqual(errors, [], `--json does not match lib/cli/report-schema.json:\n${errors.join('\n')}`)
}

function checkById (report, id) {
  const c = report.checks.find((x) => x.id === id)
  assert.ok(c, `no check '${id}' in ${report.checks.map((x) => x.id).join(', ')}`)
  return c
}

module.exports = { json, validate, assertValid, checkById }
